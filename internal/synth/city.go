// Package synth makes deterministic synthetic crime data: a fictional city
// with wards, population and police.uk-style map points, and incidents at
// those points in police.uk street-level form.
//
// It serves two ends. `hotspot serve` shows the synthetic city on a fresh
// clone, so the map has something plausible to show before any real data is
// loaded; and `hotspot generate` writes police.uk CSVs of any size, so the
// ingest path and the stores can be benchmarked without real data. Nation
// is the same at England-and-Wales scale (43 forces, about 7,000 wards and
// 700,000 map points), for benchmarks of a national service.
//
// Nothing here is real: names, codes, streets and LSOAs are invented, codes
// use the prefix S (for synthetic, which no ONS code uses in England), and
// the city sits in open countryside south-west of Leicester.
package synth

import (
	"cmp"
	"fmt"
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
