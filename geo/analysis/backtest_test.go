package analysis

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/paulmach/orb"

	"github.com/leicester-csp/hotspot/geo"
	"github.com/leicester-csp/hotspot/geo/hex"
)

// toyCells are five res-9 cells about 3.4 km apart on one parallel near
// Leicester, ascending by index: no two are neighbours, and none is
// within the KDE cutoff (8 × 250 m) of another, so each KDE score and
// each Gi* neighbourhood is the cell alone.
func toyCells(t *testing.T) []geo.Cell {
	t.Helper()
	var cells []geo.Cell
	for i := range 5 {
		cells = append(cells, hex.CellAt(orb.Point{-1.20 + 0.05*float64(i), 52.60}, 9))
	}
	slices.Sort(cells)
	return cells
}

// toyStore holds, with no wards (the area is then everything, and the
// study area the cells with incidents), these counts per cell A…E and
// month 2024-01…04:
//
//	     Jan Feb Mar Apr
//	A     3   0   0   1
//	B     0   0   2   4
//	C     1   1   1   0
//	D     0   1   0   0
//	E     0   0   0   1
func toyStore(t *testing.T) (*Analyzer, []geo.Cell) {
	t.Helper()
	cells := toyCells(t)
	table := [][4]int{{3, 0, 0, 1}, {0, 0, 2, 4}, {1, 1, 1, 0}, {0, 1, 0, 0}, {0, 0, 0, 1}}
	var incs []*geo.Located
	for ci, row := range table {
		p := hex.Center(cells[ci])
		for mi, n := range row {
			for k := range n {
				incs = append(incs, &geo.Located{
					Incident: geo.Incident{ID: fmt.Sprintf("%c-%d-%d", 'A'+ci, mi, k), Month: geo.NewMonth(2024, 1+mi), Category: "Shoplifting",
						HasLocation: true, Point: p, Location: fmt.Sprintf("On or near Street %c", 'A'+ci)},
					Cells: hex.CellsAt(p),
				})
			}
		}
	}
	st := openStore(t)
	rows := func(yield func(geo.Row, error) bool) {
		for _, l := range incs {
			if !yield(geo.Row{Incident: l}, nil) {
				return
			}
		}
	}
	if _, err := st.Import(t.Context(), geo.ImportInput{Rows: rows}); err != nil {
		t.Fatal(err)
	}
	return New(st, geo.BuiltinPriorities()), cells
}

func fp(v float64) *float64 { return &v }

func sameFigure(a, b *float64) bool {
	return (a == nil) == (b == nil) && (a == nil || math.Abs(*a-*b) < 1e-12)
}

// TestBacktestToy works April 2024 by hand with a training window of
// Jan–Mar. S = {A, B, C, D} (E had nothing before April); N = 6, one of
// them in E. Training counts A 3, B 2, C 3, D 1 (total 9); recency
// A 3·2^(−2/3) = 1.89, B 2, C 2^(−2/3) + 2^(−1/3) + 1 = 2.42, D 0.79.
//
//	counts, gi, kde: A, C, B, D (A and C tie on 3: A has the smaller index;
//	  isolated cells make Gi* z and the KDE monotone in the count)
//	recency:         C, B, A, D
//
// 25 % of 4 cells is 1, 50 % is 2. The best one April cell holds 4,
// the best two 5.
func TestBacktestToy(t *testing.T) {
	an, _ := toyStore(t)
	apr := geo.NewMonth(2024, 4)
	res, err := an.Backtest(t.Context(), Query{Category: "Shoplifting", From: Month(apr), To: Month(apr)}, BacktestParams{Train: 3, Coverage: "50,25"})
	if err != nil {
		t.Fatal(err)
	}
	type fig struct{ pai, pei, rri *float64 }
	// counts at 25 %: A, hits 1: pai (1/6)/(1/4), pei 1/4, rri (1/6)/(3/9).
	// counts at 50 %: A, C, hits 1: pai (1/6)/(2/4), pei 1/5, rri (1/6)/(6/9).
	// recency at 25 %: C, hits 0. At 50 %: C, B, hits 4:
	// pai (4/6)/(2/4), pei 4/5, rri (4/6)/(5/9).
	byCounts := map[float64]fig{25: {fp(2.0 / 3), fp(0.25), fp(0.5)}, 50: {fp(1.0 / 3), fp(0.2), fp(0.25)}}
	want := map[string]map[float64]fig{
		"counts":  byCounts,
		"gi":      byCounts,
		"kde":     byCounts,
		"recency": {25: {fp(0), fp(0), fp(0)}, 50: {fp(4.0 / 3), fp(0.8), fp(1.2)}},
	}
	wantHits := map[string]map[float64]int{"recency": {25: 0, 50: 4}}
	if len(res.Rows) != 8 || len(res.Means) != 8 {
		t.Fatalf("%d rows, %d means; want 8 of each", len(res.Rows), len(res.Means))
	}
	order := []string{"counts", "recency", "gi", "kde"}
	for i, row := range res.Rows {
		if row.Method != order[i/2] || row.Coverage != []float64{25, 50}[i%2] || row.Month != apr {
			t.Errorf("row %d is %s %s at %v: want methods in order, coverages ascending", i, row.Month, row.Method, row.Coverage)
		}
		if row.Cells != 4 || row.Incidents != 6 || row.Selected != map[float64]int{25: 1, 50: 2}[row.Coverage] {
			t.Errorf("%s %v: cells %d incidents %d selected %d, want 4, 6, ⌈p·4/100⌉", row.Method, row.Coverage, row.Cells, row.Incidents, row.Selected)
		}
		if h, ok := wantHits[row.Method][row.Coverage]; ok && row.Hits != h {
			t.Errorf("%s %v: hits %d, want %d", row.Method, row.Coverage, row.Hits, h)
		}
		w := want[row.Method][row.Coverage]
		if !sameFigure(row.PAI, w.pai) || !sameFigure(row.PEI, w.pei) || !sameFigure(row.RRI, w.rri) {
			t.Errorf("%s %v: pai %v pei %v rri %v, want %v %v %v", row.Method, row.Coverage, deref(row.PAI), deref(row.PEI), deref(row.RRI), deref(w.pai), deref(w.pei), deref(w.rri))
		}
	}
	// One test month: each mean is that month's figure.
	for _, m := range res.Means {
		w := want[m.Method][m.Coverage]
		if !sameFigure(m.PAI, w.pai) || !sameFigure(m.PEI, w.pei) || !sameFigure(m.RRI, w.rri) {
			t.Errorf("mean %s %v: %v %v %v", m.Method, m.Coverage, deref(m.PAI), deref(m.PEI), deref(m.RRI))
		}
	}
}

func deref(p *float64) any {
	if p == nil {
		return nil
	}
	return *p
}

// TestBacktestMeansSkipNull: test months Feb–Apr, each trained on the
// month before, then a month with no incidents (N = 0, null figures)
// that the means leave out.
func TestBacktestMeansSkipNull(t *testing.T) {
	an, _ := toyStore(t)
	res, err := an.Backtest(t.Context(), Query{Category: "Shoplifting", From: Month(geo.NewMonth(2024, 2)), To: Month(geo.NewMonth(2024, 4))},
		BacktestParams{Train: 1, Method: "counts", Coverage: "100"})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Rows) != 3 {
		t.Fatalf("%d rows, want 3", len(res.Rows))
	}
	// At 100 % every cell of S is selected, so pai = hits/N and pei = 1
	// wherever defined. Feb: S = {A, C} (January), Feb's 2 incidents are
	// in C and D: hits 1, pai 1/2, rri (1/2)/1. Mar: S = {C, D}: Mar's 3
	// are in B (2) and C (1): hits 1, pai 1/3. Apr: S = {B, C}: Apr's 6:
	// B 4: hits 4, pai 2/3.
	wantPAI := (0.5 + 1.0/3 + 2.0/3) / 3
	empty := BacktestRow{Month: geo.NewMonth(2024, 5), Method: "counts", Coverage: 100}
	spec := backtestSpec{methods: []string{"counts"}, coverages: []float64{100}}
	for _, means := range [][]BacktestMean{res.Means, backtestMeans(append(res.Rows, empty), spec)} {
		if m := means[0]; len(means) != 1 || !sameFigure(m.PAI, &wantPAI) || !sameFigure(m.PEI, fp(1)) || !sameFigure(m.RRI, &wantPAI) {
			t.Errorf("means %v %v %v, want pai = rri = %v, pei 1", deref(m.PAI), deref(m.PEI), deref(m.RRI), wantPAI)
		}
	}
}

// TestBacktestMeansGroups: the one-pass means put each row with its own
// method and coverage, against a mean worked out per pair.
func TestBacktestMeansGroups(t *testing.T) {
	an, _ := toyStore(t)
	res, err := an.Backtest(t.Context(), Query{Category: "Shoplifting", From: Month(geo.NewMonth(2024, 2)), To: Month(geo.NewMonth(2024, 4))},
		BacktestParams{Train: 1, Method: "counts,recency,kde", Coverage: "20,50,100"})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Means) != 9 {
		t.Fatalf("%d means, want 9", len(res.Means))
	}
	for _, m := range res.Means {
		var sum float64
		n := 0
		for _, r := range res.Rows {
			if r.Method == m.Method && r.Coverage == m.Coverage && r.PEI != nil {
				sum += *r.PEI
				n++
			}
		}
		if want := sum / float64(n); n == 0 || !sameFigure(m.PEI, &want) {
			t.Errorf("%s at %v: mean PEI %v, want %v over %d rows", m.Method, m.Coverage, deref(m.PEI), want, n)
		}
	}
}

func TestMonths(t *testing.T) {
	for n, want := range map[int]string{0: "0 months", 1: "1 month", 2: "2 months", 12: "12 months"} {
		if got := Months(n); got != want {
			t.Errorf("Months(%d) = %q, want %q", n, got, want)
		}
	}
	// A one-month training window before the data says so in the
	// singular.
	jan := Month(geo.NewMonth(2024, 1))
	_, err := toyAnalyzer(t).Backtest(t.Context(), Query{Category: "Shoplifting", From: jan, To: jan}, BacktestParams{Train: 1})
	if err == nil || !strings.Contains(err.Error(), "trains on the 1 month from 2023-12") {
		t.Errorf("train 1 before the data: %v", err)
	}
}

func toyAnalyzer(t *testing.T) *Analyzer {
	t.Helper()
	a, _ := toyStore(t)
	return a
}

func TestBacktestBadInput(t *testing.T) {
	an, _ := toyStore(t)
	apr := Month(geo.NewMonth(2024, 4))
	q := Query{Category: "Shoplifting", From: apr, To: apr}
	tests := []struct {
		name  string
		q     Query
		p     BacktestParams
		field string
	}{
		{"unknown method", q, BacktestParams{Train: 3, Method: "counts,magic"}, "method"},
		{"coverage 0", q, BacktestParams{Train: 3, Coverage: "0"}, "coverage"},
		{"coverage over 100", q, BacktestParams{Train: 3, Coverage: "5,100.5"}, "coverage"},
		{"coverage not a number", q, BacktestParams{Train: 3, Coverage: "five"}, "coverage"},
		{"coverage NaN", q, BacktestParams{Train: 3, Coverage: "NaN"}, "coverage"},
		{"too many coverages", q, BacktestParams{Train: 3, Coverage: "1" + strings.Repeat(",1", MaxCoverages)}, "coverage"},
		{"test month after the data", Query{Category: "Shoplifting", From: apr, To: Month(geo.NewMonth(2024, 5))}, BacktestParams{Train: 3}, "to"},
		{"train under 1", q, BacktestParams{Train: -1}, "train"},
		{"train too long", q, BacktestParams{Train: 61}, "train"},
		{"bandwidth negative", q, BacktestParams{Train: 3, Bandwidth: -5}, "bandwidth"},
		{"bandwidth absurd", q, BacktestParams{Train: 3, Bandwidth: 1e9}, "bandwidth"},
		{"bandwidth NaN", q, BacktestParams{Train: 3, Bandwidth: math.NaN()}, "bandwidth"},
		{"window before the data", q, BacktestParams{Train: 4}, "from"},
		{"default window before the data", q, BacktestParams{}, "from"},
		{"k auto", Query{Category: "Shoplifting", From: apr, To: apr, AutoK: true}, BacktestParams{Train: 3}, "k"},
		{"res", Query{Category: "Shoplifting", From: apr, To: apr, Res: 11}, BacktestParams{Train: 3}, "res"},
	}
	for _, tc := range tests {
		_, err := an.Backtest(t.Context(), tc.q, tc.p)
		var fe *FieldError
		if !errors.As(err, &fe) || fe.Field != tc.field {
			t.Errorf("%s: %v, want a FieldError on %s", tc.name, err, tc.field)
		}
	}
}

// TestForecastToy: the window is Feb–Apr (train 3); the one month that
// can be backtested is April (trained on Jan–Mar, worked above). At 50 %
// the mean PEI is 4/5 for recency and 1/5 for the others, so auto picks
// recency. Recency over Feb–Apr: A 1, B 2·2^(−1/3) + 4 = 5.59,
// C 2^(−2/3) + 2^(−1/3) = 1.42, D 2^(−2/3) = 0.63, E 1. |S| = 5, so
// m = ⌈2.5⌉ = 3: B, C, then A before E (a tie, A's index is smaller).
func TestForecastToy(t *testing.T) {
	an, cells := toyStore(t)
	res, err := an.Forecast(t.Context(), Query{Category: "Shoplifting"}, BacktestParams{Train: 3, Coverage: "50"})
	if err != nil {
		t.Fatal(err)
	}
	if res.Method != "recency" || !res.Auto || res.StudyCells != 5 {
		t.Fatalf("method %s auto %v cells %d, want recency chosen over 5 cells", res.Method, res.Auto, res.StudyCells)
	}
	if !sameFigure(res.Chosen.PEI, fp(0.8)) || !sameFigure(res.Chosen.PAI, fp(4.0/3)) || !sameFigure(res.Chosen.RRI, fp(1.2)) {
		t.Errorf("figures %v %v %v, want recency's April figures", deref(res.Chosen.PAI), deref(res.Chosen.PEI), deref(res.Chosen.RRI))
	}
	if res.Tested == nil || res.Tested.From != geo.NewMonth(2024, 4) || res.Tested.To != geo.NewMonth(2024, 4) {
		t.Errorf("tested %v, want April alone", res.Tested)
	}
	w1, w2 := 0.7937005259840998, 0.6299605249474366
	want := []ForecastCell{
		{Cell: cells[1], Rank: 1, Score: 2*w1 + 4, Count: 6, TopLocation: "On or near Street B"},
		{Cell: cells[2], Rank: 2, Score: w2 + w1, Count: 2, TopLocation: "On or near Street C"},
		{Cell: cells[0], Rank: 3, Score: 1, Count: 1, TopLocation: "On or near Street A"},
	}
	if len(res.Cells) != len(want) {
		t.Fatalf("%d cells, want %d: %+v", len(res.Cells), len(want), res.Cells)
	}
	for i, w := range want {
		g := res.Cells[i]
		if g.Cell != w.Cell || g.Rank != w.Rank || math.Abs(g.Score-w.Score) > 1e-12 || g.Count != w.Count || g.TopLocation != w.TopLocation {
			t.Errorf("cell %d: %+v, want %+v", i, g, w)
		}
	}

	// At 25 % counts, gi and kde tie on PEI 1/4 (recency 0): the fixed
	// order gives counts. A named method keeps its own figures.
	for _, tc := range []struct{ method, cov, want string }{{"", "25", "counts"}, {"auto", "25", "counts"}, {"kde", "50", "kde"}} {
		res, err := an.Forecast(t.Context(), Query{Category: "Shoplifting"}, BacktestParams{Train: 3, Method: tc.method, Coverage: tc.cov})
		if err != nil {
			t.Fatal(err)
		}
		if res.Method != tc.want || res.Auto != (tc.method != "kde") {
			t.Errorf("method=%q coverage %s: %s, want %s", tc.method, tc.cov, res.Method, tc.want)
		}
	}
}

func TestForecastBadInput(t *testing.T) {
	an, _ := toyStore(t)
	for _, tc := range []struct {
		name  string
		q     Query
		p     BacktestParams
		field string
	}{
		{"unknown method", Query{}, BacktestParams{Method: "counts,gi"}, "method"},
		{"coverage list", Query{}, BacktestParams{Coverage: "1,5"}, "coverage"},
		{"coverage 0", Query{}, BacktestParams{Coverage: "0"}, "coverage"},
		{"bandwidth", Query{}, BacktestParams{Bandwidth: -1}, "bandwidth"},
		{"unknown ward", Query{Ward: "E05999999"}, BacktestParams{Train: 3}, "ward"},
		// Jan–Apr: five months back would rank a month before the data
		// as no incidents.
		{"train beyond the data", Query{}, BacktestParams{Train: 5}, "train"},
		{"default train beyond the data", Query{}, BacktestParams{}, "train"},
	} {
		_, err := an.Forecast(t.Context(), tc.q, tc.p)
		var fe *FieldError
		if !errors.As(err, &fe) || fe.Field != tc.field {
			t.Errorf("%s: %v, want a FieldError on %s", tc.name, err, tc.field)
		}
	}
	// Too few months to backtest: the forecast still ranks, by counts
	// under auto, with no figures.
	res, err := an.Forecast(t.Context(), Query{}, BacktestParams{Train: 4})
	if err != nil {
		t.Fatal(err)
	}
	if res.Tested != nil || res.Method != "counts" || res.Chosen.PEI != nil || len(res.Cells) != 1 {
		t.Errorf("4 months, train 4: tested %v method %s cells %d", res.Tested, res.Method, len(res.Cells))
	}
}

// TestForecastNoZeroTargets: trained on April alone, S = {A, B, E} with
// counts 1, 4, 1. Each Gi* neighbourhood is the cell alone, so A and E,
// below the mean, have a negative z: at 100 % only B is a target, and one
// cell scored above 0.
func TestForecastNoZeroTargets(t *testing.T) {
	an, cells := toyStore(t)
	res, err := an.Forecast(t.Context(), Query{Category: "Shoplifting"}, BacktestParams{Train: 1, Method: "gi", Coverage: "100"})
	if err != nil {
		t.Fatal(err)
	}
	if res.StudyCells != 3 || res.Scored != 1 || len(res.Cells) != 1 || res.Cells[0].Cell != cells[1] || res.Cells[0].Rank != 1 {
		t.Errorf("study %d, scored %d, targets %+v: want B alone of 3", res.StudyCells, res.Scored, res.Cells)
	}
	for _, c := range res.Cells {
		if !(c.Score > 0) {
			t.Errorf("target %+v scores %v", c, c.Score)
		}
	}
}
