package layer

import (
	"context"

	"github.com/leicester-csp/hotspot/geo/analysis"
	"github.com/leicester-csp/hotspot/geo/areas"
)

// wardDef is the ward layer: every stored ward with its figures, exactly
// the properties of DESIGN.md. Wards are MultiPolygons whatever their
// parts, so that a layer has one geometry type.
var wardDef = declare(Schema{
	Name:  "wards",
	Title: "Wards",
	Description: "Ward polygons with incident counts for the period, the rate per 1,000 residents " +
		"and the change against the base period (compare=previous: the months just before; year: the same months a year earlier) " +
		"with an exact test of whether it is significant.",
	Geometry: MultiPolygon,
	Period:   true,
	IDField:  "code",
	Simplify: true,
	TileRank: []RankKey{{Field: "count", Desc: true}},
},
	text("code", "ward code (ONS)", func(w analysis.WardRow) string { return w.Area.Code }),
	text("name", "ward name", func(w analysis.WardRow) string { return w.Area.Name }),
	count("incidents in the ward over the period", func(w analysis.WardRow) int { return w.Count }),
	optInteger("population", "residents; null where unknown", func(w analysis.WardRow) Value { return OptInt(w.Population) }),
	number("rate_per_1000", "incidents per 1,000 residents (not visitors or footfall) over the period; null where the population is unknown",
		func(w analysis.WardRow) Value { return OptNum(w.Rate) }),
	prevCount("incidents in the base period (compare: the previous period of equal length, or the same months a year earlier)", func(w analysis.WardRow) int { return w.PrevCount }),
	number("change_pct", "change on the base period in per cent; null where prev_count is 0",
		func(w analysis.WardRow) Value { return OptNum(w.ChangePct) }),
	number("change_p", changePDesc, func(w analysis.WardRow) Value { return OptNum(w.ChangeP) }),
	prop[analysis.WardRow]{Field{"change_bin", Integer, false, changeBinDesc("ward")}, func(w analysis.WardRow) Value { return Int(w.ChangeBin) }},
	suppressed[analysis.WardRow](),
)

func wardAnswer(res *analysis.WardResult, req Request, sh *shapes) *Answer {
	a := &Answer{Schema: wardDef.schema, Provenance: ProvenanceOf(res.Query, req.Source)}
	// Rates are per resident: a city centre with few residents and many
	// visitors shows a high rate that says more about who lives there
	// than about risk.
	a.Provenance.RateBasis = ptr("residents")
	a.Provenance.setBase(res.Query, res.Previous, res.PreviousComplete)
	w := newWindow(req)
	a.Features = make([]Feature, 0, w.room(len(res.Wards)))
	slab := wardDef.slabFor(len(res.Wards))
	for _, row := range res.Wards {
		if req.BBox != nil && (len(row.Area.Geometry) == 0 || !areas.IntersectsBound(row.Area.Geometry, *req.BBox)) {
			continue
		}
		if !wardDef.matches(row, req.Equals) {
			continue
		}
		if w.take() {
			a.Features = append(a.Features, Feature{ID: row.Area.Code, geom: row.Area.Geometry, shapes: sh, Values: wardDef.values(row, &slab)})
		}
	}
	a.Matched = w.n
	return a
}

// WardAnswer is the ward layer's answer for a result computed elsewhere
// (tests, benchmarks), every ward included.
func WardAnswer(res *analysis.WardResult) *Answer {
	if res == nil {
		return &Answer{Schema: wardDef.schema}
	}
	a := wardAnswer(res, Request{}, nil)
	stampPeriod(a)
	return a
}

func (s *Set) wards(ctx context.Context, req Request) (*Answer, error) {
	q := req.Query
	q.Res, q.K = 0, 0
	res, err := s.an.Wards(ctx, q)
	if err != nil {
		return nil, err
	}
	return wardAnswer(res, req, s.shapes), nil
}
