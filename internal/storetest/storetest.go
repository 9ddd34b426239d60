// Package storetest is the behavioural suite every geo.Store must pass.
// The embedded and PostGIS stores both run it, so "the same behaviour, one
// implementation" is checked rather than hoped for.
package storetest

import (
	"errors"
	"fmt"
	"iter"
	"maps"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/paulmach/orb"

	"github.com/leicester-csp/hotspot/geo"
)

// Opener opens a fresh, empty store for one test. Reopen opens the same
// data again as a new instance (another process, a restart).
type Opener func(t *testing.T) (st geo.Store, reopen func() geo.Store)

// Fixture geometry: two unit-ish squares side by side sharing the edge
// lon = 0.01. W2 lies west, W1 east, so a point on the shared edge must go
// to W1, the lower code, although W2 comes first geographically.
var (
	west = geo.Area{Kind: geo.KindWard, Code: "W2", Name: "West", Geometry: square(0, 0, 0.01, 0.01)}
	east = geo.Area{Kind: geo.KindWard, Code: "W1", Name: "East", Geometry: square(0.01, 0, 0.02, 0.01)}
)

func square(x0, y0, x1, y1 float64) orb.MultiPolygon {
	return orb.MultiPolygon{{{{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}, {x0, y0}}}}
}

// Fake cells: the suite checks that stores keep and group by the cells
// they are given, not H3 itself; cell c at resolution r is c*16 + r.
func cells(c uint64) [geo.NumRes]geo.Cell {
	var out [geo.NumRes]geo.Cell
	for r := range out {
		out[r] = geo.Cell(c*16 + uint64(r+geo.MinRes))
	}
	return out
}

func inc(id string, month string, cat string, p *orb.Point, cell uint64) *geo.Located {
	m, err := geo.ParseMonth(month)
	if err != nil {
		panic(err)
	}
	l := &geo.Located{Incident: geo.Incident{
		ID: id, Month: m, ReportedBy: "Test Police", FallsWithin: "Test Police",
		Location: "On or near Test Street", LSOACode: "E01000001", LSOAName: "Test 001A",
		Category: cat, Outcome: "Under investigation",
	}}
	if p != nil {
		l.HasLocation = true
		l.Point = *p
		l.Cells = cells(cell)
	} else {
		l.Location = "No Location"
	}
	return l
}

var (
	pWest = &orb.Point{0.005, 0.005}
	pEast = &orb.Point{0.015, 0.005}
	pEdge = &orb.Point{0.01, 0.005}
	pOut  = &orb.Point{0.05, 0.05}
)

// fixture returns a dozen incidents over three months.
func fixture() []*geo.Located {
	const (
		asb  = "Anti-social behaviour"
		viol = "Violence and sexual offences"
		shop = "Shoplifting"
	)
	return []*geo.Located{
		inc("c01", "2024-01", viol, pWest, 1),
		inc("c02", "2024-01", viol, pWest, 1),
		inc("c03", "2024-01", shop, pEast, 2),
		inc("asb-0001", "2024-01", asb, pEdge, 3),
		inc("c04", "2024-02", viol, pEast, 2),
		inc("c05", "2024-02", viol, nil, 0),
		inc("c06", "2024-02", asb, pOut, 9),
		inc("B07", "2024-02", viol, pWest, 1), // "B07" < "c04" byte-wise
		inc("c08", "2024-03", shop, pEast, 2),
		inc("c09", "2024-03", viol, pEdge, 3),
		inc("c10", "2024-03", asb, pWest, 1),
		inc("c11", "2024-03", asb, nil, 0),
	}
}

func rowsOf(incs []*geo.Located, rejects ...geo.Reject) iter.Seq2[geo.Row, error] {
	return func(yield func(geo.Row, error) bool) {
		for _, l := range incs {
			if !yield(geo.Row{Incident: l}, nil) {
				return
			}
		}
		for i := range rejects {
			if !yield(geo.Row{Reject: &rejects[i]}, nil) {
				return
			}
		}
	}
}

func all() geo.MonthRange {
	return geo.MonthRange{From: geo.NewMonth(2000, 1), To: geo.NewMonth(2100, 12)}
}

func mustImport(t *testing.T, st geo.Store, in geo.ImportInput) geo.ImportResult {
	t.Helper()
	res, err := st.Import(t.Context(), in)
	if err != nil {
		t.Fatalf("import: %v", err)
	}
	return res
}

func mustVersion(t *testing.T, st geo.Store) string {
	t.Helper()
	v, err := st.Version(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func loaded(t *testing.T, open Opener) (geo.Store, func() geo.Store) {
	t.Helper()
	st, reopen := open(t)
	mustImport(t, st, geo.ImportInput{Areas: []geo.Area{west, east}, Population: map[string]int{"W1": 2000, "W2": 500}})
	res := mustImport(t, st, geo.ImportInput{Rows: rowsOf(fixture())})
	if res.Imported != 12 || res.Duplicates != 0 {
		t.Fatalf("import fixture: %+v, want 12 imported", res)
	}
	return st, reopen
}

// Run runs the whole suite.
func Run(t *testing.T, open Opener) {
	t.Run("Empty", func(t *testing.T) { testEmpty(t, open) })
	t.Run("CountsByCellAndWard", func(t *testing.T) { testCounts(t, open) })
	t.Run("ReimportAddsNothing", func(t *testing.T) { testReimport(t, open) })
	t.Run("FailedImportLeavesStore", func(t *testing.T) { testAtomic(t, open) })
	t.Run("Rejects", func(t *testing.T) { testRejects(t, open) })
	t.Run("BoundariesAfterIncidents", func(t *testing.T) { testReassign(t, open) })
	t.Run("IncidentPages", func(t *testing.T) { testPages(t, open) })
	t.Run("Series", func(t *testing.T) { testSeries(t, open) })
	t.Run("Reopen", func(t *testing.T) { testReopen(t, open) })
	t.Run("ReadersSeeWholeImports", func(t *testing.T) { testWholeImports(t, open) })
}

// testWholeImports: a second instance (a server in another process) reads
// while the first imports batch after batch. It must see each import
// whole or not at all, and see the last one within a few seconds.
func testWholeImports(t *testing.T, open Opener) {
	st, reopen := open(t)
	reader := reopen()
	const batches, size = 4, 300
	ctx := t.Context()
	var (
		mu   sync.Mutex
		bad  []string
		stop = make(chan struct{})
		wg   sync.WaitGroup
	)
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			select {
			case <-stop:
				return
			default:
			}
			p, err := reader.Incidents(ctx, geo.Filter{Months: all()}, geo.PageRequest{Limit: 1})
			cc, err2 := reader.CellCounts(ctx, geo.Filter{Months: all()}, 9)
			n := 0
			for _, c := range cc {
				n += c
			}
			if err != nil || err2 != nil || p.Total%size != 0 || n%size != 0 {
				mu.Lock()
				bad = append(bad, fmt.Sprintf("total %d cells %d (%v, %v)", p.Total, n, err, err2))
				mu.Unlock()
			}
			time.Sleep(time.Millisecond)
		}
	}()
	for b := range batches {
		var ls []*geo.Located
		for i := range size {
			p := orb.Point{0.001 * float64(i%50), 0.001 * float64(b)}
			ls = append(ls, inc(fmt.Sprintf("w%d-%04d", b, i), "2024-06", "Drugs", &p, uint64(1+i%50)))
		}
		mustImport(t, st, geo.ImportInput{Rows: rowsOf(ls)})
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		p, err := reader.Incidents(ctx, geo.Filter{Months: all()}, geo.PageRequest{Limit: 1})
		if err == nil && p.Total == batches*size {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the reader sees %d incidents (%v) 10 s after the last import, want %d", p.Total, err, batches*size)
		}
		time.Sleep(10 * time.Millisecond)
	}
	close(stop)
	wg.Wait()
	if len(bad) > 0 {
		t.Errorf("the reader saw partial imports: %v", bad[:min(len(bad), 5)])
	}
}

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

func testReimport(t *testing.T, open Opener) {
	st, _ := loaded(t, open)
	v := mustVersion(t, st)
	res := mustImport(t, st, geo.ImportInput{Rows: rowsOf(fixture())})
	if res.Imported != 0 || res.Duplicates != 12 {
		t.Errorf("re-import: %+v, want 0 imported, 12 duplicates", res)
	}
	if v2 := mustVersion(t, st); v2 != v {
		t.Errorf("version changed on a re-import: %s → %s", v, v2)
	}
	// Duplicates within one run count once.
	more := []*geo.Located{inc("n1", "2024-04", "Drugs", pEast, 2), inc("n1", "2024-04", "Drugs", pEast, 2)}
	res = mustImport(t, st, geo.ImportInput{Rows: rowsOf(more)})
	if res.Imported != 1 || res.Duplicates != 1 {
		t.Errorf("run with a repeated ID: %+v, want 1 imported, 1 duplicate", res)
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
	mustImport(t, st, geo.ImportInput{Areas: []geo.Area{west, east}})
	wc, _ = st.WardCounts(ctx, geo.Filter{Months: all()})
	if !maps.Equal(wc, map[string]int{"W1": 5, "W2": 4}) {
		t.Errorf("after loading wards: %v", wc)
	}
	// Replacing the wards re-assigns again: one big ward.
	big := geo.Area{Kind: geo.KindWard, Code: "W9", Name: "Everything", Geometry: square(-1, -1, 1, 1)}
	mustImport(t, st, geo.ImportInput{Areas: []geo.Area{big}})
	wc, _ = st.WardCounts(ctx, geo.Filter{Months: all()})
	if !maps.Equal(wc, map[string]int{"W9": 10}) {
		t.Errorf("after replacing wards: %v, want W9: 10", wc)
	}
	got, err := st.Incident(ctx, "c06")
	if err != nil || got.Ward != "W9" || got.WardName != "Everything" {
		t.Errorf("c06 = %+v, %v; want ward W9", got, err)
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

func testReopen(t *testing.T, open Opener) {
	st, reopen := loaded(t, open)
	ctx := t.Context()
	want, _ := st.Incidents(ctx, geo.Filter{Months: all()}, geo.PageRequest{Limit: 100})
	wantCells, _ := st.CellCounts(ctx, geo.Filter{Months: all()}, 9)
	again := reopen()
	got, err := again.Incidents(ctx, geo.Filter{Months: all()}, geo.PageRequest{Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.EqualFunc(got.Items, want.Items, func(a, b geo.StoredIncident) bool { return a == b }) {
		t.Errorf("after reopen: %v\nwant %v", got.Items, want.Items)
	}
	gotCells, _ := again.CellCounts(ctx, geo.Filter{Months: all()}, 9)
	if !maps.Equal(gotCells, wantCells) {
		t.Errorf("cells after reopen: %v, want %v", gotCells, wantCells)
	}
	if mustVersion(t, again) != mustVersion(t, st) {
		t.Errorf("reopened store has another version")
	}
}
