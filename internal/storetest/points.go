package storetest

import (
	"maps"
	"testing"

	"github.com/leicester-csp/hotspot/geo"
)

// testPoints checks the map points and the per-point tallies of text that
// top locations, repeat locations and outcomes are made from.
func testPoints(t *testing.T, open Opener) {
	st, _ := loaded(t, open)
	ctx := t.Context()
	pts, err := st.MapPoints(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := []geo.MapPoint{
		{Point: *pWest, Cells: cells(1), Ward: "W2"},
		{Point: *pEdge, Cells: cells(3), Ward: "W1"},
		{Point: *pEast, Cells: cells(2), Ward: "W1"},
		{Point: *pOut, Cells: cells(9)},
	}
	if len(pts) != len(want) {
		t.Fatalf("map points %+v, want %+v", pts, want)
	}
	for i := range want {
		if pts[i] != want[i] {
			t.Errorf("map point %d: %+v, want %+v", i, pts[i], want[i])
		}
	}

	tests := []struct {
		name   string
		f      geo.Filter
		counts map[geo.Cell]int // by res-9 cell, to name points briefly
	}{
		{"every counted incident", geo.Filter{Months: all()}, map[geo.Cell]int{cells(1)[3]: 4, cells(3)[3]: 2, cells(2)[3]: 3}},
		{"violence in January and February in W1", geo.Filter{Months: mr("2024-01", "2024-02"), Categories: []string{"Violence and sexual offences"}, Wards: []string{"W1"}},
			map[geo.Cell]int{cells(2)[3]: 1}},
		{"nothing", geo.Filter{Months: mr("2030-01", "2030-12")}, map[geo.Cell]int{}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ts, err := st.PointTallies(ctx, tc.f)
			if err != nil {
				t.Fatal(err)
			}
			got := map[geo.Cell]int{}
			for i, pt := range ts {
				got[pt.Cells[3]] = pt.Count
				cats := 0
				for _, n := range pt.Categories {
					cats += n
				}
				if pt.Locations["On or near Test Street"] != pt.Count || pt.Outcomes["Under investigation"] != pt.Count || cats != pt.Count {
					t.Errorf("%+v: texts do not add up to the count", pt)
				}
				if i > 0 && geo.ComparePoints(ts[i-1].Point, pt.Point) >= 0 {
					t.Errorf("tallies out of order at %d", i)
				}
			}
			if !maps.Equal(got, tc.counts) {
				t.Errorf("counts by point %v, want %v", got, tc.counts)
			}
		})
	}

	// Texts are tallied as recorded, an empty outcome included.
	more := []*geo.Located{
		inc("d01", "2024-04", "Shoplifting", pEast, 2), inc("d02", "2024-04", "Shoplifting", pEast, 2),
		inc("d03", "2024-04", "Shoplifting", pEast, 2), inc("d04", "2024-04", "Robbery", pEast, 2),
	}
	more[0].Location, more[1].Location, more[2].Location = "On or near A", "On or near A", "On or near B"
	more[0].Outcome, more[1].Outcome, more[2].Outcome = "", "Local resolution", "Local resolution"
	mustImport(t, st, geo.ImportInput{Rows: rowsOf(more)})
	ts, err := st.PointTallies(ctx, geo.Filter{Months: mr("2024-04", "2024-04"), Categories: []string{"Shoplifting"}})
	if err != nil {
		t.Fatal(err)
	}
	if len(ts) != 1 || ts[0].Count != 3 || !maps.Equal(ts[0].Locations, map[string]int{"On or near A": 2, "On or near B": 1}) ||
		!maps.Equal(ts[0].Outcomes, map[string]int{"": 1, "Local resolution": 2}) || !maps.Equal(ts[0].Categories, map[string]int{"Shoplifting": 3}) {
		t.Errorf("tallies %+v", ts)
	}
}

func mr(from, to string) geo.MonthRange {
	f, err1 := geo.ParseMonth(from)
	t, err2 := geo.ParseMonth(to)
	if err1 != nil || err2 != nil {
		panic("bad month in the suite")
	}
	return geo.MonthRange{From: f, To: t}
}
