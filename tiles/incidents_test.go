package tiles

import (
	"github.com/leicester-csp/hotspot/geo/layer"

	"fmt"
	"slices"
	"testing"

	"github.com/paulmach/orb"

	"github.com/leicester-csp/hotspot/geo"
)

// incidentsFixture: a few incidents around the centre (one outside every
// ward, one with no outcome), one without a location, and one in London,
// in store order (month, then id).
func incidentsFixture() []geo.StoredIncident {
	inc := func(id string, month geo.Month, p orb.Point, located bool, ward, wardName, outcome string) geo.StoredIncident {
		return geo.StoredIncident{
			Incident: geo.Incident{
				ID: id, Month: month, HasLocation: located, Point: p,
				Location: "On or near " + id + " Street", Category: "Shoplifting", Outcome: outcome,
			},
			Ward: ward, WardName: wardName,
		}
	}
	jan, feb := geo.NewMonth(2024, 1), geo.NewMonth(2024, 2)
	return []geo.StoredIncident{
		inc("a1", jan, centre(), true, "E05000001", "Castle", "Under investigation"),
		inc("a2", jan, offset(centre(), 0.2, 0.1), true, "", "", "Unable to prosecute suspect"),
		inc("a3", jan, orb.Point{}, false, "", "", "Under investigation"),
		inc("b1", feb, offset(centre(), -0.3, 0.2), true, "E05000001", "Castle", ""),
		inc("b2", feb, orb.Point{-0.09, 51.51}, true, "E09000001", "Faraway", "Under investigation"),
	}
}

func TestIncidents(t *testing.T) {
	items := incidentsFixture()
	tile := tileAt(centre(), 14)
	b, st, err := Encode(layer.IncidentAnswer(items), tile, Options{})
	if err != nil {
		t.Fatal(err)
	}
	l := decodeLayer(t, b, "incidents")
	if st != (Stats{Features: 3}) {
		t.Errorf("stats %+v, want 3 features", st)
	}
	want := []map[string]any{
		{"id": "a1", "month": "2024-01", "category": "Shoplifting", "location": "On or near a1 Street",
			"outcome": "Under investigation", "ward": "E05000001", "ward_name": "Castle"},
		{"id": "a2", "month": "2024-01", "category": "Shoplifting", "location": "On or near a2 Street",
			"outcome": "Unable to prosecute suspect"},
		{"id": "b1", "month": "2024-02", "category": "Shoplifting", "location": "On or near b1 Street",
			"outcome": "", "ward": "E05000001", "ward_name": "Castle"},
	}
	if len(l.Features) != len(want) {
		t.Fatalf("%d features, want %d", len(l.Features), len(want))
	}
	for i, f := range l.Features {
		if fmt.Sprint(map[string]any(f.Properties)) != fmt.Sprint(want[i]) {
			t.Errorf("feature %d: %v, want %v", i, f.Properties, want[i])
		}
		if _, ok := f.Geometry.(orb.Point); !ok {
			t.Errorf("feature %d: geometry %T, want a point", i, f.Geometry)
		}
		checkInExtent(t, f.Geometry, Options{})
	}
}

func TestIncidentsTruncation(t *testing.T) {
	var items []geo.StoredIncident
	for i := range 50 {
		items = append(items, geo.StoredIncident{Incident: geo.Incident{
			ID: fmt.Sprintf("id%02d", i), Month: geo.NewMonth(2024, 1+i%12), HasLocation: true,
			Point: offset(centre(), float64(i%7)*0.05, float64(i%5)*0.05), Category: "Drugs",
		}})
	}
	// The answer's order (the store's: month, then id) says what a full
	// tile keeps and how it is written.
	b, st, err := Encode(layer.IncidentAnswer(items), tileAt(centre(), 14), Options{MaxFeatures: 10})
	if err != nil {
		t.Fatal(err)
	}
	if st != (Stats{Features: 10, Truncated: true}) {
		t.Errorf("stats %+v", st)
	}
	var got []string
	for _, f := range decodeLayer(t, b, "incidents").Features {
		got = append(got, f.Properties["id"].(string))
	}
	var want []string
	for _, it := range items[:10] {
		want = append(want, it.ID)
	}
	if !slices.Equal(got, want) {
		t.Errorf("kept %v, want %v", got, want)
	}
}
