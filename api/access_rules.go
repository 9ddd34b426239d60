package api

import (
	"bytes"
	"log/slog"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gorilla/mux"

	"github.com/leicester-csp/hotspot/geo/access"
	"github.com/leicester-csp/hotspot/geo/analysis"
)

// routeRules is who may reach each route, by its mux path template. Every
// route the server registers must have a rule (TestEveryRouteHasARule).
// Today every answer is police.uk data, which is public; incident-level
// answers are audited for keyed callers because they are where partner
// records will appear (source=all).
var routeRules = map[string]rule{
	"/":                         {min: access.Public, page: true},
	"/healthz":                  {min: access.Public},
	"/readyz":                   {min: access.Public},
	"/api/v1/meta":              {min: access.Public},
	"/api/v1/priorities":        {min: access.Public},
	"/api/v1/whoami":            {min: access.Public},
	"/api/v1/hotspots/hex":      {min: access.Public},
	"/api/v1/hotspots/wards":    {min: access.Public},
	"/api/v1/hotspots/change":   {min: access.Public},
	"/api/v1/concentration":     {min: access.Public},
	"/api/v1/hotspots/emerging": {min: access.Public},
	"/api/v1/hotspots/forecast": {min: access.Public},
	"/api/v1/backtest":          {min: access.Public},
	"/api/v1/incidents":         {min: access.Public, audit: true},
	// Repeat locations hold local records' exact points: audited, and a
	// partner sees only places of --suppress-below records or more.
	"/api/v1/repeats/locations": {min: access.Public, audit: true, partnerSuppressed: true},
	// The premises register is partner data; its counts are aggregates,
	// suppressed for partners. Offender pseudonyms are analysts' alone.
	premisesListPath:  {min: access.Partner},
	offendersListPath: {min: access.Analyst, audit: true},
	// Map points are each record's exact point, location and crime
	// types: incident-level, so audited like the incident list (and
	// refused to partners for local sources, see checkRecords).
	"/api/v1/points":   {min: access.Public, audit: true},
	"/api/v1/premises": {min: access.Partner},
	"/api/v1/series":   {min: access.Public},
	"/api/v1/outcomes": {min: access.Public},
	// Local records only: a public caller naming a local source is a 403
	// (checkSource) and any other a 400; a partner's small counts are
	// withheld by the analysis.
	"/api/v1/temporal": {min: access.Public},
	"/api/v1/scale":    {min: access.Public},
	// Briefings and reports answer any caller; what a role may not see
	// (target areas) is left out of theirs.
	"/briefings/wards/{code}": {min: access.Public},
	"/reports/quarterly":      {min: access.Public},

	// Target areas: partners read them, analysts draw them; who may
	// change one is the handler's to decide (its owner or an admin).
	"/api/v1/target-areas":                 {min: access.Partner, write: access.Analyst},
	"/api/v1/target-areas/{id}":            {min: access.Partner, write: access.Analyst},
	"/api/v1/target-areas/{id}/evaluation": {min: access.Partner},

	"/ogc":                            {min: access.Public},
	"/ogc/":                           {min: access.Public},
	"/ogc/conformance":                {min: access.Public},
	"/ogc/api":                        {min: access.Public},
	"/ogc/collections":                {min: access.Public},
	"/ogc/collections/{collectionId}": {min: access.Public, layerVar: "collectionId"},
	"/ogc/collections/{collectionId}/queryables":        {min: access.Public, layerVar: "collectionId"},
	"/ogc/collections/{collectionId}/schema":            {min: access.Public, layerVar: "collectionId"},
	"/ogc/collections/{collectionId}/items":             {min: access.Public, layerVar: "collectionId"},
	"/ogc/collections/{collectionId}/items/{featureId}": {min: access.Public, layerVar: "collectionId"},

	"/tiles/{layer}.json":            {min: access.Public, layerVar: "layer"},
	"/tiles/{layer}/{z}/{x}/{y}.mvt": {min: access.Public, layerVar: "layer"},

	// Metrics carry no partner data (no label names a source, a key or a
	// host; routes are templates, not paths), so scrapers need no key.
	"/metrics": {min: access.Public},
}

// layerRules are the layers' own rules, by layer name; an OGC collection
// "hex-asb" is the layer "hex". Every layer must be listed
// (TestEveryLayerHasARule); a name that is no layer is let through to the
// handler, which answers 404.
var layerRules = map[string]rule{
	"hex":       {min: access.Public},
	"wards":     {min: access.Public},
	"change":    {min: access.Public},
	"emerging":  {min: access.Public},
	"forecast":  {min: access.Public},
	"incidents": {min: access.Public, audit: true},
	"repeats":   {min: access.Public, audit: true, partnerSuppressed: true},
	"points":    {min: access.Public, audit: true},
	"premises":  {min: access.Partner},

	"target-areas": {min: access.Partner},
}

func layerRule(name string) rule {
	if r, ok := layerRules[name]; ok {
		return r
	}
	base, _, _ := strings.Cut(name, "-")
	return layerRules[base]
}

// checkRecords refuses a partner caller incident-level answers of local
// sources (DESIGN.md, "Access": aggregates only). Incident lists, repeat
// locations and map points are incident-level: with source=all too, since
// "all" would hold local records.
func checkRecords(r *http.Request, c caller, rl rule) (string, bool) {
	if c.role.AtLeast(access.Analyst) || !c.role.AtLeast(access.Partner) {
		return "", true
	}
	if slices.Contains(r.URL.Query()["source"], "all") {
		// police.uk's counts are public, so an answer over every source
		// less the police.uk one would give back the local counts that
		// suppression withholds.
		return "a partner key asks for one source at a time: source=all less source=policeuk would give back suppressed local counts", false
	}
	records := rl.audit && !rl.partnerSuppressed || strings.HasSuffix(routeTemplate(r), "/points")
	if rl.layerVar != "" {
		base, _, _ := strings.Cut(mux.Vars(r)[rl.layerVar], "-")
		lr := layerRule(base)
		records = records || lr.audit && !lr.partnerSuppressed || base == "points"
	}
	if !records {
		return "", true
	}
	for _, v := range r.URL.Query()["source"] {
		if v != "policeuk" {
			return "incident-level records of local sources need the analyst role: a partner key sees them in aggregates (hex, wards, change, emerging)", false
		}
	}
	return "", true
}

// visibility is what a role sees of the local sources.
func visibility(r access.Role) analysis.Visibility {
	switch {
	case r.AtLeast(access.Analyst):
		return analysis.SeeEverything
	case r.AtLeast(access.Partner):
		return analysis.SeeAggregates
	}
	return analysis.SeePoliceUK
}

// Sources every caller may name: police.uk, and "all" (every source the
// caller may see).
var publicSources = []string{"policeuk", "all"}

// viewOf is what a role sees of the data, for cache keys: roles that
// see the same answers share cached bodies.
func viewOf(r access.Role) string {
	switch {
	case r.AtLeast(access.Analyst):
		return "full"
	case r.AtLeast(access.Partner):
		return "partner"
	}
	return "public"
}

// checkSource refuses a public caller naming any other source, whether
// or not it exists, so that the answer tells nothing of partner data.
func checkSource(r *http.Request, c caller) (string, bool) {
	if c.role.AtLeast(access.Partner) {
		return "", true
	}
	for _, v := range r.URL.Query()["source"] {
		if !slices.ContainsFunc(publicSources, func(p string) bool { return strings.EqualFold(v, p) }) {
			return "source " + strconv.Quote(truncate(v, 40)) + " needs a key", false
		}
	}
	return "", true
}

// rowsHeader says how many records an answer holds (layer answers set it),
// for the audit log and for clients.
const rowsHeader = "X-Returned-Count"

// audited answers a keyed caller's request for incident-level records,
// writing the audit entry before a byte of the answer leaves: if the log
// cannot be written, the caller gets a 503, not the records.
func (s *Server) audited(w http.ResponseWriter, r *http.Request, c caller, next http.Handler) {
	buf := &bufferedWriter{header: http.Header{}}
	next.ServeHTTP(buf, r)
	status := buf.status
	if status == 0 {
		status = http.StatusOK
	}
	if status == http.StatusOK && r.Method == http.MethodGet {
		rows := -1
		if n, err := strconv.Atoi(buf.header.Get(rowsHeader)); err == nil {
			rows = n
		}
		e := access.Entry{Time: time.Now().UTC(), KeyID: c.keyID, Method: r.Method, Path: r.URL.RequestURI(), Rows: rows}
		if err := s.keys.ring.Audit(r.Context(), e); err != nil {
			s.log.ErrorContext(r.Context(), "audit log not written; answer withheld", slog.Any("err", err))
			w.Header().Set("Retry-After", "5")
			writeJSONError(w, http.StatusServiceUnavailable, errorBody{Error: "the audit log cannot be written now: try again shortly"})
			return
		}
	}
	for k, vs := range buf.header {
		w.Header()[k] = vs
	}
	w.WriteHeader(status)
	_, _ = w.Write(buf.body.Bytes())
}

// bufferedWriter holds an answer until it may be sent.
type bufferedWriter struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func (b *bufferedWriter) Header() http.Header { return b.header }

func (b *bufferedWriter) WriteHeader(code int) {
	if b.status == 0 {
		b.status = code
	}
}

func (b *bufferedWriter) Write(p []byte) (int, error) {
	if b.status == 0 {
		b.status = http.StatusOK
	}
	return b.body.Write(p)
}
