package storetest

import (
	"errors"
	"fmt"
	"maps"
	"reflect"
	"testing"

	"github.com/paulmach/orb"

	"github.com/leicester-csp/hotspot/geo"
)

func testReimport(t *testing.T, open Opener) {
	st, _ := loaded(t, open)
	v := mustVersion(t, st)
	before := mustTallies(t, st, geo.Filter{Months: all()})
	res := mustImport(t, st, geo.ImportInput{Rows: rowsOf(fixture())})
	if res.Imported != 0 || res.Duplicates != 12 {
		t.Errorf("re-import: %+v, want 0 imported, 12 duplicates", res)
	}
	if v2 := mustVersion(t, st); v2 != v {
		t.Errorf("version changed on a re-import: %s → %s", v, v2)
	}
	if after := mustTallies(t, st, geo.Filter{Months: all()}); !reflect.DeepEqual(after, before) {
		t.Errorf("tallies changed on a re-import:\n%+v\nwant\n%+v", after, before)
	}
	// Duplicates within one run count once.
	more := []*geo.Located{inc("n1", "2024-04", "Drugs", pEast, 2), inc("n1", "2024-04", "Drugs", pEast, 2)}
	res = mustImport(t, st, geo.ImportInput{Rows: rowsOf(more)})
	if res.Imported != 1 || res.Duplicates != 1 {
		t.Errorf("run with a repeated ID: %+v, want 1 imported, 1 duplicate", res)
	}
	// A new incident like a stored one adds to its counts, texts included.
	again := inc("n2", "2024-01", "Shoplifting", pEast, 2) // as c03
	mustImport(t, st, geo.ImportInput{Rows: rowsOf([]*geo.Located{again})})
	ts := mustTallies(t, st, geo.Filter{Months: mr("2024-01", "2024-01"), Categories: []string{"Shoplifting"}})
	if len(ts) != 1 || ts[0].Point != *pEast || ts[0].Count != 2 || ts[0].Locations["On or near Test Street"] != 2 ||
		ts[0].Outcomes["Under investigation"] != 2 || ts[0].Categories["Shoplifting"] != 2 {
		t.Errorf("tallies after a like incident: %+v, want 2 at the east point", ts)
	}
}

func testAtomic(t *testing.T, open Opener) {
	st, reopen := loaded(t, open)
	v := mustVersion(t, st)
	boom := errors.New("disk on fire")
	rows := func(yield func(geo.Row, error) bool) {
		for i := range 100 {
			if !yield(geo.Row{Incident: inc(fmt.Sprintf("x%03d", i), "2024-05", "Drugs", pEast, 2)}, nil) {
				return
			}
		}
		yield(geo.Row{}, boom)
	}
	_, err := st.Import(t.Context(), geo.ImportInput{Rows: rows, Areas: []geo.Area{west}, Population: map[string]int{"W1": 1}})
	if !errors.Is(err, boom) {
		t.Fatalf("import = %v, want the stream's error", err)
	}
	for name, s := range map[string]geo.Store{"same": st, "reopened": reopen()} {
		if v2 := mustVersion(t, s); v2 != v {
			t.Errorf("%s: version %s → %s after a failed import", name, v, v2)
		}
		ms, _ := s.Months(t.Context())
		if len(ms) != 3 {
			t.Errorf("%s: months %v after a failed import", name, ms)
		}
		ws, _ := s.Areas(t.Context(), geo.KindWard)
		pop, _ := s.Population(t.Context())
		if len(ws) != 2 || pop["W1"] != 2000 {
			t.Errorf("%s: areas/population changed by a failed import: %d wards, %v", name, len(ws), pop)
		}
	}
}

func testRejects(t *testing.T, open Opener) {
	st, _ := open(t)
	rej := geo.Reject{File: "bad.csv", Line: 7, Reason: "Month \"2024-13\" is not YYYY-MM", Raw: []string{"x", "2024-13"}}
	res := mustImport(t, st, geo.ImportInput{Rows: rowsOf(fixture()[:2], rej)})
	if res.Imported != 2 || res.Rejected != 1 || res.RejectsAt == "" {
		t.Errorf("import with a reject: %+v, want 2 imported, 1 rejected, and where", res)
	}
}

func testReassign(t *testing.T, open Opener) {
	st, _ := open(t)
	ctx := t.Context()
	mustImport(t, st, geo.ImportInput{Rows: rowsOf(fixture())})
	// No wards: the area is everything located.
	wc, _ := st.WardCounts(ctx, geo.Filter{Months: all()})
	cc, _ := st.CellCounts(ctx, geo.Filter{Months: all()}, 9)
	if len(wc) != 0 || cc[cells(9)[3]] != 1 {
		t.Errorf("without wards: wards %v, cells %v; want no wards and the outside point counted", wc, cc)
	}
	checkTallyWards(t, st, map[orb.Point]string{*pWest: "", *pEdge: "", *pEast: "", *pOut: ""})
	mustImport(t, st, geo.ImportInput{Areas: []geo.Area{west, east}})
	wc, _ = st.WardCounts(ctx, geo.Filter{Months: all()})
	if !maps.Equal(wc, map[string]int{"W1": 5, "W2": 4}) {
		t.Errorf("after loading wards: %v", wc)
	}
	checkTallyWards(t, st, map[orb.Point]string{*pWest: "W2", *pEdge: "W1", *pEast: "W1"})
	// Replacing the wards re-assigns again: one big ward.
	big := geo.Area{Kind: geo.KindWard, Code: "W9", Name: "Everything", Geometry: square(-1, -1, 1, 1)}
	mustImport(t, st, geo.ImportInput{Areas: []geo.Area{big}})
	wc, _ = st.WardCounts(ctx, geo.Filter{Months: all()})
	if !maps.Equal(wc, map[string]int{"W9": 10}) {
		t.Errorf("after replacing wards: %v, want W9: 10", wc)
	}
	checkTallyWards(t, st, map[orb.Point]string{*pWest: "W9", *pEdge: "W9", *pEast: "W9", *pOut: "W9"})
	got, err := st.Incident(ctx, "c06")
	if err != nil || got.Ward != "W9" || got.WardName != "Everything" {
		t.Errorf("c06 = %+v, %v; want ward W9", got, err)
	}
}

// checkTallyWards checks that the tallies of every counted incident name
// the points and wards given, and add up to what the ward and cell
// counts say, as boundaries come and go.
func checkTallyWards(t *testing.T, st geo.Store, want map[orb.Point]string) {
	t.Helper()
	f := geo.Filter{Months: all()}
	ts := mustTallies(t, st, f)
	got := map[orb.Point]string{}
	n := 0
	for _, pt := range ts {
		got[pt.Point] = pt.Ward
		n += pt.Count
	}
	cc, err := st.CellCounts(t.Context(), f, 9)
	if err != nil {
		t.Fatal(err)
	}
	cn := 0
	for _, c := range cc {
		cn += c
	}
	if !maps.Equal(got, want) || n != cn {
		t.Errorf("tallies: points and wards %v, %d counted; want %v, %d", got, n, want, cn)
	}
}

func mustTallies(t *testing.T, st geo.Store, f geo.Filter) []geo.PointTally {
	t.Helper()
	ts, err := st.PointTallies(t.Context(), f)
	if err != nil {
		t.Fatal(err)
	}
	return ts
}
