package synth

import (
	"cmp"
	"maps"
	"math"
	"math/rand/v2"
	"slices"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"
)

// tile cuts the outline into the Voronoi cells of seeds and returns the
// ward rings (in seed order) and the city ring in longitude/latitude, or
// ok=false when the layout is degenerate.
//
// Cells are clipped independently, so a vertex shared by several cells
// comes out of each with slightly different rounding; vertices are merged
// into one table before projecting so that neighbouring wards share
// bit-identical vertices and the wards tile the city exactly.
func tile(r *rand.Rand, outline, seeds []vec) (wards []orb.Ring, city orb.Ring, ok bool) {
	var verts vertexTable
	rings, ok := cellRings(&verts, outline, seeds)
	if !ok {
		return nil, nil, false
	}
	inner, outer, ok := splitEdges(rings)
	if !ok {
		return nil, nil, false
	}
	bends, ok := bendEdges(r, &verts, inner)
	if !ok {
		return nil, nil, false
	}
	return closeRings(verts.v, rings, outer, bends)
}

// vertexTable holds the vertices of a layout, each once, so that rings can
// refer to them by index.
type vertexTable struct{ v []vec }

// index returns the index of the vertex at v, adding it unless the table
// already holds one within a rounding error of it.
func (t *vertexTable) index(v vec) int {
	const tol = 1e-7 // km; clipping error is ~1e-15, real vertices are metres apart
	for i, u := range t.v {
		if u.dist2(v) < tol*tol {
			return i
		}
	}
	return t.add(v)
}

// add appends v as a new vertex and returns its index.
func (t *vertexTable) add(v vec) int {
	t.v = append(t.v, v)
	return len(t.v) - 1
}

// cellRings clips the outline to each seed's Voronoi cell and returns the
// cells as rings of vertex indices (not closed), or ok=false when a cell
// collapses to fewer than three vertices.
func cellRings(verts *vertexTable, outline, seeds []vec) ([][]int, bool) {
	rings := make([][]int, len(seeds))
	for i, s := range seeds {
		cell := outline
		for j, t := range seeds {
			if i != j {
				cell = clipHalfPlane(cell, s.add(t).scale(0.5), t.sub(s))
			}
		}
		var ring []int
		for _, v := range cell {
			k := verts.index(v)
			if len(ring) == 0 || ring[len(ring)-1] != k {
				ring = append(ring, k)
			}
		}
		for len(ring) > 1 && ring[0] == ring[len(ring)-1] {
			ring = ring[:len(ring)-1]
		}
		if len(ring) < 3 {
			return nil, false
		}
		rings[i] = ring
	}
	return rings, true
}

// edge is a directed edge from vertex a to vertex b of a vertexTable.
type edge struct{ a, b int }

// splitEdges checks that the cell rings tile one region and splits their
// edges into the inner ones, each once with a < b, and the boundary, as one
// ring of vertex indices starting at the lowest.
//
// Every edge must be used once in each direction (an inner edge) or once in
// one direction only (the city boundary); anything else is an overlap or a
// T-junction, and ok is false.
func splitEdges(rings [][]int) (inner []edge, outer []int, ok bool) {
	used := make(map[edge]bool)
	for _, ring := range rings {
		for i, a := range ring {
			e := edge{a, ring[(i+1)%len(ring)]}
			if used[e] {
				return nil, nil, false
			}
			used[e] = true
		}
	}
	next := make(map[int]int)
	for e := range used {
		if used[edge{e.b, e.a}] {
			if e.a < e.b {
				inner = append(inner, e)
			}
			continue
		}
		if _, dup := next[e.a]; dup {
			return nil, nil, false
		}
		next[e.a] = e.b
	}
	outer, ok = boundaryRing(next)
	if !ok {
		return nil, nil, false
	}
	return inner, outer, true
}

// boundaryRing follows the boundary edges (next maps each boundary vertex
// to the one after it) from the lowest vertex, and reports ok=false unless
// they form exactly one ring.
func boundaryRing(next map[int]int) ([]int, bool) {
	var outer []int
	if len(next) == 0 {
		return nil, false
	}
	start := slices.Min(slices.Collect(maps.Keys(next)))
	for v := start; ; {
		outer = append(outer, v)
		v = next[v]
		if v == start {
			break
		}
		if len(outer) > len(next) {
			return nil, false
		}
	}
	if len(outer) != len(next) {
		return nil, false // the boundary is more than one ring
	}
	return outer, true
}

// bendEdges adds bend points to the inner edges and returns them per edge,
// in order from e.a to e.b, as indices of vertices appended to verts; ok is
// false when an edge is a sliver.
//
// Straight Voronoi edges look drawn with a ruler; bending each inner edge a
// little makes the wards look surveyed. The bend points belong to the edge,
// so both wards on it get the same ones.
func bendEdges(r *rand.Rand, verts *vertexTable, inner []edge) (map[edge][]int, bool) {
	// Sorted, so that the random draws do not follow map order.
	slices.SortFunc(inner, func(x, y edge) int { return cmp.Or(cmp.Compare(x.a, y.a), cmp.Compare(x.b, y.b)) })
	bends := make(map[edge][]int, len(inner))
	for _, e := range inner {
		a, b := verts.v[e.a], verts.v[e.b]
		d := b.sub(a)
		l := math.Sqrt(d.dot(d))
		if l < 0.03 {
			return nil, false // a sliver edge: too short to draw or to test
		}
		n := min(3, int(l/0.35))
		normal := vec{-d.y / l, d.x / l}
		var mid []int
		for k := 1; k <= n; k++ {
			t := float64(k) / float64(n+1)
			off := 0.05 * l * (2*r.Float64() - 1)
			mid = append(mid, verts.add(a.add(d.scale(t)).add(normal.scale(off))))
		}
		bends[e] = mid
	}
	return bends, true
}

// closeRings projects the vertices to longitude/latitude and returns the
// ward rings, with their edges' bend points, and the city ring, each
// closed; ok is false unless every ring is simple and counter-clockwise and
// the first ward holds the centre.
func closeRings(verts []vec, rings [][]int, outer []int, bends map[edge][]int) (wards []orb.Ring, city orb.Ring, ok bool) {
	proj := make([]orb.Point, len(verts))
	for i, v := range verts {
		proj[i] = v.lonLat(vertexScale)
	}
	closeRing := func(ids []int) orb.Ring {
		ring := make(orb.Ring, 0, len(ids)+1)
		for _, k := range ids {
			ring = append(ring, proj[k])
		}
		return append(ring, ring[0])
	}
	for _, ring := range rings {
		w := closeRing(withBends(ring, bends))
		if !simpleCCW(w) {
			return nil, nil, false
		}
		wards = append(wards, w)
	}
	city = closeRing(outer)
	if !simpleCCW(city) || !planar.RingContains(wards[0], vec{}.lonLat(vertexScale)) {
		return nil, nil, false
	}
	return wards, city, true
}

// withBends returns the ring's vertex indices with each edge's bend points
// inserted, reversed for an edge the ring runs against.
func withBends(ring []int, bends map[edge][]int) []int {
	var ids []int
	for i, a := range ring {
		b := ring[(i+1)%len(ring)]
		ids = append(ids, a)
		if mid, ok := bends[edge{a, b}]; ok {
			ids = append(ids, mid...)
		} else if mid, ok := bends[edge{b, a}]; ok {
			for k := len(mid) - 1; k >= 0; k-- {
				ids = append(ids, mid[k])
			}
		}
	}
	return ids
}

// clipHalfPlane keeps the part of the counter-clockwise polygon poly where
// (p-m)·d <= 0 (Sutherland–Hodgman). For a polygon that the line cuts into
// several pieces the result is degenerate; tile's edge check refuses it.
func clipHalfPlane(poly []vec, m, d vec) []vec {
	out := make([]vec, 0, len(poly)+2)
	for i, a := range poly {
		b := poly[(i+1)%len(poly)]
		fa, fb := a.sub(m).dot(d), b.sub(m).dot(d)
		if fa <= 0 {
			out = append(out, a)
		}
		if (fa < 0 && fb > 0) || (fa > 0 && fb < 0) {
			out = append(out, a.add(b.sub(a).scale(fa/(fa-fb))))
		}
	}
	return out
}

// simpleCCW reports whether the closed ring is counter-clockwise and no two
// of its edges meet except neighbours at their shared vertex.
func simpleCCW(ring orb.Ring) bool {
	n := len(ring) - 1
	if n < 3 || ring[0] != ring[n] || ring.Orientation() != orb.CCW {
		return false
	}
	for i := range n {
		a, b := ring[i], ring[i+1]
		if a == b {
			return false
		}
		for j := i + 1; j < n; j++ {
			c, d := ring[j], ring[j+1]
			switch {
			case j == i+1: // shares b: d must not fold back onto ab
				if orient(a, b, d) == 0 && between(a, b, d) || orient(b, d, a) == 0 && between(b, d, a) {
					return false
				}
			case i == 0 && j == n-1: // shares a (= d)
				if orient(c, d, b) == 0 && between(c, d, b) || orient(a, b, c) == 0 && between(a, b, c) {
					return false
				}
			default:
				if segmentsMeet(a, b, c, d) {
					return false
				}
			}
		}
	}
	return true
}

func orient(a, b, c orb.Point) float64 {
	return (b[0]-a[0])*(c[1]-a[1]) - (b[1]-a[1])*(c[0]-a[0])
}

// segmentsMeet reports whether closed segments ab and cd share any point.
func segmentsMeet(a, b, c, d orb.Point) bool {
	o1, o2 := orient(a, b, c), orient(a, b, d)
	o3, o4 := orient(c, d, a), orient(c, d, b)
	if ((o1 > 0 && o2 < 0) || (o1 < 0 && o2 > 0)) && ((o3 > 0 && o4 < 0) || (o3 < 0 && o4 > 0)) {
		return true
	}
	return o1 == 0 && between(a, b, c) || o2 == 0 && between(a, b, d) ||
		o3 == 0 && between(c, d, a) || o4 == 0 && between(c, d, b)
}

// between reports whether x, known to be collinear with pq, lies on it.
func between(p, q, x orb.Point) bool {
	return min(p[0], q[0]) <= x[0] && x[0] <= max(p[0], q[0]) &&
		min(p[1], q[1]) <= x[1] && x[1] <= max(p[1], q[1])
}
