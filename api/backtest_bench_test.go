package api

import (
	"testing"

	"github.com/leicester-csp/hotspot/geo"
	"github.com/leicester-csp/hotspot/geo/analysis"
)

// BenchmarkBacktestShared measures, over the shared data with the body
// cache off, the backtest of issue 11's target (12 test months × 4
// methods × 3 coverages at res 9; the 22 months allow a 10-month
// training window for 12 test months) and the forecast layer, whose
// auto method backtests the last 6 months first.
func BenchmarkBacktestShared(b *testing.B) {
	st := sharedStore(b)
	cold := New(Config{Store: st, Analyzer: analysis.New(st, geo.BuiltinPriorities()), CacheBytes: -1})
	for _, tc := range []struct{ name, target string }{
		{"backtest-retail-12x4x3-res9/cold", "/api/v1/backtest?priority=retail-crime&from=2023-11&to=2024-10&train=10&res=9"},
		{"backtest-asb-12x4x3-res9/cold", "/api/v1/backtest?priority=asb&from=2023-11&to=2024-10&train=10&res=9"},
		{"backtest-asb-12x4x3-res10/cold", "/api/v1/backtest?priority=asb&from=2023-11&to=2024-10&train=10&res=10"},
		{"forecast-retail-auto-res9/cold", "/api/v1/hotspots/forecast?priority=retail-crime&coverage=5"},
		{"forecast-asb-auto-res10/cold", "/api/v1/hotspots/forecast?priority=asb&coverage=5&res=10"},
		{"forecast-retail-counts-res9/cold", "/api/v1/hotspots/forecast?priority=retail-crime&coverage=5&method=counts"},
	} {
		b.Run(tc.name, func(b *testing.B) { benchRequest(b, cold, tc.target) })
	}
}
