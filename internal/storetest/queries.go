package storetest

import (
	"cmp"
	"errors"
	"maps"
	"slices"
	"testing"

	"github.com/paulmach/orb"

	"github.com/leicester-csp/hotspot/geo"
)

func testEmpty(t *testing.T, open Opener) {
	st, _ := open(t)
	ctx := t.Context()
	ms, err := st.Months(ctx)
	if err != nil || len(ms) != 0 {
		t.Fatalf("Months = %v, %v; want none", ms, err)
	}
	cc, err := st.CellCounts(ctx, geo.Filter{Months: all()}, 9)
	if err != nil || len(cc) != 0 {
		t.Fatalf("CellCounts = %v, %v; want none", cc, err)
	}
	if err := st.Ready(ctx); err != nil {
		t.Fatalf("Ready: %v", err)
	}
	if _, err := st.Incident(ctx, "nope"); !errors.Is(err, geo.ErrNotFound) {
		t.Fatalf("Incident(nope) = %v, want ErrNotFound", err)
	}
}

func testCounts(t *testing.T, open Opener) {
	st, _ := loaded(t, open)
	ctx := t.Context()
	tests := []struct {
		name  string
		f     geo.Filter
		cells map[geo.Cell]int
		wards map[string]int
	}{
		{
			name: "all categories, all months",
			f:    geo.Filter{Months: all()},
			// c06 lies outside both wards, c05/c11 have no location.
			cells: map[geo.Cell]int{cells(1)[3]: 4, cells(2)[3]: 3, cells(3)[3]: 2},
			wards: map[string]int{"W2": 4, "W1": 5},
		},
		{
			name:  "one category",
			f:     geo.Filter{Months: all(), Categories: []string{"Shoplifting"}},
			cells: map[geo.Cell]int{cells(2)[3]: 2},
			wards: map[string]int{"W1": 2},
		},
		{
			name:  "months",
			f:     geo.Filter{Months: geo.MonthRange{From: geo.NewMonth(2024, 2), To: geo.NewMonth(2024, 3)}},
			cells: map[geo.Cell]int{cells(1)[3]: 2, cells(2)[3]: 2, cells(3)[3]: 1},
			wards: map[string]int{"W2": 2, "W1": 3},
		},
		{
			name:  "area limited to W1 (edge points belong to W1)",
			f:     geo.Filter{Months: all(), Wards: []string{"W1"}},
			cells: map[geo.Cell]int{cells(2)[3]: 3, cells(3)[3]: 2},
			wards: map[string]int{"W1": 5},
		},
		{
			name:  "unknown category",
			f:     geo.Filter{Months: all(), Categories: []string{"Piracy"}},
			cells: map[geo.Cell]int{},
			wards: map[string]int{},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cc, err := st.CellCounts(ctx, tc.f, 9)
			if err != nil {
				t.Fatal(err)
			}
			if !maps.Equal(cc, tc.cells) {
				t.Errorf("CellCounts = %v, want %v", cc, tc.cells)
			}
			wc, err := st.WardCounts(ctx, tc.f)
			if err != nil {
				t.Fatal(err)
			}
			if !maps.Equal(wc, tc.wards) {
				t.Errorf("WardCounts = %v, want %v", wc, tc.wards)
			}
		})
	}
	cc6, err := st.CellCounts(ctx, geo.Filter{Months: all()}, 6)
	if err != nil || cc6[cells(1)[0]] != 4 {
		t.Errorf("CellCounts res 6 = %v, %v; want cell %d: 4", cc6, err, cells(1)[0])
	}
	if _, err := st.CellCounts(ctx, geo.Filter{Months: all()}, 11); !errors.Is(err, geo.ErrInvalid) {
		t.Errorf("CellCounts res 11: %v, want ErrInvalid", err)
	}
	ms, _ := st.Months(ctx)
	want := []geo.Month{geo.NewMonth(2024, 1), geo.NewMonth(2024, 2), geo.NewMonth(2024, 3)}
	if !slices.Equal(ms, want) {
		t.Errorf("Months = %v, want %v", ms, want)
	}
	pop, _ := st.Population(ctx)
	if !maps.Equal(pop, map[string]int{"W1": 2000, "W2": 500}) {
		t.Errorf("Population = %v", pop)
	}
	ws, _ := st.Areas(ctx, geo.KindWard)
	if len(ws) != 2 || ws[0].Code != "W1" || ws[1].Code != "W2" || ws[0].Name != "East" {
		t.Errorf("Areas(ward) = %v, want W1 East, W2 West in code order", ws)
	}
}

func testPages(t *testing.T, open Opener) {
	st, _ := loaded(t, open)
	ctx := t.Context()
	ids := func(p geo.Page) []string {
		var out []string
		for _, it := range p.Items {
			out = append(out, it.ID)
		}
		return out
	}
	bb := orb.Bound{Min: orb.Point{0, 0}, Max: orb.Point{0.01, 0.01}}
	tests := []struct {
		name  string
		f     geo.Filter
		p     geo.PageRequest
		ids   []string
		total int
	}{
		{"first page", geo.Filter{Months: all()}, geo.PageRequest{Limit: 5},
			[]string{"asb-0001", "c01", "c02", "c03", "B07"}, 12},
		{"second page", geo.Filter{Months: all()}, geo.PageRequest{Limit: 5, Offset: 5},
			[]string{"c04", "c05", "c06", "c08", "c09"}, 12},
		{"past the end", geo.Filter{Months: all()}, geo.PageRequest{Limit: 5, Offset: 50}, nil, 12},
		{"bbox drops no-location rows", geo.Filter{Months: all()}, geo.PageRequest{Limit: 100, BBox: &bb},
			[]string{"asb-0001", "c01", "c02", "B07", "c09", "c10"}, 6},
		{"area W1", geo.Filter{Months: all(), Wards: []string{"W1"}}, geo.PageRequest{Limit: 100},
			[]string{"asb-0001", "c03", "c04", "c08", "c09"}, 5},
		{"newest months first", geo.Filter{Months: all()}, geo.PageRequest{Limit: 5, Newest: true},
			newestFirst(t, st), 12},
		{"category and month", geo.Filter{Months: geo.MonthRange{From: geo.NewMonth(2024, 3), To: geo.NewMonth(2024, 3)}, Categories: []string{"Anti-social behaviour"}},
			geo.PageRequest{Limit: 100}, []string{"c10", "c11"}, 2},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p, err := st.Incidents(ctx, tc.f, tc.p)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(ids(p), tc.ids) || p.Total != tc.total {
				t.Errorf("page = %v (total %d), want %v (total %d)", ids(p), p.Total, tc.ids, tc.total)
			}
		})
	}
	got, err := st.Incident(ctx, "c05")
	if err != nil {
		t.Fatal(err)
	}
	want := fixture()[5].Incident
	if got.Incident != want || got.Ward != "" {
		t.Errorf("Incident(c05) = %+v, want %+v with no ward", got, want)
	}
	got, _ = st.Incident(ctx, "asb-0001")
	if got.Ward != "W1" || got.WardName != "East" || got.Point != *pEdge {
		t.Errorf("edge incident = %+v, want ward W1 East", got)
	}
}

func testSeries(t *testing.T, open Opener) {
	st, _ := loaded(t, open)
	ctx := t.Context()
	jan, feb, mar := geo.NewMonth(2024, 1), geo.NewMonth(2024, 2), geo.NewMonth(2024, 3)
	tests := []struct {
		name string
		key  geo.SeriesKey
		want map[geo.Month]int
	}{
		{"area", geo.SeriesKey{}, map[geo.Month]int{jan: 4, feb: 2, mar: 3}},
		{"cell", geo.SeriesKey{Cell: cells(1)[3], Res: 9}, map[geo.Month]int{jan: 2, feb: 1, mar: 1}},
		{"ward", geo.SeriesKey{Ward: "W1"}, map[geo.Month]int{jan: 2, feb: 1, mar: 2}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := st.Series(ctx, geo.Filter{Months: all()}, tc.key)
			if err != nil {
				t.Fatal(err)
			}
			if !maps.Equal(got, tc.want) {
				t.Errorf("Series = %v, want %v", got, tc.want)
			}
		})
	}
	if _, err := st.Series(ctx, geo.Filter{Months: all()}, geo.SeriesKey{Ward: "nope"}); !errors.Is(err, geo.ErrNotFound) {
		t.Errorf("unknown ward: %v, want ErrNotFound", err)
	}
}

// checkCellMonths requires CellMonthCounts to agree with CellCounts (cc)
// once summed over months, to keep to the filter's months, and to come
// by cell then month.
func checkCellMonths(t *testing.T, st geo.Store, f geo.Filter, cc map[geo.Cell]int) {
	t.Helper()
	cms, err := st.CellMonthCounts(t.Context(), f, 9)
	if err != nil {
		t.Fatal(err)
	}
	sum := map[geo.Cell]int{}
	for i, c := range cms {
		if i > 0 && geo.CompareCellMonths(cms[i-1], c) >= 0 {
			t.Errorf("CellMonthCounts out of order at %d: %v then %v", i, cms[i-1], c)
		}
		if c.Month < f.Months.From || c.Month > f.Months.To || c.Count <= 0 {
			t.Errorf("CellMonthCounts holds %v", c)
		}
		sum[c.Cell] += c.Count
	}
	if !maps.Equal(sum, cc) {
		t.Errorf("CellMonthCounts summed = %v, CellCounts %v", sum, cc)
	}
}

// testCellMonths checks CellMonthCounts against CellCounts under several
// filters, one cell's months, and the resolution range.
func testCellMonths(t *testing.T, open Opener) {
	st, _ := loaded(t, open)
	ctx := t.Context()
	for _, f := range []geo.Filter{
		{Months: all()},
		{Months: all(), Categories: []string{"Shoplifting"}},
		{Months: geo.MonthRange{From: geo.NewMonth(2024, 2), To: geo.NewMonth(2024, 3)}},
		{Months: all(), Wards: []string{"W1"}},
		{Months: all(), Categories: []string{"Piracy"}},
	} {
		cc, err := st.CellCounts(ctx, f, 9)
		if err != nil {
			t.Fatal(err)
		}
		checkCellMonths(t, st, f, cc)
	}
	if _, err := st.CellMonthCounts(ctx, geo.Filter{Months: all()}, 11); !errors.Is(err, geo.ErrInvalid) {
		t.Errorf("CellMonthCounts res 11: %v, want ErrInvalid", err)
	}
	// By month: the fixture's cell 1 holds two in 2024-01, one in each of
	// 2024-02 and 2024-03.
	cms, err := st.CellMonthCounts(ctx, geo.Filter{Months: all()}, 9)
	want1 := []geo.CellMonthCount{{Cell: cells(1)[3], Month: geo.NewMonth(2024, 1), Count: 2}, {Cell: cells(1)[3], Month: geo.NewMonth(2024, 2), Count: 1}, {Cell: cells(1)[3], Month: geo.NewMonth(2024, 3), Count: 1}}
	var got1 []geo.CellMonthCount
	for _, c := range cms {
		if c.Cell == cells(1)[3] {
			got1 = append(got1, c)
		}
	}
	if err != nil || !slices.Equal(got1, want1) {
		t.Errorf("CellMonthCounts for cell 1 = %v, %v; want %v", got1, err, want1)
	}
}

// newestFirst is the first five incidents of the suite's data by month,
// newest first, then by id: worked out from the oldest-first list of
// every incident, which the other cases pin down.
func newestFirst(t *testing.T, st geo.Store) []string {
	t.Helper()
	p, err := st.Incidents(t.Context(), geo.Filter{Months: all()}, geo.PageRequest{Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	items := slices.Clone(p.Items)
	slices.SortStableFunc(items, func(a, b geo.StoredIncident) int { return cmp.Compare(b.Month, a.Month) })
	var out []string
	for _, it := range items[:5] {
		out = append(out, it.ID)
	}
	return out
}
