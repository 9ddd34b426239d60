package tiles

import (
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/simplify"
)

// Rings in tile coordinates; sq is a square of side n at (x, y) with
// positive area (an MVT exterior), hole the same wound the other way.
func sq(x, y, n float64) orb.Ring {
	return orb.Ring{{x, y}, {x + n, y}, {x + n, y + n}, {x, y + n}, {x, y}}
}

func hole(x, y, n float64) orb.Ring {
	r := sq(x, y, n)
	r.Reverse()
	return r
}

func TestTidy(t *testing.T) {
	dp := simplify.DouglasPeucker(4)
	tests := []struct {
		name  string
		in    orb.Geometry
		dp    *simplify.DouglasPeuckerSimplifier
		rings []int // vertices per ring of the result, polygon by polygon; nil: dropped
	}{
		{name: "kept as is", in: orb.Polygon{sq(0, 0, 100)}, rings: []int{5}},
		{name: "wound backwards is reversed", in: orb.Polygon{hole(0, 0, 100), sq(10, 10, 10)}, rings: []int{5, 5}},
		{name: "repeated vertices dropped", in: orb.Polygon{{{0, 0}, {0, 0}, {9, 0}, {9, 0}, {9, 9}, {0, 9}, {0, 0}}}, rings: []int{5}},
		{name: "unclosed ring closed", in: orb.Polygon{{{0, 0}, {9, 0}, {9, 9}, {0, 9}}}, rings: []int{5}},
		{name: "flat along the clip edge", in: orb.Polygon{{{-64, 0}, {-64, 50}, {-64, 90}, {-64, 0}}}},
		{name: "a point", in: orb.Polygon{{{5, 5}, {5, 5}, {5, 5}, {5, 5}}}},
		{name: "flat hole dropped", in: orb.Polygon{sq(0, 0, 100), {{1, 1}, {2, 2}, {1, 1}}}, rings: []int{5}},
		{
			name: "wiggles simplified", dp: dp,
			in:    orb.Polygon{{{0, 0}, {50, 1}, {100, 0}, {101, 50}, {100, 100}, {50, 99}, {0, 100}, {1, 50}, {0, 0}}},
			rings: []int{5},
		},
		{
			name: "small ward survives simplification", dp: dp,
			in:    orb.Polygon{{{0, 0}, {1, 2}, {3, 0}, {2, 3}, {3, 6}, {0, 5}, {0, 0}}},
			rings: []int{7},
		},
		{
			name: "small hole goes", dp: dp,
			in:    orb.Polygon{sq(0, 0, 100), {{10, 10}, {11, 13}, {12, 10}, {13, 11}, {10, 12}, {10, 10}}},
			rings: []int{5},
		},
		{
			name: "multipolygon keeps parts with area", in: orb.MultiPolygon{{sq(0, 0, 10)}, {{{20, 20}, {30, 20}, {20, 20}}}, {sq(40, 40, 10)}},
			rings: []int{5, 5},
		},
		{name: "multipolygon down to one part", in: orb.MultiPolygon{{sq(0, 0, 10)}, {{{20, 20}, {30, 20}, {20, 20}}}}, rings: []int{5}},
		{name: "multipolygon with nothing", in: orb.MultiPolygon{{{{20, 20}, {30, 20}, {20, 20}}}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var tol float64
			if tc.dp != nil {
				tol = tc.dp.Threshold
			}
			got := polygonsForTile(tol)(orb.Clone(tc.in))
			if tc.rings == nil {
				if got != nil {
					t.Fatalf("got %v, want it dropped", got)
				}
				return
			}
			if got == nil {
				t.Fatal("dropped")
			}
			checkWinding(t, got)
			var sizes []int
			visitRings(got, func(r orb.Ring) { sizes = append(sizes, len(r)) })
			if len(sizes) != len(tc.rings) {
				t.Fatalf("rings %v, want %v", sizes, tc.rings)
			}
			for i := range sizes {
				if sizes[i] != tc.rings[i] {
					t.Errorf("rings %v, want %v", sizes, tc.rings)
					break
				}
			}
		})
	}
}

func TestKeepTiny(t *testing.T) {
	flat := orb.Polygon{{{7, 7}, {7, 7}, {7, 7}, {7, 7}}}
	tests := []struct {
		name string
		in   orb.Geometry
		want orb.Geometry
	}{
		{"large polygon untouched", orb.Polygon{sq(0, 0, 50)}, orb.Polygon{sq(0, 0, 50)}},
		{"tiny polygon becomes a unit square", flat, orb.Polygon{sq(7, 7, 1)}},
		{"tiny island dropped beside a real part", orb.MultiPolygon{flat, {sq(0, 0, 50)}}, orb.MultiPolygon{{sq(0, 0, 50)}}},
		{"all tiny: one square in the middle", orb.MultiPolygon{flat, {{{9, 9}, {9, 9}, {9, 9}, {9, 9}}}}, orb.Polygon{sq(8, 8, 1)}},
		{"points pass", orb.Point{1, 2}, orb.Point{1, 2}},
		{"empty", orb.MultiPolygon{}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := keepTiny(tc.in)
			if (got == nil) != (tc.want == nil) || (got != nil && !orb.Equal(got, tc.want)) {
				t.Errorf("got %v, want %v", got, tc.want)
			}
		})
	}
}

func visitRings(g orb.Geometry, f func(orb.Ring)) {
	switch g := g.(type) {
	case orb.Polygon:
		for _, r := range g {
			f(r)
		}
	case orb.MultiPolygon:
		for _, p := range g {
			visitRings(p, f)
		}
	}
}
