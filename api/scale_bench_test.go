package api

import (
	"os"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/maptile"

	"github.com/leicester-csp/hotspot/geo"
	"github.com/leicester-csp/hotspot/geo/analysis"
	"github.com/leicester-csp/hotspot/geo/store/embedded"
	"github.com/leicester-csp/hotspot/geo/store/postgis"
)

// BenchmarkScale measures the API over a store loaded beforehand at
// national scale (docs/benchmarks.md: 10 million generated incidents):
// HOTSPOT_BENCH_DATABASE_URL selects a PostGIS store, HOTSPOT_BENCH_DATA_DIR
// an embedded one; HOTSPOT_BENCH_CENTRE ("lon,lat") is where tiles are
// taken (default: the synthetic city's centre). Skipped when neither store
// is given.
func BenchmarkScale(b *testing.B) {
	ctx := b.Context()
	st, centre := scaleStore(b)
	an := analysis.New(st, geo.BuiltinPriorities())
	cold := New(Config{Store: st, Analyzer: an, CacheBytes: -1})
	warm := New(Config{Store: st, Analyzer: an})
	for _, tc := range []struct{ name, target string }{
		{"hex-asb-12m-res9-k1/cold", "/api/v1/hotspots/hex?priority=asb&res=9&k=1"},
		{"hex-violence-12m-res9-k1/cold", "/api/v1/hotspots/hex?priority=city-centre-violence&res=9&k=1"},
		{"wards-asb-12m/cold", "/api/v1/hotspots/wards?priority=asb"},
		{"incidents-asb-1000/cold", "/api/v1/incidents?priority=asb&limit=1000"},
		{"points-asb-12m/cold", "/api/v1/points?priority=asb"},
		{"repeats-retail-crime-12m/cold", "/api/v1/repeats/locations?priority=retail-crime"},
	} {
		b.Run(tc.name, func(b *testing.B) { benchRequest(b, cold, tc.target) })
	}
	// Emerging hot spots over the latest 24 months the store holds.
	if ms, err := st.Months(ctx); err == nil && len(ms) >= analysis.MinEmergingMonths {
		from := ms[max(0, len(ms)-24)]
		b.Run("emerging-asb-24m-res9/cold", func(b *testing.B) {
			benchRequest(b, cold, "/api/v1/hotspots/emerging?priority=asb&res=9&from="+from.String()+"&to="+ms[len(ms)-1].String())
		})
	}
	z14 := tileURLPath("hex", maptile.At(centre, 14)) + "?priority=asb"
	b.Run("tile-hex-z14/warm", func(b *testing.B) { benchRequest(b, warm, z14, "Accept-Encoding", "gzip") })
	b.Run("tile-hex-z14/cold", func(b *testing.B) { benchColdTile(b, st, an, z14) })
	b.Run("tiles-mixed-z12-z15/32-clients", func(b *testing.B) { benchTileLoad(b, warm, centre) })
}

// scaleStore opens the store BenchmarkScale's variables name, closed at
// the end of the benchmark, and the centre tiles are taken at.
func scaleStore(b *testing.B) (geo.Store, orb.Point) {
	ctx := b.Context()
	var st geo.Store
	switch url, dir := os.Getenv("HOTSPOT_BENCH_DATABASE_URL"), os.Getenv("HOTSPOT_BENCH_DATA_DIR"); {
	case url != "":
		s, err := postgis.Open(ctx, url, postgis.Options{})
		if err != nil {
			b.Fatal(err)
		}
		st = s
	case dir != "":
		s, err := embedded.Open(ctx, dir, embedded.Options{})
		if err != nil {
			b.Fatal(err)
		}
		st = s
	default:
		b.Skip("set HOTSPOT_BENCH_DATABASE_URL or HOTSPOT_BENCH_DATA_DIR to a loaded store")
	}
	b.Cleanup(func() { st.Close() })
	centre := orb.Point{-1.90, 52.20}
	if c := os.Getenv("HOTSPOT_BENCH_CENTRE"); c != "" {
		bb, err := ParseBBox(c + "," + c)
		if err != nil {
			b.Fatal(err)
		}
		centre = bb.Min
	}
	return st, centre
}
