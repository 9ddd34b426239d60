package hex

import (
	"math"
	"sync"

	"github.com/paulmach/orb"
	"github.com/uber/h3-go/v4"

	"github.com/leicester-csp/hotspot/geo"
)

// Locator answers CellsAt for many points with far fewer calls into H3's C
// library, which cost about a microsecond each (most of it the call, not
// the search) and were most of the time of importing partner records,
// where nearly every record is a new point.
//
// H3 puts a point in the cell whose hexagon holds it in the gnomonic
// projection of the point's icosahedron face. The gnomonic projection maps
// great circles to straight lines, so that hexagon is, on the sphere, the
// spherical hexagon whose edges are the great-circle arcs between the
// cell's six boundary vertices. A Locator keeps those edges (as unit
// normals of their planes) for the cells it has met and accepts a cell for
// a point only when the point lies inside all six planes by holdMargin, some
// million times more than the floating-point error of H3's projection and
// of these planes; a guessed cell that does not hold the point so clearly,
// nor does one of its neighbours, is asked of H3. Cells the argument does
// not cover — pentagons, cells on more than one icosahedron face (whose
// outline bends at the face edge) and cells near a face centre (where H3's
// projection loses precision) — always go to H3. The answers are therefore
// H3's own; TestLocatorMatchesH3 checks them point by point.
//
// A Locator is not safe for concurrent use: give each goroutine its own.
type Locator struct {
	outlines map[geo.Cell]*outline
	// recent is the finest cell found last near a place (placeKey), the
	// first guess for the next point there.
	recent map[placeKey]geo.Cell
	// Asked counts the cells asked of H3 because no known cell clearly
	// held the point.
	Asked int
}

// holdMargin is the angle (radians, about 6 mm on the ground) by which a
// point must lie inside every edge of a cell for the cell to be taken
// without asking H3. The errors it covers are some 1e-15 rad.
const holdMargin = 1e-9

// faceCentreGuard is how close (radians, about 130 km) a cell may come to
// an icosahedron face centre before it is left to H3: there H3's
// arccos-based projection of a point loses precision.
const faceCentreGuard = 0.02

// placeStep is the size in degrees of the squares that remember a recent
// finest cell: small beside a resolution-10 cell (about 130 m across),
// large enough that most points find a square already visited.
const placeStep = 5e-4

type placeKey struct{ x, y int32 }

// outline is a cell's hexagon as the inward unit normals of its edges'
// great-circle planes; ok is false for a cell that must go to H3.
type outline struct {
	ok     bool
	normal [6]vec3
	near   []geo.Cell // the cell's neighbours, once asked for
}

type vec3 [3]float64

// NewLocator returns a Locator with empty caches.
func NewLocator() *Locator {
	return &Locator{outlines: map[geo.Cell]*outline{}, recent: map[placeKey]geo.Cell{}}
}

// CellsAt returns what the package's CellsAt returns for p.
func (l *Locator) CellsAt(p orb.Point) [geo.NumRes]geo.Cell {
	if !finite(p) || math.Abs(p[1]) > 90 || math.Abs(p[0]) > 180 {
		return CellsAt(p)
	}
	var cells [geo.NumRes]geo.Cell
	v := unitVec(p[1], p[0])
	key := placeKey{int32(math.Floor(p[0] / placeStep)), int32(math.Floor(p[1] / placeStep))}
	guess := l.recent[key]
	for res := geo.MaxRes; res >= geo.MinRes; res-- {
		c := l.find(v, p, res, guess)
		cells[res-geo.MinRes] = c
		if res == geo.MaxRes {
			l.recent[key] = c
		}
		guess = parent(c, res-1)
	}
	return cells
}

// find returns the cell at res holding p (v its unit vector): the guess
// or one of its neighbours when one clearly holds it, else H3's answer.
func (l *Locator) find(v vec3, p orb.Point, res int, guess geo.Cell) geo.Cell {
	if guess != 0 {
		o := l.outline(guess)
		if o.ok && o.holds(v) {
			return guess
		}
		if o.near == nil {
			o.near = neighbours(guess)
		}
		for _, n := range o.near {
			if no := l.outline(n); no.ok && no.holds(v) {
				return n
			}
		}
	}
	l.Asked++
	return geo.Cell(h3.LatLngToCell(h3.LatLng{Lat: p[1], Lng: p[0]}, res))
}

func neighbours(c geo.Cell) []geo.Cell {
	out := []geo.Cell{}
	for _, n := range h3.GridDisk(h3.Cell(c), 1) {
		if n != 0 && geo.Cell(n) != c {
			out = append(out, geo.Cell(n))
		}
	}
	return out
}

// outline returns c's outline, working it out the first time.
func (l *Locator) outline(c geo.Cell) *outline {
	if o, ok := l.outlines[c]; ok {
		return o
	}
	o := newOutline(c)
	l.outlines[c] = o
	return o
}

func newOutline(c geo.Cell) *outline {
	o := &outline{}
	hc := h3.Cell(c)
	if !hc.IsValid() || hc.IsPentagon() || len(realFaces(hc.IcosahedronFaces())) != 1 {
		return o
	}
	b := h3.CellToBoundary(hc)
	if len(b) != 6 {
		return o
	}
	var vs [6]vec3
	var centre vec3
	for i, ll := range b {
		vs[i] = unitVec(ll.Lat, ll.Lng)
		centre = add(centre, vs[i])
	}
	centre = scale(centre, 1/norm(centre))
	for _, f := range faceCentres() {
		if angle(centre, f) < faceCentreGuard {
			return o
		}
	}
	for i := range vs {
		a, b := vs[i], vs[(i+1)%6]
		// a × (b − a) is a × b with the cancellation of two nearly
		// parallel vectors done exactly, by the subtraction.
		n := cross(a, sub(b, a))
		n = scale(n, 1/norm(n))
		if dot(n, centre) < 0 {
			n = scale(n, -1)
		}
		o.normal[i] = n
	}
	o.ok = true
	return o
}

// holds reports whether v lies inside every edge by holdMargin.
func (o *outline) holds(v vec3) bool {
	for i := range o.normal {
		if dot(o.normal[i], v) <= holdMargin {
			return false
		}
	}
	return true
}

// parent returns c's ancestor at res, as H3's cellToParent does for a
// coarser res: the resolution field set and the digits below it 7. It
// costs no call into C.
func parent(c geo.Cell, res int) geo.Cell {
	const resShift, resMask = 52, uint64(0xf) << 52
	x := uint64(c)&^resMask | uint64(res)<<resShift
	for d := res + 1; d <= h3.MaxResolution; d++ {
		x |= 7 << ((h3.MaxResolution - d) * 3)
	}
	return geo.Cell(x)
}

// realFaces drops the -1 entries h3-go leaves for unused slots.
func realFaces(fs []int) []int {
	out := fs[:0:0]
	for _, f := range fs {
		if f >= 0 {
			out = append(out, f)
		}
	}
	return out
}

// faceCentres are the unit vectors of the icosahedron's face centres.
// H3's twelve pentagons sit on its vertices, so each face is a triple of
// pentagon centres all one edge (about 63.4°) apart, and its centre is
// their normalised sum.
var faceCentres = sync.OnceValue(func() []vec3 {
	var vs []vec3
	for _, c := range h3.Res0Cells() {
		if c.IsPentagon() {
			ll := h3.CellToLatLng(c)
			vs = append(vs, unitVec(ll.Lat, ll.Lng))
		}
	}
	edge := math.Atan(2) // the angle between adjacent vertices of an icosahedron
	adjacent := func(a, b vec3) bool { return math.Abs(angle(a, b)-edge) < 1e-6 }
	var out []vec3
	for i := range vs {
		for j := i + 1; j < len(vs); j++ {
			for k := j + 1; k < len(vs); k++ {
				if adjacent(vs[i], vs[j]) && adjacent(vs[j], vs[k]) && adjacent(vs[i], vs[k]) {
					c := add(add(vs[i], vs[j]), vs[k])
					out = append(out, scale(c, 1/norm(c)))
				}
			}
		}
	}
	return out
})

func unitVec(latDeg, lngDeg float64) vec3 {
	lat, lng := latDeg*math.Pi/180, lngDeg*math.Pi/180
	cl := math.Cos(lat)
	return vec3{cl * math.Cos(lng), cl * math.Sin(lng), math.Sin(lat)}
}

func add(a, b vec3) vec3           { return vec3{a[0] + b[0], a[1] + b[1], a[2] + b[2]} }
func sub(a, b vec3) vec3           { return vec3{a[0] - b[0], a[1] - b[1], a[2] - b[2]} }
func scale(a vec3, k float64) vec3 { return vec3{a[0] * k, a[1] * k, a[2] * k} }
func dot(a, b vec3) float64        { return a[0]*b[0] + a[1]*b[1] + a[2]*b[2] }
func norm(a vec3) float64          { return math.Sqrt(dot(a, a)) }
func angle(a, b vec3) float64      { return math.Atan2(norm(cross(a, b)), dot(a, b)) }
func cross(a, b vec3) vec3 {
	return vec3{a[1]*b[2] - a[2]*b[1], a[2]*b[0] - a[0]*b[2], a[0]*b[1] - a[1]*b[0]}
}
