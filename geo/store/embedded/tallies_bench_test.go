package embedded

import (
	"context"
	"iter"
	"os"
	"testing"

	"github.com/leicester-csp/hotspot/geo"
	"github.com/leicester-csp/hotspot/internal/synth"
)

// BenchmarkPointTallies reads the point tallies the hex layer takes its
// counts and top locations from, over 1 M partner records of one source
// (issue 13: the hex answer under 50 ms p95 with source, flag, days and
// hours). The fixture is BenchmarkDayHourCounts'.
func BenchmarkPointTallies(b *testing.B) {
	const rows = 1_000_000
	ctx := context.Background()
	city := synth.NewCity(1)
	rowsOf := benchPartner(city, rows)
	if os.Getenv("HOTSPOT_BENCH_DISTINCT") != "" {
		rowsOf = distinctPoints(rowsOf)
	}
	st := benchStore(b, city, rowsOf)
	year := geo.MonthRange{From: geo.NewMonth(2024, 1), To: geo.NewMonth(2024, 12)}
	for _, c := range []struct {
		name string
		f    geo.Filter
	}{
		{"flag+nights", geo.Filter{Months: year, Source: "council", Flags: geo.Flags(0).With(geo.StreetLifestyle),
			Within: geo.Within{Days: 1<<4 | 1<<5, Hours: 0xF0_000F, Shift: 4}}},
		{"source", geo.Filter{Months: year, Source: "council"}},
	} {
		b.Run(c.name, func(b *testing.B) {
			n := 0
			for b.Loop() {
				ts, err := st.PointTallies(ctx, c.f)
				if err != nil {
					b.Fatal(err)
				}
				n = 0
				for _, t := range ts {
					n += t.Count
				}
			}
			b.ReportMetric(float64(n), "records")
		})
	}
}

// distinctPoints moves each record a few metres, so that (as with
// geocoded partner logs of many addresses) nearly every record has a
// point of its own: the shape the hex answer was measured slow on. Set
// HOTSPOT_BENCH_DISTINCT to use it; its setup indexes every point.
func distinctPoints(rows iter.Seq[geo.Incident]) iter.Seq[geo.Incident] {
	return func(yield func(geo.Incident) bool) {
		n := 0
		for inc := range rows {
			n++
			inc.Point[0] += float64(n%997-498) * 1e-6
			inc.Point[1] += float64(n/997%997-498) * 1e-6
			if !yield(inc) {
				return
			}
		}
	}
}
