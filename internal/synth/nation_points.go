package synth

import (
	"cmp"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"
)

// Residents per LSOA, as in England and Wales (about 35,700 LSOAs).
const lsoaPop = 1600

// placeShare is the share of map points that are public places rather than
// streets; town centres have more of them.
const (
	placeShare       = 0.03
	centrePlaceShare = 0.15
)

// placeKinds weighs the kinds of public place; nightclubs only in town
// centres.
var placeKinds = [numKinds]float64{
	shopping: 3, supermarket: 2, parking: 3, petrol: 1, park: 3, sports: 1,
	busStation: 0.2, theatre: 0.2, policeStation: 0.1, hospital: 0.1, education: 0.3,
}

// placePoints places each ward's map points (one per natPoints share of its
// residents), names them, and groups them into LSOAs of about lsoaPop
// residents named after the local authority as police.uk's are: the ward
// is the MSOA, numbered north to south within its local authority, and its
// LSOAs are lettered west to east.
func (n *Nation) placePoints(r *rand.Rand, wards []natWard, towns []settlement, scale float64) {
	var total float64
	for _, w := range wards {
		total += float64(w.pop)
	}
	var typeW []float64
	for _, t := range streetTypes {
		typeW = append(typeW, t.weight)
	}
	types := newAlias(typeW)
	centreKinds := placeKinds
	centreKinds[nightclub] = 4
	kindsAt := [2]alias{newAlias(placeKinds[:]), newAlias(centreKinds[:])}
	msoa := map[int]int{}
	n.points = make([]natPoint, 0, int(natPoints*scale*1.02))
	for wi, w := range wards {
		pts := wardPoints(r, &w, max(5, int(math.Round(natPoints*scale*float64(w.pop)/total))))
		msoa[w.lad]++
		lsoas := n.wardLSOAs(pts, w.pop, fmt.Sprintf("%s %03d", towns[w.lad].name, msoa[w.lad]))
		share, kinds := placeShare, &kindsAt[0]
		if w.centre {
			share, kinds = centrePlaceShare, &kindsAt[1]
		}
		for k, v := range pts {
			p := natLonLat(v, 1e6)
			np := natPoint{pt: p, ward: int32(wi), force: uint8(w.force)}
			location := "On or near " + streetStems[r.IntN(len(streetStems))] +
				streetEndings[r.IntN(len(streetEndings))] + " " + streetTypes[types.draw(r.Uint64())].name
			if r.Float64() < share {
				np.kind = kind(kinds.draw(r.Uint64()))
				location = kindLocation[np.kind]
			}
			np.csv = strconv.FormatFloat(p[0], 'f', 6, 64) + "," + strconv.FormatFloat(p[1], 'f', 6, 64) + "," +
				location + "," + lsoas[k]
			n.points = append(n.points, np)
		}
	}
}

// wardPoints draws count distinct map points inside the ward, uniformly in
// towns and mostly around a few villages in rural wards, each inside the
// ward's rounded ring as well as its exact cell.
func wardPoints(r *rand.Rand, w *natWard, count int) []vec {
	lo, hi := w.cell[0], w.cell[0]
	for _, v := range w.cell {
		lo = vec{min(lo.x, v.x), min(lo.y, v.y)}
		hi = vec{max(hi.x, v.x), max(hi.y, v.y)}
	}
	uniform := func() vec {
		return vec{lo.x + (hi.x-lo.x)*r.Float64(), lo.y + (hi.y-lo.y)*r.Float64()}
	}
	var villages []vec
	for w.town < 0 && len(villages) < 1+count/40 {
		if v := uniform(); insideConvex(w.cell, v) {
			villages = append(villages, v)
		}
	}
	seen := make(map[orb.Point]bool, count)
	pts := make([]vec, 0, count)
	for try := 0; len(pts) < count && try < 1000*count; try++ {
		v := uniform()
		if len(villages) > 0 && r.Float64() < 0.7 {
			v = villages[r.IntN(len(villages))].add(vec{r.NormFloat64() * 0.6, r.NormFloat64() * 0.6})
		}
		p := natLonLat(v, 1e6)
		if !insideConvex(w.cell, v) || seen[p] || !planar.RingContains(w.ring, p) {
			continue
		}
		seen[p] = true
		pts = append(pts, v)
	}
	return pts
}

// wardLSOAs groups a ward's points into LSOAs around seeds drawn from its
// points and returns, for each point, the CSV fields "code,name" of its
// LSOA. Codes run in ward order, then letter order, so they sort as the
// names do within a local authority.
func (n *Nation) wardLSOAs(pts []vec, pop int, msoaName string) []string {
	k := min(len(pts), max(1, int(math.Round(float64(pop)/lsoaPop))))
	seeds := make([]vec, k)
	// Points are drawn in random order, so the first k are random seeds.
	copy(seeds, pts)
	slices.SortFunc(seeds, func(a, b vec) int { return cmp.Compare(a.x, b.x) })
	fields := make([]string, k)
	for i := range fields {
		n.lsoas++
		fields[i] = fmt.Sprintf("S01%06d,%s%s", n.lsoas, msoaName, letters(i))
	}
	out := make([]string, len(pts))
	for i, v := range pts {
		out[i] = fields[nearest(seeds, v, func(s vec) vec { return s })]
	}
	return out
}

// pointSigma spreads crime over a ward's points lognormally. With sigma
// 1.65 the top 5 % of points expect half of the crime and the top 1 % a
// quarter, close to Weisburd's "law of crime concentration" (about 50 % of
// crime at 4–6 % of street segments and 25 % at about 1 %; Weisburd 2015,
// Criminology 53(2)); town centres and uneven ward rates add to it.
const pointSigma = 1.65

// buildSamplers weighs the points: each ward's crime follows its residents,
// lifted in town centres and varying between wards as deprivation does,
// shared unevenly over its points, and each category prefers its kinds of
// place as in the city.
func (n *Nation) buildSamplers(r *rand.Rand, wards []natWard) {
	base := make([]float64, len(n.points))
	for start := 0; start < len(n.points); {
		wi := n.points[start].ward
		end := start
		var sum float64
		for ; end < len(n.points) && n.points[end].ward == wi; end++ {
			base[end] = math.Exp(pointSigma * r.NormFloat64())
			sum += base[end]
		}
		w := wards[wi]
		weight := float64(w.pop) * math.Exp(0.45*r.NormFloat64())
		weight *= w.lift
		for i := start; i < end; i++ {
			base[i] *= weight / sum
		}
		start = end
	}
	var perForce [numForces]float64
	for i, p := range n.points {
		perForce[p.force] += base[i]
	}
	n.forces = newAlias(perForce[:])
	w := make([]float64, len(n.points))
	for cat := range numCats {
		boost := spreads[cat].boost
		for i, p := range n.points {
			w[i] = base[i]
			if b, ok := boost[p.kind]; ok {
				w[i] *= b
			}
		}
		n.catPoints[cat] = newAlias(w)
	}
}
