package postgis

import (
	"testing"
	"time"

	"github.com/paulmach/orb"

	"github.com/leicester-csp/hotspot/geo"
)

// Incident lists with no ward or box count their totals from agg_month
// (migration 0019): hand-worked totals, with rows without a location,
// an offset that skips whole months, the migration making the table from
// agg, and a second run (duplicates included) adding to it.
func TestMonthTotals(t *testing.T) {
	url := testURL(t)
	opt := Options{Schema: freshSchema(t, url)}
	st := openTest(t, url, opt)
	ctx := t.Context()
	jan := geo.NewMonth(2024, 1)
	a, b := orb.Point{-1.13, 52.63}, orb.Point{-1.14, 52.64}
	first := []geo.Row{
		incident("a", jan, "Drugs", &a), incident("b", jan, "Drugs", nil), incident("c", jan, "Robbery", &b),
		incident("d", jan+1, "Drugs", &b), incident("e", jan+2, "Robbery", &a),
	}
	if _, err := st.Import(ctx, geo.ImportInput{Rows: rowsOf(first...)}); err != nil {
		t.Fatal(err)
	}
	type tc struct {
		f     geo.Filter
		p     geo.PageRequest
		total int
		first string // the page's first ID
	}
	check := func(when string, s *Store, cases map[string]tc) {
		t.Helper()
		for name, c := range cases {
			p := c.p
			p.Limit = 10
			got, err := s.Incidents(ctx, c.f, p)
			if err != nil || got.Total != c.total || (c.first != "" && (len(got.Items) == 0 || got.Items[0].ID != c.first)) {
				t.Errorf("%s, %s: %+v, %v; want total %d, first %q", when, name, got, err, c.total, c.first)
			}
		}
	}
	before := map[string]tc{
		"everything":         {f: monthWindow(jan-2, jan+5), total: 5, first: "a"},
		"drugs":              {f: monthWindow(jan, jan+2, "Drugs"), total: 3, first: "a"},
		"two categories":     {f: monthWindow(jan+1, jan+2, "Drugs", "Robbery"), total: 2, first: "d"},
		"none in the month":  {f: monthWindow(jan+3, jan+4), total: 0},
		"an offset past jan": {f: monthWindow(jan, jan+2), p: geo.PageRequest{Offset: 3}, total: 5, first: "d"},
		"newest first":       {f: monthWindow(jan, jan+2), p: geo.PageRequest{Newest: true}, total: 5, first: "e"},
	}
	check("imported", st, before)
	sameAsAgg(t, st, "imported")

	// The totals a list with no ward or box shows are agg_month's: moved
	// by hand, they move the total; a list limited to wards keeps
	// counting agg (with no wards stored, every ward filter passes).
	bump := func(n int) {
		if _, err := st.db.ExecContext(ctx, st.q(`UPDATE {s}.agg_month SET n = n + $1 WHERE month = $2 AND category = 'Drugs'`), n, int32(jan)); err != nil {
			t.Fatal(err)
		}
	}
	bump(100)
	check("agg_month moved", st, map[string]tc{
		"drugs":        {f: monthWindow(jan, jan+2, "Drugs"), total: 103, first: "a"},
		"drugs, wards": {f: geo.Filter{Months: geo.MonthRange{From: jan, To: jan + 2}, Categories: []string{"Drugs"}, Wards: []string{"W1"}}, total: 3, first: "a"},
	})
	bump(-100)

	for _, q := range []string{`DROP TABLE {s}.agg_month`, `DELETE FROM {s}.schema_migrations WHERE version = 19`} {
		if _, err := st.db.ExecContext(ctx, st.q(q)); err != nil {
			t.Fatal(err)
		}
	}
	re := openTest(t, url, opt)
	check("migrated", re, before)
	sameAsAgg(t, re, "migrated")

	more := append(first, incident("f", jan+1, "Drugs", nil), incident("g", jan+3, "Theft", &a))
	if res, err := re.Import(ctx, geo.ImportInput{Rows: rowsOf(more...)}); err != nil || res.Imported != 2 {
		t.Fatalf("second run: %+v, %v", res, err)
	}
	sameAsAgg(t, re, "imported more")
	check("imported more", re, map[string]tc{
		"everything":    {f: monthWindow(jan-2, jan+5), total: 7, first: "a"},
		"drugs":         {f: monthWindow(jan, jan+2, "Drugs"), total: 4, first: "a"},
		"a new month":   {f: monthWindow(jan+3, jan+4), total: 1, first: "g"},
		"feb, offset 1": {f: monthWindow(jan+1, jan+1), p: geo.PageRequest{Offset: 1}, total: 2, first: "f"},
	})

	// Runs that add no police.uk incident leave the totals as they were:
	// duplicates only, boundaries only, partner records only.
	after := map[string]tc{
		"everything": {f: monthWindow(jan-2, jan+5), total: 7, first: "a"},
		"drugs":      {f: monthWindow(jan, jan+2, "Drugs"), total: 4, first: "a"},
	}
	if res, err := re.Import(ctx, geo.ImportInput{Rows: rowsOf(more...)}); err != nil || res.Imported != 0 || res.Duplicates != len(more) {
		t.Fatalf("duplicates only: %+v, %v", res, err)
	}
	check("duplicates only", re, after)
	if _, err := re.Import(ctx, geo.ImportInput{Areas: []geo.Area{unitWard("W1", -2)}}); err != nil {
		t.Fatalf("boundaries only: %v", err)
	}
	check("boundaries only", re, after)
	sameAsAgg(t, re, "boundaries only")
	rec := &geo.Located{Incident: geo.Incident{ID: "p1", Month: jan, Category: "Drugs", Source: "council", Occurred: time.Date(2024, 1, 15, 22, 0, 0, 0, geo.London), HasLocation: true, Point: a}}
	if res, err := re.Import(ctx, geo.ImportInput{Rows: rowsOf(geo.Row{Incident: rec})}); err != nil || res.Imported != 1 {
		t.Fatalf("a partner record: %+v, %v", res, err)
	}
	check("a partner record", re, after)
	sameAsAgg(t, re, "a partner record")

	// A month before every stored one gets a total of its own.
	if res, err := re.Import(ctx, geo.ImportInput{Rows: rowsOf(incident("h", jan-1, "Drugs", &b))}); err != nil || res.Imported != 1 {
		t.Fatalf("an earlier month: %+v, %v", res, err)
	}
	sameAsAgg(t, re, "an earlier month")
	check("an earlier month", re, map[string]tc{
		"everything": {f: monthWindow(jan-2, jan+5), total: 8, first: "h"},
		"december":   {f: monthWindow(jan-1, jan-1, "Drugs"), total: 1, first: "h"},
		"drugs":      {f: monthWindow(jan, jan+2, "Drugs"), total: 4, first: "a"},
	})
}

// sameAsAgg checks that agg_month holds agg summed per month × category.
func sameAsAgg(t *testing.T, st *Store, when string) {
	t.Helper()
	var diff int
	err := st.db.QueryRowContext(t.Context(), st.q(`
SELECT count(*) FROM (SELECT month, category, sum(n) AS n FROM {s}.agg GROUP BY 1, 2) a
FULL JOIN {s}.agg_month m USING (month, category)
WHERE a.n IS DISTINCT FROM m.n`)).Scan(&diff)
	if err != nil || diff != 0 {
		t.Errorf("%s: agg_month differs from agg in %d rows, %v", when, diff, err)
	}
}
