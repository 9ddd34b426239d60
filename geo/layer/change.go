package layer

import (
	"context"

	"github.com/leicester-csp/hotspot/geo/analysis"
	"github.com/leicester-csp/hotspot/geo/hex"
)

const changePDesc = "two-sided p-value of the exact conditional test of count against prev_count (X ~ Binomial(count + prev_count, ½)), unadjusted; " +
	"null where both are 0 or the base period starts before the data"

func changeBinDesc(place string) string {
	return "significant rise (1…3) or fall (−1…−3) at 90/95/99 % confidence after Benjamini–Hochberg FDR correction over every " +
		place + " with a change_p; 0 not significant or no test"
}

// changeDef is the change layer: every study-area cell of the window
// with its count against the base period's and whether the change is
// significant.
var changeDef = declare(Schema{
	Name:  "change",
	Title: "Significant change",
	Description: "H3 hexagons over the study area, and every cell the base period counted incidents in, with incident counts against the base period " +
		"(compare=previous: the months just before; year: the same months a year earlier), the change in per cent, " +
		"an exact test of whether the change is significant (change_p, unadjusted) and its FDR bin −3…3 (change_bin).",
	Geometry: Polygon,
	Period:   true,
	IDField:  "h3",
	TileRank: []RankKey{{Field: "change_bin", Abs: true, Desc: true}, {Field: "count", Desc: true}},
},
	text("h3", "H3 cell index (15 hex digits)", func(c analysis.ChangeCell) string { return hex.String(c.Cell) }),
	count("incidents counted in the cell over the period", func(c analysis.ChangeCell) int { return c.Count }),
	prevCount("incidents counted in the cell over the base period", func(c analysis.ChangeCell) int { return c.PrevCount }),
	number("change_pct", "change on the base period in per cent; null where prev_count is 0",
		func(c analysis.ChangeCell) Value { return OptNum(c.ChangePct) }),
	number("change_p", changePDesc, func(c analysis.ChangeCell) Value { return OptNum(c.ChangeP) }),
	prop[analysis.ChangeCell]{Field{"change_bin", Integer, false, changeBinDesc("study-area cell")},
		func(c analysis.ChangeCell) Value { return Int(c.Bin) }},
	suppressed[analysis.ChangeCell](),
)

func changeAnswer(res *analysis.ChangeResult, req Request, o *outlines) *Answer {
	a := &Answer{Schema: changeDef.schema, Provenance: ProvenanceOf(res.Query, req.Source)}
	if res.Query != nil {
		a.Provenance.Res = ptr(res.Query.Res)
		a.Provenance.Study = ptr(res.Query.Study)
	}
	a.Provenance.setBase(res.Query, res.Previous, res.PreviousComplete)
	a.Provenance.Cells = ptr(len(res.Cells))
	w := newWindow(req)
	slab := changeDef.slabFor(len(res.Cells))
	for _, c := range res.Cells {
		if !changeDef.matches(c, req.Equals) {
			continue
		}
		if req.BBox != nil && !cellInBox(o.get(c.Cell), *req.BBox) {
			continue
		}
		if w.take() {
			vs := changeDef.values(c, &slab)
			a.Features = append(a.Features, Feature{ID: changeDef.idOf(vs), cell: c.Cell, outlines: o, Values: vs})
		}
	}
	a.Matched = w.n
	return a
}

// ChangeAnswer is the change layer's answer for a result computed
// elsewhere (tests, benchmarks), every cell included.
func ChangeAnswer(res *analysis.ChangeResult) *Answer {
	if res == nil {
		return &Answer{Schema: changeDef.schema}
	}
	a := changeAnswer(res, Request{}, newOutlines())
	stampPeriod(a)
	return a
}

// ChangeSchema is the change layer's schema.
func ChangeSchema() *Schema { return changeDef.schema }

func (s *Set) change(ctx context.Context, req Request) (*Answer, error) {
	q := req.Query
	q.K = 0
	res, err := s.an.Change(ctx, q)
	if err != nil {
		return nil, err
	}
	return changeAnswer(res, req, s.outlines), nil
}
