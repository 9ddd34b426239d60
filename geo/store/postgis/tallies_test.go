package postgis

import (
	"fmt"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/paulmach/orb"

	"github.com/leicester-csp/hotspot/geo"
	"github.com/leicester-csp/hotspot/geo/ingest"
	"github.com/leicester-csp/hotspot/geo/store/embedded"
	"github.com/leicester-csp/hotspot/internal/shareddata"
)

// unmigrateTexts puts a store back to before migration 0004, as a store
// made by an older binary is: incidents and agg, no text or ward
// aggregates.
func unmigrateTexts(t *testing.T, st *Store) {
	t.Helper()
	// Migration 0011 remakes agg_text with wards, so it is undone too, and
	// 0018 the running totals of its ward counts.
	for _, q := range []string{`DROP TABLE {s}.agg_text, {s}.texts, {s}.agg_ward, {s}.agg_ward_run`, `DELETE FROM {s}.schema_migrations WHERE version IN (4, 11, 18)`} {
		if _, err := st.db.ExecContext(t.Context(), st.q(q)); err != nil {
			t.Fatal(err)
		}
	}
}

// A store made before agg_text gets it from its incidents when opened,
// and later imports add to what the migration counted.
func TestTallyAggregatesMigrated(t *testing.T) {
	url := testURL(t)
	opt := Options{Schema: freshSchema(t, url)}
	st := openTest(t, url, opt)
	jan := geo.NewMonth(2024, 1)
	a, b := orb.Point{-1.13, 52.63}, orb.Point{-1.14, 52.64}
	row := func(id string, m geo.Month, cat string, p *orb.Point, outcome string) geo.Row {
		r := incident(id, m, cat, p)
		r.Incident.Outcome = outcome
		return r
	}
	first := []geo.Row{
		row("i1", jan, "Drugs", &a, ""), row("i2", jan, "Drugs", &a, ""), row("i3", jan, "Drugs", &a, "Local resolution"),
		row("i4", jan+1, "Robbery", &b, `Quoted "outcome", with {braces}`), row("i5", jan+1, "Drugs", nil, ""),
	}
	if _, err := st.Import(t.Context(), geo.ImportInput{Rows: rowsOf(first...)}); err != nil {
		t.Fatal(err)
	}
	all := geo.Filter{Months: geo.MonthRange{From: jan, To: jan + 2}}
	want, err := st.PointTallies(t.Context(), all)
	if err != nil || len(want) != 2 || want[1].Count != 3 || want[1].Outcomes[""] != 2 {
		t.Fatalf("tallies before: %+v, %v", want, err)
	}
	unmigrateTexts(t, st)

	re := openTest(t, url, opt)
	got, err := re.PointTallies(t.Context(), all)
	if err != nil || !reflect.DeepEqual(got, want) {
		t.Errorf("tallies after the migration: %+v, %v; want %+v", got, err, want)
	}
	// One incident like a counted one, one with a new text.
	more := []geo.Row{row("i6", jan, "Drugs", &a, "Local resolution"), row("i7", jan+2, "Drugs", &b, "New outcome")}
	if _, err := re.Import(t.Context(), geo.ImportInput{Rows: rowsOf(more...)}); err != nil {
		t.Fatal(err)
	}
	got, err = re.PointTallies(t.Context(), all)
	if err != nil || len(got) != 2 || got[1].Outcomes["Local resolution"] != 2 || got[0].Outcomes["New outcome"] != 1 || got[0].Count != 2 {
		t.Errorf("tallies after importing more: %+v, %v", got, err)
	}
}

// TestTallyParityShared loads the shared months and wards into both
// stores and requires identical point tallies, which the hex, points,
// repeats and outcomes answers are made from: after the import, after the
// same import again, and after agg_text is rebuilt by its migration.
func TestTallyParityShared(t *testing.T) {
	url := testURL(t)
	dir := shareddata.ReadsMonths(t)
	// The last four shared months (some 37,000 rows): enough for tallies
	// over a window and over all months to differ, at a third of a
	// year's cost under the race detector. The shared pair's tests cover
	// all 22 months; this test loads its own stores since it re-imports
	// and migrates.
	var months []string
	for m := geo.NewMonth(2024, 7); m <= geo.NewMonth(2024, 10); m++ {
		months = append(months, shareddata.Path(t, "police_leicestershire_street", m.String()+"-leicestershire-street.csv"))
	}
	opt := ingest.Options{
		Paths:      months,
		Boundaries: []string{filepath.Join(dir, "boundaries_leicester", "leicester_wards_WD20_BGC.geojson")},
	}
	ctx := t.Context()
	emb, err := embedded.Open(ctx, t.TempDir(), embedded.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer emb.Close()
	popt := Options{Schema: freshSchema(t, url)}
	pg := openTest(t, url, popt)
	for _, st := range []geo.Store{emb, pg} {
		if _, err := ingest.Run(ctx, st, opt); err != nil {
			t.Fatal(err)
		}
	}
	ms, err := emb.Months(ctx)
	if err != nil || len(ms) != 4 {
		t.Fatalf("months %v, %v", ms, err)
	}
	wards, err := emb.Areas(ctx, geo.KindWard)
	if err != nil || len(wards) < 2 {
		t.Fatalf("wards: %d, %v", len(wards), err)
	}
	all := geo.MonthRange{From: ms[0], To: ms[len(ms)-1]}
	recent := geo.MonthRange{From: all.To - 1, To: all.To}
	filters := []geo.Filter{
		{Months: all},
		{Months: recent, Wards: []string{wards[0].Code, wards[1].Code}},
		{Months: all, Categories: []string{"Piracy"}},
	}
	for _, p := range geo.BuiltinPriorities() {
		filters = append(filters, geo.Filter{Months: recent, Categories: p.Categories})
	}
	compare := func(when string, pg *Store) {
		t.Helper()
		for _, f := range filters {
			et, eerr := emb.PointTallies(ctx, f)
			pt, perr := pg.PointTallies(ctx, f)
			what := fmt.Sprintf("PointTallies(%s, %v, %v)", when, f.Categories, f.Wards)
			if eerr != nil || perr != nil {
				t.Errorf("%s: embedded %v, postgis %v", what, eerr, perr)
			} else if (len(et) > 0 || len(pt) > 0) && !reflect.DeepEqual(et, pt) { // none: nil or empty alike
				t.Errorf("%s differ:\nembedded %s\npostgis  %s", what, short(et), short(pt))
			}
		}
	}
	compare("imported", pg)
	for _, st := range []geo.Store{emb, pg} {
		if _, err := ingest.Run(ctx, st, opt); err != nil {
			t.Fatal(err)
		}
	}
	compare("imported again", pg)
	unmigrateTexts(t, pg)
	compare("migrated", openTest(t, url, popt))
}
