package api

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/leicester-csp/hotspot/geo/access"
)

// TestRepeatLocationsShape: the default answer is DESIGN.md's list
// ({"locations": [{"longitude","latitude","location","premises","count"}]}),
// and format=geojson is the layer's FeatureCollection of the same places,
// for the map and QGIS.
func TestRepeatLocationsShape(t *testing.T) {
	f, auth, _ := embeddedRepeats(t)
	analyst, partner := auth[access.Analyst], auth[access.Partner]
	p0 := fmt.Sprintf("p:%v,%v", fixturePoints[0][0], fixturePoints[0][1])
	p5 := fmt.Sprintf("p:%v,%v", fixturePoints[5][0], fixturePoints[5][1])
	const q = "/api/v1/repeats/locations?source=council&min=1&from=2024-02&to=2024-03"
	tests := []struct {
		name        string
		target      string
		auth        []string
		contentType string
		member      string // the array the places are in
		wantIDs     []string
	}{
		{"list", q, analyst, contentJSON, "locations", []string{"premises:P1", "premises:P2", p0, p5}},
		{"format=json", q + "&format=json", analyst, contentJSON, "locations", []string{"premises:P1", "premises:P2", p0, p5}},
		{"geojson", q + "&format=geojson", analyst, contentGeoJSON, "features", []string{"premises:P1", "premises:P2", p0, p5}},
		{"partner list", q, partner, contentJSON, "locations", []string{"premises:P1"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			resp, body := f.get(t, tc.target, tc.auth...)
			if resp.StatusCode != 200 {
				t.Fatalf("%d: %s", resp.StatusCode, body)
			}
			if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, tc.contentType) {
				t.Errorf("Content-Type %q, want %q", ct, tc.contentType)
			}
			var v map[string]any
			if err := json.Unmarshal(body, &v); err != nil {
				t.Fatal(err)
			}
			if got := rowsOf(t, v[tc.member], "id"); !slices.Equal(got, tc.wantIDs) {
				t.Errorf("places %q, want %q", got, tc.wantIDs)
			}
		})
	}
	list := getAs(t, f, q, 200, analyst)
	first := obj(t, arr(t, list["locations"])[0])
	for _, k := range []string{"longitude", "latitude", "location", "premises", "count", "suppressed"} {
		if _, ok := first[k]; !ok {
			t.Errorf("a location lacks %q: %v", k, first)
		}
	}
	if first["premises"] != "P1" || first["count"] != 6.0 || first["suppressed"] != false || first["location"] != "Clock Tower" {
		t.Errorf("first location %v, want P1's 6 records at the Clock Tower", first)
	}
	meta := obj(t, list["meta"])
	if meta["min"] != 1.0 || meta["source"] != "council" || !strings.Contains(list["count_of"].(string), "records") {
		t.Errorf("meta %v, count_of %v", meta, list["count_of"])
	}
	// A partner is told the threshold places under it were left out by.
	if pm := obj(t, getAs(t, f, q, 200, partner)["meta"]); pm["suppress_below"] != 5.0 {
		t.Errorf("partner meta %v, want suppress_below 5", pm)
	}
	if uk := getAs(t, f, "/api/v1/repeats/locations?min=1&from=2024-02&to=2024-03", 200, nil); !strings.Contains(uk["count_of"].(string), "police.uk") {
		t.Errorf("police.uk count_of %v", uk["count_of"])
	}
}
