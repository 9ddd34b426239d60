package api

import (
	"net/http"
	"slices"
	"testing"

	"github.com/leicester-csp/hotspot/geo"
)

func TestPrioritiesAndMeta(t *testing.T) {
	f := newFixture(t)
	pr := f.getJSON(t, "/api/v1/priorities", http.StatusOK)
	ps := arr(t, pr["priorities"])
	if len(ps) != 3 {
		t.Fatalf("%d priorities", len(ps))
	}
	for _, p := range ps {
		if got := keys(obj(t, p)); !slices.Equal(got, sorted("id", "name", "categories", "area", "description")) {
			t.Errorf("priority members %v", got)
		}
	}
	if got := obj(t, ps[0])["area"]; !equalJSON(got, []string{"Castle"}) {
		t.Errorf("city-centre-violence area %v", got)
	}
	if got := len(arr(t, pr["categories"])); got != len(geo.Categories) {
		t.Errorf("%d categories, want the %d police.uk crime types", got, len(geo.Categories))
	}

	m := f.getJSON(t, "/api/v1/meta", http.StatusOK)
	want := map[string]any{
		"months":         []string{"2022-12", "2023-01", "2023-03", "2023-05", "2023-08", "2023-10", "2023-12", "2024-01", "2024-02", "2024-03"},
		"latest_month":   "2024-03",
		"default_from":   "2023-04",
		"default_to":     "2024-03",
		"categories":     sorted(fixtureCats...),
		"res":            map[string]int{"min": 6, "max": 10, "default": 9},
		"k":              map[string]int{"min": 1, "max": 3, "default": 1},
		"incident_limit": map[string]int{"min": 1, "max": 10000, "default": 100},
		"synthetic":      false,
	}
	for k, w := range want {
		if !equalJSON(m[k], w) {
			t.Errorf("meta %s = %v, want %v", k, m[k], w)
		}
	}
}
