package targetarea

import (
	"math"
	"slices"

	"github.com/paulmach/orb"
)

var nan = math.NaN()

// Check refuses a geometry that is no simple area: a ring with fewer than
// four positions, not closed, with a coordinate out of range, without
// area, or an edge that crosses or overlaps another (a bow tie). Rings
// may touch one another at a point, as OGC Simple Features allow.
func Check(mp orb.MultiPolygon) error {
	if len(mp) == 0 {
		return invalid("geometry", "the MultiPolygon has no polygons")
	}
	n := 0
	for pi, poly := range mp {
		if len(poly) == 0 {
			return invalid("geometry", "polygon %d has no rings", pi+1)
		}
		for ri, ring := range poly {
			if err := checkRing(pi, ri, ring); err != nil {
				return err
			}
			n += len(ring)
		}
	}
	if n > MaxVertices {
		return invalid("geometry", "the area has %d positions; at most %d", n, MaxVertices)
	}
	return checkCrossings(mp)
}

func checkRing(pi, ri int, r orb.Ring) error {
	if len(r) < 4 {
		return invalid("geometry", "polygon %d ring %d has %d positions; a ring needs at least 4 (closed)", pi+1, ri+1, len(r))
	}
	for _, p := range r {
		if math.IsNaN(p[0]) || math.IsNaN(p[1]) || math.IsInf(p[0], 0) || math.IsInf(p[1], 0) {
			return invalid("geometry", "polygon %d ring %d has a position that is not two numbers", pi+1, ri+1)
		}
		if p[0] < -180 || p[0] > 180 || p[1] < -90 || p[1] > 90 {
			return invalid("geometry", "polygon %d ring %d has a position out of range (longitude, latitude in degrees)", pi+1, ri+1)
		}
	}
	if r[0] != r[len(r)-1] {
		return invalid("geometry", "polygon %d ring %d is not closed: its last position must equal its first", pi+1, ri+1)
	}
	// An edge spanning more than half the globe in longitude is one that
	// wraps the antimeridian, which planar tests (and PostGIS geometry)
	// would read as the long way round the world; RFC 7946 asks for such
	// an area to be split in two.
	for i := 1; i < len(r); i++ {
		if math.Abs(r[i][0]-r[i-1][0]) > 180 {
			return invalid("geometry", "polygon %d ring %d crosses the antimeridian: split it at ±180° longitude (RFC 7946 §3.1.9)", pi+1, ri+1)
		}
	}
	if signedArea(r) == 0 {
		return invalid("geometry", "polygon %d ring %d encloses no area", pi+1, ri+1)
	}
	return nil
}

// signedArea is twice the ring's shoelace area: positive when
// counter-clockwise.
func signedArea(r orb.Ring) float64 {
	var a float64
	for i := 0; i+1 < len(r); i++ {
		a += r[i][0]*r[i+1][1] - r[i+1][0]*r[i][1]
	}
	return a
}

type edge struct {
	a, b       orb.Point
	poly, ring int
	i, n       int // index in the ring, and the ring's edge count
	lo, hi     float64
}

// checkCrossings sweeps the edges by x, so that only edges whose x
// ranges overlap are compared.
func checkCrossings(mp orb.MultiPolygon) error {
	var es []edge
	for pi, poly := range mp {
		for ri, r := range poly {
			for i := 0; i+1 < len(r); i++ {
				a, b := r[i], r[i+1]
				es = append(es, edge{a: a, b: b, poly: pi, ring: ri, i: i, n: len(r) - 1, lo: min(a[0], b[0]), hi: max(a[0], b[0])})
			}
		}
	}
	slices.SortFunc(es, func(x, y edge) int {
		if x.lo < y.lo {
			return -1
		}
		if x.lo > y.lo {
			return 1
		}
		return 0
	})
	for i := range es {
		for j := i + 1; j < len(es) && es[j].lo <= es[i].hi; j++ {
			if bad(&es[i], &es[j]) {
				return invalid("geometry", "the area crosses itself (polygon %d ring %d meets polygon %d ring %d): draw it without crossing edges",
					es[i].poly+1, es[i].ring+1, es[j].poly+1, es[j].ring+1)
			}
		}
	}
	return nil
}

// bad reports whether two edges meet where they may not: edges of one
// ring only at the vertex they share as neighbours, edges of different
// rings never crossing nor overlapping.
func bad(e, f *edge) bool {
	sameRing := e.poly == f.poly && e.ring == f.ring
	if sameRing && (e.i+1)%e.n == f.i || sameRing && (f.i+1)%f.n == e.i {
		return overlap(e.a, e.b, f.a, f.b)
	}
	if sameRing {
		return touches(e.a, e.b, f.a, f.b)
	}
	return crosses(e.a, e.b, f.a, f.b) || overlap(e.a, e.b, f.a, f.b)
}

func orient(p, q, r orb.Point) float64 {
	return (q[0]-p[0])*(r[1]-p[1]) - (q[1]-p[1])*(r[0]-p[0])
}

func sign(v float64) int {
	switch {
	case v > 0:
		return 1
	case v < 0:
		return -1
	}
	return 0
}

// crosses reports a proper crossing: each segment's ends strictly on
// either side of the other.
func crosses(a, b, c, d orb.Point) bool {
	return sign(orient(c, d, a))*sign(orient(c, d, b)) < 0 && sign(orient(a, b, c))*sign(orient(a, b, d)) < 0
}

func within(a, b, p orb.Point) bool {
	return p[0] >= min(a[0], b[0]) && p[0] <= max(a[0], b[0]) && p[1] >= min(a[1], b[1]) && p[1] <= max(a[1], b[1])
}

// touches reports whether two segments share any point.
func touches(a, b, c, d orb.Point) bool {
	if crosses(a, b, c, d) {
		return true
	}
	return orient(c, d, a) == 0 && within(c, d, a) || orient(c, d, b) == 0 && within(c, d, b) ||
		orient(a, b, c) == 0 && within(a, b, c) || orient(a, b, d) == 0 && within(a, b, d)
}

// overlap reports collinear segments sharing more than one point.
func overlap(a, b, c, d orb.Point) bool {
	if orient(a, b, c) != 0 || orient(a, b, d) != 0 {
		return false
	}
	// Project on the longer axis of ab and compare the intervals.
	ax := 0
	if math.Abs(b[1]-a[1]) > math.Abs(b[0]-a[0]) {
		ax = 1
	}
	lo1, hi1 := min(a[ax], b[ax]), max(a[ax], b[ax])
	lo2, hi2 := min(c[ax], d[ax]), max(c[ax], d[ax])
	return min(hi1, hi2) > max(lo1, lo2)
}

// Orient returns a copy of mp with exterior rings counter-clockwise and
// holes clockwise (RFC 7946).
func Orient(mp orb.MultiPolygon) orb.MultiPolygon {
	out := make(orb.MultiPolygon, len(mp))
	for pi, poly := range mp {
		out[pi] = make(orb.Polygon, len(poly))
		for ri, r := range poly {
			c := slices.Clone(r)
			if ccw := signedArea(c) > 0; ccw != (ri == 0) {
				slices.Reverse(c)
			}
			out[pi][ri] = c
		}
	}
	return out
}
