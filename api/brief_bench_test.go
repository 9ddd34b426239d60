package api

import (
	"path/filepath"
	"testing"

	"github.com/leicester-csp/hotspot/geo"
	"github.com/leicester-csp/hotspot/geo/analysis"
	"github.com/leicester-csp/hotspot/geo/ingest"
	"github.com/leicester-csp/hotspot/internal/shareddata"
)

// BenchmarkBriefs measures ward briefings and the quarterly report over
// the 22 shared months with the city's wards, body cache off
// (docs/benchmarks.md): on the embedded store, and on PostGIS when
// HOTSPOT_TEST_DATABASE_URL is set. Targets: a brief under 200 ms, the
// report under 500 ms.
func BenchmarkBriefs(b *testing.B) {
	targets := []struct{ name, target string }{
		{"brief-castle-asb-html", "/briefings/wards/Castle?priority=asb&month=2024-09"},
		{"brief-castle-asb-json", "/briefings/wards/Castle?priority=asb&month=2024-09&format=json"},
		{"brief-castle-violence-html", "/briefings/wards/Castle?priority=city-centre-violence&month=2024-09"},
		{"brief-westcotes-retail-html", "/briefings/wards/Westcotes?priority=retail-crime"},
		{"brief-castle-asb-12-months", "/briefings/wards/Castle?priority=asb&months=12"},
		{"quarterly-html", "/reports/quarterly"},
		{"quarterly-json", "/reports/quarterly?quarter=2024Q2&format=json"},
	}
	run := func(b *testing.B, st geo.Store) {
		an := analysis.New(st, geo.BuiltinPriorities()).WithMeasures(geo.BuiltinMeasures())
		srv := New(Config{Store: st, Analyzer: an, CacheBytes: -1})
		for _, tc := range targets {
			b.Run(tc.name+"/cold", func(b *testing.B) { benchRequest(b, srv, tc.target) })
		}
	}
	b.Run("embedded", func(b *testing.B) { run(b, sharedStore(b)) })
	b.Run("postgis", func(b *testing.B) {
		data := shareddata.Dir(b)
		st := testPostGIS(b, "hotspot_bench_brief")
		if _, err := ingest.Run(b.Context(), st, ingest.Options{
			Paths:      []string{filepath.Join(data, "police_leicestershire_street")},
			Boundaries: []string{filepath.Join(data, "boundaries_leicester", "leicester_wards_WD20_BGC.geojson")},
		}); err != nil {
			b.Fatal(err)
		}
		run(b, st)
	})
}
