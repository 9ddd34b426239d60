package layer

import (
	"context"

	"github.com/leicester-csp/hotspot/geo/analysis"
	"github.com/leicester-csp/hotspot/geo/hex"
)

// forecastDef is the forecast layer: the cells to target next month, as
// the backtest ranks them. A forecast cell is a ranking by past counts,
// not a Gi* cluster.
var forecastDef = declare(Schema{
	Name:  "forecast",
	Title: "Forecast targets",
	Description: "the top coverage percent of the study area's H3 cells over the latest train months, ranked by method " +
		"(counts, recency, gi, kde, or auto: the best mean PEI over the last 6 months that can be backtested); " +
		"a cell scoring 0 or less is never a target, so there can be fewer; " +
		"under kde and gi a cell with count 0 can be a target: its score comes from the incidents around it; " +
		"the answer's hotspot member gives that method's backtest PAI, PEI and RRI and scored_cells, how many cells scored above 0.",
	Geometry: Polygon,
	IDField:  "h3",
	TileRank: []RankKey{{Field: "rank"}},
},
	text("h3", "H3 cell index (15 hex digits)", func(c analysis.ForecastCell) string { return hex.String(c.Cell) }),
	integer("rank", "1 for the cell to target first", func(c analysis.ForecastCell) int { return c.Rank }),
	number("score", "the method's score (count, recency-weighted count, Gi* z or kernel density); null for an undefined Gi* z",
		func(c analysis.ForecastCell) Value { return Num(c.Score) }),
	count("incidents counted in the cell over the training window", func(c analysis.ForecastCell) int { return c.Count }),
	suppressed[analysis.ForecastCell](),
	optText("top_location", "the police.uk location most of the cell's incidents carry; null for a cell without any",
		func(c analysis.ForecastCell) string { return c.TopLocation }),
)

// MeanJSON is a method's mean backtest figures at one coverage.
type MeanJSON struct {
	Method   string   `json:"method"`
	Coverage float64  `json:"coverage"`
	PAI      *float64 `json:"pai"`
	PEI      *float64 `json:"pei"`
	RRI      *float64 `json:"rri"`
}

func meanJSON(m analysis.BacktestMean) MeanJSON {
	return MeanJSON{Method: m.Method, Coverage: m.Coverage, PAI: m.PAI, PEI: m.PEI, RRI: m.RRI}
}

func forecastAnswer(res *analysis.ForecastResult, req Request, o *outlines) *Answer {
	a := &Answer{Schema: forecastDef.schema, Provenance: ProvenanceOf(res.Query, req.Source)}
	if q := res.Query; q != nil {
		a.Provenance.Res, a.Provenance.K = ptr(q.Res), ptr(q.K)
	}
	a.Provenance.Cells = ptr(res.StudyCells)
	a.Provenance.Train, a.Provenance.Bandwidth = ptr(res.Train), ptr(res.Bandwidth)
	f := &Forecast{Method: res.Method, MethodAuto: res.Auto, Coverage: res.Coverage, ScoredCells: res.Scored,
		PAI: res.Chosen.PAI, PEI: res.Chosen.PEI, RRI: res.Chosen.RRI, Candidates: []MeanJSON{}}
	if res.Tested != nil {
		f.BacktestFrom, f.BacktestTo = ptr(res.Tested.From.String()), ptr(res.Tested.To.String())
	}
	for _, m := range res.Means {
		f.Candidates = append(f.Candidates, meanJSON(m))
	}
	a.Provenance.Forecast = f
	w := newWindow(req)
	slab := forecastDef.slabFor(len(res.Cells))
	for _, c := range res.Cells {
		if !forecastDef.matches(c, req.Equals) {
			continue
		}
		if req.BBox != nil && !cellInBox(o.get(c.Cell), *req.BBox) {
			continue
		}
		if w.take() {
			vs := forecastDef.values(c, &slab)
			a.Features = append(a.Features, Feature{ID: forecastDef.idOf(vs), cell: c.Cell, outlines: o, Values: vs})
		}
	}
	a.Matched = w.n
	return a
}

func (s *Set) forecast(ctx context.Context, req Request) (*Answer, error) {
	res, err := s.an.Forecast(ctx, req.Query, req.Backtest)
	if err != nil {
		return nil, err
	}
	return forecastAnswer(res, req, s.outlines), nil
}
