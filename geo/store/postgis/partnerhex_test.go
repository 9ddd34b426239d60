package postgis

import (
	"fmt"
	"iter"
	"reflect"
	"testing"
	"time"

	"github.com/leicester-csp/hotspot/geo"
	"github.com/leicester-csp/hotspot/geo/ingest"
	"github.com/leicester-csp/hotspot/internal/synth"
)

// partnerRecords are n of the synthetic city's incidents as records of
// source src at spread local times, every third flagged.
func partnerRecords(city *synth.City, src string, n int) iter.Seq[geo.Incident] {
	return func(yield func(geo.Incident) bool) {
		i := 0
		for inc := range city.Incidents(synth.Options{Seed: 3, From: geo.NewMonth(2024, 1), Months: 3, Rows: n}) {
			inc.Source, inc.ID, inc.Outcome = src, fmt.Sprintf("%s-%05d", src, i), ""
			inc.Occurred = time.Date(inc.Month.Year(), time.Month(inc.Month.Num()), 1+i%28, i%24, 0, 0, 0, geo.London)
			if i%3 == 0 {
				inc.Flags = inc.Flags.With(geo.StreetLifestyle)
			}
			i++
			if !yield(inc) {
				return
			}
		}
	}
}

// A store made before migration 0009 gets partner_hex from its partner
// records when opened (and then partner_points, 0015), and answers the
// cell tallies it answered before.
func TestPartnerHexMigrated(t *testing.T) {
	url := testURL(t)
	opt := Options{Schema: freshSchema(t, url)}
	st := openTest(t, url, opt)
	ctx := t.Context()
	city := synth.NewCity(1)
	if _, err := st.Import(ctx, geo.ImportInput{Rows: ingest.Incidents(ctx, partnerRecords(city, "council", 2000)), Areas: city.Wards}); err != nil {
		t.Fatal(err)
	}
	filters := []geo.Filter{
		{Source: "council"},
		{Source: geo.SourceAll, Flags: geo.Flags(0).With(geo.StreetLifestyle), Within: geo.Within{Days: 1<<4 | 1<<5, Hours: 0xF0_000F, Shift: 4}},
		{Source: "council", Wards: []string{city.Wards[1].Code}, Within: geo.Within{Hours: 1 << 10}},
	}
	var want [][]geo.CellTally
	for _, f := range filters {
		f.Months = geo.MonthRange{From: geo.NewMonth(2024, 1), To: geo.NewMonth(2024, 3)}
		ts, err := st.CellTallies(ctx, f, 9)
		if err != nil || len(ts) == 0 {
			t.Fatalf("%+v: %d cells, %v", f, len(ts), err)
		}
		want = append(want, ts)
	}
	// Before 0009 came 0015, which moved partner records' points out of
	// points: the old shape has them there.
	unmigratePartnerPoints(t, st)
	for _, q := range []string{`DROP TABLE {s}.partner_hex`, `DELETE FROM {s}.schema_migrations WHERE version = 9`} {
		if _, err := st.db.ExecContext(ctx, st.q(q)); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	re := openTest(t, url, opt)
	for i, f := range filters {
		f.Months = geo.MonthRange{From: geo.NewMonth(2024, 1), To: geo.NewMonth(2024, 3)}
		got, err := re.CellTallies(ctx, f, 9)
		if err != nil || !reflect.DeepEqual(got, want[i]) {
			t.Errorf("%+v after the migration: %d cells, %v; want the %d before", f, len(got), err, len(want[i]))
		}
	}
}
