package postgis

import (
	"math"
	"testing"

	"github.com/leicester-csp/hotspot/geo"
	"github.com/leicester-csp/hotspot/geo/analysis"
)

// TestBacktestParityShared runs the backtest and the forecast over the
// shared data on both stores: every count, selection and figure must
// agree (figures to 1e-9, as Gi* does).
func TestBacktestParityShared(t *testing.T) {
	emb, pg, _, _ := sharedPair(t)
	ctx := t.Context()
	ae, ap := analysis.New(emb, geo.BuiltinPriorities()), analysis.New(pg, geo.BuiltinPriorities())
	same := func(a, b *float64) bool {
		return (a == nil) == (b == nil) && (a == nil || math.Abs(*a-*b) <= 1e-9*math.Max(1, math.Abs(*a)))
	}
	for _, prio := range []string{"retail-crime", "city-centre-violence"} {
		q := analysis.Query{Priority: prio, From: analysis.Month(geo.NewMonth(2024, 5)), To: analysis.Month(geo.NewMonth(2024, 10))}
		p := analysis.BacktestParams{Train: 6}
		re, err := ae.Backtest(ctx, q, p)
		if err != nil {
			t.Fatal(err)
		}
		rp, err := ap.Backtest(ctx, q, p)
		if err != nil {
			t.Fatal(err)
		}
		if len(re.Rows) != len(rp.Rows) || len(re.Rows) == 0 {
			t.Fatalf("%s: %d rows against %d", prio, len(re.Rows), len(rp.Rows))
		}
		for i, e := range re.Rows {
			g := rp.Rows[i]
			if e.Month != g.Month || e.Method != g.Method || e.Coverage != g.Coverage || e.Cells != g.Cells || e.Selected != g.Selected ||
				e.Incidents != g.Incidents || e.Hits != g.Hits || !same(e.PAI, g.PAI) || !same(e.PEI, g.PEI) || !same(e.RRI, g.RRI) {
				t.Errorf("%s row %d: embedded %+v, postgis %+v", prio, i, e, g)
			}
		}
		fe, err := ae.Forecast(ctx, analysis.Query{Priority: prio}, analysis.BacktestParams{})
		if err != nil {
			t.Fatal(err)
		}
		fp, err := ap.Forecast(ctx, analysis.Query{Priority: prio}, analysis.BacktestParams{})
		if err != nil {
			t.Fatal(err)
		}
		if fe.Method != fp.Method || len(fe.Cells) != len(fp.Cells) || !same(fe.Chosen.PEI, fp.Chosen.PEI) {
			t.Fatalf("%s forecast: embedded %s %d cells, postgis %s %d", prio, fe.Method, len(fe.Cells), fp.Method, len(fp.Cells))
		}
		for i := range fe.Cells {
			e, g := fe.Cells[i], fp.Cells[i]
			if e.Cell != g.Cell || e.Rank != g.Rank || e.Count != g.Count || e.TopLocation != g.TopLocation || math.Abs(e.Score-g.Score) > 1e-9*math.Max(1, math.Abs(e.Score)) {
				t.Errorf("%s forecast cell %d: embedded %+v, postgis %+v", prio, i, e, g)
			}
		}
	}
}
