package embedded

import (
	"context"
	"fmt"
	"iter"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/leicester-csp/hotspot/geo"
	"github.com/leicester-csp/hotspot/geo/ingest"
	"github.com/leicester-csp/hotspot/internal/synth"
)

// BenchmarkDayHourCounts reads the day × hour matrix over 1 M partner
// records of one source (target under 50 ms). The records sit at the
// synthetic city's police.uk points, as geocoded logs repeat addresses,
// which keeps the setup's H3 indexing cheap; the read itself visits every
// record of the months whatever their points.
func BenchmarkDayHourCounts(b *testing.B) {
	const rows = 1_000_000
	ctx := context.Background()
	city := synth.NewCity(1)
	st := benchStore(b, city, benchPartner(city, rows))
	year := geo.MonthRange{From: geo.NewMonth(2024, 1), To: geo.NewMonth(2024, 12)}
	ward := city.Wards[0].Code
	for _, c := range []struct {
		name string
		f    geo.Filter
		key  geo.SeriesKey
	}{
		{"area", geo.Filter{Months: year, Source: "council"}, geo.SeriesKey{}},
		{"ward", geo.Filter{Months: year, Source: "council"}, geo.SeriesKey{Ward: ward}},
		{"flag+nights", geo.Filter{Months: year, Source: "council", Flags: geo.Flags(0).With(geo.StreetLifestyle),
			Within: geo.Within{Days: 1<<4 | 1<<5, Hours: 0xF0_000F, Shift: 4}}, geo.SeriesKey{}},
	} {
		b.Run(c.name, func(b *testing.B) {
			n := 0
			for b.Loop() {
				m, err := st.DayHourCounts(ctx, c.f, c.key)
				if err != nil {
					b.Fatal(err)
				}
				n = 0
				for _, row := range m {
					for _, v := range row {
						n += v
					}
				}
			}
			b.ReportMetric(float64(n), "records")
		})
	}
}

// benchPartner turns the city's synthetic incidents into rows partner
// records of source "council" over 2024, at uniform local times, a
// quarter flagged street_lifestyle.
// benchStore is a store in a temporary folder holding recs and the
// city's wards: the partner benchmarks' fixture. It is closed when the
// benchmark ends.
func benchStore(b *testing.B, city *synth.City, recs iter.Seq[geo.Incident]) *Store {
	ctx := context.Background()
	st, err := Open(ctx, b.TempDir(), Options{})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { st.Close() })
	if _, err := st.Import(ctx, geo.ImportInput{Rows: ingest.Incidents(ctx, recs), Areas: city.Wards}); err != nil {
		b.Fatal(err)
	}
	return st
}

func benchPartner(city *synth.City, rows int) iter.Seq[geo.Incident] {
	return func(yield func(geo.Incident) bool) {
		r := rand.New(rand.NewPCG(1, 2))
		n := 0
		for inc := range city.Incidents(synth.Options{Seed: 1, From: geo.NewMonth(2024, 1), Months: 12, Rows: rows}) {
			inc.Source, inc.ID, inc.Outcome = "council", fmt.Sprintf("B%07d", n), ""
			n++
			inc.Occurred = time.Date(inc.Month.Year(), time.Month(inc.Month.Num()), 1+r.IntN(28), r.IntN(24), r.IntN(60), 0, 0, geo.London)
			if r.IntN(4) == 0 {
				inc.Flags = inc.Flags.With(geo.StreetLifestyle)
			}
			if !yield(inc) {
				return
			}
		}
	}
}
