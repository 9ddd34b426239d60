// Package areas finds which area (ward, LSOA) covers a point.
//
// The rule is ST_Covers: a point inside an area or on its boundary belongs to
// it, and a point on an edge shared by two areas belongs to the one with the
// lowest code, so every point has at most one area and the embedded and
// PostGIS stores agree.
package areas

import (
	"math"
	"sort"

	"github.com/paulmach/orb"

	"github.com/leicester-csp/hotspot/geo"
)

// Index answers point-in-area lookups over a fixed set of areas.
type Index struct {
	areas  []geo.Area // sorted by code; Locate returns positions in it
	bounds []orb.Bound
	all    orb.Bound
	// A uniform grid over the union of bounds; each bucket lists, in code
	// order, the areas whose bound overlaps it. Lookups test only those.
	nx, ny  int
	buckets [][]int32
}

// NewIndex builds an index; the areas are sorted by code (a copy is kept).
func NewIndex(in []geo.Area) *Index {
	as := append([]geo.Area(nil), in...)
	sort.Slice(as, func(i, j int) bool { return as[i].Code < as[j].Code })
	ix := &Index{areas: as, bounds: make([]orb.Bound, len(as))}
	for i, a := range as {
		ix.bounds[i] = a.Geometry.Bound()
		if i == 0 {
			ix.all = ix.bounds[i]
		} else {
			ix.all = ix.all.Union(ix.bounds[i])
		}
	}
	if len(as) == 0 {
		return ix
	}
	// About four buckets per area along each axis keeps candidate lists short
	// without making the grid large for national ward sets.
	side := int(math.Ceil(math.Sqrt(float64(len(as))))) * 4
	ix.nx, ix.ny = side, side
	ix.buckets = make([][]int32, ix.nx*ix.ny)
	for i, b := range ix.bounds {
		x0, y0 := ix.bucket(b.Min)
		x1, y1 := ix.bucket(b.Max)
		for y := y0; y <= y1; y++ {
			for x := x0; x <= x1; x++ {
				k := y*ix.nx + x
				ix.buckets[k] = append(ix.buckets[k], int32(i))
			}
		}
	}
	return ix
}

func (ix *Index) bucket(p orb.Point) (int, int) {
	fx := (p[0] - ix.all.Min[0]) / (ix.all.Max[0] - ix.all.Min[0])
	fy := (p[1] - ix.all.Min[1]) / (ix.all.Max[1] - ix.all.Min[1])
	return clampIdx(fx, ix.nx), clampIdx(fy, ix.ny)
}

func clampIdx(f float64, n int) int {
	if !(f > 0) { // also catches NaN from a zero-width bound
		return 0
	}
	i := int(f * float64(n))
	if i >= n {
		return n - 1
	}
	return i
}

// Len returns the number of areas.
func (ix *Index) Len() int { return len(ix.areas) }

// Area returns the i-th area in code order.
func (ix *Index) Area(i int) geo.Area { return ix.areas[i] }

// Areas returns the areas in code order; callers must not modify them.
func (ix *Index) Areas() []geo.Area { return ix.areas }

// Locate returns the position (in code order) of the area covering p, or
// -1 when no area covers it.
func (ix *Index) Locate(p orb.Point) int {
	if len(ix.areas) == 0 || !ix.all.Contains(p) {
		return -1
	}
	x, y := ix.bucket(p)
	for _, i := range ix.buckets[y*ix.nx+x] {
		if ix.bounds[i].Contains(p) && Covers(ix.areas[i].Geometry, p) {
			return int(i)
		}
	}
	return -1
}

// Covers reports whether p lies inside mp or on its boundary (holes'
// boundaries included, as ST_Covers has it).
func Covers(mp orb.MultiPolygon, p orb.Point) bool {
	for _, poly := range mp {
		if polygonCovers(poly, p) {
			return true
		}
	}
	return false
}

func polygonCovers(poly orb.Polygon, p orb.Point) bool {
	if len(poly) == 0 {
		return false
	}
	in, on := ringLocate(poly[0], p)
	if on {
		return true
	}
	if !in {
		return false
	}
	for _, hole := range poly[1:] {
		in, on := ringLocate(hole, p)
		if on {
			return true
		}
		if in {
			return false
		}
	}
	return true
}

// ringLocate reports whether p is strictly inside the closed ring r, or on
// it. It casts a ray towards +x and counts crossings with the half-open rule,
// so vertices are never counted twice. Whether an edge crosses the ray is
// decided by the sign of the same cross product that decides "on the edge"
// (as PostGIS does), not by computing the crossing's x with a division:
// the two would round differently for points a rounding step off a sloping
// edge, and the stores would then disagree on police.uk's 6-decimal points.
func ringLocate(r orb.Ring, p orb.Point) (in, on bool) {
	for i := 0; i+1 < len(r); i++ {
		a, b := r[i], r[i+1]
		if onSegment(a, b, p) {
			return false, true
		}
		if (a[1] > p[1]) != (b[1] > p[1]) {
			// p lies left of the upward edge (or right of the downward
			// one) exactly when the ray towards +x crosses it.
			cross := (b[0]-a[0])*(p[1]-a[1]) - (b[1]-a[1])*(p[0]-a[0])
			if (cross > 0) == (b[1] > a[1]) {
				in = !in
			}
		}
	}
	return in, false
}

// onSegment is exact for points that are vertices or lie on axis-parallel
// edges, and uses the sign of the cross product otherwise; police.uk points
// are snapped map points, so an exactly collinear point is the case that
// matters.
func onSegment(a, b, p orb.Point) bool {
	if p[0] < math.Min(a[0], b[0]) || p[0] > math.Max(a[0], b[0]) ||
		p[1] < math.Min(a[1], b[1]) || p[1] > math.Max(a[1], b[1]) {
		return false
	}
	cross := (b[0]-a[0])*(p[1]-a[1]) - (b[1]-a[1])*(p[0]-a[0])
	return cross == 0
}

// IntersectsBound reports whether mp and the box b share any point
// (boundaries included): the bbox rule of the API, exact where a
// comparison of bounding boxes would also take shapes that only come near.
func IntersectsBound(mp orb.MultiPolygon, b orb.Bound) bool {
	mb := mp.Bound()
	if !mb.Intersects(b) {
		return false
	}
	if b.Contains(mb.Min) && b.Contains(mb.Max) {
		return true
	}
	corners := [4]orb.Point{b.Min, {b.Max[0], b.Min[1]}, b.Max, {b.Min[0], b.Max[1]}}
	for _, c := range corners {
		if Covers(mp, c) {
			return true
		}
	}
	for _, poly := range mp {
		for _, ring := range poly {
			for i := 0; i+1 < len(ring); i++ {
				a, c := ring[i], ring[i+1]
				if b.Contains(a) {
					return true
				}
				for k := range corners {
					if segmentsIntersect(a, c, corners[k], corners[(k+1)%4]) {
						return true
					}
				}
			}
		}
	}
	return false
}

// segmentsIntersect reports whether segments ab and cd share a point.
func segmentsIntersect(a, b, c, d orb.Point) bool {
	o := func(p, q, r orb.Point) float64 { return (q[0]-p[0])*(r[1]-p[1]) - (q[1]-p[1])*(r[0]-p[0]) }
	d1, d2, d3, d4 := o(c, d, a), o(c, d, b), o(a, b, c), o(a, b, d)
	if ((d1 > 0 && d2 < 0) || (d1 < 0 && d2 > 0)) && ((d3 > 0 && d4 < 0) || (d3 < 0 && d4 > 0)) {
		return true
	}
	return d1 == 0 && onSegment(c, d, a) || d2 == 0 && onSegment(c, d, b) ||
		d3 == 0 && onSegment(a, b, c) || d4 == 0 && onSegment(a, b, d)
}
