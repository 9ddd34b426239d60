package api

import (
	"encoding/json"
	"slices"
	"sort"
	"testing"

	"github.com/paulmach/orb"

	"github.com/leicester-csp/hotspot/geo"
)

var (
	violence = []string{"Violence and sexual offences", "Robbery", "Possession of weapons"}
	asbCats  = []string{"Anti-social behaviour"}
)

// expected selects fixture incidents the way DESIGN.md says: months and

// categories always; counted ones must also lie in the area (a ward, or

// the priority's wards); listed ones are every match unless the request

// has an area of its own.

type expected struct {
	from, to string
	cats     []string
	wards    []string // a priority's area
}

func (e expected) match(l *geo.Located) bool {
	from, _ := geo.ParseMonth(e.from)
	to, _ := geo.ParseMonth(e.to)
	if l.Month < from || l.Month > to {
		return false
	}
	return len(e.cats) == 0 || slices.Contains(e.cats, l.Category)
}

func (e expected) inArea(l *geo.Located) bool {
	if !l.HasLocation {
		return false
	}
	w := wardOf(l.Point)
	return w != "" && (len(e.wards) == 0 || slices.Contains(e.wards, w))
}

func (e expected) counted() (n int, byWard map[string]int) {
	byWard = map[string]int{}
	for _, l := range fixtureIncidents() {
		if e.match(l) && e.inArea(l) {
			n++
			byWard[wardOf(l.Point)]++
		}
	}
	return n, byWard
}

func (e expected) listed() []*geo.Located {
	var out []*geo.Located
	for _, l := range fixtureIncidents() {
		if e.match(l) && (len(e.wards) == 0 || e.inArea(l)) {
			out = append(out, l)
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Month != out[j].Month {
			return out[i].Month < out[j].Month
		}
		return out[i].ID < out[j].ID
	})
	return out
}

func keys(m map[string]any) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

func sorted(s ...string) []string { slices.Sort(s); return s }

// checkCollection checks what every GeoJSON answer shares and returns

// the features and the meta.

func checkCollection(t *testing.T, fc map[string]any, props []string, extra ...string) ([]map[string]any, map[string]any) {
	t.Helper()
	if got, want := keys(fc), sorted(append([]string{"type", "features", "hotspot"}, extra...)...); !slices.Equal(got, want) {
		t.Errorf("collection members %v, want %v (no crs)", got, want)
	}
	if fc["type"] != "FeatureCollection" {
		t.Errorf("type %v", fc["type"])
	}
	var feats []map[string]any
	for _, f := range arr(t, fc["features"]) {
		f := obj(t, f)
		if got := keys(f); !slices.Equal(got, []string{"geometry", "properties", "type"}) {
			t.Fatalf("feature members %v", got)
		}
		if got := keys(obj(t, f["properties"])); !slices.Equal(got, sorted(props...)) {
			t.Fatalf("properties %v, want exactly %v", got, props)
		}
		feats = append(feats, f)
	}
	return feats, obj(t, fc["hotspot"])
}

// ring decodes a polygon feature's exterior ring.

func ring(t *testing.T, f map[string]any, typ string) orb.Ring {
	t.Helper()
	g := obj(t, f["geometry"])
	if g["type"] != typ {
		t.Fatalf("geometry type %v, want %s", g["type"], typ)
	}
	raw, _ := json.Marshal(g["coordinates"])
	var r orb.Ring
	switch typ {
	case "Polygon":
		var p orb.Polygon
		if err := json.Unmarshal(raw, &p); err != nil {
			t.Fatal(err)
		}
		r = p[0]
	case "MultiPolygon":
		var mp orb.MultiPolygon
		if err := json.Unmarshal(raw, &mp); err != nil {
			t.Fatal(err)
		}
		r = mp[0][0]
	}
	if !r.Closed() || r.Orientation() != orb.CCW {
		t.Fatalf("exterior ring not closed and counter-clockwise: %v", r)
	}
	return r
}

func equalJSON(a, b any) bool {
	ja, _ := json.Marshal(a)
	jb, _ := json.Marshal(b)
	return string(ja) == string(jb)
}
