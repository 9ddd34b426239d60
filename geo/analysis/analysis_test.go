package analysis

import (
	"encoding/csv"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/paulmach/orb"

	"github.com/leicester-csp/hotspot/geo"
	"github.com/leicester-csp/hotspot/geo/hex"
	"github.com/leicester-csp/hotspot/geo/store/embedded"
	"github.com/leicester-csp/hotspot/internal/shareddata"
)

func openStore(t *testing.T) *embedded.Store {
	t.Helper()
	st, err := embedded.Open(t.Context(), t.TempDir(), embedded.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

func readCSV(t *testing.T, path string) [][]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Skipf("test vectors: %v", err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return recs[1:]
}

// TestGiStarVectors runs the reference study area through the whole
// analysis path: a ward covering the vectors' box (so the H3 fill is their
// study area), incidents at cell centres making their counts, and Hex at
// res 8, k 1 must reproduce R spdep's z, p and FDR bins.
func TestGiStarVectors(t *testing.T) {
	dir := filepath.Join(shareddata.TestVectors(t), "gistar")
	expected := readCSV(t, filepath.Join(dir, "res8_k1_expected.csv"))

	box := geo.Area{Kind: geo.KindWard, Code: "BOX", Name: "Box", Geometry: orb.MultiPolygon{{{
		{-1.22, 52.58}, {-1.05, 52.58}, {-1.05, 52.69}, {-1.22, 52.69}, {-1.22, 52.58},
	}}}}
	var incs []*geo.Located
	month := geo.NewMonth(2024, 1)
	for _, rec := range expected {
		c, err := hex.Parse(rec[0])
		if err != nil {
			t.Fatal(err)
		}
		n, _ := strconv.Atoi(rec[1])
		p := hex.Center(c)
		for i := range n {
			incs = append(incs, &geo.Located{
				Incident: geo.Incident{ID: fmt.Sprintf("%s-%d", rec[0], i), Month: month, Category: "Robbery", HasLocation: true, Point: p},
				Cells:    hex.CellsAt(p),
			})
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
	if _, err := st.Import(t.Context(), geo.ImportInput{Areas: []geo.Area{box}, Rows: rows}); err != nil {
		t.Fatal(err)
	}
	a := New(st, geo.BuiltinPriorities())
	res, err := a.Hex(t.Context(), Query{Res: 8, K: 1})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Cells) != len(expected) {
		t.Fatalf("study area has %d cells, want %d", len(res.Cells), len(expected))
	}
	got := map[string]HexCell{}
	for _, c := range res.Cells {
		got[hex.String(c.Cell)] = c
	}
	for _, rec := range expected {
		c, ok := got[rec[0]]
		if !ok {
			t.Errorf("cell %s missing from the study area", rec[0])
			continue
		}
		f := func(i int) float64 { v, _ := strconv.ParseFloat(rec[i], 64); return v }
		n, _ := strconv.Atoi(rec[1])
		bin, _ := strconv.Atoi(rec[6])
		if c.Count != n || math.Abs(c.Z-f(2)) > 1e-9 || math.Abs(c.P-f(3)) > 1e-9 || math.Abs(c.PAdj-f(4)) > 1e-9 || c.Bin != bin {
			t.Errorf("cell %s: count %d z %.12f p %.12f padj %.12f bin %d; want %s", rec[0], c.Count, c.Z, c.P, c.PAdj, c.Bin, rec[1:])
		}
	}
}

func TestResolve(t *testing.T) {
	st := openStore(t)
	castle := geo.Area{Kind: geo.KindWard, Code: "E1", Name: "Castle", Geometry: orb.MultiPolygon{{{{0, 0}, {1, 0}, {1, 1}, {0, 1}, {0, 0}}}}}
	other := geo.Area{Kind: geo.KindWard, Code: "E2", Name: "Other", Geometry: orb.MultiPolygon{{{{1, 0}, {2, 0}, {2, 1}, {1, 1}, {1, 0}}}}}
	var rows []*geo.Located
	for m := geo.NewMonth(2023, 1); m <= geo.NewMonth(2024, 10); m++ {
		rows = append(rows, &geo.Located{Incident: geo.Incident{ID: m.String(), Month: m, Category: "Robbery", HasLocation: true, Point: orb.Point{0.5, 0.5}}})
	}
	seq := func(yield func(geo.Row, error) bool) {
		for _, l := range rows {
			if !yield(geo.Row{Incident: l}, nil) {
				return
			}
		}
	}
	if _, err := st.Import(t.Context(), geo.ImportInput{Areas: []geo.Area{castle, other}, Rows: seq}); err != nil {
		t.Fatal(err)
	}
	a := New(st, geo.BuiltinPriorities())
	m := func(s string) *geo.Month {
		v, err := geo.ParseMonth(s)
		if err != nil {
			t.Fatal(err)
		}
		return &v
	}
	mr := func(from, to string) geo.MonthRange {
		f, _ := geo.ParseMonth(from)
		tt, _ := geo.ParseMonth(to)
		return geo.MonthRange{From: f, To: tt}
	}
	tests := []struct {
		name      string
		q         Query
		months    geo.MonthRange
		area      []string
		badParam  string
		wantCats  int
		wantRes   int
		wantK     int
		wantFound bool
	}{
		{name: "defaults: latest 12 months", q: Query{}, months: mr("2023-11", "2024-10"), wantRes: 9, wantK: 1},
		{name: "from alone runs to the latest", q: Query{From: m("2024-03")}, months: mr("2024-03", "2024-10"), wantRes: 9, wantK: 1},
		{name: "to alone covers 12 months", q: Query{To: m("2023-12")}, months: mr("2023-01", "2023-12"), wantRes: 9, wantK: 1},
		{name: "both", q: Query{From: m("2023-02"), To: m("2023-04"), Res: 7, K: 3}, months: mr("2023-02", "2023-04"), wantRes: 7, wantK: 3},
		{name: "priority with an area", q: Query{Priority: "city-centre-violence"}, months: mr("2023-11", "2024-10"), area: []string{"E1"}, wantCats: 3, wantRes: 9, wantK: 1},
		{name: "category", q: Query{Category: "Robbery"}, months: mr("2023-11", "2024-10"), wantCats: 1, wantRes: 9, wantK: 1},
		{name: "to before year 0000", q: Query{To: m("0000-06")}, badParam: "to"},
		{name: "every month", q: Query{AllMonths: true}, months: mr("2023-01", "2024-10"), wantRes: 9, wantK: 1},
		{name: "every month from", q: Query{AllMonths: true, From: m("2024-02")}, months: mr("2024-02", "2024-10"), wantRes: 9, wantK: 1},
		{name: "every month past the data", q: Query{AllMonths: true, From: m("2030-02")}, months: mr("2030-02", "2030-02"), wantRes: 9, wantK: 1},
		{name: "every month to", q: Query{AllMonths: true, To: m("2020-02")}, months: mr("2020-02", "2020-02"), wantRes: 9, wantK: 1},
		{name: "every month, from after to", q: Query{AllMonths: true, From: m("2024-02"), To: m("2024-01")}, badParam: "from"},
		{name: "from after to", q: Query{From: m("2024-05"), To: m("2024-01")}, badParam: "from"},
		{name: "res too high", q: Query{Res: 11}, badParam: "res"},
		{name: "res too low", q: Query{Res: 5}, badParam: "res"},
		{name: "k too high", q: Query{K: 4}, badParam: "k"},
		{name: "unknown priority", q: Query{Priority: "nope"}, badParam: "priority"},
		{name: "unknown category", q: Query{Category: "Piracy"}, badParam: "category"},
		{name: "priority and category", q: Query{Priority: "asb", Category: "Robbery"}, badParam: "category"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r, err := a.Resolve(t.Context(), tc.q)
			if tc.badParam != "" {
				var fe *FieldError
				if !errors.As(err, &fe) || fe.Field != tc.badParam || !errors.Is(err, geo.ErrInvalid) {
					t.Fatalf("err = %v, want a FieldError for %s", err, tc.badParam)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if r.Months != tc.months || len(r.Categories) != tc.wantCats || r.Res != tc.wantRes || r.K != tc.wantK || fmt.Sprint(r.AreaWards) != fmt.Sprint(tc.area) {
				t.Errorf("resolved %+v", r)
			}
		})
	}

	w, err := a.Wards(t.Context(), Query{From: m("2024-01"), To: m("2024-06")})
	if err != nil {
		t.Fatal(err)
	}
	if len(w.Wards) != 2 || w.Wards[0].Count != 6 || w.Wards[0].PrevCount != 6 || w.Wards[0].ChangePct == nil || *w.Wards[0].ChangePct != 0 || w.Wards[0].Rate != nil {
		t.Errorf("wards = %+v", w.Wards)
	}
	if w.Wards[1].Count != 0 || w.Wards[1].ChangePct != nil {
		t.Errorf("empty ward = %+v, want 0 and no change", w.Wards[1])
	}
	_, series, err := a.Series(t.Context(), Query{From: m("2024-01"), To: m("2024-03")}, geo.SeriesKey{Ward: "E1"})
	if err != nil || len(series) != 3 || series[0].Count != 1 {
		t.Errorf("series = %v, %v", series, err)
	}
}
