package postgis

import (
	"slices"
	"testing"

	"github.com/paulmach/orb"

	"github.com/leicester-csp/hotspot/geo"
)

// Cell tallies of a priority's wards name their points' cells and their
// Location texts from the store's cache of ids: the same tallies as the
// SQL's own joins, at every resolution, after a second run adds points
// and texts the cache has not met, and with the cache past its bound
// (the joins then answer).
func TestCellTalliesByPointID(t *testing.T) {
	url := testURL(t)
	st := openTest(t, url, Options{Schema: freshSchema(t, url)})
	capped := openTest(t, url, Options{Schema: st.schema})
	capped.ids.max = -1 // no point id fits
	ctx := t.Context()
	jan := geo.NewMonth(2024, 1)
	at := func(id string, m geo.Month, cat, loc string, k int, p orb.Point) geo.Row {
		l := &geo.Located{Incident: geo.Incident{ID: id, Month: m, Category: cat, Location: loc, HasLocation: true, Point: p}}
		for r := range l.Cells {
			l.Cells[r] = geo.Cell(uint64(0x8a195da49b7ffff) + uint64(k*16+r))
		}
		return geo.Row{Incident: l}
	}
	p1, p2, p3 := orb.Point{0.2, 0.2}, orb.Point{0.7, 0.7}, orb.Point{1.5, 0.5}
	first := []geo.Row{
		at("a", jan, "Drugs", "On or near A Street", 1, p1), at("b", jan, "Drugs", "On or near A Street", 1, p1),
		at("c", jan+1, "Drugs", "On or near B Road", 2, p2), at("d", jan, "Theft", "On or near C Lane", 3, p3),
	}
	if _, err := st.Import(ctx, geo.ImportInput{Areas: []geo.Area{unitWard("W1", 0), unitWard("W2", 1)}, Rows: rowsOf(first...)}); err != nil {
		t.Fatal(err)
	}
	check := func(when string) {
		t.Helper()
		for res := geo.MinRes; res <= geo.MaxRes; res++ {
			for _, f := range []geo.Filter{
				{Months: geo.MonthRange{From: jan, To: jan + 3}, Wards: []string{"W1"}},
				{Months: geo.MonthRange{From: jan, To: jan + 3}, Wards: []string{"W1", "W2"}, Categories: []string{"Drugs"}},
				{Months: geo.MonthRange{From: jan + 1, To: jan + 3}, Wards: []string{"W2", "W9"}},
			} {
				var acc []cellText
				if err := st.cellTally(ctx, st.q(sqlCellTalliesInWards), append(filterArgs(f), res), &acc); err != nil {
					t.Fatal(err)
				}
				want := cellTallies(acc)
				for name, s := range map[string]*Store{"cache": st, "past the bound": capped} {
					got, err := s.CellTallies(ctx, f, res)
					if err != nil || !slices.Equal(got, want) {
						t.Errorf("%s, %s, res %d, %+v: %v, %v; the joins give %v", when, name, res, f, got, err, want)
					}
				}
			}
		}
	}
	held := func(when string) {
		t.Helper()
		v, err := st.Version(ctx)
		if err != nil {
			t.Fatal(err)
		}
		// The cache answered, and holds only this Version's ids; the
		// capped store's joins did.
		if st.ids.version != v || len(st.ids.cells[9-geo.MinRes]) == 0 || len(st.ids.texts) == 0 {
			t.Errorf("%s: the cache holds %q, %d cells at res 9, %d texts; want %q and some", when, st.ids.version, len(st.ids.cells[9-geo.MinRes]), len(st.ids.texts), v)
		}
		if len(capped.ids.cells[9-geo.MinRes]) != 0 || capped.ids.tooBig != v {
			t.Errorf("%s: the capped cache holds %d cells, past the bound at %q; want none, at %q", when, len(capped.ids.cells[9-geo.MinRes]), capped.ids.tooBig, v)
		}
	}
	check("first run")
	held("first run")
	more := []geo.Row{
		at("e", jan+2, "Drugs", "On or near D Close", 4, orb.Point{0.4, 0.6}), at("f", jan+2, "Drugs", "On or near D Close", 4, orb.Point{0.4, 0.6}),
		at("g", jan+2, "Theft", "On or near E Way", 5, orb.Point{1.2, 0.8}), at("h", jan+2, "Drugs", "On or near B Road", 2, p2),
	}
	if res, err := st.Import(ctx, geo.ImportInput{Rows: rowsOf(more...)}); err != nil || res.Imported != 4 {
		t.Fatalf("second run: %+v, %v", res, err)
	}
	check("second run")
	held("second run")
	got, err := st.CellTallies(ctx, geo.Filter{Months: geo.MonthRange{From: jan + 2, To: jan + 2}, Wards: []string{"W1"}}, 9)
	if want := []geo.CellTally{{Cell: 0x8a195da49b7ffff + 2*16 + 3, Count: 1, TopLocation: "On or near B Road"}, {Cell: 0x8a195da49b7ffff + 4*16 + 3, Count: 2, TopLocation: "On or near D Close"}}; err != nil || !slices.Equal(got, want) {
		t.Errorf("W1 in March, by hand: %v, %v; want %v", got, err, want)
	}
}
