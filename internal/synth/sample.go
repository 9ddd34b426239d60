package synth

import "math"

// Category indices, in geo.Categories order (a test holds them to it).
const (
	catASB = iota
	catBicycle
	catBurglary
	catDamage
	catDrugs
	catOtherCrime
	catOtherTheft
	catWeapons
	catPublicOrder
	catRobbery
	catShoplifting
	catTheftPerson
	catVehicle
	catViolence
	numCats
)

// catShare is each category's share of all rows in percent, close to a
// real force's mix over two years.
var catShare = [numCats]float64{
	catASB:         8.85,
	catBicycle:     1.29,
	catBurglary:    4.72,
	catDamage:      9.23,
	catDrugs:       2.98,
	catOtherCrime:  2.23,
	catOtherTheft:  7.86,
	catWeapons:     0.91,
	catPublicOrder: 10.27,
	catRobbery:     0.81,
	catShoplifting: 6.33,
	catTheftPerson: 0.80,
	catVehicle:     6.26,
	catViolence:    37.46,
}

// spread says where a category's incidents happen: a share of them in each
// cluster, the rest spread with population, and a preference for some kinds
// of place.
type spread struct {
	cluster [numClusters]float64
	boost   map[kind]float64 // 1 when absent
}

var spreads = [numCats]spread{
	catViolence: {
		cluster: [numClusters]float64{clNightCore: 0.34, clNightDistrict: 0.07, clDistrict: 0.03},
		boost:   map[kind]float64{nightclub: 4},
	},
	catRobbery: {
		cluster: [numClusters]float64{clNightCore: 0.32, clShopCentre: 0.08, clNightDistrict: 0.06},
	},
	catWeapons: {
		cluster: [numClusters]float64{clNightCore: 0.30, clNightDistrict: 0.06},
		boost:   map[kind]float64{nightclub: 3},
	},
	catPublicOrder: {
		cluster: [numClusters]float64{clNightCore: 0.12, clShopCentre: 0.04, clNightDistrict: 0.05},
		boost:   map[kind]float64{nightclub: 2},
	},
	catASB: {
		cluster: [numClusters]float64{clPark: 0.22, clDistrict: 0.15, clNightCore: 0.08},
		boost:   map[kind]float64{park: 3, sports: 2},
	},
	catShoplifting: {
		cluster: [numClusters]float64{clShopCentre: 0.25, clRetailPark: 0.25, clDistrict: 0.12},
		// Outside the clusters shoplifting still happens almost only at
		// shops, which makes the handful of retail points stand out.
		boost: map[kind]float64{shopping: 40, supermarket: 60, parking: 2, petrol: 8},
	},
	catTheftPerson: {
		cluster: [numClusters]float64{clNightCore: 0.35, clShopCentre: 0.15},
	},
	catBicycle: {
		cluster: [numClusters]float64{clShopCentre: 0.08},
		boost:   map[kind]float64{education: 8, hospital: 4, busStation: 4},
	},
	catOtherTheft: {
		cluster: [numClusters]float64{clShopCentre: 0.06},
		boost:   map[kind]float64{hospital: 6, parking: 3, shopping: 3, supermarket: 3},
	},
	catVehicle: {
		boost: map[kind]float64{parking: 8},
	},
	catDrugs: {
		cluster: [numClusters]float64{clNightCore: 0.12, clPark: 0.04},
	},
	catBurglary: {
		// Homes and premises: streets rather than public places.
		boost: map[kind]float64{shopping: 0.3, park: 0.1, sports: 0.3, busStation: 0.1, nightclub: 0.5},
	},
}

// buildSamplers turns the spreads into one point sampler per category.
func (c *City) buildSamplers() {
	// Background: every ward gets incidents in proportion to its residents
	// whatever its number of points, with a gentle lift towards the centre
	// (commuters and visitors); the towns around the city get a quarter as
	// much as the city in all.
	n := len(c.points)
	perWard := make([]int, len(c.Wards))
	for _, p := range c.points {
		if p.ward >= 0 {
			perWard[p.ward]++
		}
	}
	bg := make([]float64, n)
	var inSum, outSum float64
	for i, p := range c.points {
		if p.ward < 0 {
			bg[i] = 1
			outSum++
			continue
		}
		w := &c.Wards[p.ward]
		lift := 1 + math.Exp(-p.km.dot(p.km)/(2*1.0*1.0))
		bg[i] = float64(c.Population[w.Code]) / float64(perWard[p.ward]) * lift
		inSum += bg[i]
	}
	for i, p := range c.points {
		if p.ward < 0 {
			bg[i] *= 0.25 * inSum / outSum
		}
	}

	for cat := range numCats {
		sp := spreads[cat]
		boost := func(k kind) float64 {
			if b, ok := sp.boost[k]; ok {
				return b
			}
			return 1
		}
		w := make([]float64, n)
		rest := 1.0
		for cl, share := range sp.cluster {
			if share == 0 {
				continue
			}
			rest -= share
			centre, s := c.centres[cl], clusterSigma[cl]
			g := make([]float64, n)
			var sum float64
			for i, p := range c.points {
				d2 := p.km.dist2(centre)
				if d2 > 9*s*s {
					continue
				}
				g[i] = math.Exp(-d2/(2*s*s)) * boost(p.kind)
				sum += g[i]
			}
			for i := range w {
				w[i] += share * g[i] / sum
			}
		}
		var sum float64
		g := make([]float64, n)
		for i, p := range c.points {
			g[i] = bg[i] * boost(p.kind)
			sum += g[i]
		}
		for i := range w {
			w[i] += rest * g[i] / sum
		}
		c.catPoints[cat] = newAlias(w)
	}
}

// alias is Vose's alias table: a draw costs one random word whatever the
// number of outcomes, which matters at millions of rows.
type alias struct {
	prob  []uint32 // chance, out of 2^32, of keeping the bucket
	alias []uint32
}

func newAlias(w []float64) alias {
	n := len(w)
	var sum float64
	for _, x := range w {
		sum += x
	}
	scaled := make([]float64, n)
	var small, large []int
	for i, x := range w {
		scaled[i] = x / sum * float64(n)
		if scaled[i] < 1 {
			small = append(small, i)
		} else {
			large = append(large, i)
		}
	}
	a := alias{prob: make([]uint32, n), alias: make([]uint32, n)}
	for len(small) > 0 && len(large) > 0 {
		s, l := small[len(small)-1], large[len(large)-1]
		small = small[:len(small)-1]
		a.prob[s] = uint32(scaled[s] * (1 << 32))
		a.alias[s] = uint32(l)
		scaled[l] -= 1 - scaled[s]
		if scaled[l] < 1 {
			large = large[:len(large)-1]
			small = append(small, l)
		}
	}
	// What remains is full up to rounding error.
	for _, rest := range [][]int{small, large} {
		for _, i := range rest {
			a.prob[i] = math.MaxUint32
			a.alias[i] = uint32(i)
		}
	}
	return a
}

// draw picks an outcome from one uniform random word: the high half picks
// the bucket, the low half decides between it and its alias.
func (a *alias) draw(u uint64) int {
	i := (u >> 32) * uint64(len(a.prob)) >> 32
	if uint32(u) < a.prob[i] {
		return int(i)
	}
	return int(a.alias[i])
}
