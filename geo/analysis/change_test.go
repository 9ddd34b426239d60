package analysis

import (
	"errors"
	"fmt"
	"maps"
	"math"
	"slices"
	"testing"

	"github.com/paulmach/orb"

	"github.com/leicester-csp/hotspot/geo"
	"github.com/leicester-csp/hotspot/geo/hex"
)

func TestBase(t *testing.T) {
	m := func(y, mo int) geo.Month { return geo.NewMonth(y, mo) }
	for _, tc := range []struct {
		compare  string
		from, to geo.Month
		want     geo.MonthRange
	}{
		{ComparePrevious, m(2024, 1), m(2024, 3), geo.MonthRange{From: m(2023, 10), To: m(2023, 12)}},
		{CompareYear, m(2024, 1), m(2024, 3), geo.MonthRange{From: m(2023, 1), To: m(2023, 3)}},
		{ComparePrevious, m(2024, 4), m(2024, 4), geo.MonthRange{From: m(2024, 3), To: m(2024, 3)}},
		{CompareYear, m(2024, 4), m(2024, 4), geo.MonthRange{From: m(2023, 4), To: m(2023, 4)}},
		// Twelve months: previous and a year earlier are the same.
		{ComparePrevious, m(2023, 7), m(2024, 6), geo.MonthRange{From: m(2022, 7), To: m(2023, 6)}},
		{CompareYear, m(2023, 7), m(2024, 6), geo.MonthRange{From: m(2022, 7), To: m(2023, 6)}},
		// Two years: the year-earlier base overlaps the window.
		{CompareYear, m(2023, 1), m(2024, 12), geo.MonthRange{From: m(2022, 1), To: m(2023, 12)}},
		{ComparePrevious, m(2023, 1), m(2024, 12), geo.MonthRange{From: m(2021, 1), To: m(2022, 12)}},
	} {
		r := &Resolved{Compare: tc.compare, Months: geo.MonthRange{From: tc.from, To: tc.to}}
		if got := r.Base(); got != tc.want {
			t.Errorf("%s of %s: %s, want %s", tc.compare, r.Months, got, tc.want)
		}
	}
}

// changeStore: two wards; cell A (west ward) has 10 incidents in
// 2024-04…06, 2 in 2024-01…03 and 3 in 2023-04…06; cell B (east ward)
// none in 2024-04…06, 6 in 2024-01…03 and 6 in 2023-04…06; one incident
// in 2023-01 in cell C (west ward) starts the data.
func changeStore(t *testing.T) (*Analyzer, [3]geo.Cell) {
	t.Helper()
	west := geo.Area{Kind: geo.KindWard, Code: "W1", Name: "West", Geometry: orb.MultiPolygon{{{{-1.15, 52.63}, {-1.14, 52.63}, {-1.14, 52.636}, {-1.15, 52.636}, {-1.15, 52.63}}}}}
	east := geo.Area{Kind: geo.KindWard, Code: "W2", Name: "East", Geometry: orb.MultiPolygon{{{{-1.14, 52.63}, {-1.13, 52.63}, {-1.13, 52.636}, {-1.14, 52.636}, {-1.14, 52.63}}}}}
	pts := [3]orb.Point{{-1.1455, 52.6331}, {-1.1352, 52.6331}, {-1.1480, 52.6350}}
	var cells [3]geo.Cell
	for i, p := range pts {
		cells[i] = hex.CellAt(p, 9)
	}
	if cells[0] == cells[2] {
		t.Fatal("cells A and C coincide")
	}
	var incs []*geo.Located
	add := func(pt int, month geo.Month, n int) {
		for range n {
			p := pts[pt]
			incs = append(incs, &geo.Located{
				Incident: geo.Incident{ID: fmt.Sprintf("i%03d", len(incs)), Month: month, Category: "Robbery", HasLocation: true, Point: p},
				Cells:    hex.CellsAt(p),
			})
		}
	}
	for mo := 4; mo <= 6; mo++ {
		add(0, geo.NewMonth(2023, mo), 1)
		add(1, geo.NewMonth(2023, mo), 2)
		add(1, geo.NewMonth(2024, mo-3), 2)
	}
	add(0, geo.NewMonth(2024, 1), 2)
	add(0, geo.NewMonth(2024, 4), 4)
	add(0, geo.NewMonth(2024, 5), 3)
	add(0, geo.NewMonth(2024, 6), 3)
	add(2, geo.NewMonth(2023, 1), 1)
	st := openStore(t)
	rows := func(yield func(geo.Row, error) bool) {
		for _, l := range incs {
			if !yield(geo.Row{Incident: l}, nil) {
				return
			}
		}
	}
	if _, err := st.Import(t.Context(), geo.ImportInput{Areas: []geo.Area{west, east}, Rows: rows}); err != nil {
		t.Fatal(err)
	}
	return New(st, geo.BuiltinPriorities()), cells
}

// TestChange works the tests by hand. compare=previous: A 10 against 2,
// p = 2·(1+12+66)/2^12 = 0.03857; B 0 against 6, p = 2/2^6 = 0.03125.
// BH over the two: B 0.03125·2/1 = 0.0625, capped by A's 0.03857·2/2,
// so both adjust to 0.03857: bins +2 and −2. compare=year: A 10
// against 3, p = 2·(1+13+78+286)/2^13 = 0.09229 (bin +1); B adjusts to
// 0.03125·2/1 = 0.0625, now below A's 0.09229 (bin −1).
func TestChange(t *testing.T) {
	an, cells := changeStore(t)
	ctx := t.Context()
	pA, pB, pAyear := 2*79.0/4096, 2.0/64, 2*378.0/8192
	type want struct {
		count, prev int
		p           float64 // NaN: null
		bin         int
	}
	for _, tc := range []struct {
		name     string
		q        Query
		complete bool
		a, b     want
	}{
		{"previous", Query{From: Month(geo.NewMonth(2024, 4)), To: Month(geo.NewMonth(2024, 6))}, true,
			want{10, 2, pA, 2}, want{0, 6, pB, -2}},
		{"year", Query{From: Month(geo.NewMonth(2024, 4)), To: Month(geo.NewMonth(2024, 6)), Compare: CompareYear}, true,
			want{10, 3, pAyear, 1}, want{0, 6, pB, -1}},
		// The base 2022-11…2023-01 starts before the data (2023-01).
		{"previous partly before the data", Query{From: Month(geo.NewMonth(2023, 2)), To: Month(geo.NewMonth(2023, 4))}, false,
			want{1, 0, math.NaN(), 0}, want{2, 0, math.NaN(), 0}},
		// The base 2022-06…2023-06 lies partly before the data.
		{"year partly before the data", Query{From: Month(geo.NewMonth(2023, 6)), To: Month(geo.NewMonth(2024, 6)), Compare: CompareYear}, false,
			want{13, 3, math.NaN(), 0}, want{8, 6, math.NaN(), 0}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res, err := an.Change(ctx, tc.q)
			if err != nil {
				t.Fatal(err)
			}
			if res.PreviousComplete != tc.complete {
				t.Errorf("complete %v, want %v (base %s)", res.PreviousComplete, tc.complete, res.Previous)
			}
			byCell := map[geo.Cell]ChangeCell{}
			for _, c := range res.Cells {
				byCell[c.Cell] = c
				if c.Count+c.PrevCount == 0 && c.ChangeP != nil {
					t.Errorf("cell %s: change_p %v with no incidents", hex.String(c.Cell), *c.ChangeP)
				}
			}
			if !slices.IsSortedFunc(res.Cells, func(a, b ChangeCell) int { return int(a.Cell>>1) - int(b.Cell>>1) }) {
				t.Error("cells not ascending")
			}
			check := func(name string, c ChangeCell, w want) {
				t.Helper()
				if c.Count != w.count || c.PrevCount != w.prev || c.Bin != w.bin {
					t.Errorf("%s: count %d prev %d bin %d, want %d %d %d", name, c.Count, c.PrevCount, c.Bin, w.count, w.prev, w.bin)
				}
				switch {
				case math.IsNaN(w.p) && c.ChangeP != nil:
					t.Errorf("%s: change_p %v, want null", name, *c.ChangeP)
				case !math.IsNaN(w.p) && (c.ChangeP == nil || math.Abs(*c.ChangeP-w.p) > 1e-15):
					t.Errorf("%s: change_p %v, want %v", name, c.ChangeP, w.p)
				}
			}
			check("A", byCell[cells[0]], tc.a)
			check("B", byCell[cells[1]], tc.b)
			// The wards hold the same incidents (C's aside), so the same
			// tests with the same FDR.
			wr, err := an.Wards(ctx, tc.q)
			if err != nil {
				t.Fatal(err)
			}
			if wr.PreviousComplete != tc.complete || wr.Previous != res.Previous {
				t.Errorf("wards: base %s complete %v", wr.Previous, wr.PreviousComplete)
			}
			checked := 0
			for _, w := range wr.Wards {
				c, wantW := byCell[cells[0]], tc.a
				if w.Area.Code == "W2" {
					c, wantW = byCell[cells[1]], tc.b
				}
				wantW.count, wantW.prev = w.Count, w.PrevCount // C may add to the west ward
				if w.Count == c.Count && w.PrevCount == c.PrevCount {
					check("ward "+w.Area.Code, ChangeCell{Count: w.Count, PrevCount: w.PrevCount, ChangeP: w.ChangeP, Bin: w.ChangeBin}, wantW)
					checked++
				}
			}
			if tc.complete && checked != 2 {
				t.Errorf("%d wards compared with their cell, want 2", checked)
			}
		})
	}
}

// TestChangeFallToNone: with no wards the study area is the cells with
// incidents, and a cell the base period counted but the window did not
// is still compared. The toy store's April against March: A 1 against
// 0, B 4 against 2, C 0 against 1 (a fall to none, p = 1), E 1 against 0.
func TestChangeFallToNone(t *testing.T) {
	an, cells := toyStore(t)
	apr := Month(geo.NewMonth(2024, 4))
	res, err := an.Change(t.Context(), Query{Category: "Shoplifting", From: apr, To: apr})
	if err != nil {
		t.Fatal(err)
	}
	got := map[geo.Cell][2]int{}
	for _, c := range res.Cells {
		got[c.Cell] = [2]int{c.Count, c.PrevCount}
		if c.Cell == cells[2] && (c.ChangeP == nil || *c.ChangeP != 1) {
			t.Errorf("C: change_p %v, want 1", c.ChangeP)
		}
	}
	want := map[geo.Cell][2]int{cells[0]: {1, 0}, cells[1]: {4, 2}, cells[2]: {0, 1}, cells[4]: {1, 0}}
	if !maps.Equal(got, want) {
		t.Errorf("cells %v, want %v", got, want)
	}
}

func TestChangeBadCompare(t *testing.T) {
	an, _ := changeStore(t)
	for _, f := range []func() error{
		func() error { _, err := an.Change(t.Context(), Query{Compare: "month"}); return err },
		func() error { _, err := an.Wards(t.Context(), Query{Compare: "Year"}); return err },
	} {
		var fe *FieldError
		if err := f(); !errors.As(err, &fe) || fe.Field != "compare" {
			t.Errorf("err %v, want a FieldError naming compare", err)
		}
	}
}

// TestConcentrationStudyArea: the figures are over the hex layer's study
// area, zero cells included, and a ward narrows it to that ward's cells.
func TestConcentrationStudyArea(t *testing.T) {
	an, _ := changeStore(t)
	ctx := t.Context()
	q := Query{From: Month(geo.NewMonth(2023, 1)), To: Month(geo.NewMonth(2024, 6))}
	res, err := an.Concentration(ctx, q)
	if err != nil {
		t.Fatal(err)
	}
	hx, err := an.Hex(ctx, q)
	if err != nil {
		t.Fatal(err)
	}
	// A 15, B 12, C 1 of 28, over every cell of the two wards.
	if res.Incidents != 28 || res.Cells != len(hx.Cells) || hx.Total != 28 || res.Cells < 5 {
		t.Fatalf("incidents %d cells %d; hex %d cells, %d incidents", res.Incidents, res.Cells, len(hx.Cells), hx.Total)
	}
	if res.CellsFor50 != 1 || res.CellsFor80 != 2 {
		t.Errorf("cells for 50/80 %%: %d, %d; want 1 (A's 15 ≥ 14), 2 (A+B = 27 ≥ 22.4)", res.CellsFor50, res.CellsFor80)
	}
	// Ascending: n−3 zeros, 1, 12, 15 at ranks n−2, n−1, n.
	n := float64(res.Cells)
	gini := 2*((n-2)*1+(n-1)*12+n*15)/(n*28) - (n+1)/n
	if math.Abs(res.Gini-gini) > 1e-12 {
		t.Errorf("gini %v, want %v", res.Gini, gini)
	}
	w, err := an.Concentration(ctx, Query{From: q.From, To: q.To, Ward: "W2"})
	if err != nil {
		t.Fatal(err)
	}
	if w.Incidents != 12 || w.Cells >= res.Cells || w.CellsFor50 != 1 || w.CellsFor80 != 1 {
		t.Errorf("ward W2: %+v", w.Concentration)
	}
	var fe *FieldError
	if _, err := an.Concentration(ctx, Query{Ward: "E05999999"}); !errors.As(err, &fe) || fe.Field != "ward" {
		t.Errorf("unknown ward: %v, want a FieldError naming ward", err)
	}
	empty, err := an.Concentration(ctx, Query{Category: "Burglary"})
	if err != nil || empty.Defined || empty.Incidents != 0 || empty.Cells == 0 {
		t.Errorf("no incidents: %+v, %v", empty, err)
	}
}
