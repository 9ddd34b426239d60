package api

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"sync"

	"github.com/gorilla/mux"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/maptile"

	"github.com/leicester-csp/hotspot/geo"
	"github.com/leicester-csp/hotspot/geo/analysis"
	"github.com/leicester-csp/hotspot/tiles"
)

// Vector tiles for the map layers: /tiles/{layer}/{z}/{x}/{y}.mvt with
// the API's filters, and a TileJSON document per layer at
// /tiles/{layer}.json whose tile URL carries the filters given to it.

const contentMVT = "application/vnd.mapbox-vector-tile"

// Tile filters per layer; bbox is the tile itself.
var tileParams = map[string][]string{
	tiles.LayerHex:       {"priority", "category", "from", "to", "res", "k"},
	tiles.LayerWards:     {"priority", "category", "from", "to"},
	tiles.LayerIncidents: {"priority", "category", "from", "to"},
}

// tileState is what tiles share across requests: encoded tiles, and hex
// results prepared for tiling, both keyed by data version so that an
// import makes them unreachable.
type tileState struct {
	cache *tiles.Cache

	mu      sync.Mutex
	version string
	layers  map[string]*hexEntry // by canonical query and res
}

// hexEntry is computed once however many tiles of a view ask at once.
type hexEntry struct {
	once sync.Once
	hl   *tiles.HexLayer
	err  error
}

// maxHexLayers bounds the prepared hex results kept for one version:
// each is a few MB at res 10 over a city.
const maxHexLayers = 32

func newTileState(cacheBytes int64) *tileState {
	return &tileState{cache: newAnswerCache(cacheBytes).lru, layers: map[string]*hexEntry{}}
}

func (s *Server) mountTiles(r *mux.Router) {
	r.Handle("/tiles/{layer}.json", s.handle(s.tileJSON)).Methods(http.MethodGet, http.MethodHead)
	r.Handle("/tiles/{layer}/{z}/{x}/{y}.mvt", s.handle(s.tile)).Methods(http.MethodGet, http.MethodHead)
}

func tileLayer(r *http.Request) (string, error) {
	layer := mux.Vars(r)["layer"]
	if !tiles.IsLayer(layer) {
		return "", fmt.Errorf("tile layer %q (hex, wards or incidents): %w", truncate(layer, 40), geo.ErrNotFound)
	}
	return layer, nil
}

// ParseTile reads z/x/y: non-negative integers, z at most tiles.MaxZoom,
// x and y within the zoom's 2^z range.
func ParseTile(zs, xs, ys string) (maptile.Tile, error) {
	z, err := strconv.ParseUint(zs, 10, 8)
	if err != nil || z > tiles.MaxZoom {
		return maptile.Tile{}, geo.InvalidParam("z", "zoom %s is not an integer 0–%d", strconv.Quote(truncate(zs, 20)), tiles.MaxZoom)
	}
	n := uint64(1) << z
	x, err := strconv.ParseUint(xs, 10, 32)
	if err != nil || x >= n {
		return maptile.Tile{}, geo.InvalidParam("x", "x %s is not an integer 0–%d at zoom %d", strconv.Quote(truncate(xs, 20)), n-1, z)
	}
	y, err := strconv.ParseUint(ys, 10, 32)
	if err != nil || y >= n {
		return maptile.Tile{}, geo.InvalidParam("y", "y %s is not an integer 0–%d at zoom %d", strconv.Quote(truncate(ys, 20)), n-1, z)
	}
	return maptile.New(uint32(x), uint32(y), maptile.Zoom(z)), nil
}

func (s *Server) tileJSON(w http.ResponseWriter, r *http.Request) error {
	layer, err := tileLayer(r)
	if err != nil {
		return err
	}
	p, err := parseParams(r.URL.RawQuery, tileParams[layer])
	if err != nil {
		return err
	}
	ctx := r.Context()
	// Check the filters now, so that a bad one is refused here rather
	// than in every tile.
	if _, err := s.an.Resolve(ctx, p.query); err != nil {
		return err
	}
	var bounds orb.Bound
	if wards, err := s.an.Store().Areas(ctx, geo.KindWard); err != nil {
		return err
	} else if len(wards) > 0 {
		bounds = wards[0].Geometry.Bound()
		for _, a := range wards[1:] {
			bounds = bounds.Union(a.Geometry.Bound())
		}
	}
	tmpl := baseURL(r) + "/tiles/" + layer + "/{z}/{x}/{y}.mvt"
	if r.URL.RawQuery != "" {
		// Re-encoded so the template is a clean URL.
		vals, _ := url.ParseQuery(r.URL.RawQuery)
		tmpl += "?" + vals.Encode()
	}
	doc, err := tiles.TileJSON(layer, tmpl, bounds, "")
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

func (s *Server) tile(w http.ResponseWriter, r *http.Request) error {
	layer, err := tileLayer(r)
	if err != nil {
		return err
	}
	vars := mux.Vars(r)
	t, err := ParseTile(vars["z"], vars["x"], vars["y"])
	if err != nil {
		return err
	}
	p, err := parseParams(r.URL.RawQuery, tileParams[layer])
	if err != nil {
		return err
	}
	ctx := r.Context()
	version, err := s.an.Store().Version(ctx)
	if err != nil {
		return err
	}
	synthetic := s.synthetic(ctx)
	route := fmt.Sprintf("tile/%s/%d/%d/%d", layer, t.Z, t.X, t.Y)
	tag := newETag(s.config, version, route, p.canonical, synthetic)
	gz, fresh := conditional(w, r, tag)
	if fresh {
		return nil
	}

	key := tag.key
	if gz {
		key += "-gz"
	}
	body, hit := s.tilesState.cache.Get(key)
	if !hit {
		raw, truncated, err := s.encodeTile(ctx, layer, t, p, version)
		if err != nil {
			return err
		}
		body = raw
		if gz {
			body = s.gzipBytes(raw)
		}
		if truncated {
			w.Header().Set("X-Hotspot-Truncated", "true")
		} else if now, err := s.an.Store().Version(ctx); err == nil && now == version {
			s.tilesState.cache.Add(key, body)
		}
	}
	writeBody(w, r, contentMVT, gz, body)
	return nil
}

// encodeTile builds one uncompressed tile; truncated says the feature
// cap cut it short.
func (s *Server) encodeTile(ctx context.Context, layer string, t maptile.Tile, p *params, version string) ([]byte, bool, error) {
	opt := tiles.Options{}
	switch layer {
	case tiles.LayerHex:
		q := p.query
		if q.Res == 0 {
			q.Res = tiles.ResForZoom(int(t.Z))
		}
		hl, err := s.hexLayer(ctx, q, p.canonical, version)
		if err != nil {
			return nil, false, err
		}
		b, st, err := hl.Tile(t, opt)
		return b, st.Truncated, err
	case tiles.LayerWards:
		res, err := s.an.Wards(ctx, p.query)
		if err != nil {
			return nil, false, err
		}
		if err := checkResolved(res.Query); err != nil {
			return nil, false, err
		}
		b, st, err := tiles.Wards(res, t, opt)
		return b, st.Truncated, err
	default:
		r, err := s.an.Resolve(ctx, p.query)
		if err != nil {
			return nil, false, err
		}
		if err := checkResolved(r); err != nil {
			return nil, false, err
		}
		var items []geo.StoredIncident
		truncated := false
		if !r.NoData {
			qb := tiles.QueryBound(t, opt)
			page, err := s.an.Store().Incidents(ctx, r.Filter(), geo.PageRequest{BBox: &qb, Limit: tiles.DefaultMaxFeatures})
			if err != nil {
				return nil, false, err
			}
			items, truncated = page.Items, page.Total > len(page.Items)
		}
		b, st, err := tiles.Incidents(items, t, opt)
		return b, truncated || st.Truncated, err
	}
}

// hexLayer returns the hex result for q prepared for tiling, computing it
// once per data version: neighbouring tiles of one view share it.
func (s *Server) hexLayer(ctx context.Context, q analysis.Query, canonical, version string) (*tiles.HexLayer, error) {
	key := canonical + "\x00res=" + strconv.Itoa(q.Res)
	ts := s.tilesState
	ts.mu.Lock()
	if ts.version != version {
		ts.version, ts.layers = version, map[string]*hexEntry{}
	}
	e, ok := ts.layers[key]
	if !ok {
		if len(ts.layers) >= maxHexLayers {
			ts.layers = map[string]*hexEntry{}
		}
		e = &hexEntry{}
		ts.layers[key] = e
	}
	ts.mu.Unlock()
	e.once.Do(func() {
		// Not the request's context: other tiles wait on this result,
		// and one client going away must not fail them all.
		res, err := s.an.Hex(context.WithoutCancel(ctx), q)
		if err == nil {
			err = checkResolved(res.Query)
		}
		if err != nil {
			e.err = err
			return
		}
		e.hl = tiles.NewHexLayer(res)
	})
	if e.err != nil {
		// A failure is not kept: the next tile tries again.
		ts.mu.Lock()
		if ts.layers[key] == e {
			delete(ts.layers, key)
		}
		ts.mu.Unlock()
	}
	return e.hl, e.err
}
