package synth

import (
	"math"
	"math/rand/v2"
)

// Ward seeds closer than these (km) would give slivers: urban wards are
// rarely under half a kilometre across, rural ones are several.
const (
	urbanSeedGap = 0.35
	ruralSeedGap = 2.5
)

// seedSpacer keeps ward seeds apart, bucketing them by 4 km squares (no gap
// is wider, so a 3×3 block of squares holds every seed that could be too
// close).
type seedSpacer map[[2]int][]vec

func spacerCell(v vec) [2]int { return [2]int{int(math.Floor(v.x / 4)), int(math.Floor(v.y / 4))} }

// add adds v unless a seed lies within gap of it.
func (s seedSpacer) add(v vec, gap float64) bool {
	g := spacerCell(v)
	for dx := -1; dx <= 1; dx++ {
		for dy := -1; dy <= 1; dy++ {
			for _, u := range s[[2]int{g[0] + dx, g[1] + dy}] {
				if u.dist2(v) < gap*gap {
					return false
				}
			}
		}
	}
	s[g] = append(s[g], v)
	return true
}

func inBox(v, lo, hi vec) bool { return v.x > lo.x && v.x < hi.x && v.y > lo.y && v.y < hi.y }

// placeWardSeeds gives each town one ward per urbanWardPop residents (at
// least one, at its centre), spread as its residents are, and fills the
// country between with rural wards of equal shares of the rural population
// so that the total comes to natWards.
func placeWardSeeds(r *rand.Rand, towns []settlement, scale float64) []natWard {
	lo, hi := natBox()
	sp := seedSpacer{}
	var wards []natWard
	for i, t := range towns {
		n := max(1, int(math.Round(t.pop/urbanWardPop)))
		placed := 0
		for try := 0; placed < n && try < 50*n; try++ {
			v := t.at.add(vec{r.NormFloat64() * 0.2, r.NormFloat64() * 0.2})
			if placed > 0 {
				v = t.at.add(vec{r.NormFloat64() * t.sigma, r.NormFloat64() * t.sigma})
			}
			if !inBox(v, lo, hi) || !sp.add(v, urbanSeedGap) {
				continue
			}
			wards = append(wards, natWard{seed: v, town: i, centre: placed == 0, lift: 1})
			placed++
		}
		for k := len(wards) - placed; k < len(wards); k++ {
			wards[k].pop = int(t.pop / float64(placed) * (0.75 + 0.5*r.Float64()))
		}
		if placed > 0 {
			wards[len(wards)-placed].lift = 1.5
			if placed >= 3 {
				wards[len(wards)-placed].lift = 4
			}
		}
	}
	rural := max(numForces, int(math.Round(natWards*scale))-len(wards))
	ruralPop := (1 - urbanShare) * natPopulation * scale / float64(rural)
	for placed := 0; placed < rural; {
		v := vec{lo.x + (hi.x-lo.x)*r.Float64(), lo.y + (hi.y-lo.y)*r.Float64()}
		if sp.add(v, ruralSeedGap) {
			wards = append(wards, natWard{seed: v, town: -1, lift: 1, pop: int(ruralPop * (0.6 + 0.8*r.Float64()))})
			placed++
		}
	}
	return wards
}

var forceSuffixes = []string{"shire Police", "shire Constabulary", " Police", " Constabulary", " and District Police"}

// nameForces names each force after its seat, the largest town in it.
func (n *Nation) nameForces(r *rand.Rand, towns []settlement) {
	n.Forces = make([]string, numForces)
	for i := range n.Forces {
		suffix := forceSuffixes[r.IntN(len(forceSuffixes))]
		if i == 0 {
			suffix = " Metropolitan Police"
		}
		n.Forces[i] = towns[i].name + suffix
	}
}

// assignDistricts gives each ward its force (the nearest force seat) and
// its local authority: the nearest of the largest towns in the same force,
// so that local authorities nest in forces as they do in England and
// Wales.
func assignDistricts(wards []natWard, towns []settlement, scale float64) {
	lads := min(len(towns), max(numForces, int(math.Round(natDistricts*scale))))
	for i := range wards {
		w := &wards[i]
		w.force = nearest(towns[:numForces], w.seed, func(t settlement) vec { return t.at })
		best, bestD := w.force, math.Inf(1)
		for j, t := range towns[:lads] {
			if d := t.at.dist2(w.seed); t.force == w.force && d < bestD {
				best, bestD = j, d
			}
		}
		w.lad = best
	}
}

var wardSuffixes = []string{" North", " South", " East", " West", " Park", " Green", " Village", " Central"}

// nameWards names a town's central ward after the town and the others
// with invented district names, unique within their local authority.
func nameWards(r *rand.Rand, wards []natWard, towns []settlement) {
	perTown := make([]int, len(towns))
	for _, w := range wards {
		if w.town >= 0 {
			perTown[w.town]++
		}
	}
	used := make([]map[string]bool, len(towns))
	for i := range wards {
		w := &wards[i]
		if used[w.lad] == nil {
			used[w.lad] = map[string]bool{}
		}
		taken := used[w.lad]
		name := ""
		switch {
		case w.centre && perTown[w.town] > 1:
			name = towns[w.town].name + " Central"
		case w.centre:
			name = towns[w.town].name
		default:
			name = streetStems[r.IntN(len(streetStems))] + streetEndings[r.IntN(len(streetEndings))]
		}
		for k := 0; taken[name] && k < 4; k++ {
			name += wardSuffixes[r.IntN(len(wardSuffixes))]
		}
		if taken[name] {
			name = placeName(r, taken)
		}
		taken[name] = true
		w.name = name
	}
}
