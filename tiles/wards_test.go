package tiles

import (
	"github.com/leicester-csp/hotspot/geo/layer"

	"math"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/mvt"
	"github.com/paulmach/orb/geojson"
	"github.com/paulmach/orb/maptile"

	"github.com/leicester-csp/hotspot/geo/analysis"
)

func TestWards(t *testing.T) {
	tests := []struct {
		name  string
		tile  maptile.Tile
		codes []string // expected, in order
		holes bool     // Castle keeps its hole
	}{
		{"z14 centre", tileAt(centre(), 14), []string{"E05000001", "E05000002"}, true},
		{"z12 centre", tileAt(centre(), 12), []string{"E05000001", "E05000002", "E05000003"}, true},
		{"z8 speck is a square", tileAt(centre(), 8), []string{"E05000001", "E05000002", "E05000003"}, true},
		{"z0 all wards", maptile.New(0, 0, 0), []string{"E05000001", "E05000002", "E05000003", "E09000001"}, false},
		{"z14 round ward", tileAt(offset(centre(), 2.5, 0), 14), []string{"E05000003"}, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res := wardsFixture()
			before := orb.Clone(res.Wards[0].Area.Geometry)
			b, st, err := Encode(layer.WardAnswer(res), tc.tile, Options{})
			if err != nil {
				t.Fatal(err)
			}
			if !orb.Equal(before, res.Wards[0].Area.Geometry) {
				t.Fatal("Wards changed the result's geometry")
			}
			l := decodeLayer(t, b, "wards")
			if st.Features != len(l.Features) || st.Truncated {
				t.Errorf("stats %+v, decoded %d", st, len(l.Features))
			}
			var codes []string
			for _, f := range l.Features {
				codes = append(codes, f.Properties["code"].(string))
				checkInExtent(t, f.Geometry, Options{})
				checkWinding(t, f.Geometry)
			}
			if !equalStrings(codes, tc.codes) {
				t.Fatalf("wards %v, want %v", codes, tc.codes)
			}
			for _, f := range l.Features {
				if f.Properties["code"] != "E05000002" {
					continue
				}
				// A few metres across: a unit square once it is
				// under a tile unit, its own shape when larger.
				a := area2(f.Geometry.(orb.Polygon)[0])
				if tiny := tc.tile.Z <= 8; tiny != (a == 2) {
					t.Errorf("speck area×2 %v at z%d", a, tc.tile.Z)
				}
			}
			castle := l.Features[0]
			if p, ok := castle.Geometry.(orb.Polygon); !ok || (len(p) == 2) != tc.holes {
				t.Errorf("Castle geometry %T with rings %d, want hole %v", castle.Geometry, ringCount(castle.Geometry), tc.holes)
			}
		})
	}
}

func TestWardProperties(t *testing.T) {
	b, _, err := Encode(layer.WardAnswer(wardsFixture()), maptile.New(0, 0, 0), Options{})
	if err != nil {
		t.Fatal(err)
	}
	l := decodeLayer(t, b, "wards")
	want := map[string]map[string]any{
		"E05000001": {"code": "E05000001", "name": "Castle", "count": 120.0, "population": 15000.0,
			"rate_per_1000": 8.0, "prev_count": 100.0, "change_pct": 20.0, "change_p": 0.004, "change_bin": 3.0, "suppressed": false, "from": "2024-01", "to": "2024-06"},
		// Unknown population: no population, no rate; prev 0: no change.
		"E05000002": {"code": "E05000002", "name": "Speck", "count": 3.0, "prev_count": 0.0, "change_p": 0.25, "change_bin": 0.0, "suppressed": false, "from": "2024-01", "to": "2024-06"},
		"E05000003": {"code": "E05000003", "name": "Round", "count": 40.0, "population": 9000.0,
			"rate_per_1000": 40.0 / 9, "prev_count": 50.0, "change_pct": -20.0, "change_p": 0.37, "change_bin": 0.0, "suppressed": false, "from": "2024-01", "to": "2024-06"},
		"E09000001": {"code": "E09000001", "name": "Faraway", "count": 7.0, "prev_count": 7.0, "change_pct": 0.0, "change_p": 1.0, "change_bin": 0.0, "suppressed": false, "from": "2024-01", "to": "2024-06"},
	}
	for _, f := range l.Features {
		code := f.Properties["code"].(string)
		w := want[code]
		if len(f.Properties) != len(w) {
			t.Errorf("%s: properties %v, want %v", code, f.Properties, w)
			continue
		}
		for k, v := range w {
			if f.Properties[k] != v {
				t.Errorf("%s: %s = %v (%T), want %v", code, k, f.Properties[k], f.Properties[k], v)
			}
		}
	}
}

// Simplification must thin a finely drawn outline at low zoom, keep it
// close to the original, and leave small wards in place.
func TestWardSimplify(t *testing.T) {
	round := wardsFixture().Wards[2]
	tile := tileAt(round.Area.Geometry.Bound().Center(), 11)
	b, _, err := Encode(layer.WardAnswer(wardsFixture()), tile, Options{})
	if err != nil {
		t.Fatal(err)
	}
	var got orb.Polygon
	for _, f := range decodeLayer(t, b, "wards").Features {
		if f.Properties["code"] == round.Area.Code {
			got = f.Geometry.(orb.Polygon)
		}
	}
	if got == nil {
		t.Fatal("round ward missing")
	}
	n := len(got[0])
	if n < 8 || n > len(round.Area.Geometry[0][0])/4 {
		t.Errorf("round ward has %d vertices after simplifying %d", n, len(round.Area.Geometry[0][0]))
	}
	// The simplified outline must keep the ward's area to within a
	// fraction of a percent: the tolerance is half a pixel on a ring
	// hundreds of pixels round.
	want := math.Abs(area2(projectPolygon(round.Area.Geometry[0], tile)[0]))
	if ratio := area2(got[0]) / want; ratio < 0.99 || ratio > 1.01 {
		t.Errorf("simplified area is %.4f of the original", ratio)
	}
}

// projectPolygon returns a copy of p in the tile coordinates of t.
func projectPolygon(p orb.Polygon, t maptile.Tile) orb.Polygon {
	l := &mvt.Layer{Extent: DefaultExtent, Features: []*geojson.Feature{geojson.NewFeature(orb.Clone(p))}}
	l.ProjectToTile(t)
	return l.Features[0].Geometry.(orb.Polygon)
}

func equalStrings(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func ringCount(g orb.Geometry) int {
	switch g := g.(type) {
	case orb.Polygon:
		return len(g)
	case orb.MultiPolygon:
		n := 0
		for _, p := range g {
			n += len(p)
		}
		return n
	}
	return 0
}

func TestWardsTruncation(t *testing.T) {
	b, st, err := Encode(layer.WardAnswer(wardsFixture()), maptile.New(0, 0, 0), Options{MaxFeatures: 2})
	if err != nil {
		t.Fatal(err)
	}
	if st != (Stats{Features: 2, Truncated: true}) {
		t.Errorf("stats %+v", st)
	}
	var codes []string
	for _, f := range decodeLayer(t, b, "wards").Features {
		codes = append(codes, f.Properties["code"].(string))
	}
	// The two highest counts (120 and 40), written by code.
	if want := []string{"E05000001", "E05000003"}; !equalStrings(codes, want) {
		t.Errorf("kept %v, want %v", codes, want)
	}
}

func TestWardsEmpty(t *testing.T) {
	for name, res := range map[string]*analysis.WardResult{"nil": nil, "no wards": {}} {
		b, st, err := Encode(layer.WardAnswer(res), tileAt(centre(), 12), Options{})
		if err != nil {
			t.Fatal(err)
		}
		if l := decodeLayer(t, b, "wards"); len(l.Features) != 0 || st.Features != 0 {
			t.Errorf("%s: %d features", name, len(l.Features))
		}
	}
}
