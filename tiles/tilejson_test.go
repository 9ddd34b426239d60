package tiles

import (
	"github.com/leicester-csp/hotspot/geo/layer"

	"encoding/json"
	"errors"
	"math"
	"testing"
	"time"

	"github.com/paulmach/orb"

	"github.com/leicester-csp/hotspot/geo"
)

func TestTileJSON(t *testing.T) {
	city := box(centre(), 6)
	tests := []struct {
		name        string
		layer       string
		url         string
		bounds      orb.Bound
		attribution string
		wantBounds  bool
		wantAttr    string
		wantFields  []string
	}{
		{
			name: "hex with filters", layer: "hex",
			url:    "https://map.example/tiles/hex/{z}/{x}/{y}.mvt?priority=asb&from=2024-01",
			bounds: city, wantBounds: true, wantAttr: DefaultAttribution,
			wantFields: []string{"h3", "count", "gi_z", "gi_p", "gi_bin", "top_location", "suppressed", "from", "to"},
		},
		{
			name: "wards own attribution", layer: "wards",
			url: "/tiles/wards/{z}/{x}/{y}.mvt", bounds: city, attribution: "Leicester CSP",
			wantBounds: true, wantAttr: "Leicester CSP",
			wantFields: []string{"code", "name", "count", "population", "rate_per_1000", "prev_count", "change_pct", "change_p", "change_bin", "suppressed", "from", "to"},
		},
		{
			name: "incidents no bounds", layer: "incidents", url: "/tiles/incidents/{z}/{x}/{y}.mvt",
			wantAttr:   DefaultAttribution,
			wantFields: []string{"id", "month", "category", "location", "ward", "ward_name", "outcome", "source", "occurred", "flags", "premises", "offender"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			b, err := TileJSON(schemaOf(tc.layer), tc.url, tc.bounds, tc.attribution)
			if err != nil {
				t.Fatal(err)
			}
			var doc struct {
				TileJSON     string    `json:"tilejson"`
				Tiles        []string  `json:"tiles"`
				MinZoom      *int      `json:"minzoom"`
				MaxZoom      *int      `json:"maxzoom"`
				Bounds       []float64 `json:"bounds"`
				Attribution  string    `json:"attribution"`
				VectorLayers []struct {
					ID     string            `json:"id"`
					Fields map[string]string `json:"fields"`
				} `json:"vector_layers"`
			}
			if err := json.Unmarshal(b, &doc); err != nil {
				t.Fatalf("not JSON: %v\n%s", err, b)
			}
			if doc.TileJSON != "3.0.0" || len(doc.Tiles) != 1 || doc.Tiles[0] != tc.url {
				t.Errorf("tilejson %q tiles %q", doc.TileJSON, doc.Tiles)
			}
			if doc.MinZoom == nil || *doc.MinZoom != 0 || doc.MaxZoom == nil || *doc.MaxZoom != MaxZoom {
				t.Errorf("zooms %v–%v", doc.MinZoom, doc.MaxZoom)
			}
			if doc.Attribution != tc.wantAttr {
				t.Errorf("attribution %q, want %q", doc.Attribution, tc.wantAttr)
			}
			switch {
			case !tc.wantBounds && doc.Bounds != nil:
				t.Errorf("bounds %v, want none", doc.Bounds)
			case tc.wantBounds:
				want := []float64{tc.bounds.Min[0], tc.bounds.Min[1], tc.bounds.Max[0], tc.bounds.Max[1]}
				if len(doc.Bounds) != 4 {
					t.Fatalf("bounds %v", doc.Bounds)
				}
				for i := range want {
					if math.Abs(doc.Bounds[i]-want[i]) > 1e-12 {
						t.Errorf("bounds %v, want %v", doc.Bounds, want)
						break
					}
				}
			}
			if len(doc.VectorLayers) != 1 || doc.VectorLayers[0].ID != tc.layer {
				t.Fatalf("vector_layers %+v", doc.VectorLayers)
			}
			fs := doc.VectorLayers[0].Fields
			if len(fs) != len(tc.wantFields) {
				t.Errorf("fields %v, want %v", fs, tc.wantFields)
			}
			for _, f := range tc.wantFields {
				if ty := fs[f]; ty != "String" && ty != "Number" && ty != "Boolean" {
					t.Errorf("field %s has type %q", f, ty)
				}
			}
		})
	}
}

func TestTileJSONErrors(t *testing.T) {
	tests := []struct {
		name, layer, url string
		want             error
	}{
		{"unknown layer", "lsoa", "/tiles/lsoa/{z}/{x}/{y}.mvt", geo.ErrNotFound},
		{"no placeholders", "hex", "/tiles/hex/1/2/3.mvt", geo.ErrInvalid},
		{"no y", "hex", "/tiles/hex/{z}/{x}.mvt", geo.ErrInvalid},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := TileJSON(schemaOf(tc.layer), tc.url, orb.Bound{}, ""); !errors.Is(err, tc.want) {
				t.Errorf("err %v, want %v", err, tc.want)
			}
		})
	}
}

func TestTileJSONClampsBounds(t *testing.T) {
	b, err := TileJSON(layer.HexSchema(), "/{z}/{x}/{y}", orb.Bound{Min: orb.Point{-200, -90}, Max: orb.Point{200, 90}}, "")
	if err != nil {
		t.Fatal(err)
	}
	var doc struct{ Bounds []float64 }
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Bounds) != 4 || doc.Bounds[0] != -180 || doc.Bounds[2] != 180 || doc.Bounds[3] > 85.06 || doc.Bounds[1] < -85.06 {
		t.Errorf("bounds %v", doc.Bounds)
	}
}

// Every property a tile can carry is declared, and nothing else.
func TestTileJSONFieldsMatchTiles(t *testing.T) {
	tile := tileAt(centre(), 14)
	hexTile, _, err := Encode(layer.HexAnswer(hexFixture(t, box(centre(), 2), 10)), tile, Options{})
	if err != nil {
		t.Fatal(err)
	}
	wardTile, _, err := Encode(layer.WardAnswer(wardsFixture()), tile, Options{})
	if err != nil {
		t.Fatal(err)
	}
	// A partner record, so that its fields appear too.
	local := geo.StoredIncident{Incident: geo.Incident{ID: "r1", Month: geo.NewMonth(2024, 1), HasLocation: true, Point: centre(),
		Category: "Street drinking", Source: "council", Occurred: time.Date(2024, 1, 5, 22, 0, 0, 0, geo.London),
		Flags: geo.Flags(0).With(geo.Knife), Premises: "P1", Offender: "00112233aabbccdd"}}
	incTile, _, err := Encode(layer.IncidentAnswer(append(incidentsFixture(), local)), tile, Options{})
	if err != nil {
		t.Fatal(err)
	}
	for layer, b := range map[string][]byte{"hex": hexTile, "wards": wardTile, "incidents": incTile} {
		declared := fields(schemaOf(layer))
		seen := map[string]bool{}
		for _, f := range decodeLayer(t, b, layer).Features {
			for k, v := range f.Properties {
				seen[k] = true
				want := "Number"
				switch v.(type) {
				case string:
					want = "String"
				case bool:
					want = "Boolean"
				}
				if declared[k] != want {
					t.Errorf("%s: property %s (%T) declared %q", layer, k, v, declared[k])
				}
			}
		}
		for k := range declared {
			if !seen[k] {
				t.Errorf("%s: declared %s never appears in the fixture's tile", layer, k)
			}
		}
	}
}

// schemaOf is the layer's schema by name, nil for an unknown one.
func schemaOf(name string) *layer.Schema {
	for _, s := range []*layer.Schema{layer.HexSchema(), layer.WardSchema(), layer.IncidentSchema()} {
		if s.Name == name {
			return s
		}
	}
	return nil
}
