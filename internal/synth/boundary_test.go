package synth

import (
	"bytes"
	"reflect"
	"testing"

	"github.com/paulmach/orb/geojson"

	"github.com/leicester-csp/hotspot/geo"
	"github.com/leicester-csp/hotspot/geo/boundary"
)

// TestBoundaryLoaderAccepts runs the wards and the city through the
// project's boundary loader, which refuses self-intersecting or otherwise
// unusable rings, and expects them back unchanged: exported as GeoJSON they
// load like ONS boundaries.
func TestBoundaryLoaderAccepts(t *testing.T) {
	for _, seed := range testSeeds {
		c := city(t, seed)
		for _, set := range []struct {
			kind  geo.AreaKind
			areas []geo.Area
		}{{geo.KindWard, c.Wards}, {geo.KindCity, []geo.Area{c.City}}} {
			fc := geojson.NewFeatureCollection()
			for _, a := range set.areas {
				f := geojson.NewFeature(a.Geometry)
				f.Properties["code"] = a.Code
				f.Properties["name"] = a.Name
				fc.Append(f)
			}
			b, err := fc.MarshalJSON()
			if err != nil {
				t.Fatal(err)
			}
			got, err := boundary.Read(bytes.NewReader(b), "synth.geojson",
				boundary.Options{Kind: set.kind, CodeField: "code", NameField: "name"})
			if err != nil {
				t.Fatalf("seed %d: %s refused: %v", seed, set.kind, err)
			}
			if !reflect.DeepEqual(got, set.areas) {
				t.Errorf("seed %d: %s changed by loading", seed, set.kind)
			}
		}
	}
}
