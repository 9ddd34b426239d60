package areas

import (
	"math/rand/v2"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"

	"github.com/leicester-csp/hotspot/geo"
)

func sq(x0, y0, x1, y1 float64) orb.Ring {
	return orb.Ring{{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}, {x0, y0}}
}

func TestLocate(t *testing.T) {
	// B (code "B") west, A (code "A") east, sharing the edge x = 1; C has a
	// hole in which D sits exactly.
	hole := sq(11, 11, 12, 12)
	hole.Reverse()
	as := []geo.Area{
		{Code: "B", Geometry: orb.MultiPolygon{{sq(0, 0, 1, 1)}}},
		{Code: "A", Geometry: orb.MultiPolygon{{sq(1, 0, 2, 1)}}},
		{Code: "C", Geometry: orb.MultiPolygon{{sq(10, 10, 13, 13), hole}}},
		{Code: "D", Geometry: orb.MultiPolygon{{sq(11, 11, 12, 12)}}},
		{Code: "E", Geometry: orb.MultiPolygon{{sq(20, 0, 21, 1)}, {sq(22, 0, 23, 1)}}},
	}
	ix := NewIndex(as)
	code := func(p orb.Point) string {
		if i := ix.Locate(p); i >= 0 {
			return ix.Area(i).Code
		}
		return ""
	}
	tests := []struct {
		name string
		p    orb.Point
		want string
	}{
		{"inside west", orb.Point{0.5, 0.5}, "B"},
		{"inside east", orb.Point{1.5, 0.5}, "A"},
		{"shared edge goes to the lowest code", orb.Point{1, 0.5}, "A"},
		{"shared vertex", orb.Point{1, 1}, "A"},
		{"outer edge", orb.Point{0, 0.5}, "B"},
		{"outer vertex", orb.Point{0, 0}, "B"},
		{"outside", orb.Point{5, 5}, ""},
		{"in the hole: the inner area", orb.Point{11.5, 11.5}, "D"},
		{"on the hole's edge: lowest code of C and D", orb.Point{11, 11.5}, "C"},
		{"in the ring around the hole", orb.Point{10.5, 10.5}, "C"},
		{"second part of a multipolygon", orb.Point{22.5, 0.5}, "E"},
		{"between the parts", orb.Point{21.5, 0.5}, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := code(tc.p); got != tc.want {
				t.Errorf("Locate(%v) = %q, want %q", tc.p, got, tc.want)
			}
		})
	}
	if NewIndex(nil).Locate(orb.Point{0, 0}) != -1 {
		t.Error("empty index located a point")
	}
}

// TestCoversAgreesWithOrb checks interior points against orb's planar
// containment on a non-convex polygon, away from edges where the two rules
// may legitimately differ.
func TestCoversAgreesWithOrb(t *testing.T) {
	poly := orb.Polygon{
		{{0, 0}, {4, 0}, {4, 4}, {2, 1.5}, {0, 4}, {0, 0}},
		sq(0.5, 0.5, 1, 1),
	}
	poly[1].Reverse()
	rng := rand.New(rand.NewPCG(1, 2))
	for range 20000 {
		p := orb.Point{rng.Float64()*5 - 0.5, rng.Float64()*5 - 0.5}
		if got, want := Covers(orb.MultiPolygon{poly}, p), planar.PolygonContains(poly, p); got != want {
			t.Fatalf("Covers(%v) = %v, orb says %v", p, got, want)
		}
	}
}

func BenchmarkLocate(b *testing.B) {
	var as []geo.Area
	for i := range 20 {
		for j := range 20 {
			x, y := float64(i), float64(j)
			as = append(as, geo.Area{Code: string(rune('A'+i)) + string(rune('a'+j)), Geometry: orb.MultiPolygon{{sq(x, y, x+1, y+1)}}})
		}
	}
	ix := NewIndex(as)
	rng := rand.New(rand.NewPCG(3, 4))
	pts := make([]orb.Point, 4096)
	for i := range pts {
		pts[i] = orb.Point{rng.Float64() * 20, rng.Float64() * 20}
	}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		ix.Locate(pts[i%len(pts)])
		i++
	}
}

func TestIntersectsBound(t *testing.T) {
	// A diagonal diamond: its bounding box is the square 0..2, but its
	// corners' areas are empty.
	diamond := orb.MultiPolygon{{{{1, 0}, {2, 1}, {1, 2}, {0, 1}, {1, 0}}}}
	box := func(x0, y0, x1, y1 float64) orb.Bound {
		return orb.Bound{Min: orb.Point{x0, y0}, Max: orb.Point{x1, y1}}
	}
	tests := []struct {
		name string
		b    orb.Bound
		want bool
	}{
		{"box far away", box(5, 5, 6, 6), false},
		{"box in the bounding box's corner only", box(0, 0, 0.3, 0.3), false},
		{"box touching an edge at a point", box(0, 0, 0.5, 0.5), true},
		{"box inside the diamond", box(0.9, 0.9, 1.1, 1.1), true},
		{"diamond inside the box", box(-1, -1, 3, 3), true},
		{"box crossing an edge, no vertex inside either", box(0.2, 0.9, 1.8, 1.1), true},
		{"box holding one vertex", box(1.9, 0.9, 2.5, 1.1), true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := IntersectsBound(diamond, tc.b); got != tc.want {
				t.Errorf("IntersectsBound(%v) = %v, want %v", tc.b, got, tc.want)
			}
		})
	}
}
