package api

import (
	"path/filepath"
	"testing"

	"github.com/leicester-csp/hotspot/geo"
	"github.com/leicester-csp/hotspot/geo/analysis"
	"github.com/leicester-csp/hotspot/geo/ingest"
	"github.com/leicester-csp/hotspot/internal/shareddata"
)

// BenchmarkChange measures the change layer, the ward layer with its
// change tests and the concentration figures over the 22 shared months
// with the city's wards, body cache off (docs/benchmarks.md): on the
// embedded store, and on PostGIS when HOTSPOT_TEST_DATABASE_URL is set
// (the data loaded into a schema of its own, dropped afterwards).
func BenchmarkChange(b *testing.B) {
	targets := []struct{ name, target string }{
		{"change-asb-res9", "/api/v1/hotspots/change?priority=asb&res=9"},
		{"change-asb-res9-year", "/api/v1/hotspots/change?priority=asb&res=9&compare=year"},
		{"change-retail-res9", "/api/v1/hotspots/change?priority=retail-crime&res=9"},
		{"change-all-res10", "/api/v1/hotspots/change?res=10"},
		{"wards-asb-year", "/api/v1/hotspots/wards?priority=asb&compare=year"},
		{"concentration-asb-res9", "/api/v1/concentration?priority=asb&res=9"},
		{"concentration-retail-res9", "/api/v1/concentration?priority=retail-crime&res=9"},
		{"concentration-all-res10", "/api/v1/concentration?res=10"},
		// Baselines from before this work, for the same store and run.
		{"baseline-hex-asb-res9", "/api/v1/hotspots/hex?priority=asb&res=9"},
		{"baseline-wards-asb-previous", "/api/v1/hotspots/wards?priority=asb"},
	}
	run := func(b *testing.B, st geo.Store) {
		srv := New(Config{Store: st, Analyzer: analysis.New(st, geo.BuiltinPriorities()), CacheBytes: -1})
		for _, tc := range targets {
			b.Run(tc.name+"/cold", func(b *testing.B) { benchRequest(b, srv, tc.target) })
		}
	}
	b.Run("embedded", func(b *testing.B) { run(b, sharedStore(b)) })
	b.Run("postgis", func(b *testing.B) {
		data := shareddata.Dir(b)
		st := testPostGIS(b, "hotspot_bench")
		if _, err := ingest.Run(b.Context(), st, ingest.Options{
			Paths:      []string{filepath.Join(data, "police_leicestershire_street")},
			Boundaries: []string{filepath.Join(data, "boundaries_leicester", "leicester_wards_WD20_BGC.geojson")},
		}); err != nil {
			b.Fatal(err)
		}
		run(b, st)
	})
}
