package synth

import (
	"cmp"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"

	"github.com/paulmach/orb"

	"github.com/leicester-csp/hotspot/geo"
)

// The national shape covers England and Wales' extent (longitude −5.7 to
// 1.8, latitude 50.0 to 55.8) as a rectangle: no coastline, because what
// the benchmarks need is the counts (forces, wards, map points, LSOAs) and
// how unevenly crime falls on them, not the outline.
const (
	natLon0, natLat0 = -1.95, 52.9
	natHalfLon       = 3.75
	natHalfLat       = 2.9
)

var natKmPerDegLon = kmPerDegLat * math.Cos(natLat0*math.Pi/180)

// Full-size counts, close to England and Wales: 43 territorial forces,
// 59.6 M residents (2021 census), about 7,000 electoral wards, about
// 700,000 police.uk map points, about 330 local authorities.
const (
	numForces      = 43
	natPopulation  = 59_600_000
	natWards       = 7000
	natPoints      = 700_000
	natSettlements = 1500
	natDistricts   = 330
	// urbanShare of residents live in the settlements, the rest in rural
	// wards between them.
	urbanShare = 0.82
	// urbanWardPop is an urban ward's typical population; rural wards take
	// whatever count brings the total to natWards.
	urbanWardPop = 9000
)

// Nation is a synthetic England-and-Wales-sized country: 43 forces, wards
// with populations, LSOAs and map points. Like City, it is read-only once
// built and safe for concurrent use.
type Nation struct {
	// Forces are the force names, as written in "Reported by".
	Forces []string
	Wards  []geo.Area // ordered by code
	// Population is residents per ward code.
	Population map[string]int
	// WardForce is the index in Forces of each ward's force.
	WardForce []int

	seed   uint64
	points []natPoint
	lsoas  int
	// catPoints[c] samples the map point of an incident of category c;
	// forces samples the force of a row without a location.
	catPoints [numCats]alias
	forces    alias
}

// natPoint is a national map point; it keeps only what writing rows and
// the tests need, as there are 700,000 of them.
type natPoint struct {
	pt    orb.Point
	ward  int32
	force uint8
	kind  kind
	csv   string // Longitude … LSOA name, as in mapPoint
}

// settlement is a town or city: residents spread normally about its
// centre with sigma km.
type settlement struct {
	name  string
	at    vec
	pop   float64
	sigma float64
	force int // index of the nearest force seat
}

// natWard is a ward while the layout is built.
type natWard struct {
	seed   vec
	cell   []vec
	ring   orb.Ring
	pop    int
	town   int  // settlement it belongs to, -1 rural
	centre bool // the ward at its town's centre
	// lift multiplies the ward's crime per resident: town centres draw
	// visitors, shoppers and the night-time economy.
	lift  float64
	force int
	lad   int // index of its local authority's settlement
	name  string
}

// NewNation builds the national layout deterministically from seed. scale
// (0 < scale ≤ 1) shrinks the population and every count but the 43
// forces, so tests can build a small nation quickly; 1 is full size.
func NewNation(seed uint64, scale float64) *Nation {
	if !(scale > 0 && scale <= 1) {
		panic(fmt.Sprintf("synth: nation scale %v outside (0, 1]", scale))
	}
	// As with NewCity, a layout whose rings do not survive rounding is
	// redrawn from the next stream rather than repaired.
	for attempt := uint64(0); attempt < 100; attempt++ {
		r := rand.New(rand.NewPCG(seed, 0x6a09e667f3bcc909^attempt))
		if n := buildNation(seed, scale, r); n != nil {
			return n
		}
	}
	panic(fmt.Sprintf("synth: no valid national layout for seed %d", seed))
}

func natLonLat(v vec, scale float64) orb.Point {
	return orb.Point{
		math.Round((natLon0+v.x/natKmPerDegLon)*scale) / scale,
		math.Round((natLat0+v.y/kmPerDegLat)*scale) / scale,
	}
}

func natBox() (lo, hi vec) {
	w, h := natHalfLon*natKmPerDegLon, natHalfLat*kmPerDegLat
	return vec{-w, -h}, vec{w, h}
}

func buildNation(seed uint64, scale float64, r *rand.Rand) *Nation {
	towns := placeSettlements(r, scale)
	wards := placeWardSeeds(r, towns, scale)
	lo, hi := natBox()
	cells := voronoi(seedsOf(wards), lo, hi, 4)
	m := vertexMerger{byKey: make(map[[2]int64]vec)}
	for i := range wards {
		wards[i].cell = cells[i]
		wards[i].ring = m.cellRing(cells[i], func(v vec) orb.Point { return natLonLat(v, vertexScale) })
		if !simpleCCW(wards[i].ring) {
			return nil
		}
	}
	n := &Nation{seed: seed, Population: make(map[string]int, len(wards))}
	n.nameForces(r, towns)
	assignDistricts(wards, towns, scale)
	nameWards(r, wards, towns)
	slices.SortFunc(wards, func(a, b natWard) int {
		return cmp.Or(cmp.Compare(towns[a.lad].name, towns[b.lad].name), cmp.Compare(b.seed.y, a.seed.y), cmp.Compare(a.seed.x, b.seed.x))
	})
	for i, w := range wards {
		code := fmt.Sprintf("S05%06d", i+1)
		n.Wards = append(n.Wards, geo.Area{Kind: geo.KindWard, Code: code, Name: w.name,
			Geometry: orb.MultiPolygon{{w.ring}}})
		n.Population[code] = w.pop
		n.WardForce = append(n.WardForce, w.force)
	}
	n.placePoints(r, wards, towns, scale)
	n.buildSamplers(r, wards)
	return n
}

func seedsOf(wards []natWard) []vec {
	s := make([]vec, len(wards))
	for i, w := range wards {
		s[i] = w.seed
	}
	return s
}

// placeSettlements places the towns, largest first, with Zipf populations
// (the k-th largest has 1/k of the largest's residents, as rank-size
// studies of British towns roughly find) and keeps them apart in
// proportion to their size.
func placeSettlements(r *rand.Rand, scale float64) []settlement {
	count := max(numForces, int(math.Round(natSettlements*scale)))
	var harmonic float64
	for k := 1; k <= count; k++ {
		harmonic += 1 / float64(k)
	}
	largest := urbanShare * natPopulation * scale / harmonic
	lo, hi := natBox()
	towns := make([]settlement, 0, count)
	names := map[string]bool{}
	for k := 1; k <= count; k++ {
		pop := largest / float64(k)
		// About 3,500 residents per km² within two sigma of the centre.
		s := settlement{name: placeName(r, names), pop: pop, sigma: math.Sqrt(pop / 3500 / (2 * math.Pi))}
		margin := min(2*s.sigma, 20)
		for try := 0; ; try++ {
			s.at = vec{lo.x + margin + (hi.x-lo.x-2*margin)*r.Float64(), lo.y + margin + (hi.y-lo.y-2*margin)*r.Float64()}
			if try > 200 || !slices.ContainsFunc(towns, func(t settlement) bool {
				gap := 1.5*(s.sigma+t.sigma) + 3
				return t.at.dist2(s.at) < gap*gap
			}) {
				break
			}
		}
		towns = append(towns, s)
	}
	for i := range towns {
		towns[i].force = nearest(towns[:numForces], towns[i].at, func(t settlement) vec { return t.at })
	}
	return towns
}

var placePrefixes = []string{"Great ", "Little ", "Upper ", "Lower ", "Kings ", "Nether ", "East ", "West ", "Market "}

// placeName invents a town name not yet in used.
func placeName(r *rand.Rand, used map[string]bool) string {
	for {
		name := streetStems[r.IntN(len(streetStems))] + streetEndings[r.IntN(len(streetEndings))]
		if r.Float64() < 0.15 || used[name] {
			name = placePrefixes[r.IntN(len(placePrefixes))] + name
		}
		if !used[name] {
			used[name] = true
			return name
		}
	}
}
