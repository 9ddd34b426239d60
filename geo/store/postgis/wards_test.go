package postgis

import (
	"maps"
	"sync"
	"testing"

	"github.com/paulmach/orb"

	"github.com/leicester-csp/hotspot/geo"
)

func unitWard(code string, x0 float64) geo.Area {
	return geo.Area{Kind: geo.KindWard, Code: code, Name: code, Geometry: orb.MultiPolygon{{{{x0, 0}, {x0 + 1, 0}, {x0 + 1, 1}, {x0, 1}, {x0, 0}}}}}
}

// A store made before agg_ward gets it (and agg_text its wards) when
// opened, and later imports into a store holding incidents add to it
// through their points' wards (the staged merge, not the rebuild an empty
// store gets); new boundaries move every count.
func TestWardAggregatesMigrated(t *testing.T) {
	url := testURL(t)
	opt := Options{Schema: freshSchema(t, url)}
	st := openTest(t, url, opt)
	ctx := t.Context()
	jan := geo.NewMonth(2024, 1)
	w1, w2, out := orb.Point{0.5, 0.5}, orb.Point{1.5, 0.5}, orb.Point{5, 5}
	first := []geo.Row{
		incident("a", jan, "Drugs", &w1), incident("b", jan, "Drugs", &w1), incident("c", jan+1, "Drugs", &w2),
		incident("d", jan+1, "Robbery", &w2), incident("e", jan, "Drugs", &out), incident("f", jan, "Drugs", nil),
	}
	areas := []geo.Area{unitWard("W1", 0), unitWard("W2", 1)}
	if _, err := st.Import(ctx, geo.ImportInput{Areas: areas, Rows: rowsOf(first...)}); err != nil {
		t.Fatal(err)
	}
	all := geo.Filter{Months: geo.MonthRange{From: jan, To: jan + 2}}
	// By hand: points outside every ward and incidents without location
	// count in no ward.
	check := func(when string, st *Store, cases map[string]struct {
		f    geo.Filter
		want map[string]int
	}) {
		t.Helper()
		for name, tc := range cases {
			got, err := st.WardCounts(ctx, tc.f)
			if err != nil || !maps.Equal(got, tc.want) {
				t.Errorf("%s, %s: WardCounts = %v, %v; want %v", when, name, got, err, tc.want)
			}
			// Tallies limited to each ward read agg_text's own wards.
			for w, n := range tc.want {
				f := tc.f
				f.Wards = []string{w}
				ts, err := st.PointTallies(ctx, f)
				sum := 0
				for _, pt := range ts {
					sum += pt.Count
					if pt.Ward != w {
						t.Errorf("%s, %s: a tally of ward %s names %q", when, name, w, pt.Ward)
					}
				}
				if err != nil || sum != n {
					t.Errorf("%s, %s: tallies of ward %s count %d, %v; want %d", when, name, w, sum, err, n)
				}
			}
		}
	}
	type tc = struct {
		f    geo.Filter
		want map[string]int
	}
	before := map[string]tc{
		"all":     {all, map[string]int{"W1": 2, "W2": 2}},
		"robbery": {geo.Filter{Months: all.Months, Categories: []string{"Robbery"}}, map[string]int{"W2": 1}},
		"W1 only": {geo.Filter{Months: all.Months, Wards: []string{"W1"}}, map[string]int{"W1": 2}},
		"feb":     {geo.Filter{Months: geo.MonthRange{From: jan + 1, To: jan + 1}}, map[string]int{"W2": 2}},
		// Windows that end before the first month or start after the
		// last: the running totals read before their arrays' start and
		// past their end.
		"before": {geo.Filter{Months: geo.MonthRange{From: jan - 3, To: jan - 1}}, map[string]int{}},
		"after":  {geo.Filter{Months: geo.MonthRange{From: jan + 4, To: jan + 9}}, map[string]int{}},
		"around": {geo.Filter{Months: geo.MonthRange{From: jan - 5, To: jan + 9}}, map[string]int{"W1": 2, "W2": 2}},
	}
	check("imported", st, before)
	if as, err := st.Areas(ctx, geo.KindWard); err != nil || len(as) != 2 || as[0].Code != "W1" {
		t.Fatalf("wards: %v, %v", as, err)
	}
	// Migrations 0011 and 0018 make the counts and their running totals
	// again from agg.
	for _, q := range []string{`DROP TABLE {s}.agg_ward, {s}.agg_ward_run`, `DELETE FROM {s}.schema_migrations WHERE version IN (11, 18)`} {
		if _, err := st.db.ExecContext(ctx, st.q(q)); err != nil {
			t.Fatal(err)
		}
	}
	re := openTest(t, url, opt)
	check("migrated", re, before)

	// A new point in W1, a stored one in W2 with a new category, one
	// outside, and the first rows again (duplicates, adding nothing).
	w1b := orb.Point{0.25, 0.75}
	more := append(first, incident("g", jan, "Drugs", &w1b), incident("h", jan+2, "Theft", &w2), incident("i", jan+2, "Drugs", &out))
	if res, err := re.Import(ctx, geo.ImportInput{Rows: rowsOf(more...)}); err != nil || res.Imported != 3 {
		t.Fatalf("import more: %+v, %v", res, err)
	}
	check("imported more", re, map[string]tc{
		"all":   {all, map[string]int{"W1": 3, "W2": 3}},
		"theft": {geo.Filter{Months: all.Months, Categories: []string{"Theft", "Robbery"}}, map[string]int{"W2": 2}},
		"march": {geo.Filter{Months: geo.MonthRange{From: jan + 2, To: jan + 2}}, map[string]int{"W2": 1}},
	})

	// The areas as read before new boundaries (kept by the store's cache
	// of areas), changed by the caller, which must not change the cache.
	as, err := re.Areas(ctx, geo.KindWard)
	if err != nil || len(as) != 2 {
		t.Fatalf("wards: %v, %v", as, err)
	}
	as[0].Code = "changed"
	if as, err := re.Areas(ctx, geo.KindWard); err != nil || as[0].Code != "W1" {
		t.Fatalf("wards after a caller changed its copy: %v, %v", as, err)
	}

	// New boundaries: W1 grows over W2's square and the outside point.
	big := geo.Area{Kind: geo.KindWard, Code: "W1", Name: "W1", Geometry: orb.MultiPolygon{{{{0, 0}, {6, 0}, {6, 6}, {0, 6}, {0, 0}}}}}
	if _, err := re.Import(ctx, geo.ImportInput{Areas: []geo.Area{big}}); err != nil {
		t.Fatal(err)
	}
	check("new boundaries", re, map[string]tc{"all": {all, map[string]int{"W1": 8}}})
	for _, st := range []*Store{re, st} { // st read the wards before the import too
		if as, err := st.Areas(ctx, geo.KindWard); err != nil || len(as) != 1 || as[0].Geometry.Bound().Max != (orb.Point{6, 6}) {
			t.Errorf("wards after new boundaries: %v, %v", as, err)
		}
	}
}

// Ward counts read running totals (migration 0018): windows inside a
// pair's gaps, across them, before and after its months, and backwards,
// worked by hand; then a second run fills a gap through the merge path.
func TestWardRunningTotals(t *testing.T) {
	url := testURL(t)
	st := openTest(t, url, Options{Schema: freshSchema(t, url)})
	ctx := t.Context()
	jan := geo.NewMonth(2024, 1)
	w1, w2 := orb.Point{0.5, 0.5}, orb.Point{1.5, 0.5}
	rows := []geo.Row{
		incident("a", jan, "Drugs", &w1), incident("b", jan+2, "Drugs", &w1), incident("c", jan+4, "Drugs", &w1),
		incident("d", jan+1, "Theft", &w2),
	}
	if _, err := st.Import(ctx, geo.ImportInput{Areas: []geo.Area{unitWard("W1", 0), unitWard("W2", 1)}, Rows: rowsOf(rows...)}); err != nil {
		t.Fatal(err)
	}
	type tc struct {
		f    geo.Filter
		want map[string]int
	}
	// Each window is counted from the totals the store holds, from the
	// SQL, and from the SQL again with the store's copy past its bound.
	check := func(when string, cases map[string]tc) {
		t.Helper()
		capped := openTest(t, url, Options{Schema: st.schema})
		capped.wardRuns.max = 1
		for name, tc := range cases {
			if got, err := st.WardCounts(ctx, tc.f); err != nil || !maps.Equal(got, tc.want) {
				t.Errorf("%s, %s: WardCounts = %v, %v; want %v", when, name, got, err, tc.want)
			}
			if got, err := countsBy(ctx, st.db, "ward counts", st.q(sqlWardCounts), filterArgs(tc.f), func(code string) string { return code }); err != nil || !maps.Equal(got, tc.want) {
				t.Errorf("%s, %s: the SQL counts %v, %v; want %v", when, name, got, err, tc.want)
			}
			got, err := capped.WardCounts(ctx, tc.f)
			if err != nil || !maps.Equal(got, tc.want) {
				t.Errorf("%s, %s: WardCounts past the bound = %v, %v; want %v", when, name, got, err, tc.want)
			}
		}
	}
	check("first run", map[string]tc{
		"in W1's gap":       {monthWindow(jan+1, jan+1), map[string]int{"W2": 1}},
		"up to the gap":     {monthWindow(jan, jan+1), map[string]int{"W1": 1, "W2": 1}},
		"from the gap":      {monthWindow(jan+1, jan+2), map[string]int{"W1": 1, "W2": 1}},
		"between W1's":      {monthWindow(jan+3, jan+3), map[string]int{}},
		"past the last":     {monthWindow(jan+3, jan+9), map[string]int{"W1": 1}},
		"backwards":         {monthWindow(jan+2, jan), map[string]int{}},
		"drugs, all months": {monthWindow(jan-1, jan+4, "Drugs"), map[string]int{"W1": 3}},
		"two categories":    {monthWindow(jan+1, jan+2, "Drugs", "Theft"), map[string]int{"W1": 1, "W2": 1}},
		"one named twice":   {monthWindow(jan, jan+4, "Drugs", "Drugs"), map[string]int{"W1": 3}},
		"none stored":       {monthWindow(jan, jan+4, "Arson", "Theft"), map[string]int{"W2": 1}},
		"one ward":          {geo.Filter{Months: geo.MonthRange{From: jan, To: jan + 4}, Wards: []string{"W2", "W9"}}, map[string]int{"W2": 1}},
	})
	// Callers that miss at once (a ward answer asks for two periods
	// together) share one read and all count right.
	fresh := openTest(t, url, Options{Schema: st.schema})
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Go(func() {
			f, want := monthWindow(jan, jan+4), map[string]int{"W1": 3, "W2": 1}
			if i%2 == 1 {
				f, want = monthWindow(jan, jan+4, "Theft"), map[string]int{"W2": 1}
			}
			if got, err := fresh.WardCounts(ctx, f); err != nil || !maps.Equal(got, want) {
				t.Errorf("caller %d at once: WardCounts = %v, %v; want %v", i, got, err, want)
			}
		})
	}
	wg.Wait()
	more := []geo.Row{incident("e", jan+1, "Drugs", &w1), incident("f", jan+6, "Theft", &w2)}
	if res, err := st.Import(ctx, geo.ImportInput{Rows: rowsOf(more...)}); err != nil || res.Imported != 2 {
		t.Fatalf("second run: %+v, %v", res, err)
	}
	check("second run", map[string]tc{
		"the gap filled": {monthWindow(jan+1, jan+1), map[string]int{"W1": 1, "W2": 1}},
		"everything":     {monthWindow(jan, jan+6), map[string]int{"W1": 4, "W2": 2}},
		"the new month":  {monthWindow(jan+5, jan+6), map[string]int{"W2": 1}},
		"before it":      {monthWindow(jan+2, jan+5), map[string]int{"W1": 2}},
	})
}

// monthWindow is the filter of months from … to and, when given, of cats.
func monthWindow(from, to geo.Month, cats ...string) geo.Filter {
	return geo.Filter{Months: geo.MonthRange{From: from, To: to}, Categories: cats}
}
