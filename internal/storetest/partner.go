package storetest

import (
	"errors"
	"iter"
	"maps"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/paulmach/orb"

	"github.com/leicester-csp/hotspot/geo"
)

// local returns a partner record of src at local wall time when
// (Europe/London, "2006-01-02 15:04").
func local(src, id, when, cat string, p *orb.Point, cell uint64, flags ...geo.Flag) *geo.Located {
	t, err := time.ParseInLocation("2006-01-02 15:04", when, geo.London)
	if err != nil {
		panic(err)
	}
	l := &geo.Located{Incident: geo.Incident{
		ID: id, Month: geo.NewMonth(t.Year(), int(t.Month())), Category: cat, Location: "Clock Tower",
		Source: src, Occurred: t, Premises: "P-" + id, Offender: "0123456789abcdef",
	}}
	for _, f := range flags {
		l.Flags = l.Flags.With(f)
	}
	if p != nil {
		l.HasLocation, l.Point, l.Cells = true, *p, cells(cell)
	}
	return l
}

// partnerFixture: council records over Friday/Saturday nights of
// 2024-02 (Fri 2 Feb, Sat 3 Feb), one at a point police.uk has not, one
// without location; and one of another source with an ID police.uk has.
func partnerFixture() []*geo.Located {
	pNew := &orb.Point{0.004, 0.002}
	return []*geo.Located{
		local("council", "r1", "2024-02-02 21:00", "Street drinking", pWest, 1, geo.StreetLifestyle),            // Fri night
		local("council", "r2", "2024-02-03 02:00", "Street drinking", pWest, 1, geo.StreetLifestyle, geo.Knife), // Fri night
		local("council", "r3", "2024-02-03 14:00", "Begging", pEast, 2),                                         // Sat day
		local("council", "r4", "2024-02-04 01:30", "Begging", pNew, 4, geo.Homelessness),                        // Sat night
		local("council", "r5", "2024-03-01 23:00", "Begging", nil, 0),
		local("bid", "c01", "2024-02-02 22:00", "Shop theft", pEast, 2),
	}
}

func testPartner(t *testing.T, open Opener) {
	st, reopen := loaded(t, open)
	ctx := t.Context()
	ukBefore := mustCells(t, st, geo.Filter{Months: all()})
	ptsBefore, _ := st.MapPoints(ctx)
	res := mustImport(t, st, geo.ImportInput{Rows: rowsOf(partnerFixture())})
	if res.Imported != 6 || res.Duplicates != 0 {
		t.Fatalf("partner import: %+v, want 6 imported (an ID is unique per source)", res)
	}
	if got := mustCells(t, st, geo.Filter{Months: all()}); !maps.Equal(got, ukBefore) {
		t.Errorf("police.uk cells after a partner import: %v, want %v", got, ukBefore)
	}
	if pts, _ := st.MapPoints(ctx); !reflect.DeepEqual(pts, ptsBefore) {
		t.Errorf("map points after a partner import: %d, want police.uk's %d", len(pts), len(ptsBefore))
	}
	if srcs, err := st.Sources(ctx); err != nil || !slices.Equal(srcs, []string{"bid", "council"}) {
		t.Errorf("sources = %v, %v; want bid, council", srcs, err)
	}
	checkPartnerCounts(t, st)
	res = mustImport(t, st, geo.ImportInput{Rows: rowsOf(partnerFixture())})
	if res.Imported != 0 || res.Duplicates != 6 {
		t.Errorf("partner re-import: %+v, want 6 duplicates", res)
	}
	checkPartnerPage(t, st)
	checkPartnerCounts(t, reopen())
}

func checkPartnerCounts(t *testing.T, st geo.Store) {
	t.Helper()
	night := geo.Within{Hours: hoursMask(20, 4), Shift: 4, Days: 1 << 4} // hours=20-04, days=fri
	cases := []struct {
		name string
		f    geo.Filter
		want map[geo.Cell]int
	}{
		{"council", geo.Filter{Source: "council"}, map[geo.Cell]int{cells(1)[3]: 2, cells(2)[3]: 1, cells(4)[3]: 1}},
		{"flag", geo.Filter{Source: "council", Flags: geo.Flags(0).With(geo.StreetLifestyle)}, map[geo.Cell]int{cells(1)[3]: 2}},
		{"two flags", geo.Filter{Source: "all", Flags: geo.Flags(0).With(geo.StreetLifestyle).With(geo.Knife)}, map[geo.Cell]int{cells(1)[3]: 1}},
		{"friday night", geo.Filter{Source: "council", Within: night}, map[geo.Cell]int{cells(1)[3]: 2}},
		{"saturday hours", geo.Filter{Source: "council", Within: geo.Within{Days: 1 << 5, Hours: hoursMask(12, 16)}}, map[geo.Cell]int{cells(2)[3]: 1}},
		{"category", geo.Filter{Source: "all", Categories: []string{"Shop theft"}}, map[geo.Cell]int{cells(2)[3]: 1}},
		{"unknown source", geo.Filter{Source: "nobody"}, map[geo.Cell]int{}},
		{"all: police.uk and both sources", geo.Filter{Source: "all", Categories: []string{"Shoplifting", "Shop theft"}}, map[geo.Cell]int{cells(2)[3]: 2}}, // c08 and bid/c01
	}
	for _, tc := range cases {
		tc.f.Months = mr("2024-02", "2024-03")
		if got := mustCells(t, st, tc.f); !maps.Equal(got, tc.want) {
			t.Errorf("%s: cells %v, want %v", tc.name, got, tc.want)
		}
	}
	f := geo.Filter{Months: all(), Source: "council"}
	if w, err := st.WardCounts(t.Context(), f); err != nil || !maps.Equal(w, map[string]int{"W2": 3, "W1": 1}) {
		t.Errorf("council ward counts %v, %v; want W2 3, W1 1", w, err)
	}
	if s, err := st.Series(t.Context(), f, geo.SeriesKey{}); err != nil || !maps.Equal(s, map[geo.Month]int{geo.NewMonth(2024, 2): 4}) {
		t.Errorf("council series %v, %v", s, err)
	}
	ts := mustTallies(t, st, f)
	if len(ts) != 3 || ts[0].Locations["Clock Tower"] == 0 {
		t.Errorf("council tallies %+v, want 3 points", ts)
	}
	checkCellMonths(t, st, f, mustCells(t, st, f))
}

// checkPartnerPage checks a page keeps every field of a partner record.
func checkPartnerPage(t *testing.T, st geo.Store) {
	t.Helper()
	p, err := st.Incidents(t.Context(), geo.Filter{Months: all(), Source: "council"}, geo.PageRequest{Limit: 10})
	if err != nil || p.Total != 5 || len(p.Items) != 5 {
		t.Fatalf("council page: %d of %d, %v; want 5", len(p.Items), p.Total, err)
	}
	got, want := p.Items[1], partnerFixture()[1]
	if got.ID != "r2" || got.Source != "council" || !got.Occurred.Equal(want.Occurred) || got.Occurred.Location().String() != "Europe/London" ||
		got.Flags != want.Flags || got.Premises != "P-r2" || got.Offender != want.Offender || got.Ward != "W2" || got.Category != "Street drinking" {
		t.Errorf("stored record %+v, want %+v", got, want.Incident)
	}
	all, err := st.Incidents(t.Context(), geo.Filter{Months: mr("2024-02", "2024-02"), Source: "all"}, geo.PageRequest{Limit: 3, Offset: 1})
	var ids []string
	for _, it := range all.Items {
		ids = append(ids, it.Source+"/"+it.ID)
	}
	// 2024-02 by ID then source: B07, c01 (bid), c04, c05, c06, r1 …
	if err != nil || all.Total != 9 || !slices.Equal(ids, []string{"bid/c01", "/c04", "/c05"}) {
		t.Errorf("all sources page: %v of %d, %v", ids, all.Total, err)
	}
}

// testPartnerAtomic: a failed partner import changes nothing; premises
// merge by ID.
func testPartnerAtomic(t *testing.T, open Opener) {
	st, _ := loaded(t, open)
	boom := errors.New("stream broke")
	rows := func(yield func(geo.Row, error) bool) {
		for _, l := range partnerFixture()[:4] {
			if !yield(geo.Row{Incident: l}, nil) {
				return
			}
		}
		yield(geo.Row{}, boom)
	}
	prem := []geo.Premises{{ID: "P1", Name: "The Crown", Kind: "licensed", HasLocation: true, Point: orb.Point{0.005, 0.005}}}
	if _, err := st.Import(t.Context(), geo.ImportInput{Rows: rows, Premises: prem}); !errors.Is(err, boom) {
		t.Fatalf("import = %v, want the stream's error", err)
	}
	if srcs, _ := st.Sources(t.Context()); len(srcs) != 0 {
		t.Errorf("sources after a failed import: %v", srcs)
	}
	if ps, _ := st.Premises(t.Context()); len(ps) != 0 {
		t.Errorf("premises after a failed import: %v", ps)
	}
	mustImport(t, st, geo.ImportInput{Premises: prem})
	v := mustVersion(t, st)
	mustImport(t, st, geo.ImportInput{Premises: prem})
	if mustVersion(t, st) != v {
		t.Errorf("loading the same premises again changed the version")
	}
	prem = append(prem, geo.Premises{ID: "P0", Name: "Corner Shop", Kind: "retail"})
	prem[0].Name = "The Crown Inn"
	mustImport(t, st, geo.ImportInput{Premises: prem})
	ps, err := st.Premises(t.Context())
	if err != nil || len(ps) != 2 || ps[0].ID != "P0" || ps[0].HasLocation || ps[1].Name != "The Crown Inn" || ps[1].Point != prem[0].Point {
		t.Errorf("premises %+v, %v", ps, err)
	}
}

func hoursMask(from, to int) uint32 {
	var m uint32
	for h := from; h != to; h = (h + 1) % 24 {
		m |= 1 << h
	}
	return m
}

func mustCells(t *testing.T, st geo.Store, f geo.Filter) map[geo.Cell]int {
	t.Helper()
	got, err := st.CellCounts(t.Context(), f, 9)
	if err != nil {
		t.Fatal(err)
	}
	return got
}

// A stream may reuse a row's memory once the store asks for the next row
// (geo.ImportInput.Rows says so; the partner reader does): records
// streamed through one Located, overwritten for each row and cleared once
// the stream ends, are stored as the records themselves.
func testPartnerReusedRows(t *testing.T, open Opener) {
	st, _ := loaded(t, open)
	res := mustImport(t, st, geo.ImportInput{Rows: reusedRowsOf(partnerFixture())})
	if res.Imported != 6 || res.Duplicates != 0 {
		t.Fatalf("partner import through one reused record: %+v, want 6 imported", res)
	}
	checkPartnerCounts(t, st)
	checkPartnerPage(t, st)
}

// reusedRowsOf streams incs through a single Located.
func reusedRowsOf(incs []*geo.Located) iter.Seq2[geo.Row, error] {
	return func(yield func(geo.Row, error) bool) {
		var l geo.Located
		defer func() { l = geo.Located{} }()
		for _, in := range incs {
			l = *in
			if !yield(geo.Row{Incident: &l}, nil) {
				return
			}
		}
	}
}
