package postgis

import (
	"testing"

	"github.com/leicester-csp/hotspot/geo"
	"github.com/leicester-csp/hotspot/geo/analysis"
	"github.com/leicester-csp/hotspot/geo/ingest"
	"github.com/leicester-csp/hotspot/internal/shareddata"
)

// BenchmarkBacktestShared is the backtest of issue 11's target (12 test
// months × 4 methods × 3 coverages at res 9) and the auto forecast over
// the shared data in PostGIS: one cell-count query a month read.
func BenchmarkBacktestShared(b *testing.B) {
	url := testURL(b)
	st := openTest(b, url, Options{Schema: freshSchema(b, url)})
	if _, err := ingest.Run(b.Context(), st, ingest.Options{
		Paths:      []string{shareddata.Path(b, "police_leicestershire_street")},
		Boundaries: []string{shareddata.Path(b, "boundaries_leicester", "leicester_wards_WD20_BGC.geojson")},
	}); err != nil {
		b.Fatal(err)
	}
	an := analysis.New(st, geo.BuiltinPriorities())
	q := analysis.Query{Priority: "retail-crime", From: analysis.Month(geo.NewMonth(2023, 11)), To: analysis.Month(geo.NewMonth(2024, 10))}
	b.Run("backtest-retail-12x4x3-res9", func(b *testing.B) {
		for b.Loop() {
			if _, err := an.Backtest(b.Context(), q, analysis.BacktestParams{Train: 10}); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("forecast-retail-auto-res9", func(b *testing.B) {
		for b.Loop() {
			if _, err := an.Forecast(b.Context(), analysis.Query{Priority: "retail-crime"}, analysis.BacktestParams{}); err != nil {
				b.Fatal(err)
			}
		}
	})
}
