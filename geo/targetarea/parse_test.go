package targetarea

import (
	"errors"
	"strings"
	"testing"

	"github.com/leicester-csp/hotspot/geo"
)

const square = `[[-1.14,52.63],[-1.13,52.63],[-1.13,52.64],[-1.14,52.64],[-1.14,52.63]]`

func feat(geom, props string) string {
	return `{"type":"Feature","geometry":` + geom + `,"properties":` + props + `}`
}

const okProps = `{"name":"Clock Tower","priority":"asb","start":"2024-03","actions":"patrols"}`

func TestParse(t *testing.T) {
	cases := []struct {
		name, body, field string
	}{
		{"polygon", feat(`{"type":"Polygon","coordinates":[`+square+`]}`, okProps), ""},
		{"multipolygon", feat(`{"type":"MultiPolygon","coordinates":[[`+square+`]]}`, okProps), ""},
		{"clockwise is turned", feat(`{"type":"Polygon","coordinates":[[[-1.14,52.63],[-1.14,52.64],[-1.13,52.64],[-1.13,52.63],[-1.14,52.63]]]}`, okProps), ""},
		{"two squares touching at a corner", feat(`{"type":"MultiPolygon","coordinates":[[`+square+`],[[[-1.13,52.64],[-1.12,52.64],[-1.12,52.65],[-1.13,52.65],[-1.13,52.64]]]]}`, okProps), ""},
		{"bow tie", feat(`{"type":"Polygon","coordinates":[[[0,0],[1,1],[1,0],[0,1],[0,0]]]}`, okProps), "geometry"},
		{"point", feat(`{"type":"Point","coordinates":[0,0]}`, okProps), "geometry"},
		{"line", feat(`{"type":"LineString","coordinates":[[0,0],[1,1]]}`, okProps), "geometry"},
		{"open ring", feat(`{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,1]]]}`, okProps), "geometry"},
		{"too few", feat(`{"type":"Polygon","coordinates":[[[0,0],[1,0],[0,0]]]}`, okProps), "geometry"},
		{"flat", feat(`{"type":"Polygon","coordinates":[[[0,0],[1,0],[2,0],[0,0]]]}`, okProps), "geometry"},
		{"out of range", feat(`{"type":"Polygon","coordinates":[[[0,0],[200,0],[1,1],[0,0]]]}`, okProps), "geometry"},
		{"across the antimeridian", feat(`{"type":"Polygon","coordinates":[[[179.9,52.6],[-179.9,52.6],[-179.9,52.7],[179.9,52.7],[179.9,52.6]]]}`, okProps), "geometry"},
		{"beside the antimeridian", feat(`{"type":"Polygon","coordinates":[[[179.8,52.6],[180,52.6],[180,52.7],[179.8,52.7],[179.8,52.6]]]}`, okProps), ""},
		{"overlapping squares", feat(`{"type":"MultiPolygon","coordinates":[[`+square+`],[[[-1.135,52.635],[-1.12,52.635],[-1.12,52.65],[-1.135,52.65],[-1.135,52.635]]]]}`, okProps), "geometry"},
		{"spike", feat(`{"type":"Polygon","coordinates":[[[0,0],[2,0],[1,0],[1,1],[0,0]]]}`, okProps), "geometry"},
		{"no geometry", feat(`null`, okProps), "geometry"},
		{"not a feature", `{"type":"FeatureCollection","features":[]}`, "body"},
		{"not json", `{`, "body"},
		{"no name", feat(`{"type":"Polygon","coordinates":[`+square+`]}`, `{"priority":"asb","start":"2024-03"}`), "name"},
		{"no priority", feat(`{"type":"Polygon","coordinates":[`+square+`]}`, `{"name":"x","start":"2024-03"}`), "priority"},
		{"bad start", feat(`{"type":"Polygon","coordinates":[`+square+`]}`, `{"name":"x","priority":"asb","start":"2024-13"}`), "start"},
		{"number name", feat(`{"type":"Polygon","coordinates":[`+square+`]}`, `{"name":1,"priority":"asb","start":"2024-03"}`), "properties"},
		{"no properties", feat(`{"type":"Polygon","coordinates":[`+square+`]}`, `null`), "name"},
		{"long name", feat(`{"type":"Polygon","coordinates":[`+square+`]}`, `{"name":"`+strings.Repeat("x", MaxName+1)+`","priority":"asb","start":"2024-03"}`), "name"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			d, err := Parse([]byte(c.body))
			if c.field == "" {
				if err != nil {
					t.Fatal(err)
				}
				if d.Name != "Clock Tower" || d.Priority != "asb" || d.Start != geo.NewMonth(2024, 3) || d.Actions != "patrols" {
					t.Errorf("draft = %+v", d)
				}
				for _, poly := range d.Geometry {
					if signedArea(poly[0]) <= 0 {
						t.Error("exterior ring not counter-clockwise")
					}
				}
				return
			}
			var fe *FieldError
			if !errors.As(err, &fe) || fe.Field != c.field || !errors.Is(err, geo.ErrInvalid) {
				t.Fatalf("err = %v; want a FieldError naming %s", err, c.field)
			}
		})
	}
}

func TestHoleTouchingShellAtAPointIsAllowed(t *testing.T) {
	mp := `{"type":"Polygon","coordinates":[[[0,0],[4,0],[4,4],[0,4],[0,0]],[[0,0],[1,2],[2,1],[0,0]]]}`
	if _, err := Parse([]byte(feat(mp, okProps))); err != nil {
		t.Fatal(err)
	}
}

func FuzzParse(f *testing.F) {
	f.Add([]byte(feat(`{"type":"Polygon","coordinates":[`+square+`]}`, okProps)))
	f.Add([]byte(feat(`{"type":"MultiPolygon","coordinates":[[[[0,0],[1,1],[1,0],[0,1],[0,0]]]]}`, okProps)))
	f.Add([]byte(feat(`{"type":"Polygon","coordinates":[[[0,0],[1],[1,1,1,1],[0,0]]]}`, okProps)))
	f.Fuzz(func(t *testing.T, b []byte) {
		d, err := Parse(b)
		if err != nil {
			var fe *FieldError
			if !errors.As(err, &fe) {
				t.Fatalf("error is no FieldError: %v", err)
			}
			return
		}
		if err := Check(d.Geometry); err != nil {
			t.Fatalf("parsed geometry fails its own check: %v", err)
		}
		if d.Name == "" || d.Priority == "" {
			t.Fatalf("accepted without name or priority: %+v", d)
		}
	})
}
