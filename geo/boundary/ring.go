package boundary

import (
	"cmp"
	"errors"
	"fmt"
	"math"
	"slices"

	"github.com/paulmach/orb"
)

// multiPolygon validates a feature's geometry and returns it in the shape
// every store expects: a MultiPolygon with closed, repeat-free rings,
// exteriors counter-clockwise and holes clockwise (RFC 7946).
func multiPolygon(g orb.Geometry) (orb.MultiPolygon, error) {
	var in orb.MultiPolygon
	switch g := g.(type) {
	case nil:
		return nil, errors.New("geometry is null, need Polygon or MultiPolygon")
	case orb.Polygon:
		in = orb.MultiPolygon{g}
	case orb.MultiPolygon:
		if len(g) == 0 {
			return nil, errors.New("multipolygon has no polygons")
		}
		in = g
	default:
		return nil, fmt.Errorf("geometry is %s, need Polygon or MultiPolygon", g.GeoJSONType())
	}
	out := make(orb.MultiPolygon, len(in))
	for pi, poly := range in {
		p, err := polygon(poly)
		if err != nil {
			return nil, fmt.Errorf("polygon %d %w", pi, err)
		}
		out[pi] = p
	}
	return out, nil
}

// polygon's errors read on from "polygon N", which the caller prefixes, so
// that they need not know the polygon's index.
func polygon(in orb.Polygon) (orb.Polygon, error) {
	if len(in) == 0 {
		return nil, errors.New("has no rings")
	}
	out := make(orb.Polygon, len(in))
	for ri, r := range in {
		c, err := cleanRing(r)
		if err != nil {
			return nil, fmt.Errorf("ring %d: %w", ri, err)
		}
		a := signedArea(c)
		if (ri == 0) != (a > 0) {
			slices.Reverse(c)
		}
		out[ri] = c
	}
	for ri, hole := range out[1:] {
		if !holeInside(out[0], hole) {
			return nil, fmt.Errorf("ring %d: hole is not inside the exterior ring", ri+1)
		}
	}
	return out, nil
}

// cleanRing refuses rings that a point-in-polygon test or PostGIS would
// misread, and returns a copy without consecutive repeated positions (they
// carry no shape and would make zero-length edges).
func cleanRing(r orb.Ring) (orb.Ring, error) {
	if len(r) < 4 {
		return nil, fmt.Errorf("ring has %d positions, need at least 4", len(r))
	}
	for i, p := range r {
		if err := checkPosition(p); err != nil {
			return nil, fmt.Errorf("position %d: %w", i, err)
		}
	}
	// An open ring is refused rather than closed: the missing edge is a
	// guess, and a truncated file looks just like it.
	if r[0] != r[len(r)-1] {
		return nil, fmt.Errorf("ring is not closed: first position %s, last %s", pos(r[0]), pos(r[len(r)-1]))
	}
	c := make(orb.Ring, 0, len(r))
	for _, p := range r {
		if len(c) == 0 || c[len(c)-1] != p {
			c = append(c, p)
		}
	}
	if len(c) < 4 {
		return nil, fmt.Errorf("ring has %d distinct positions, need at least 3", len(c)-1)
	}
	if p, ok := selfIntersection(c); ok {
		return nil, fmt.Errorf("ring crosses or overlaps itself near %s", pos(p))
	}
	if zeroArea(c) {
		return nil, errors.New("ring has zero area")
	}
	return c, nil
}

func checkPosition(p orb.Point) error {
	lon, lat := p[0], p[1]
	switch {
	case math.IsNaN(lon) || math.IsInf(lon, 0) || math.IsNaN(lat) || math.IsInf(lat, 0):
		return errors.New("coordinate is not a finite number")
	case lon < -180 || lon > 180:
		return fmt.Errorf("longitude %g is outside [-180, 180] (is the file in lon/lat, WGS 84?)", lon)
	case lat < -90 || lat > 90:
		return fmt.Errorf("latitude %g is outside [-90, 90] (is the file in lon/lat, WGS 84?)", lat)
	}
	return nil
}

func pos(p orb.Point) string { return fmt.Sprintf("[%g, %g]", p[0], p[1]) }

// signedArea is positive for a counter-clockwise ring. Coordinates are taken
// relative to the first position so that the products stay small and the
// sign stays right for small rings far from (0, 0).
func signedArea(r orb.Ring) float64 {
	x0, y0 := r[0][0], r[0][1]
	var s float64
	for i := 1; i+2 < len(r); i++ {
		s += (r[i][0]-x0)*(r[i+1][1]-y0) - (r[i+1][0]-x0)*(r[i][1]-y0)
	}
	return s / 2
}

// zeroArea also catches rings whose area is rounding noise: such a ring has
// no trustworthy orientation.
func zeroArea(r orb.Ring) bool {
	a := math.Abs(signedArea(r))
	b := r.Bound()
	return a == 0 || a <= 1e-12*(b.Max[0]-b.Min[0])*(b.Max[1]-b.Min[1])
}

// orient is positive when c lies left of the line a→b.
func orient(a, b, c orb.Point) float64 {
	return (b[0]-a[0])*(c[1]-a[1]) - (b[1]-a[1])*(c[0]-a[0])
}

func sign(x float64) int {
	switch {
	case x > 0:
		return 1
	case x < 0:
		return -1
	}
	return 0
}

// selfIntersection finds where a closed ring without consecutive repeats
// crosses or overlaps itself. A ring that only touches itself (a repeated
// vertex or a vertex on another edge, with the boundary not passing
// through) is accepted: ONS generalised LSOAs contain such rings, and they
// enclose a well-defined area.
func selfIntersection(r orb.Ring) (orb.Point, bool) {
	if p, ok := spike(r); ok {
		return p, true
	}
	if p, ok := pinchCrossing(r); ok {
		return p, true
	}
	return edgeCrossing(r)
}

// spike finds an edge that doubles back along the previous one, a
// zero-width spike.
func spike(r orb.Ring) (orb.Point, bool) {
	n := len(r) - 1
	for k := range n {
		a, b, c := r[(k+n-1)%n], r[k], r[k+1]
		if orient(a, b, c) == 0 && (b[0]-a[0])*(c[0]-b[0])+(b[1]-a[1])*(c[1]-b[1]) < 0 {
			return b, true
		}
	}
	return orb.Point{}, false
}

// pinchCrossing finds a vertex visited twice where the two visits' edges
// alternate around it, so that the boundary crosses itself there.
func pinchCrossing(r orb.Ring) (orb.Point, bool) {
	n := len(r) - 1
	prev := func(k int) orb.Point { return r[(k+n-1)%n] }
	order := make([]int, n)
	for k := range order {
		order[k] = k
	}
	slices.SortFunc(order, func(i, j int) int {
		return cmp.Or(cmp.Compare(r[i][0], r[j][0]), cmp.Compare(r[i][1], r[j][1]))
	})
	for s := 0; s < n; {
		e := s + 1
		for e < n && r[order[e]] == r[order[s]] {
			e++
		}
		for i := s; i < e; i++ {
			for j := i + 1; j < e; j++ {
				k, m := order[i], order[j]
				if passThrough(r[k], prev(k), r[k+1], prev(m), r[m+1]) {
					return r[k], true
				}
			}
		}
		s = e
	}
	return orb.Point{}, false
}

// edgeCrossing compares edge pairs, swept by x so that only edges whose
// boxes overlap are compared; this keeps rings of thousands of vertices
// fast.
func edgeCrossing(r orb.Ring) (orb.Point, bool) {
	n := len(r) - 1
	type edge struct {
		minX, maxX, minY, maxY float64
		i                      int
	}
	edges := make([]edge, n)
	for i := range n {
		a, b := r[i], r[i+1]
		edges[i] = edge{min(a[0], b[0]), max(a[0], b[0]), min(a[1], b[1]), max(a[1], b[1]), i}
	}
	slices.SortFunc(edges, func(a, b edge) int { return cmp.Compare(a.minX, b.minX) })
	for s, es := range edges {
		for _, et := range edges[s+1:] {
			if et.minX > es.maxX {
				break
			}
			if et.minY > es.maxY || et.maxY < es.minY || adjacent(n, es.i, et.i) {
				continue
			}
			if p, ok := edgesConflict(r, n, es.i, et.i); ok {
				return p, true
			}
		}
	}
	return orb.Point{}, false
}

// adjacent reports whether edges i and j of a ring of n edges share a
// vertex by position in the ring.
func adjacent(n, i, j int) bool { return j == (i+1)%n || i == (j+1)%n }

// passThrough reports whether the boundary, passing through p once from
// in1 to out1 and once from in2 to out2, crosses itself there: it does when
// exactly one of the second visit's edges lies in the angle swept from the
// first visit's incoming edge to its outgoing one.
func passThrough(p, in1, out1, in2, out2 orb.Point) bool {
	base := math.Atan2(in1[1]-p[1], in1[0]-p[0])
	rel := func(q orb.Point) float64 {
		a := math.Atan2(q[1]-p[1], q[0]-p[0]) - base
		if a < 0 {
			a += 2 * math.Pi
		}
		return a
	}
	end := rel(out1)
	within := func(q orb.Point) bool {
		a := rel(q)
		return a > 0 && a < end
	}
	return within(in2) != within(out2)
}

// edgesConflict checks two non-adjacent edges i and j of ring r (n distinct
// vertices): a proper crossing, a collinear overlap, or a vertex on the
// other edge's interior where the boundary passes through.
func edgesConflict(r orb.Ring, n, i, j int) (orb.Point, bool) {
	a, b, c, d := r[i], r[i+1], r[j], r[j+1]
	o1, o2 := sign(orient(a, b, c)), sign(orient(a, b, d))
	o3, o4 := sign(orient(c, d, a)), sign(orient(c, d, b))
	if o1 == 0 && o2 == 0 {
		return collinearOverlap(a, b, c, d)
	}
	if o1*o2 < 0 && o3*o4 < 0 {
		return a, true
	}
	// The edges only touch; it is a crossing if the boundary passes through
	// the touching vertex from one side of the other edge to the other.
	crossesAt := func(k int, e0, e1 orb.Point) bool {
		return sign(orient(e0, e1, r[(k+n-1)%n]))*sign(orient(e0, e1, r[(k+1)%n])) < 0
	}
	switch {
	case o1 == 0 && strictlyWithin(a, b, c) && crossesAt(j, a, b):
		return c, true
	case o2 == 0 && strictlyWithin(a, b, d) && crossesAt((j+1)%n, a, b):
		return d, true
	case o3 == 0 && strictlyWithin(c, d, a) && crossesAt(i, c, d):
		return a, true
	case o4 == 0 && strictlyWithin(c, d, b) && crossesAt((i+1)%n, c, d):
		return b, true
	}
	return orb.Point{}, false
}

// strictlyWithin reports whether p, known to be collinear with a–b, lies on
// the edge but is neither end.
func strictlyWithin(a, b, p orb.Point) bool {
	return p != a && p != b &&
		p[0] >= min(a[0], b[0]) && p[0] <= max(a[0], b[0]) &&
		p[1] >= min(a[1], b[1]) && p[1] <= max(a[1], b[1])
}

// collinearOverlap reports whether two edges on one line share more than a
// point. It measures along x unless the line is vertical.
func collinearOverlap(a, b, c, d orb.Point) (orb.Point, bool) {
	k := 0
	if a[0] == b[0] {
		k = 1
	}
	lo := max(min(a[k], b[k]), min(c[k], d[k]))
	hi := min(max(a[k], b[k]), max(c[k], d[k]))
	if hi > lo {
		if a[k] >= lo && a[k] <= hi {
			return a, true
		}
		if c[k] >= lo && c[k] <= hi {
			return c, true
		}
		return b, true
	}
	return orb.Point{}, false
}

// holeInside tests one vertex of the hole that is not on the exterior's
// boundary; a hole touching the exterior is allowed.
func holeInside(ext, hole orb.Ring) bool {
	for _, p := range hole[:len(hole)-1] {
		in, on := ringLocate(ext, p)
		if !on {
			return in
		}
	}
	return true
}

// ringLocate reports whether p is strictly inside the closed ring r, or on
// its boundary. The ray cast towards +x uses the half-open rule so that a
// vertex on the ray is counted once.
func ringLocate(r orb.Ring, p orb.Point) (in, on bool) {
	for i := 0; i+1 < len(r); i++ {
		a, b := r[i], r[i+1]
		if orient(a, b, p) == 0 &&
			p[0] >= min(a[0], b[0]) && p[0] <= max(a[0], b[0]) &&
			p[1] >= min(a[1], b[1]) && p[1] <= max(a[1], b[1]) {
			return false, true
		}
		if (a[1] > p[1]) != (b[1] > p[1]) {
			x := a[0] + (p[1]-a[1])*(b[0]-a[0])/(b[1]-a[1])
			if p[0] < x {
				in = !in
			}
		}
	}
	return in, false
}
