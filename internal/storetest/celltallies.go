package storetest

import (
	"cmp"
	"fmt"
	"maps"
	"reflect"
	"slices"
	"testing"

	"github.com/paulmach/orb"

	"github.com/leicester-csp/hotspot/geo"
)

// cellTallyFixture: council records in one cell (5) at two points whose
// Locations differ, so that a cell's top Location is only right when the
// points' texts are summed before the top is chosen (per point, the
// second point's top is "Alpha Road"; in the cell "Zeta Road" leads).
func cellTallyFixture() []*geo.Located {
	p1, p2 := &orb.Point{0.012, 0.008}, &orb.Point{0.013, 0.008}
	recs := []*geo.Located{
		local("council", "t1", "2024-02-05 10:00", "Begging", p1, 5), // Monday
		local("council", "t2", "2024-02-06 10:00", "Begging", p2, 5), // Tuesday
		local("council", "t3", "2024-02-07 10:00", "Begging", p2, 5), // Wednesday
		// At police.uk's pEast (cell 2), where police.uk's three say
		// "On or near Test Street": with source=all, four Clock Towers
		// (with r3 and bid/c01) outnumber them.
		local("council", "t4", "2024-02-08 10:00", "Shop theft", pEast, 2),
		local("council", "t5", "2024-02-09 10:00", "Shop theft", pEast, 2),
	}
	recs[0].Location, recs[1].Location, recs[2].Location = "Zeta Road", "Alpha Road", "Zeta Road"
	return recs
}

// ct is cell c's tally at res 9.
func ct(c uint64, n int, top string) geo.CellTally {
	return geo.CellTally{Cell: cells(c)[3], Count: n, TopLocation: top}
}

func testCellTallies(t *testing.T, open Opener) {
	st, _ := loaded(t, open)
	mustImport(t, st, geo.ImportInput{Rows: rowsOf(append(partnerFixture(), cellTallyFixture()...))})
	feb := mr("2024-02", "2024-02")
	mondayTuesday := geo.Within{Days: 1<<0 | 1<<1}
	// Worked out by hand from the fixtures.
	for _, tc := range []struct {
		name string
		f    geo.Filter
		want []geo.CellTally
	}{
		{"texts summed over a cell's points", geo.Filter{Months: feb, Source: "council", Categories: []string{"Begging"}, Wards: []string{"W1"}},
			[]geo.CellTally{ct(2, 1, "Clock Tower"), ct(5, 3, "Zeta Road")}},
		{"a tie goes to the byte-wise first", geo.Filter{Months: feb, Source: "council", Within: mondayTuesday},
			[]geo.CellTally{ct(5, 2, "Alpha Road")}},
		{"police.uk and local texts summed", geo.Filter{Months: mr("2024-01", "2024-03"), Source: "all", Wards: []string{"W1"}},
			[]geo.CellTally{ct(2, 7, "Clock Tower"), ct(3, 2, "On or near Test Street"), ct(5, 3, "Zeta Road")}},
		{"police.uk alone", geo.Filter{Months: all(), Categories: []string{"Shoplifting"}},
			[]geo.CellTally{ct(2, 2, "On or near Test Street")}},
		{"nothing", geo.Filter{Months: mr("2030-01", "2030-12"), Source: "all"}, nil},
	} {
		got, err := st.CellTallies(t.Context(), tc.f, 9)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if len(got) != 0 || len(tc.want) != 0 {
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("%s: cell tallies %v, want %v", tc.name, got, tc.want)
			}
		}
	}
	if _, err := st.CellTallies(t.Context(), geo.Filter{Months: all()}, geo.MaxRes+1); err == nil {
		t.Errorf("cell tallies at resolution %d: no error", geo.MaxRes+1)
	}
	checkCellTalliesAgainstPoints(t, st)
	// New ward boundaries move the records' points into other wards,
	// which the cell tallies follow as the point tallies do: W3 takes
	// pEdge and the first point of cell 5 from W1.
	w3 := geo.Area{Kind: geo.KindWard, Code: "W3", Name: "Middle", Geometry: square(0.008, 0, 0.0125, 0.01)}
	w1 := geo.Area{Kind: geo.KindWard, Code: "W1", Name: "East", Geometry: square(0.0125, 0, 0.02, 0.01)}
	begging := geo.Filter{Months: feb, Source: "council", Categories: []string{"Begging"}}
	checkWardCounts := func(when string, want map[string]int) {
		t.Helper()
		if got, err := st.WardCounts(t.Context(), begging); err != nil || !maps.Equal(got, want) {
			t.Errorf("%s: council begging by ward %v, %v; want %v", when, got, err, want)
		}
	}
	// r3 and t2, t3 east, r4 west; t1 (0.012) east, then in W3 alone.
	checkWardCounts("before new wards", map[string]int{"W1": 4, "W2": 1})
	mustImport(t, st, geo.ImportInput{Areas: []geo.Area{west, w1, w3}})
	checkWardCounts("after new wards", map[string]int{"W1": 3, "W2": 1, "W3": 1})
	for _, wards := range [][]string{{"W3"}, {"W1"}, nil} {
		compareCellTallies(t, st, geo.Filter{Months: feb, Source: geo.SourceAll, Wards: wards}, 9)
	}
	got, err := st.CellTallies(t.Context(), geo.Filter{Months: feb, Source: "council", Categories: []string{"Begging"}, Wards: []string{"W3"}}, 9)
	if want := []geo.CellTally{ct(5, 1, "Zeta Road")}; err != nil || !reflect.DeepEqual(got, want) {
		t.Errorf("after new wards: cell tallies %v, %v; want %v", got, err, want)
	}
}

// checkCellTalliesAgainstPoints compares CellTallies with PointTallies
// summed by cell (the hex layer's earlier way) over sources, flags, days,
// hours, categories, wards and resolutions.
func checkCellTalliesAgainstPoints(t *testing.T, st geo.Store) {
	sl := geo.Flags(0).With(geo.StreetLifestyle)
	flags := []geo.Flags{0, sl, sl.With(geo.Knife)}
	withins := []geo.Within{{}, {Hours: hoursMask(20, 4), Shift: 4, Days: 1 << 4}, {Days: 1<<0 | 1<<1}, {Hours: hoursMask(12, 16)}}
	cats := [][]string{nil, {"Begging"}, {"Shoplifting", "Shop theft"}}
	n := 0
	for _, src := range []string{"", "council", "bid", geo.SourceAll, "nobody"} {
		for _, fl := range flags {
			for _, w := range withins {
				for _, c := range cats {
					for _, wards := range [][]string{nil, {"W1"}} {
						f := geo.Filter{Months: mr("2024-01", "2024-03"), Source: src, Flags: fl, Within: w, Categories: c, Wards: wards}
						n++
						compareCellTallies(t, st, f, []int{geo.MinRes, 9, geo.MaxRes}[n%3])
					}
				}
			}
		}
	}
}

func compareCellTallies(t *testing.T, st geo.Store, f geo.Filter, res int) {
	t.Helper()
	got, err := st.CellTallies(t.Context(), f, res)
	if err != nil {
		t.Fatal(err)
	}
	pts := mustTallies(t, st, f)
	locs := map[geo.Cell]map[string]int{}
	for _, p := range pts {
		c := p.Cells[res-geo.MinRes]
		if locs[c] == nil {
			locs[c] = map[string]int{}
		}
		for l, n := range p.Locations {
			locs[c][l] += n
		}
	}
	var want []geo.CellTally
	for c, m := range locs {
		ct := geo.CellTally{Cell: c}
		texts := make([]string, 0, len(m))
		for l, n := range m {
			ct.Count += n
			texts = append(texts, l)
		}
		slices.Sort(texts)
		best := 0
		for _, l := range texts {
			if m[l] > best {
				ct.TopLocation, best = l, m[l]
			}
		}
		want = append(want, ct)
	}
	slices.SortFunc(want, func(a, b geo.CellTally) int { return cmp.Compare(a.Cell, b.Cell) })
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("filter %+v, res %d: cell tallies %v, point tallies by cell %v", f, res, got, want)
	}
}
