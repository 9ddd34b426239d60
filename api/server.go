// Package api is the HTTP face of hotspot serve: the layers of geo/layer
// as GeoJSON, CSV, OGC API – Features and vector tiles, plus the JSON
// endpoints the map needs, with validation, error mapping, ETags, a body
// cache and gzip. The encoders are the layers' own, shared with hotspot
// export, so a file and an API answer for the same filters hold the same
// bytes.
package api

import (
	"compress/gzip"
	"context"
	"encoding/json"
	"log/slog"
	"maps"
	"net/http"
	"net/netip"
	"slices"
	"strings"

	"github.com/gorilla/mux"

	"github.com/leicester-csp/hotspot/geo"
	"github.com/leicester-csp/hotspot/geo/access"
	"github.com/leicester-csp/hotspot/geo/analysis"
	"github.com/leicester-csp/hotspot/geo/layer"
	"github.com/leicester-csp/hotspot/internal/httpcache"
	"github.com/leicester-csp/hotspot/internal/metrics"
)

// Config is what the server is built from; cmd/hotspot fills it.
type Config struct {
	Store    geo.Store          // required: what readiness, meta and OGC extents read
	Analyzer *analysis.Analyzer // required: the analysis over Store
	Logger   *slog.Logger       // nil: discard
	// Synthetic reports whether the data served now is the built-in
	// synthetic demo city (nil: never). Every answer's metadata says so.
	Synthetic func(ctx context.Context) bool
	// Web is the front end served at "/" and below (nil: "/" answers a
	// short page saying the map is not built, with links to the API).
	Web http.Handler
	// Basemap is a local basemap for the map (nil: none, and the map
	// stays without one): its files are served below Basemap.Prefix to
	// every caller, and /api/v1/meta tells the map where they are.
	Basemap *Basemap
	// Mount lets later code add routes; it is called with the router
	// before the catch-alls. MountRules says who may reach each route it
	// adds, by path template; a route without a rule answers 403.
	Mount      func(r *mux.Router)
	MountRules map[string]access.Role
	// CacheBytes bounds the in-process cache of encoded answers: 0 means
	// 64 MiB, negative disables it (benchmarks of the work itself).
	CacheBytes int64
	// MaxInflight is the most analyses (answers computed rather than
	// served from cache) run at once; beyond it a 503 with Retry-After.
	// 0 or less: no bound.
	MaxInflight int
	// RateLimit is the requests a second one client (address) may make,
	// with bursts of RateBurst (0: twice the rate); beyond it a 429 with
	// Retry-After. Health probes are exempt. 0 or less: no limit.
	RateLimit float64
	RateBurst int
	// TrustedProxies are the networks whose X-Forwarded-* headers are
	// believed (the peer must be inside one); none by default.
	TrustedProxies []netip.Prefix
	// Keys are the API keys and the audit log (nil: no keys are issued,
	// every caller is public, and a request bearing a key is a 401).
	Keys access.Keyring
	// TargetAreas lists the target areas touching a ward, with their
	// evaluations, for ward briefings (nil: briefs say none are
	// recorded). Only partner and higher callers' briefs include them.
	TargetAreas analysis.TargetAreaFunc
	// SuppressBelow is the smallest count of a local source a partner
	// caller sees; 1 to SuppressBelow−1 are suppressed (0: the default,
	// 5).
	SuppressBelow int
	// Metrics counts requests, cache lookups and analyses in flight, and
	// is served at /metrics (nil: a registry of the server's own).
	Metrics *metrics.Metrics
	// Databases, when set, reports each database behind the store for
	// /readyz (a store with read replicas).
	Databases func() []geo.DatabaseStatus
}

func (s *Server) suppressBelow() int {
	if s.suppress > 0 {
		return s.suppress
	}
	return analysis.DefaultSuppressBelow
}

// Server serves the API. It is an http.Handler, safe for concurrent use.
type Server struct {
	store     geo.Store
	an        *analysis.Analyzer
	layers    *layer.Set
	log       *slog.Logger
	synthetic func(ctx context.Context) bool
	// sourceInfos caches the store's source descriptions by version.
	sourceInfos sourceInfos
	cache       answerCache
	// tilesState holds encoded tiles and layers prepared for tiling.
	tilesState *tileState
	gzip       *httpcache.Gzipper
	// config fingerprints what, besides data and query, shapes answers
	// (the priorities), so that ETags change when a restart changes it.
	config      string
	inflight    inflight        // slots for analyses
	clientSlots *clientSlots    // one client's share of them
	rate        *rateLimiter    // nil: no limit
	proxies     trustedProxies  // whose X-Forwarded-* are believed
	keys        *keyCache       // who callers are
	rules       map[string]rule // who may reach each route, by template
	handler     http.Handler
	router      *mux.Router // for telling a wrong method from a wrong path
	basemap     *Basemap    // nil: none
	// targetAreas feeds ward briefings (nil: none recorded).
	targetAreas analysis.TargetAreaFunc
	suppress    int // Config.SuppressBelow
	metrics     *metrics.Metrics
	databases   func() []geo.DatabaseStatus
}

// Basemap is a local basemap: where the map finds its archive and glyphs
// (URL paths on this server, which Handler answers), and what the map
// needs to know of the archive.
type Basemap struct {
	Prefix      string       `json:"-"` // the path Handler answers below, ending in "/"
	Handler     http.Handler `json:"-"`
	Archive     string       `json:"archive"` // the PMTiles archive, served with Range
	Glyphs      string       `json:"glyphs"`  // MapLibre's glyphs template
	MinZoom     int          `json:"minzoom"`
	MaxZoom     int          `json:"maxzoom"`
	Bounds      [4]float64   `json:"bounds"` // west, south, east, north
	Attribution string       `json:"attribution"`
}

// Media types of the answers.
const (
	contentJSON    = "application/json"
	contentGeoJSON = "application/geo+json"
)

// Prefixes that belong to machine clients: an unknown path under them is
// a JSON 404, never the web map's page.
var reservedPrefixes = []string{"/api", "/tiles", "/ogc", "/briefings", "/reports"}

// New builds a server.
func New(cfg Config) *Server {
	s := &Server{
		store: cfg.Store, an: cfg.Analyzer, layers: layer.New(cfg.Analyzer), log: cfg.Logger, synthetic: cfg.Synthetic,
		cache: newAnswerCache(cfg.CacheBytes), tilesState: newTileState(cfg.CacheBytes), gzip: httpcache.NewGzipper(gzip.BestSpeed),
		inflight: newInflight(cfg.MaxInflight), clientSlots: newClientSlots(cfg.MaxInflight), rate: newRateLimiter(cfg.RateLimit, cfg.RateBurst),
		proxies: trustedProxies(slices.Clone(cfg.TrustedProxies)), suppress: cfg.SuppressBelow,
		metrics: cfg.Metrics, databases: cfg.Databases,
	}
	if s.metrics == nil {
		s.metrics = metrics.New()
	}
	s.metrics.InFlight(func() int { return len(s.inflight) })
	if cfg.Databases != nil {
		s.metrics.Databases(cfg.Databases)
	}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	s.keys = &keyCache{ring: cfg.Keys, log: s.log}
	s.rules = maps.Clone(routeRules)
	for path, role := range cfg.MountRules {
		s.rules[path] = rule{min: role}
	}
	s.basemap = cfg.Basemap
	s.targetAreas = cfg.TargetAreas
	if b := s.basemap; b != nil && b.Handler != nil {
		// Streets and glyphs are public map data, like the map's page.
		s.rules[b.Prefix] = rule{min: access.Public}
	}
	if s.synthetic == nil {
		s.synthetic = func(context.Context) bool { return false }
	}
	// The basemap is in meta's answer, so a restart that adds, drops or
	// changes it must change the ETags too.
	if b, err := json.Marshal(struct {
		P any
		B *Basemap
	}{s.an.Priorities(), s.basemap}); err == nil {
		s.config = string(b)
	}
	s.handler = s.logRequests(s.recoverPanics(s.identify(s.limitRate(s.dropForwarded(securityHeaders(cors(s.routes(cfg))))))))
	return s
}

// ServeHTTP answers one request.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.handler.ServeHTTP(w, r) }

func (s *Server) routes(cfg Config) *mux.Router {
	r := mux.NewRouter()
	s.router = r
	r.NotFoundHandler = http.HandlerFunc(s.notFound)
	r.MethodNotAllowedHandler = http.HandlerFunc(s.methodNotAllowed)
	r.Use(captureRoute, s.guard)

	get := func(path string, h handlerFunc) {
		r.Handle(path, s.handle(h)).Methods(http.MethodGet, http.MethodHead)
	}
	get("/api/v1/priorities", s.cached("priorities", contentJSON, nil, s.prioritiesBody))
	get("/api/v1/meta", s.cached("meta", contentJSON, nil, s.metaBody))
	get("/api/v1/whoami", s.whoami)
	for _, l := range s.layers.Layers() {
		switch {
		case l.Name == "repeats":
			// DESIGN.md gives repeat locations as a list; the layer's
			// features stay one format=geojson away.
			get(layerPaths[l.Name], s.cached(l.Name, contentJSON, l.Params, s.analysis(s.repeatsBody(l))))
		case !l.Live:
			get(layerPaths[l.Name], s.cached(l.Name, contentGeoJSON, l.Params, s.analysis(s.layerBody(l))))
		}
	}
	s.mountTargetAreas(r)
	get("/api/v1/series", s.cached("series", contentJSON, seriesParams, s.analysis(s.seriesBody)))
	get("/api/v1/outcomes", s.cached("outcomes", contentJSON, seriesParams, s.analysis(s.outcomesBody)))
	get(premisesListPath, s.cached("repeats-premises", contentJSON, premisesListParams, s.analysis(s.premisesListBody)))
	get(offendersListPath, s.cached("repeats-offenders", contentJSON, offenderListParams, s.analysis(s.offendersBody)))
	get("/api/v1/temporal", s.cached("temporal", contentJSON, seriesParams, s.analysis(s.temporalBody)))
	get("/api/v1/scale", s.cached("scale", contentJSON, scaleParams, s.analysis(s.scaleBody)))
	get("/api/v1/concentration", s.cached("concentration", contentJSON, concentrationParams, s.analysis(s.concentrationBody)))
	get("/api/v1/backtest", s.cached("backtest", contentJSON, backtestParams, s.analysis(s.backtestBody)))
	get("/briefings/wards/{code}", s.briefing)
	get("/reports/quarterly", s.quarterly)
	get("/healthz", s.healthz)
	get("/readyz", s.readyz)
	r.Handle("/metrics", s.metrics.Handler()).Methods(http.MethodGet, http.MethodHead)

	s.mountOGC(r)
	s.mountTiles(r)
	if b := cfg.Basemap; b != nil && b.Handler != nil {
		r.PathPrefix(b.Prefix).Handler(b.Handler)
	}
	if cfg.Mount != nil {
		cfg.Mount(r)
	}
	if cfg.Web != nil {
		r.PathPrefix("/").MatcherFunc(notReserved).Methods(http.MethodGet, http.MethodHead).Handler(cfg.Web)
	} else {
		get("/", s.noWeb)
	}
	return r
}

func notReserved(r *http.Request, _ *mux.RouteMatch) bool {
	for _, p := range reservedPrefixes {
		if r.URL.Path == p || strings.HasPrefix(r.URL.Path, p+"/") {
			return false
		}
	}
	return true
}

type status struct {
	Status    string               `json:"status"`
	Error     string               `json:"error,omitempty"`
	Databases []geo.DatabaseStatus `json:"databases,omitempty"`
}

// healthz says the process is alive; it touches nothing that can fail.
func (s *Server) healthz(w http.ResponseWriter, r *http.Request) error {
	return writeStatus(w, r, http.StatusOK, status{Status: "ok"})
}

// readyz says whether the store can answer, and with read replicas how
// each database fared at its last check. The reason stays in the log: it
// may name paths or hosts.
func (s *Server) readyz(w http.ResponseWriter, r *http.Request) error {
	var dbs []geo.DatabaseStatus
	if s.databases != nil {
		dbs = s.databases()
	}
	if viewOf(callerOf(r.Context()).role) != "full" {
		// The whole version moves with partner imports (geo.FormatVersion).
		for i := range dbs {
			dbs[i].Version = geo.PublicVersion(dbs[i].Version)
		}
	}
	if err := s.store.Ready(r.Context()); err != nil {
		s.log.WarnContext(r.Context(), "not ready", slog.Any("err", err))
		return writeStatus(w, r, http.StatusServiceUnavailable, status{Status: "unavailable", Error: "store unavailable", Databases: dbs})
	}
	return writeStatus(w, r, http.StatusOK, status{Status: "ready", Databases: dbs})
}

func writeStatus(w http.ResponseWriter, r *http.Request, code int, body status) error {
	w.Header().Set("Content-Type", contentJSON)
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(code)
	if r.Method == http.MethodHead {
		return nil
	}
	return writeJSON(w, body)
}

const noWebPage = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>hotspot</title></head>
<body>
<h1>hotspot</h1>
<p>The web map is not built into this binary. The API is available:</p>
<ul>
<li><a href="/api/v1/meta">/api/v1/meta</a> — months, categories and limits</li>
<li><a href="/api/v1/priorities">/api/v1/priorities</a> — the partnership's priorities</li>
<li><a href="/api/v1/hotspots/hex">/api/v1/hotspots/hex</a> — H3 hotspots (Gi*)</li>
<li><a href="/api/v1/hotspots/wards">/api/v1/hotspots/wards</a> — ward counts and rates</li>
<li><a href="/api/v1/hotspots/change">/api/v1/hotspots/change</a> — significant change per hexagon</li>
<li><a href="/api/v1/concentration">/api/v1/concentration</a> — how concentrated incidents are</li>
<li><a href="/api/v1/incidents">/api/v1/incidents</a> — incident points</li>
<li><a href="/api/v1/series">/api/v1/series</a> — monthly counts</li>
<li><a href="/api/v1/temporal?source=all">/api/v1/temporal</a> — local records by weekday and hour</li>
<li><a href="/api/v1/hotspots/forecast">/api/v1/hotspots/forecast</a> — cells to target next month</li>
<li><a href="/api/v1/backtest">/api/v1/backtest</a> — how well past hot spots predicted the next month</li>
<li><a href="/healthz">/healthz</a>, <a href="/readyz">/readyz</a></li>
</ul>
</body></html>
`

func (s *Server) noWeb(w http.ResponseWriter, r *http.Request) error {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-cache")
	if r.Method != http.MethodHead {
		_, _ = w.Write([]byte(noWebPage))
	}
	return nil
}
