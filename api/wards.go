package api

import (
	"context"
	"io"

	"github.com/paulmach/orb"

	"github.com/leicester-csp/hotspot/geo/analysis"
	"github.com/leicester-csp/hotspot/geo/areas"
)

// wardProps are the ward layer's properties, exactly those of DESIGN.md.
type wardProps struct {
	Code        string   `json:"code"`
	Name        string   `json:"name"`
	Count       int      `json:"count"`
	Population  *int     `json:"population"`
	RatePer1000 *float64 `json:"rate_per_1000"`
	PrevCount   int      `json:"prev_count"`
	ChangePct   *float64 `json:"change_pct"`
}

func wardPropsOf(row analysis.WardRow) wardProps {
	p := wardProps{
		Code: row.Area.Code, Name: row.Area.Name, Count: row.Count,
		RatePer1000: row.Rate, PrevCount: row.PrevCount, ChangePct: row.ChangePct,
	}
	if row.Population > 0 {
		p.Population = ptr(row.Population)
	}
	return p
}

// wardRows calls fn for every ward that shares a point with bbox (every
// ward when bbox is nil), as the hex layer selects its cells.
func wardRows(res *analysis.WardResult, bbox *orb.Bound, fn func(row analysis.WardRow)) {
	for _, row := range res.Wards {
		if bbox != nil && (len(row.Area.Geometry) == 0 || !areas.IntersectsBound(row.Area.Geometry, *bbox)) {
			continue
		}
		fn(row)
	}
}

// WriteWardsGeoJSON writes the ward layer as the API answers it; wards
// are MultiPolygons whatever their parts, so that a layer has one
// geometry type.
func WriteWardsGeoJSON(w io.Writer, res *analysis.WardResult, m Meta, bbox *orb.Bound) error {
	fc := startCollection(w)
	wardRows(res, bbox, func(row analysis.WardRow) {
		var g any
		if len(row.Area.Geometry) > 0 {
			g = multiPolygonGeom{Type: "MultiPolygon", Coordinates: row.Area.Geometry}
		}
		fc.feature(newFeature(g, wardPropsOf(row)))
	})
	return fc.finish(member{"hotspot", wardMeta(res, m)})
}

// wardMeta adds the ward layer's previous period to m, when there is one
// the month type can spell (not before year 0000).
func wardMeta(res *analysis.WardResult, m Meta) Meta {
	if res.Query != nil && !res.Query.NoData && res.Previous.From >= 0 {
		m.PreviousFrom, m.PreviousTo = ptr(res.Previous.From.String()), ptr(res.Previous.To.String())
		m.PreviousComplete = ptr(res.PreviousComplete)
	}
	return m
}

func (s *Server) wardsBody(ctx context.Context, p *params, w io.Writer, m metaBase) error {
	res, err := s.an.Wards(ctx, p.query)
	if err != nil {
		return err
	}
	if err := checkResolved(res.Query); err != nil {
		return err
	}
	if p.csv {
		return WriteWardsCSV(w, res, m.meta(res.Query), p.bbox)
	}
	return WriteWardsGeoJSON(w, res, m.meta(res.Query), p.bbox)
}
