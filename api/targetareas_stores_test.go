package api

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/paulmach/orb"

	"github.com/leicester-csp/hotspot/geo"
	"github.com/leicester-csp/hotspot/geo/analysis"
	"github.com/leicester-csp/hotspot/geo/store/embedded"
)

// TestStoresAgreeOnEvaluations loads the same data and target areas into
// the embedded store and PostGIS (HOTSPOT_TEST_DATABASE_URL) and requires
// identical evaluations, with ward and area controls and buffers from 0
// to 2,000 m.
func TestStoresAgreeOnEvaluations(t *testing.T) {
	pg := testPostGIS(t, "hotspot_test_areas")
	emb, err := embedded.Open(t.Context(), t.TempDir(), embedded.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { emb.Close() })
	now := time.Date(2026, 11, 5, 9, 0, 0, 0, time.UTC)
	areas := []geo.TargetArea{
		{ID: "ta_castle", Name: "Castle cluster", Priority: "retail-crime", Start: geo.NewMonth(2025, 6), Created: now, Updated: now,
			Geometry: orb.MultiPolygon{{{{-1.1360, 52.6320}, {-1.1340, 52.6320}, {-1.1340, 52.6340}, {-1.1360, 52.6340}, {-1.1360, 52.6320}}}}},
		{ID: "ta_abbey", Name: "Abbey", Priority: "retail-crime", Start: geo.NewMonth(2025, 6), Created: now.Add(time.Second), Updated: now,
			Geometry: orb.MultiPolygon{{{{-1.1400, 52.6360}, {-1.1300, 52.6360}, {-1.1300, 52.6420}, {-1.1400, 52.6420}, {-1.1400, 52.6360}}}}},
	}
	var answers [2][]string
	for i, st := range []geo.Store{emb, pg} {
		if _, err := st.Import(t.Context(), changeInput()); err != nil {
			t.Fatal(err)
		}
		for _, a := range areas {
			if err := st.(geo.TargetAreaStore).AddTargetArea(t.Context(), a); err != nil {
				t.Fatal(err)
			}
		}
		an := analysis.New(st, geo.BuiltinPriorities())
		for _, q := range evalQueries() {
			ev, err := an.EvaluateTargetArea(t.Context(), "ta_castle", q)
			if err != nil {
				t.Fatal(err)
			}
			b, _ := json.Marshal(EvaluationBody(ev))
			answers[i] = append(answers[i], string(b))
		}
	}
	t.Logf("%s", answers[0][len(answers[0])-2])
	for k := range answers[0] {
		if answers[0][k] != answers[1][k] {
			t.Errorf("query %d:\nembedded %s\npostgis  %s", k, answers[0][k], answers[1][k])
		}
	}
}

func evalQueries() []analysis.EvalQuery {
	var out []analysis.EvalQuery
	for _, buf := range []float64{0, 150, 250, 2000} {
		for _, ctl := range []string{"Westcotes", codeCastle, "ta_abbey"} {
			out = append(out, analysis.EvalQuery{Control: ctl, Buffer: &buf, Before: 12, After: 1})
		}
	}
	return out
}
