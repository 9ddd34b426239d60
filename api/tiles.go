package api

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/gorilla/mux"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/maptile"

	"github.com/leicester-csp/hotspot/geo"
	"github.com/leicester-csp/hotspot/geo/analysis"
	"github.com/leicester-csp/hotspot/geo/layer"
	"github.com/leicester-csp/hotspot/internal/httpcache"
	"github.com/leicester-csp/hotspot/tiles"
)

// Vector tiles for the map layers: /tiles/{layer}/{z}/{x}/{y}.mvt with
// the API's filters, and a TileJSON document per layer at
// /tiles/{layer}.json whose tile URL carries the filters given to it.

const contentMVT = "application/vnd.mapbox-vector-tile"

// tileParams are a layer's filters less those a tile fixes itself (the
// tile is the bbox; a tile is one tile, in one format).
func tileParams(l *layer.Layer) []string {
	var out []string
	for _, p := range l.Params {
		switch p {
		case "bbox", "limit", "offset", "after", "format":
		default:
			out = append(out, p)
		}
	}
	return out
}

// tileState is what tiles share across requests: encoded tiles, and
// layers prepared for tiling, both keyed by data version so that an
// import makes them unreachable.
type tileState struct {
	cache *httpcache.Cache

	mu       sync.Mutex
	version  string
	prepared map[string]*preparedEntry // by layer, canonical query and res
}

// preparedEntry is computed once however many tiles of a view ask at once.
type preparedEntry struct {
	once sync.Once
	tl   *tiles.Layer
	err  error
}

// maxPrepared bounds the prepared layers kept for one version: a hex
// layer is a few MB at res 10 over a city.
const maxPrepared = 32

func newTileState(cacheBytes int64) *tileState {
	return &tileState{cache: newAnswerCache(cacheBytes).lru, prepared: map[string]*preparedEntry{}}
}

func (s *Server) mountTiles(r *mux.Router) {
	r.Handle("/tiles/{layer}.json", s.handle(s.tileJSON)).Methods(http.MethodGet, http.MethodHead)
	r.Handle("/tiles/{layer}/{z}/{x}/{y}.mvt", s.handle(s.tile)).Methods(http.MethodGet, http.MethodHead)
}

func (s *Server) tileLayer(r *http.Request) (*layer.Layer, error) {
	name := mux.Vars(r)["layer"]
	l, ok := s.layers.Lookup(name)
	if !ok || l.Live {
		names := make([]string, 0, len(s.layers.Layers()))
		for _, l := range s.layers.Layers() {
			if !l.Live {
				names = append(names, l.Name)
			}
		}
		return nil, missing("no tile layer %q: the layers are %s", truncate(name, 40), strings.Join(names, ", "))
	}
	return l, nil
}

// ParseTile reads z/x/y: non-negative integers, z at most tiles.MaxZoom,
// x and y within the zoom's 2^z range.
func ParseTile(zs, xs, ys string) (maptile.Tile, error) {
	z, err := strconv.ParseUint(zs, 10, 8)
	if err != nil || z > tiles.MaxZoom {
		return maptile.Tile{}, badParam("z", "zoom %s is not an integer 0–%d", strconv.Quote(truncate(zs, 20)), tiles.MaxZoom)
	}
	n := uint64(1) << z
	x, err := strconv.ParseUint(xs, 10, 32)
	if err != nil || x >= n {
		return maptile.Tile{}, badParam("x", "x %s is not an integer 0–%d at zoom %d", strconv.Quote(truncate(xs, 20)), n-1, z)
	}
	y, err := strconv.ParseUint(ys, 10, 32)
	if err != nil || y >= n {
		return maptile.Tile{}, badParam("y", "y %s is not an integer 0–%d at zoom %d", strconv.Quote(truncate(ys, 20)), n-1, z)
	}
	return maptile.New(uint32(x), uint32(y), maptile.Zoom(z)), nil
}

func (s *Server) tileJSON(w http.ResponseWriter, r *http.Request) error {
	l, err := s.tileLayer(r)
	if err != nil {
		return err
	}
	p, err := parseParams(r.URL.RawQuery, tileParams(l))
	if err != nil {
		return err
	}
	ctx := r.Context()
	// Check the filters now, so that a bad one is refused here rather
	// than in every tile.
	if _, err := s.an.Resolve(ctx, p.req.Query); err != nil {
		return err
	}
	bounds, err := s.wardBounds(ctx)
	if err != nil {
		return err
	}
	tmpl := baseURL(r) + "/tiles/" + l.Name + "/{z}/{x}/{y}.mvt"
	if r.URL.RawQuery != "" {
		// Re-encoded so the template is a clean URL.
		vals, _ := url.ParseQuery(r.URL.RawQuery)
		tmpl += "?" + vals.Encode()
	}
	doc, err := tiles.TileJSON(l.Schema, tmpl, bounds, "")
	if err != nil {
		return err
	}
	h := w.Header()
	h.Set("Content-Type", contentJSON)
	h.Set("Cache-Control", "no-cache")
	w.WriteHeader(http.StatusOK)
	if r.Method != http.MethodHead {
		_, _ = w.Write(doc)
	}
	return nil
}

// wardBounds is the bound of every stored ward; empty without wards.
func (s *Server) wardBounds(ctx context.Context) (orb.Bound, error) {
	wards, err := s.store.Areas(ctx, geo.KindWard)
	if err != nil || len(wards) == 0 {
		return orb.Bound{}, err
	}
	bounds := wards[0].Geometry.Bound()
	for _, a := range wards[1:] {
		bounds = bounds.Union(a.Geometry.Bound())
	}
	return bounds, nil
}

func (s *Server) tile(w http.ResponseWriter, r *http.Request) error {
	l, err := s.tileLayer(r)
	if err != nil {
		return err
	}
	vars := mux.Vars(r)
	t, err := ParseTile(vars["z"], vars["x"], vars["y"])
	if err != nil {
		return err
	}
	p, err := parseParams(r.URL.RawQuery, tileParams(l))
	if err != nil {
		return err
	}
	ctx := r.Context()
	src, err := s.source(ctx)
	if err != nil {
		return err
	}
	tag := s.tagFor(r.Context(), src, fmt.Sprintf("tile/%s/%d/%d/%d", l.Name, t.Z, t.X, t.Y), p.canonical)
	cc, vary := cachePolicy(r)
	gz, fresh := httpcache.Conditional(w, r, tag, cc, vary...)
	if fresh {
		return nil
	}
	key := tag.Key
	if gz {
		key += "-gz"
	}
	// The feature count and whether the cap cut the tile are kept beside
	// the body, for X-Returned-Count (the audit log's rows) and
	// X-Hotspot-Truncated: a body without them is encoded again. A cut
	// tile is kept too: which features it keeps is fixed by the data
	// version, like everything else in it, and the densest tiles are the
	// ones most worth not building twice.
	body, hit := s.tilesState.cache.Get(key)
	meta, metaHit := s.tilesState.cache.Get(key + "#rows")
	s.metrics.Cache("tiles", hit && metaHit)
	if !hit || !metaHit {
		raw, st, err := s.encodeTileInSlot(ctx, l, t, p, src)
		if err != nil {
			return err
		}
		body, meta = raw, []byte(strconv.Itoa(st.Features))
		if st.Truncated {
			meta = append(meta, truncatedMark...)
		}
		if gz {
			body = s.gzip.Compress(raw)
		}
		if now, err := s.store.Version(ctx); err == nil && now == src.DataVersion {
			s.tilesState.cache.Add(key, body)
			s.tilesState.cache.Add(key+"#rows", meta)
		}
	}
	rows, truncated := strings.CutSuffix(string(meta), truncatedMark)
	if truncated {
		w.Header().Set("X-Hotspot-Truncated", "true")
	}
	w.Header().Set(rowsHeader, rows)
	httpcache.WriteBody(w, r, contentMVT, gz, body)
	return nil
}

// truncatedMark follows a cached tile's feature count when the cap cut
// the tile.
const truncatedMark = " truncated"

// encodeTileInSlot is encodeTile run in one of the analyses' slots.
func (s *Server) encodeTileInSlot(ctx context.Context, l *layer.Layer, t maptile.Tile, p *params, src layer.Source) ([]byte, tiles.Stats, error) {
	release, err := s.inflight.acquire()
	if err != nil {
		return nil, tiles.Stats{}, err
	}
	defer release()
	return s.encodeTile(ctx, l, t, p, src)
}

// encodeTile builds one uncompressed tile; its stats say how many
// features it holds and whether the feature cap cut it short. A paged layer (incidents) reads just the tile's
// features; the others are answered once for the whole study area and
// prepared for every tile of the view.
func (s *Server) encodeTile(ctx context.Context, l *layer.Layer, t maptile.Tile, p *params, src layer.Source) ([]byte, tiles.Stats, error) {
	opt := tiles.Options{}
	if l.Paged {
		qb := tiles.QueryBound(t, opt)
		// A tile needs its features and whether more lie in it, not how
		// many: counting every incident under a dense tile cost more
		// than reading the tile's own.
		req := layer.Request{Query: p.req.Query, BBox: &qb, Limit: tiles.DefaultMaxFeatures, NoTotal: true, Brief: true, Source: src}
		a, err := s.layers.Answer(ctx, l.Name, req)
		if err != nil {
			return nil, tiles.Stats{}, err
		}
		b, st, err := tiles.Encode(a, t, opt)
		st.Truncated = st.Truncated || a.Next != nil
		return b, st, err
	}
	q := p.req.Query
	if q.Res == 0 && slices.Contains(l.Params, "res") {
		q.Res = tiles.ResForZoom(int(t.Z))
	}
	tl, err := s.prepared(ctx, l.Name, q, p.canonical, src)
	if err != nil {
		return nil, tiles.Stats{}, err
	}
	return tl.Tile(t, opt)
}

// prepared returns a layer's answer to q prepared for tiling, computing
// it once per data version: neighbouring tiles of one view share it.
func (s *Server) prepared(ctx context.Context, name string, q analysis.Query, canonical string, src layer.Source) (*tiles.Layer, error) {
	// The caller's view is part of the key: source=all and disclosure
	// control answer each role differently.
	key := name + "\x00" + canonical + "\x00res=" + strconv.Itoa(q.Res) + "\x00" + viewOf(callerOf(ctx).role)
	ts := s.tilesState
	ts.mu.Lock()
	if ts.version != src.DataVersion {
		ts.version, ts.prepared = src.DataVersion, map[string]*preparedEntry{}
	}
	e, ok := ts.prepared[key]
	if !ok {
		if len(ts.prepared) >= maxPrepared {
			ts.prepared = map[string]*preparedEntry{}
		}
		e = &preparedEntry{}
		ts.prepared[key] = e
	}
	ts.mu.Unlock()
	e.once.Do(func() {
		// Not the request's context: other tiles wait on this result,
		// and one client going away must not fail them all.
		a, err := s.layers.Answer(context.WithoutCancel(ctx), name, layer.Request{Query: q, Source: src})
		if err != nil {
			e.err = err
			return
		}
		e.tl = tiles.Prepare(a)
	})
	if e.err != nil {
		// A failure is not kept: the next tile tries again.
		ts.mu.Lock()
		if ts.prepared[key] == e {
			delete(ts.prepared, key)
		}
		ts.mu.Unlock()
	}
	return e.tl, e.err
}
