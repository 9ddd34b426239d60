package analysis

import (
	"errors"
	"fmt"
	"math/big"
	"testing"

	"github.com/paulmach/orb"

	"github.com/leicester-csp/hotspot/geo"
	"github.com/leicester-csp/hotspot/geo/hex"
)

// quarterStore: one ward W from 2023-04 to 2024-07. Robbery: 1 in
// 2023Q2, 4 in 2024Q1, 12 in 2024Q2; Shoplifting: 5 in each of those
// quarters; one Burglary in 2024-07 (a quarter not yet complete).
func quarterStore(t *testing.T) *Analyzer {
	t.Helper()
	ward := geo.Area{Kind: geo.KindWard, Code: "W1", Name: "West", Geometry: orb.MultiPolygon{{{{-1.15, 52.63}, {-1.14, 52.63}, {-1.14, 52.636}, {-1.15, 52.636}, {-1.15, 52.63}}}}}
	p := orb.Point{-1.1455, 52.6331}
	var incs []*geo.Located
	add := func(cat string, m geo.Month, n int) {
		for range n {
			incs = append(incs, &geo.Located{Incident: geo.Incident{ID: fmt.Sprintf("q%03d", len(incs)), Month: m, Category: cat, HasLocation: true, Point: p}, Cells: hex.CellsAt(p)})
		}
	}
	add("Robbery", geo.NewMonth(2023, 4), 1)
	add("Robbery", geo.NewMonth(2024, 2), 4)
	add("Robbery", geo.NewMonth(2024, 5), 12)
	for _, m := range []geo.Month{geo.NewMonth(2023, 6), geo.NewMonth(2024, 3), geo.NewMonth(2024, 4)} {
		add("Shoplifting", m, 5)
	}
	add("Burglary", geo.NewMonth(2024, 7), 1)
	st := openStore(t)
	rows := func(yield func(geo.Row, error) bool) {
		for _, l := range incs {
			if !yield(geo.Row{Incident: l}, nil) {
				return
			}
		}
	}
	if _, err := st.Import(t.Context(), geo.ImportInput{Areas: []geo.Area{ward}, Rows: rows}); err != nil {
		t.Fatal(err)
	}
	prios := []geo.Priority{{ID: "robbery", Name: "Robbery", Categories: []string{"Robbery"}}}
	ms := []geo.Measure{
		{ID: "west-shoplifting", Name: "Shoplifting in West", Categories: []string{"Shoplifting"}, Area: []string{"West"}, Goal: geo.GoalReduce},
		{ID: "robbery-watch", Name: "Robbery, watched", Categories: []string{"Robbery"}},
	}
	return New(st, prios).WithMeasures(ms)
}

// binomP is the exact two-sided conditional test worked with big
// integers: 2·Σ_{i≤min(a,b)} C(a+b, i) / 2^(a+b), capped at 1.
func binomP(a, b int) float64 {
	n, k := a+b, min(a, b)
	sum := new(big.Int)
	for i := 0; i <= k; i++ {
		sum.Add(sum, new(big.Int).Binomial(int64(n), int64(i)))
	}
	r := new(big.Rat).SetFrac(new(big.Int).Mul(sum, big.NewInt(2)), new(big.Int).Lsh(big.NewInt(1), uint(n)))
	f, _ := r.Float64()
	return min(1, f)
}

func TestQuarterlyByHand(t *testing.T) {
	a := quarterStore(t)
	rep, err := a.Quarterly(t.Context(), nil)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Quarter.String() != "2024Q2" {
		t.Fatalf("default quarter %s, want 2024Q2 (2024Q3 is incomplete)", rep.Quarter)
	}
	// Robbery 12 against 4 (p = 2·2517/2^16) and against 1 (2·14/2^13):
	// a significant rise on last year, against a reduce goal.
	for _, tc := range []struct {
		row                 int
		id                  string
		count, prev, year   int
		pPrev, pYear        float64
		offTrack, isMeasure bool
	}{
		{0, "robbery", 12, 4, 1, 5034.0 / 65536, 28.0 / 8192, true, false},
		{1, "west-shoplifting", 5, 5, 5, 1, 1, false, true},
		{2, "robbery-watch", 12, 4, 1, 5034.0 / 65536, 28.0 / 8192, false, true},
	} {
		r := rep.Rows[tc.row]
		got := fmt.Sprint(r.ID, r.Count, *r.Previous, *r.LastYear, *r.ChangePPrevious, *r.ChangePYear, r.OffTrack, r.Measure)
		want := fmt.Sprint(tc.id, tc.count, tc.prev, tc.year, tc.pPrev, tc.pYear, tc.offTrack, tc.isMeasure)
		if got != want {
			t.Errorf("row %d: %s, want %s", tc.row, got, want)
		}
		if b := binomP(tc.count, tc.year); b != tc.pYear {
			t.Errorf("row %d: the hand figure %v disagrees with big-integer %v", tc.row, tc.pYear, b)
		}
	}
	if len(rep.Rows) != 3 {
		t.Errorf("%d rows, want 3", len(rep.Rows))
	}
	// 2023Q2 starts the data: no previous quarter nor last year (null,
	// not 0).
	q := geo.NewQuarter(2023, 2)
	rep, err = a.Quarterly(t.Context(), &q)
	if err != nil {
		t.Fatal(err)
	}
	if r := rep.Rows[0]; r.Count != 1 || r.Previous != nil || r.LastYear != nil || r.ChangePYear != nil || r.OffTrack {
		t.Errorf("2023Q2: %+v", r)
	}
	q = geo.NewQuarter(2023, 3)
	if rep, err = a.Quarterly(t.Context(), &q); err != nil || *rep.Rows[0].Previous != 1 || rep.Rows[0].LastYear != nil {
		t.Errorf("2023Q3: %+v, %v", rep, err)
	}
}

func TestQuarterlyOutsideData(t *testing.T) {
	a := quarterStore(t)
	for _, q := range []geo.Quarter{geo.NewQuarter(2023, 1), geo.NewQuarter(2024, 3), geo.NewQuarter(2030, 1)} {
		_, err := a.Quarterly(t.Context(), &q)
		var fe *FieldError
		if !errors.As(err, &fe) || fe.Field != "quarter" {
			t.Errorf("%s: %v, want a FieldError on quarter", q, err)
		}
	}
}

// A priority fixed to a local source is counted from that source, not
// from police.uk under its name, and is left out for callers below
// analyst (the public may not see it; a partner's report is not
// suppressed).
func TestQuarterlyPriorityFixingASource(t *testing.T) {
	a := quarterStore(t)
	a.priorities = append(a.priorities, geo.Priority{ID: "council-robbery", Name: "Robbery, council log", Categories: []string{"Robbery"}, Source: "council"})
	q := geo.QuarterOf(geo.NewMonth(2024, 5))
	rep, err := a.Quarterly(t.Context(), &q)
	if err != nil {
		t.Fatal(err)
	}
	var found bool
	for _, r := range rep.Rows {
		if r.ID == "council-robbery" {
			found = true
			if r.Count != 0 || r.Measure {
				t.Errorf("council-robbery: count %d measure %v, want 0 (no council records) and a priority", r.Count, r.Measure)
			}
		}
	}
	if !found {
		t.Fatal("an analyst's report has no council-robbery row")
	}
	for _, vis := range []Visibility{SeeAggregates, SeePoliceUK} {
		rep, err := a.Quarterly(WithVisibility(t.Context(), vis, 5), &q)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range rep.Rows {
			if r.ID == "council-robbery" {
				t.Errorf("visibility %v: the report lists council-robbery", vis)
			}
		}
		if len(rep.Rows) != 3 || rep.Rows[0].Measure || !rep.Rows[1].Measure {
			t.Errorf("visibility %v: rows %+v", vis, rep.Rows)
		}
	}
}
