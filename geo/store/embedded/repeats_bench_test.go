package embedded

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/leicester-csp/hotspot/geo"
	"github.com/leicester-csp/hotspot/internal/synth"
)

// BenchmarkRepeatTallies reads PlaceTallies and OffenderTallies over the
// 1 M partner records of BenchmarkDayHourCounts, a quarter of the map
// points being premises (70 % of their records linked) and 40 % of the
// records naming one of 50,000 offenders: the store's share of the
// repeat lists (target for a whole list: under ~100 ms).
func BenchmarkRepeatTallies(b *testing.B) {
	const rows = 1_000_000
	ctx := context.Background()
	city := synth.NewCity(1)
	recs := func(yield func(geo.Incident) bool) {
		r := rand.New(rand.NewPCG(3, 4))
		for inc := range benchPartner(city, rows) {
			if key := math.Float64bits(inc.Point[0])*31 ^ math.Float64bits(inc.Point[1]); inc.HasLocation && key%4 == 0 && r.IntN(10) < 7 {
				inc.Premises = fmt.Sprintf("PR%016x", key)
			}
			if r.IntN(10) < 4 {
				inc.Offender = fmt.Sprintf("%016x", r.IntN(50000))
			}
			if !yield(inc) {
				return
			}
		}
	}
	st := benchStore(b, city, recs)
	year := geo.MonthRange{From: geo.NewMonth(2024, 1), To: geo.NewMonth(2024, 12)}
	all := geo.Filter{Months: year, Source: "council"}
	nights := geo.Filter{Months: year, Source: "council", Flags: geo.Flags(0).With(geo.StreetLifestyle),
		Within: geo.Within{Days: 1<<4 | 1<<5, Hours: 0xF0_000F, Shift: 4}}
	for _, c := range []struct {
		name string
		f    geo.Filter
	}{{"year", all}, {"flag+nights", nights}} {
		b.Run("places/"+c.name, func(b *testing.B) {
			n := 0
			for b.Loop() {
				ts, err := st.PlaceTallies(ctx, c.f)
				if err != nil {
					b.Fatal(err)
				}
				n = len(ts)
			}
			b.ReportMetric(float64(n), "tallies")
		})
		b.Run("offenders/"+c.name, func(b *testing.B) {
			n := 0
			for b.Loop() {
				ts, err := st.OffenderTallies(ctx, c.f)
				if err != nil {
					b.Fatal(err)
				}
				n = len(ts)
			}
			b.ReportMetric(float64(n), "offenders")
		})
	}
}
