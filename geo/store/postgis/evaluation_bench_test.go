package postgis

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/paulmach/orb"

	"github.com/leicester-csp/hotspot/geo"
	"github.com/leicester-csp/hotspot/geo/analysis"
	"github.com/leicester-csp/hotspot/geo/ingest"
	"github.com/leicester-csp/hotspot/internal/shareddata"
)

// BenchmarkEvaluationShared evaluates a target area over the 22 shared
// months and the Leicester wards in PostGIS: the same area and query as
// api's BenchmarkEvaluation (ASB round the Clock Tower from 2024-03, 6
// months either side, 250 m buffer, Westcotes as control).
func BenchmarkEvaluationShared(b *testing.B) {
	url := testURL(b)
	dir := shareddata.Dir(b)
	st := openTest(b, url, Options{Schema: freshSchema(b, url)})
	if _, err := ingest.Run(b.Context(), st, ingest.Options{
		Paths:      []string{filepath.Join(dir, "police_leicestershire_street")},
		Boundaries: []string{filepath.Join(dir, "boundaries_leicester", "leicester_wards_WD20_BGC.geojson")},
	}); err != nil {
		b.Fatal(err)
	}
	now := time.Now().UTC()
	area := geo.TargetArea{ID: "ta_bench", Name: "Clock Tower", Priority: "asb", Start: geo.NewMonth(2024, 3),
		Geometry: orb.MultiPolygon{{{{-1.1370, 52.6346}, {-1.1311, 52.6346}, {-1.1311, 52.6382}, {-1.1370, 52.6382}, {-1.1370, 52.6346}}}},
		Created:  now, Updated: now}
	if err := st.AddTargetArea(b.Context(), area); err != nil {
		b.Fatal(err)
	}
	an := analysis.New(st, geo.BuiltinPriorities())
	var last *analysis.AreaEvaluation
	for b.Loop() {
		ev, err := an.EvaluateTargetArea(b.Context(), area.ID, analysis.EvalQuery{Control: "Westcotes"})
		if err != nil {
			b.Fatal(err)
		}
		last = ev
	}
	b.ReportMetric(float64(last.TBefore+last.TAfter), "t-incidents")
}
