package api

import (
	"context"
	"encoding/json"
	"io"
	"sync"

	"github.com/paulmach/orb"

	"github.com/leicester-csp/hotspot/geo"
	"github.com/leicester-csp/hotspot/geo/analysis"
	"github.com/leicester-csp/hotspot/geo/areas"
	"github.com/leicester-csp/hotspot/geo/hex"
)

// hexProps are the hex layer's properties, exactly those of DESIGN.md.
type hexProps struct {
	H3    string   `json:"h3"`
	Count int      `json:"count"`
	GiZ   *float64 `json:"gi_z"`
	GiP   *float64 `json:"gi_p"`
	GiBin int      `json:"gi_bin"`
}

func hexPropsOf(c analysis.HexCell) hexProps {
	return hexProps{H3: hex.String(c.Cell), Count: c.Count, GiZ: finite(c.Z), GiP: finite(c.P), GiBin: c.Bin}
}

// hexMeta adds the hex layer's own figures to m.
func hexMeta(res *analysis.HexResult, m Meta) Meta {
	if res.Query != nil {
		m.Res, m.K = ptr(res.Query.Res), ptr(res.Query.K)
	}
	m.Cells = ptr(len(res.Cells))
	return m
}

// hexFeatures calls fn for every cell that shares a point with bbox
// (every cell when bbox is nil), with its outline; the CSV export's
// path, where outlines become WKT.
func hexFeatures(res *analysis.HexResult, bbox *orb.Bound, fn func(c analysis.HexCell, poly orb.Polygon)) {
	for _, c := range res.Cells {
		poly := hex.Polygon(c.Cell)
		if bbox != nil && (poly == nil || !areas.IntersectsBound(orb.MultiPolygon{poly}, *bbox)) {
			continue
		}
		fn(c, poly)
	}
}

// WriteHexGeoJSON writes the hex layer as the API answers it. bbox only
// selects which cells are written; statistics and Meta.cells are over the
// whole study area.
func WriteHexGeoJSON(w io.Writer, res *analysis.HexResult, m Meta, bbox *orb.Bound) error {
	return writeHexGeoJSON(w, res, m, bbox, nil)
}

func writeHexGeoJSON(w io.Writer, res *analysis.HexResult, m Meta, bbox *orb.Bound, cache *outlines) error {
	fc := startCollection(w)
	for _, c := range res.Cells {
		o := cache.get(c.Cell)
		if bbox != nil && !cellInBox(c.Cell, o, *bbox) {
			continue
		}
		fc.rawFeature(o.geometry, hexPropsOf(c))
	}
	return fc.finish(member{"hotspot", hexMeta(res, m)})
}

// cellInBox applies the bbox rule (the cell and the box share a point) to
// a cell, testing its outline only where the bounds leave it open.
func cellInBox(c geo.Cell, o outline, bbox orb.Bound) bool {
	switch {
	case o.geometry == nil || !o.bound.Intersects(bbox):
		return false
	case bbox.Contains(o.bound.Min) && bbox.Contains(o.bound.Max):
		return true
	}
	return areas.IntersectsBound(orb.MultiPolygon{hex.Polygon(c)}, bbox)
}

// outline is a cell's encoded GeoJSON geometry and its bound.
type outline struct {
	geometry []byte // nil for an invalid cell: written as null
	bound    orb.Bound
}

func outlineOf(c geo.Cell) outline {
	poly := hex.Polygon(c)
	if poly == nil {
		return outline{}
	}
	b, err := json.Marshal(polygonGeom{Type: "Polygon", Coordinates: poly})
	if err != nil {
		// Unreachable: H3 outlines are finite numbers.
		return outline{}
	}
	return outline{geometry: b, bound: poly.Bound()}
}

// outlines caches cell outlines across requests: H3's boundary call goes
// through cgo and encoding the coordinates is most of a layer's encoding
// cost, while a city has few cells (~7,000 at res 10) whose outlines
// never change. A nil *outlines computes every time.
type outlines struct {
	mu sync.RWMutex
	m  map[geo.Cell]outline
}

// maxOutlines bounds the cache (~20 MB) should a store hold far more
// than a city.
const maxOutlines = 1 << 16

func newOutlines() *outlines { return &outlines{m: map[geo.Cell]outline{}} }

func (o *outlines) get(c geo.Cell) outline {
	if o == nil {
		return outlineOf(c)
	}
	o.mu.RLock()
	v, ok := o.m[c]
	o.mu.RUnlock()
	if ok {
		return v
	}
	v = outlineOf(c)
	o.mu.Lock()
	if len(o.m) < maxOutlines {
		o.m[c] = v
	}
	o.mu.Unlock()
	return v
}

func (s *Server) hexBody(ctx context.Context, p *params, w io.Writer, m metaBase) error {
	res, err := s.an.Hex(ctx, p.query)
	if err != nil {
		return err
	}
	if err := checkResolved(res.Query); err != nil {
		return err
	}
	if p.csv {
		return WriteHexCSV(w, res, m.meta(res.Query), p.bbox)
	}
	return writeHexGeoJSON(w, res, m.meta(res.Query), p.bbox, s.outlines)
}
