package synth

import (
	"math"

	"github.com/paulmach/orb"
)

// seedGrid buckets seeds into square cells so that a Voronoi cell is cut
// only by the seeds near it: clipping against all 7,000 national ward seeds
// for each of them would take tens of seconds.
type seedGrid struct {
	lo     vec
	size   float64
	nx, ny int
	cells  [][]int
}

func newSeedGrid(seeds []vec, lo, hi vec, size float64) *seedGrid {
	g := &seedGrid{lo: lo, size: size,
		nx: int(math.Ceil((hi.x-lo.x)/size)) + 1, ny: int(math.Ceil((hi.y-lo.y)/size)) + 1}
	g.cells = make([][]int, g.nx*g.ny)
	for i, s := range seeds {
		x, y := g.cellOf(s)
		g.cells[y*g.nx+x] = append(g.cells[y*g.nx+x], i)
	}
	return g
}

func (g *seedGrid) cellOf(v vec) (int, int) {
	x := min(max(int((v.x-g.lo.x)/g.size), 0), g.nx-1)
	y := min(max(int((v.y-g.lo.y)/g.size), 0), g.ny-1)
	return x, y
}

// ring calls f for every seed in the grid cells at Chebyshev distance k
// from cell (cx, cy), and reports whether any such cell exists.
func (g *seedGrid) ring(cx, cy, k int, f func(int)) bool {
	found := false
	for y := cy - k; y <= cy+k; y++ {
		if y < 0 || y >= g.ny {
			continue
		}
		step := 1
		if y != cy-k && y != cy+k {
			step = 2 * k // only the two side cells of inner rows
		}
		for x := cx - k; x <= cx+k; x += max(step, 1) {
			if x < 0 || x >= g.nx {
				continue
			}
			found = true
			for _, j := range g.cells[y*g.nx+x] {
				f(j)
			}
		}
	}
	return found
}

// voronoi returns each seed's Voronoi cell within the box lo–hi as a
// counter-clockwise polygon in the km frame. Cells are clipped ring by ring
// of grid cells outwards; a seed not yet seen is at least k·size away, and
// such a seed can cut the cell only if some vertex is more than half that
// distance from its own seed, so the cell is final once every vertex lies
// within k·size/2. The result is the exact Voronoi diagram, found in about
// linear time.
func voronoi(seeds []vec, lo, hi vec, size float64) [][]vec {
	g := newSeedGrid(seeds, lo, hi, size)
	box := []vec{lo, {hi.x, lo.y}, hi, {lo.x, hi.y}}
	cells := make([][]vec, len(seeds))
	for i, s := range seeds {
		cell := box
		cx, cy := g.cellOf(s)
		for k := 0; ; k++ {
			more := g.ring(cx, cy, k, func(j int) {
				if j != i {
					t := seeds[j]
					cell = clipHalfPlane(cell, s.add(t).scale(0.5), t.sub(s))
				}
			})
			var reach float64
			for _, v := range cell {
				reach = max(reach, v.dist2(s))
			}
			if !more || 4*reach <= float64(k*k)*size*size {
				break
			}
		}
		cells[i] = cell
	}
	return cells
}

// vertexMerger gives every vertex of a layout one value, so that cells
// clipped independently share bit-identical vertices and project to rings
// that tile the plane without slivers between them.
type vertexMerger struct {
	byKey map[[2]int64]vec
}

// mergeTol is far above clipping error (~1e-13 km) and far below any real
// edge (ward seeds are at least 300 m apart).
const mergeTol = 1e-7

func (m *vertexMerger) merge(v vec) vec {
	kx, ky := int64(math.Floor(v.x/mergeTol)), int64(math.Floor(v.y/mergeTol))
	for dx := int64(-1); dx <= 1; dx++ {
		for dy := int64(-1); dy <= 1; dy++ {
			if u, ok := m.byKey[[2]int64{kx + dx, ky + dy}]; ok && u.dist2(v) <= 4*mergeTol*mergeTol {
				return u
			}
		}
	}
	m.byKey[[2]int64{kx, ky}] = v
	return v
}

// cellRing merges a cell's vertices and projects it to a closed
// longitude/latitude ring, dropping vertices that rounding makes repeat.
func (m *vertexMerger) cellRing(cell []vec, project func(vec) orb.Point) orb.Ring {
	ring := make(orb.Ring, 0, len(cell)+1)
	for _, v := range cell {
		p := project(m.merge(v))
		if len(ring) == 0 || ring[len(ring)-1] != p {
			ring = append(ring, p)
		}
	}
	for len(ring) > 1 && ring[0] == ring[len(ring)-1] {
		ring = ring[:len(ring)-1]
	}
	if len(ring) > 0 {
		ring = append(ring, ring[0])
	}
	return ring
}

// insideConvex reports whether v lies strictly inside the counter-clockwise
// convex polygon poly.
func insideConvex(poly []vec, v vec) bool {
	for i, a := range poly {
		b := poly[(i+1)%len(poly)]
		if (b.x-a.x)*(v.y-a.y)-(b.y-a.y)*(v.x-a.x) <= 0 {
			return false
		}
	}
	return true
}
