package layer

import (
	"context"
	"math"
	"strings"

	"github.com/leicester-csp/hotspot/geo/analysis"
	"github.com/leicester-csp/hotspot/geo/hex"
	"github.com/leicester-csp/hotspot/geo/stats"
)

// emergingDef is the emerging hot spot layer: every study-area cell with
// its pattern, trend and monthly bins, exactly the properties of
// DESIGN.md.
var emergingDef = declare(Schema{
	Name:  "emerging",
	Title: "Emerging hot spots",
	Description: "H3 hexagons over the window's study area with each month's Gi* FDR bin, the Mann-Kendall trend of the monthly Gi* z, " +
		"and the pattern they make (" + strings.Join(stats.Patterns(), ", ") + "); a month is hot at bin ≥ 2, cold at ≤ −2. " +
		"Every study-area cell is listed: one with count 0 had no incidents in the window, and any pattern it shows comes from its neighbours' counts (Gi* counts the cell's ring).",
	Geometry: Polygon,
	Period:   true,
	IDField:  "h3",
	TileRank: []RankKey{{Field: "months_hot", Desc: true}, {Field: "months_cold", Desc: true}, {Field: "count", Desc: true}},
},
	text("h3", "H3 cell index (15 hex digits)", func(c analysis.EmergingCell) string { return hex.String(c.Cell) }),
	count("incidents counted in the cell over the window", func(c analysis.EmergingCell) int { return c.Count }),
	suppressed[analysis.EmergingCell](),
	text("pattern", "the emerging hot spot pattern: "+strings.Join(stats.Patterns(), ", "), func(c analysis.EmergingCell) string { return c.Pattern }),
	prop[analysis.EmergingCell]{Field{"trend_z", Number, false, "Mann-Kendall Z of the cell's monthly Gi* z, continuity-corrected; 0 when S = 0"},
		func(c analysis.EmergingCell) Value { return Num(c.TrendZ) }},
	prop[analysis.EmergingCell]{Field{"trend_p", Number, false, "two-sided p-value of trend_z; a trend is significant at p ≤ 0.05"},
		func(c analysis.EmergingCell) Value { return Num(c.TrendP) }},
	integer("months_hot", "months whose FDR bin is 2 or 3 (hot at 95 % or more)", func(c analysis.EmergingCell) int { return c.MonthsHot }),
	integer("months_cold", "months whose FDR bin is −2 or −3", func(c analysis.EmergingCell) int { return c.MonthsCold }),
	prop[analysis.EmergingCell]{Field{"bins", IntList, false, "the monthly Gi* FDR bins −3…3, oldest first: an array in GeoJSON, the numbers joined by commas (\"0,0,1,2,3\") in CSV and tiles"},
		func(c analysis.EmergingCell) Value { return Ints(c.Bins) }},
)

// emergingAnswer turns an emerging result into the layer's answer for req
// (bbox, property filters, id, window); o may be nil.
func emergingAnswer(res *analysis.EmergingResult, req Request, o *outlines) *Answer {
	a := &Answer{Schema: emergingDef.schema, Provenance: ProvenanceOf(res.Query, req.Source)}
	if q := res.Query; q != nil {
		a.Provenance.Res, a.Provenance.K = ptr(q.Res), ptr(q.K)
		a.Provenance.KMetres = ptr(int(math.Round(float64(q.K)*hex.AvgEdgeKm(q.Res)*1000*math.Sqrt(3)/10) * 10))
	}
	a.Provenance.Cells = ptr(len(res.Cells))
	w := newWindow(req)
	slab := emergingDef.slabFor(len(res.Cells))
	for _, c := range res.Cells {
		if !emergingDef.matches(c, req.Equals) {
			continue
		}
		if req.BBox != nil && !cellInBox(o.get(c.Cell), *req.BBox) {
			continue
		}
		if w.take() {
			vs := emergingDef.values(c, &slab)
			a.Features = append(a.Features, Feature{ID: emergingDef.idOf(vs), cell: c.Cell, outlines: o, Values: vs})
		}
	}
	a.Matched = w.n
	return a
}

// EmergingAnswer is the emerging layer's answer for a result computed
// elsewhere (tests, benchmarks), every cell included.
func EmergingAnswer(res *analysis.EmergingResult) *Answer {
	if res == nil {
		return &Answer{Schema: emergingDef.schema}
	}
	a := emergingAnswer(res, Request{}, newOutlines())
	stampPeriod(a)
	return a
}

func (s *Set) emerging(ctx context.Context, req Request) (*Answer, error) {
	res, err := s.an.Emerging(ctx, req.Query)
	if err != nil {
		return nil, err
	}
	return emergingAnswer(res, req, s.outlines), nil
}
