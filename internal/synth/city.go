// Package synth makes deterministic synthetic crime data: a fictional city
// with wards, population and police.uk-style map points, and incidents at
// those points in police.uk street-level form.
//
// It serves two ends. `hotspot serve` shows the synthetic city on a fresh
// clone, so the map has something plausible to show before any real data is
// loaded; and `hotspot generate` writes police.uk CSVs of any size, so the
// ingest path and the stores can be benchmarked without real data.
//
// Nothing here is real: names, codes, streets and LSOAs are invented, codes
// use the prefix S (for synthetic, which no ONS code uses in England), and
// the city sits in open countryside south-west of Leicester.
package synth

import (
	"cmp"
	"fmt"
	"maps"
	"math"
	"math/rand/v2"
	"slices"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"

	"github.com/leicester-csp/hotspot/geo"
)

// The city's fictional site: open countryside in England, well away from
// Leicester, so synthetic data can never be mistaken for the real city's.
const (
	centreLon = -1.90
	centreLat = 52.20
)

// Geometry is built in a local kilometre frame centred on the site and
// projected equirectangularly; at city scale the distortion is negligible
// and the frame keeps distances (cluster spreads, edge lengths) meaningful.
const kmPerDegLat = 111.32

var kmPerDegLon = kmPerDegLat * math.Cos(centreLat*math.Pi/180)

// cityRadius is the mean radius of the city boundary in km (about 8 km
// across).
const cityRadius = 4.0

// City is a synthetic city: wards with names and codes, population, and map
// points with street names. A City is read-only once built and safe for
// concurrent use.
type City struct {
	Name  string
	Wards []geo.Area // ordered by code
	City  geo.Area
	// Population is residents per ward code.
	Population map[string]int

	seed    uint64
	points  []mapPoint
	lsoas   []lsoa
	centres [numClusters]vec
	// catPoints[c] samples the map point of an incident of category c.
	catPoints [numCats]alias
}

type vec struct{ x, y float64 }

func (a vec) add(b vec) vec       { return vec{a.x + b.x, a.y + b.y} }
func (a vec) sub(b vec) vec       { return vec{a.x - b.x, a.y - b.y} }
func (a vec) scale(s float64) vec { return vec{a.x * s, a.y * s} }
func (a vec) dot(b vec) float64   { return a.x*b.x + a.y*b.y }
func (a vec) dist2(b vec) float64 { d := a.sub(b); return d.dot(d) }
func polar(r, theta float64) vec  { return vec{r * math.Cos(theta), r * math.Sin(theta)} }
func (a vec) lonLat(scale float64) orb.Point {
	return orb.Point{
		math.Round((centreLon+a.x/kmPerDegLon)*scale) / scale,
		math.Round((centreLat+a.y/kmPerDegLat)*scale) / scale,
	}
}

// Ward vertices are rounded to 1e-7° (about 1 cm): short enough decimals
// for GeoJSON, fine enough that no edge collapses.
const vertexScale = 1e7

// wardNames are invented; none is a Leicester ward. Castle is not among them
// because it is always the central ward.
var wardNames = []string{
	"Alderbrook", "Ashwell Park", "Bellfield", "Brookhurst", "Coppice Hill",
	"Dunmore", "Elmstead", "Fairhaven", "Foxley", "Greenacre", "Hartwell",
	"Hollins Vale", "Kingsmere", "Larchwood", "Marlpit", "Newlands",
	"Oakridge", "Priory Fields", "Redhill & Sandford", "Riverside",
	"St Aldric's", "Thornbury Lane", "Warren Hill", "Westbrook",
}

var cityNames = []string{"Aldermere", "Stavenham", "Marlcaster", "Wenbury Magna"}

// Ward layout: Castle at the centre, an inner ring and an outer ring.
const (
	innerWards = 6
	outerWards = 10
	numWards   = 1 + innerWards + outerWards
)

// NewCity builds the city deterministically from seed. The city is fictional:
// it is centred at longitude -1.90, latitude 52.20, in open countryside, with
// about 17 wards tiling a rough circle some 8 km across; the central ward is
// always named Castle.
func NewCity(seed uint64) *City {
	// A layout whose Voronoi clipping turns out degenerate (a sliver edge,
	// a ring that touches itself after wiggling) is redrawn with the next
	// stream rather than repaired: redrawing keeps the code simple and the
	// result still depends on seed alone.
	for attempt := uint64(0); attempt < 1000; attempt++ {
		r := rand.New(rand.NewPCG(seed, 0x9e3779b97f4a7c15^attempt))
		if c := buildCity(seed, r); c != nil {
			return c
		}
	}
	panic(fmt.Sprintf("synth: no valid ward layout for seed %d", seed))
}

func buildCity(seed uint64, r *rand.Rand) *City {
	outline, radius := cityOutline(r)
	seeds := wardSeeds(r, radius)
	wards, city, ok := tile(r, outline, seeds)
	if !ok {
		return nil
	}

	c := &City{
		Name:       cityNames[r.IntN(len(cityNames))],
		Population: make(map[string]int, numWards),
		seed:       seed,
	}
	names := slices.Clone(wardNames)
	r.Shuffle(len(names), func(i, j int) { names[i], names[j] = names[j], names[i] })
	names = append([]string{"Castle"}, names[:numWards-1]...)

	type ward struct {
		name string
		ring orb.Ring
		pop  int
	}
	ws := make([]ward, numWards)
	for i := range ws {
		ws[i] = ward{name: names[i], ring: wards[i], pop: 10000 + r.IntN(15001)}
	}
	// Codes follow name order, as ONS codes roughly do; the order matters
	// because a point on a shared edge belongs to the lowest code.
	slices.SortFunc(ws, func(a, b ward) int { return cmp.Compare(a.name, b.name) })
	for i, w := range ws {
		code := fmt.Sprintf("S05%06d", i+1)
		c.Wards = append(c.Wards, geo.Area{
			Kind: geo.KindWard, Code: code, Name: w.name,
			Geometry: orb.MultiPolygon{{w.ring}},
		})
		c.Population[code] = w.pop
	}
	c.City = geo.Area{
		Kind: geo.KindCity, Code: "S06000001", Name: c.Name,
		Geometry: orb.MultiPolygon{{city}},
	}

	c.placeClusters(r, seeds, radius)
	c.placePoints(r, radius)
	c.buildSamplers()
	return c
}

// cityOutline returns a star-shaped, counter-clockwise boundary and its
// radius as a function of angle. A few low harmonics make it look like a
// grown town rather than a circle while keeping it star-shaped about the
// centre, which the ward clipping relies on.
func cityOutline(r *rand.Rand) ([]vec, func(float64) float64) {
	amp := [3]float64{0.06 + 0.03*r.Float64(), 0.03 + 0.03*r.Float64(), 0.01 + 0.02*r.Float64()}
	freq := [3]float64{2, 3, 5}
	var phase [3]float64
	for i := range phase {
		phase[i] = 2 * math.Pi * r.Float64()
	}
	radius := func(theta float64) float64 {
		f := 1.0
		for i := range amp {
			f += amp[i] * math.Sin(freq[i]*theta+phase[i])
		}
		return cityRadius * f
	}
	const n = 96
	out := make([]vec, n)
	for i := range out {
		theta := 2 * math.Pi * float64(i) / n
		out[i] = polar(radius(theta)*(1+0.01*(2*r.Float64()-1)), theta)
	}
	return out, radius
}

func wardSeeds(r *rand.Rand, radius func(float64) float64) []vec {
	seeds := []vec{{0, 0}} // Castle: the centre must lie in it
	a0 := 2 * math.Pi * r.Float64()
	for i := range innerWards {
		theta := a0 + 2*math.Pi*float64(i)/innerWards + 0.15*(2*r.Float64()-1)
		seeds = append(seeds, polar(1.55*(1+0.1*(2*r.Float64()-1)), theta))
	}
	b0 := 2 * math.Pi * r.Float64()
	for i := range outerWards {
		theta := b0 + 2*math.Pi*float64(i)/outerWards + 0.12*(2*r.Float64()-1)
		seeds = append(seeds, polar(0.70*radius(theta)*(1+0.06*(2*r.Float64()-1)), theta))
	}
	return seeds
}

// tile cuts the outline into the Voronoi cells of seeds and returns the
// ward rings (in seed order) and the city ring in longitude/latitude, or
// ok=false when the layout is degenerate.
//
// Cells are clipped independently, so a vertex shared by several cells
// comes out of each with slightly different rounding; vertices are merged
// into one table before projecting so that neighbouring wards share
// bit-identical vertices and the wards tile the city exactly.
func tile(r *rand.Rand, outline, seeds []vec) (wards []orb.Ring, city orb.Ring, ok bool) {
	var verts []vec
	index := func(v vec) int {
		const tol = 1e-7 // km; clipping error is ~1e-15, real vertices are metres apart
		for i, u := range verts {
			if u.dist2(v) < tol*tol {
				return i
			}
		}
		verts = append(verts, v)
		return len(verts) - 1
	}

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
			k := index(v)
			if len(ring) == 0 || ring[len(ring)-1] != k {
				ring = append(ring, k)
			}
		}
		for len(ring) > 1 && ring[0] == ring[len(ring)-1] {
			ring = ring[:len(ring)-1]
		}
		if len(ring) < 3 {
			return nil, nil, false
		}
		rings[i] = ring
	}

	// Every edge must be used once in each direction (an inner edge) or
	// once in one direction only (the city boundary); anything else is an
	// overlap or a T-junction.
	type edge struct{ a, b int }
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
	var inner []edge
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
	var outer []int
	if len(next) == 0 {
		return nil, nil, false
	}
	start := slices.Min(slices.Collect(maps.Keys(next)))
	for v := start; ; {
		outer = append(outer, v)
		v = next[v]
		if v == start {
			break
		}
		if len(outer) > len(next) {
			return nil, nil, false
		}
	}
	if len(outer) != len(next) {
		return nil, nil, false // the boundary is more than one ring
	}

	// Straight Voronoi edges look drawn with a ruler; bending each inner
	// edge a little makes the wards look surveyed. The bend points belong
	// to the edge, so both wards on it get the same ones.
	slices.SortFunc(inner, func(x, y edge) int { return cmp.Or(cmp.Compare(x.a, y.a), cmp.Compare(x.b, y.b)) })
	bends := make(map[edge][]int, len(inner))
	for _, e := range inner {
		a, b := verts[e.a], verts[e.b]
		d := b.sub(a)
		l := math.Sqrt(d.dot(d))
		if l < 0.03 {
			return nil, nil, false // a sliver edge: too short to draw or to test
		}
		n := min(3, int(l/0.35))
		normal := vec{-d.y / l, d.x / l}
		var mid []int
		for k := 1; k <= n; k++ {
			t := float64(k) / float64(n+1)
			off := 0.05 * l * (2*r.Float64() - 1)
			verts = append(verts, a.add(d.scale(t)).add(normal.scale(off)))
			mid = append(mid, len(verts)-1)
		}
		bends[e] = mid
	}

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
		w := closeRing(ids)
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

// ward returns the index in c.Wards of the ward containing p, or -1. A
// point on a shared edge goes to the lowest code, as the stores do.
func (c *City) ward(p orb.Point) int {
	for i, w := range c.Wards {
		if planar.MultiPolygonContains(w.Geometry, p) {
			return i
		}
	}
	return -1
}
