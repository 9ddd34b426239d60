package api

import (
	"fmt"
	"iter"
	"math"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/leicester-csp/hotspot/geo"
	"github.com/leicester-csp/hotspot/geo/access"
	"github.com/leicester-csp/hotspot/geo/analysis"
	"github.com/leicester-csp/hotspot/geo/ingest"
	"github.com/leicester-csp/hotspot/geo/store/embedded"
	"github.com/leicester-csp/hotspot/internal/synth"
)

// BenchmarkRepeatLists answers the three repeat lists and the premises
// layer over 1 M partner records of one source in 2024 (target: each
// under ~100 ms on the embedded store), as an analyst, uncached. A
// quarter of the synthetic city's map points are premises; 70 % of the
// records there are linked to it, and 40 % of all records name one of
// 50,000 offenders.
func BenchmarkRepeatLists(b *testing.B) {
	const rows = 1_000_000
	ctx := b.Context()
	st, err := embedded.Open(ctx, b.TempDir(), embedded.Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	city := synth.NewCity(1)
	recs, register := benchRepeatRecords(city, rows)
	if _, err := st.Import(ctx, geo.ImportInput{Rows: ingest.Incidents(ctx, recs), Areas: city.Wards}); err != nil {
		b.Fatal(err)
	}
	// The register is known once the records have been read.
	if _, err := st.Import(ctx, geo.ImportInput{Premises: register()}); err != nil {
		b.Fatal(err)
	}
	k, tok, err := access.NewKey("bench", access.Analyst, time.Now())
	if err != nil {
		b.Fatal(err)
	}
	if err := st.AddKey(ctx, k); err != nil {
		b.Fatal(err)
	}
	srv := New(Config{Store: st, Analyzer: analysis.New(st, geo.BuiltinPriorities()), Keys: st, CacheBytes: -1})
	year := "&from=2024-01&to=2024-12"
	for _, c := range []struct{ name, target string }{
		{"locations", "/api/v1/repeats/locations?source=council&min=3" + year},
		{"locations-flag-nights", "/api/v1/repeats/locations?source=council&min=3&flag=street_lifestyle&days=fri,sat&hours=20-04" + year},
		{"premises", "/api/v1/repeats/premises?source=council" + year},
		{"premises-layer", "/api/v1/premises?source=council&kind=licensed" + year},
		{"offenders", "/api/v1/repeats/offenders?source=council&min=3" + year},
		// The list's default limit (1,000) against the most a caller may
		// ask for, a ward's lists, and the locations as GeoJSON.
		{"offenders-limit-10000", "/api/v1/repeats/offenders?source=council&min=3&limit=10000" + year},
		{"offenders-ward", "/api/v1/repeats/offenders?source=council&min=3&ward=" + city.Wards[0].Code + year},
		{"premises-ward", "/api/v1/repeats/premises?source=council&ward=" + city.Wards[0].Code + year},
		{"locations-geojson", "/api/v1/repeats/locations?source=council&min=3&format=geojson" + year},
	} {
		b.Run(c.name, func(b *testing.B) { benchRequest(b, srv, c.target, "Authorization", "Bearer "+tok) })
	}
}

// benchRepeatRecords turns the city's synthetic incidents into council
// records with premises and offenders, and returns the register they
// name (complete once the records have been read).
func benchRepeatRecords(city *synth.City, rows int) (iter.Seq[geo.Incident], func() []geo.Premises) {
	kinds := []string{"licensed", "retail", "knife-vape-seller", "takeaway"}
	seen := map[string]geo.Premises{}
	recs := func(yield func(geo.Incident) bool) {
		r := rand.New(rand.NewPCG(1, 2))
		n := 0
		for inc := range city.Incidents(synth.Options{Seed: 1, From: geo.NewMonth(2024, 1), Months: 12, Rows: rows}) {
			inc.Source, inc.ID, inc.Outcome = "council", fmt.Sprintf("B%07d", n), ""
			n++
			inc.Occurred = time.Date(inc.Month.Year(), time.Month(inc.Month.Num()), 1+r.IntN(28), r.IntN(24), r.IntN(60), 0, 0, geo.London)
			if r.IntN(4) == 0 {
				inc.Flags = inc.Flags.With(geo.StreetLifestyle)
			}
			if key := math.Float64bits(inc.Point[0])*31 ^ math.Float64bits(inc.Point[1]); inc.HasLocation && key%4 == 0 && r.IntN(10) < 7 {
				inc.Premises = fmt.Sprintf("PR%016x", key)
				if _, ok := seen[inc.Premises]; !ok {
					seen[inc.Premises] = geo.Premises{ID: inc.Premises, Name: "Premises " + inc.Premises[2:8], Kind: kinds[len(seen)%len(kinds)], HasLocation: true, Point: inc.Point}
				}
			}
			if r.IntN(10) < 4 {
				inc.Offender = fmt.Sprintf("%016x", r.IntN(50000))
			}
			if !yield(inc) {
				return
			}
		}
	}
	register := func() []geo.Premises {
		out := make([]geo.Premises, 0, len(seen))
		for _, p := range seen {
			out = append(out, p)
		}
		return out
	}
	return recs, register
}
