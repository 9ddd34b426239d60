package layer

import (
	"context"
	"math"

	"github.com/paulmach/orb"

	"github.com/leicester-csp/hotspot/geo/analysis"
	"github.com/leicester-csp/hotspot/geo/areas"
	"github.com/leicester-csp/hotspot/geo/hex"
)

// hexDef is the hex hotspot layer: every study-area cell, exactly the
// properties of DESIGN.md.
var hexDef = declare(Schema{
	Name:  "hex",
	Title: "Hex hotspots",
	Description: "H3 hexagons over the study area with incident counts and Getis–Ord Gi* " +
		"(gi_z and gi_p unadjusted; gi_bin the bin −3…3 from Benjamini–Hochberg FDR-adjusted p at 0.01/0.05/0.10).",
	Geometry: Polygon,
	Period:   true,
	IDField:  "h3",
	TileRank: []RankKey{{Field: "gi_bin", Abs: true, Desc: true}, {Field: "count", Desc: true}},
},
	text("h3", "H3 cell index (15 hex digits)", func(c analysis.HexCell) string { return hex.String(c.Cell) }),
	count("incidents counted in the cell over the period", func(c analysis.HexCell) int { return c.Count }),
	number("gi_z", "Gi* z-score, unadjusted; null where Gi* is undefined (all counts equal)", func(c analysis.HexCell) Value { return Num(c.Z) }),
	number("gi_p", "two-sided p-value of gi_z, unadjusted; null where Gi* is undefined", func(c analysis.HexCell) Value { return Num(c.P) }),
	prop[analysis.HexCell]{Field{"gi_bin", Integer, false, "hot (1…3) or cold (−1…−3) spot at 90/95/99 % confidence after FDR correction; 0 not significant"},
		func(c analysis.HexCell) Value { return Int(c.Bin) }},
	optText("top_location", "the police.uk location most of the cell's incidents carry (\"On or near Granby Street\"); null for a cell without any",
		func(c analysis.HexCell) string { return c.TopLocation }),
	suppressed[analysis.HexCell](),
)

// HexAnswer turns a hex result into the layer's answer for req (bbox,
// property filters, id, window); o may be nil.
func hexAnswer(res *analysis.HexResult, req Request, o *outlines) *Answer {
	a := &Answer{Schema: hexDef.schema, Provenance: ProvenanceOf(res.Query, req.Source)}
	if res.Query != nil {
		a.Provenance.Res, a.Provenance.K = ptr(res.Query.Res), ptr(res.Query.K)
		a.Provenance.Study = ptr(res.Query.Study)
		q := res.Query
		a.Provenance.KMetres = ptr(int(math.Round(float64(q.K)*hex.AvgEdgeKm(q.Res)*1000*math.Sqrt(3)/10) * 10))
		if q.AutoK {
			a.Provenance.KAuto, a.Provenance.KPeaked = ptr(true), ptr(q.KPeaked)
		}
		a.Provenance.Inference = ptr(q.Inference)
		if q.Inference == analysis.InferencePermutation {
			a.Provenance.Permutations, a.Provenance.Seed = ptr(q.Permutations), ptr(q.Seed)
		}
	}
	a.Provenance.Cells = ptr(len(res.Cells))
	w := newWindow(req)
	a.Features = make([]Feature, 0, w.room(len(res.Cells)))
	slab := hexDef.slabFor(len(res.Cells))
	for _, c := range res.Cells {
		if !hexDef.matches(c, req.Equals) {
			continue
		}
		if req.BBox != nil && !cellInBox(o.get(c.Cell), *req.BBox) {
			continue
		}
		if w.take() {
			vs := hexDef.values(c, &slab)
			a.Features = append(a.Features, Feature{ID: hexDef.idOf(vs), cell: c.Cell, outlines: o, Values: vs})
		}
	}
	a.Matched = w.n
	return a
}

// HexAnswer is the hex layer's answer for a result computed elsewhere
// (tests, benchmarks), every cell included, with an outline cache of its
// own as a Set's answers have.
func HexAnswer(res *analysis.HexResult) *Answer {
	if res == nil {
		return &Answer{Schema: hexDef.schema}
	}
	a := hexAnswer(res, Request{}, newOutlines())
	stampPeriod(a)
	return a
}

// cellInBox applies the bbox rule (the cell and the box share a point) to
// a cell, testing its outline only where the bounds leave it open.
func cellInBox(o *outline, bbox orb.Bound) bool {
	switch {
	case o.poly == nil || !o.bound.Intersects(bbox):
		return false
	case bbox.Contains(o.bound.Min) && bbox.Contains(o.bound.Max):
		return true
	}
	return areas.IntersectsBound(orb.MultiPolygon{o.poly}, bbox)
}

func (s *Set) hex(ctx context.Context, req Request) (*Answer, error) {
	res, err := s.an.Hex(ctx, req.Query)
	if err != nil {
		return nil, err
	}
	return hexAnswer(res, req, s.outlines), nil
}
