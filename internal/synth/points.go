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

// kind is what a map point is. police.uk names public places by what they
// are ("On or near Nightclub") and everything else by street; the kinds let
// categories favour the places where they happen (shoplifting at shops).
type kind uint8

const (
	street kind = iota
	shopping
	supermarket
	nightclub
	parking
	petrol
	park
	sports
	busStation
	theatre
	policeStation
	hospital
	education
	numKinds
)

var kindLocation = [numKinds]string{
	shopping:      "On or near Shopping Area",
	supermarket:   "On or near Supermarket",
	nightclub:     "On or near Nightclub",
	parking:       "On or near Parking Area",
	petrol:        "On or near Petrol Station",
	park:          "On or near Park/Open Space",
	sports:        "On or near Sports/Recreation Area",
	busStation:    "On or near Bus/Coach Station",
	theatre:       "On or near Theatre/Concert Hall",
	policeStation: "On or near Police Station",
	hospital:      "On or near Hospital",
	education:     "On or near Further/Higher Educational Building",
}

// Clusters are the places where the priorities' hotspots form.
const (
	clNightCore     = iota // night-time economy in Castle
	clShopCentre           // the centre's shopping streets, beside the core
	clNightDistrict        // a smaller night-time strip in an inner ward
	clPark                 // a large park, for ASB
	clDistrict             // a district centre: shops and a busy street
	clRetailPark           // an out-of-centre retail park
	numClusters
)

// clusterSigma is each cluster's spread in km.
var clusterSigma = [numClusters]float64{0.35, 0.25, 0.25, 0.30, 0.20, 0.15}

// mapPoint is one of the fixed points that police.uk snaps incidents to.
type mapPoint struct {
	km       vec
	pt       orb.Point // rounded to the 6 decimals written to CSV
	lon, lat string
	kind     kind
	location string
	lsoa     int
	ward     int // index in City.Wards, -1 outside the city
	// csv is the point's five CSV fields (Longitude … LSOA name), joined
	// once so that writing a row copies one string.
	csv string
}

type lsoa struct {
	code, name string
}

// Point counts: a few thousand, as in a real force's file, with about a
// fifth outside the city because a force covers more than its city.
const (
	cityStreetPoints    = 2400
	outsideStreetPoints = 600
)

var streetStems = []string{
	"Ash", "Birch", "Bram", "Brack", "Cald", "Chester", "Cob", "Cross", "Dun",
	"Elm", "Fair", "Fern", "Glen", "Gold", "Green", "Hallam", "Hart", "Hazel",
	"Holly", "Kings", "Lark", "Lime", "Long", "Marl", "Mill", "Moor", "North",
	"Oak", "Orchard", "Pen", "Queens", "Red", "Rose", "Sand", "South",
	"Spring", "Stan", "Stone", "Thorn", "Wal", "West", "Willow", "Wood", "Yew",
}

var streetEndings = []string{
	"bank", "bourne", "brook", "bury", "by", "croft", "dale", "den", "field",
	"ford", "gate", "ham", "hill", "hurst", "lands", "leigh", "mead", "mere",
	"moor", "ridge", "stead", "ton", "well", "wick", "worth",
}

var streetTypes = []struct {
	name   string
	weight float64
}{{"Street", 0.28}, {"Road", 0.30}, {"Lane", 0.12}, {"Close", 0.15}, {"Avenue", 0.15}}

// districts name the LSOAs outside the city, as police.uk names LSOAs after
// their local authority.
var districts = []string{"Thornleigh", "Colbourne", "Easterby", "Marsham Vale"}

func (c *City) placeClusters(r *rand.Rand, seeds []vec, radius func(float64) float64) {
	core := polar(0.08+0.1*r.Float64(), 2*math.Pi*r.Float64())
	c.centres[clNightCore] = core
	c.centres[clShopCentre] = core.add(polar(0.25, 2*math.Pi*r.Float64()))
	inner := r.Perm(innerWards)
	c.centres[clNightDistrict] = seeds[1+inner[0]].scale(0.85)
	c.centres[clPark] = seeds[1+inner[1]].add(polar(0.2, 2*math.Pi*r.Float64()))
	// The district centre and the retail park lie in outer wards far apart,
	// so that each makes its own hotspot.
	o1 := r.IntN(outerWards)
	o2 := (o1 + 3 + r.IntN(5)) % outerWards
	c.centres[clDistrict] = seeds[1+innerWards+o1]
	s := seeds[1+innerWards+o2]
	theta := math.Atan2(s.y, s.x)
	c.centres[clRetailPark] = polar(0.85*radius(theta), theta)
}

func (c *City) inCity(p orb.Point) bool {
	return planar.MultiPolygonContains(c.City.Geometry, p)
}

func (c *City) placePoints(r *rand.Rand, radius func(float64) float64) {
	// Police map points are distinct places; two closer than this would
	// read as one on the map.
	const minGap = 0.015
	grid := make(map[[2]int][]vec)
	cellOf := func(v vec) [2]int { return [2]int{int(math.Floor(v.x / 0.1)), int(math.Floor(v.y / 0.1))} }
	tooClose := func(v vec) bool {
		g := cellOf(v)
		for dx := -1; dx <= 1; dx++ {
			for dy := -1; dy <= 1; dy++ {
				for _, u := range grid[[2]int{g[0] + dx, g[1] + dy}] {
					if u.dist2(v) < minGap*minGap {
						return true
					}
				}
			}
		}
		return false
	}
	add := func(v vec, k kind, inside bool) bool {
		p := v.lonLat(1e6)
		if c.inCity(p) != inside || tooClose(v) {
			return false
		}
		grid[cellOf(v)] = append(grid[cellOf(v)], v)
		c.points = append(c.points, mapPoint{km: v, pt: p, kind: k})
		return true
	}
	gauss := func(centre vec, sigma float64) vec {
		return centre.add(vec{r.NormFloat64() * sigma, r.NormFloat64() * sigma})
	}
	// Places first, so that streets fill in around them.
	type place struct {
		cluster int
		kind    kind
		n       int
	}
	for _, pl := range []place{
		{clNightCore, nightclub, 8}, {clNightCore, parking, 3}, {clNightCore, busStation, 1},
		{clNightCore, theatre, 1}, {clNightCore, policeStation, 1},
		{clShopCentre, shopping, 6}, {clShopCentre, supermarket, 2},
		{clNightDistrict, nightclub, 3},
		{clPark, park, 5}, {clPark, sports, 2},
		{clDistrict, shopping, 3}, {clDistrict, supermarket, 1}, {clDistrict, parking, 1},
		{clRetailPark, shopping, 3}, {clRetailPark, supermarket, 2}, {clRetailPark, parking, 2},
		{clRetailPark, petrol, 1},
	} {
		for placed := 0; placed < pl.n; {
			if add(gauss(c.centres[pl.cluster], 0.4*clusterSigma[pl.cluster]), pl.kind, true) {
				placed++
			}
		}
	}
	uniformInCity := func() vec { return vec{(2*r.Float64() - 1) * 5, (2*r.Float64() - 1) * 5} }
	for _, pl := range []struct {
		kind kind
		n    int
	}{{supermarket, 10}, {petrol, 6}, {hospital, 1}, {education, 2}, {sports, 4}, {park, 3}} {
		for placed := 0; placed < pl.n; {
			if add(uniformInCity(), pl.kind, true) {
				placed++
			}
		}
	}
	// Streets are denser towards the centre, as in any town.
	for placed := 0; placed < cityStreetPoints; {
		v := uniformInCity()
		if r.Float64() < 0.45 {
			v = gauss(vec{}, 1.1)
		}
		if add(v, street, true) {
			placed++
		}
	}
	// Outside: small towns and villages along the roads, with a few shops.
	type town struct {
		at    vec
		sigma float64
	}
	towns := make([]town, 6)
	for i := range towns {
		theta := 2 * math.Pi * r.Float64()
		towns[i] = town{polar(radius(theta)+1.5+4.5*r.Float64(), theta), 0.4 + 0.4*r.Float64()}
	}
	ring := func() vec {
		theta := 2 * math.Pi * r.Float64()
		return polar(radius(theta)*1.02+7*r.Float64(), theta)
	}
	for i, k := range []kind{supermarket, supermarket, petrol, petrol, parking, shopping} {
		for !add(gauss(towns[i%len(towns)].at, 0.3), k, false) {
		}
	}
	for placed := 0; placed < outsideStreetPoints; {
		v := ring()
		if r.Float64() < 0.6 {
			t := towns[r.IntN(len(towns))]
			v = gauss(t.at, t.sigma)
		}
		if add(v, street, false) {
			placed++
		}
	}

	var typeW []float64
	for _, t := range streetTypes {
		typeW = append(typeW, t.weight)
	}
	types := newAlias(typeW)
	for i := range c.points {
		p := &c.points[i]
		p.ward = c.ward(p.pt)
		p.lon = strconv.FormatFloat(p.pt[0], 'f', 6, 64)
		p.lat = strconv.FormatFloat(p.pt[1], 'f', 6, 64)
		if p.kind != street {
			p.location = kindLocation[p.kind]
			continue
		}
		p.location = "On or near " + streetStems[r.IntN(len(streetStems))] +
			streetEndings[r.IntN(len(streetEndings))] + " " + streetTypes[types.draw(r.Uint64())].name
	}
	c.placeLSOAs(r)
	for i := range c.points {
		p := &c.points[i]
		l := c.lsoas[p.lsoa]
		p.csv = csvField(p.lon) + "," + csvField(p.lat) + "," + csvField(p.location) + "," +
			csvField(l.code) + "," + csvField(l.name)
	}
}

// placeLSOAs groups the points into LSOAs, and LSOAs into MSOAs for their
// names ("<district> 012A": MSOA number, then a letter per LSOA), keeping
// the city's LSOAs apart from those of the districts around it so that, as
// with police.uk, the LSOA name says whether a point is in the city.
func (c *City) placeLSOAs(r *rand.Rand) {
	pop := 0
	for _, n := range c.Population {
		pop += n
	}
	type group struct {
		outside bool
		points  []int
		nLSOA   int
	}
	// About 1,600 residents per LSOA, as in England.
	in, out := group{nLSOA: pop / 1600}, group{outside: true, nLSOA: 45}
	for i, p := range c.points {
		if p.ward >= 0 {
			in.points = append(in.points, i)
		} else {
			out.points = append(out.points, i)
		}
	}
	sectorOffset := 2 * math.Pi * r.Float64()
	sector := func(v vec) string {
		a := math.Mod(math.Atan2(v.y, v.x)-sectorOffset+4*math.Pi, 2*math.Pi)
		return districts[int(a/(2*math.Pi)*float64(len(districts)))%len(districts)]
	}

	type named struct {
		name  string
		seed  vec
		point []int // members
	}
	var all []*named
	for _, g := range []group{in, out} {
		seedIdx := slices.Clone(g.points)
		r.Shuffle(len(seedIdx), func(i, j int) { seedIdx[i], seedIdx[j] = seedIdx[j], seedIdx[i] })
		seedIdx = seedIdx[:g.nLSOA]
		ls := make([]*named, len(seedIdx))
		for i, k := range seedIdx {
			ls[i] = &named{seed: c.points[k].km}
		}
		seedOf := func(l *named) vec { return l.seed }
		for _, k := range g.points {
			l := ls[nearest(ls, c.points[k].km, seedOf)]
			l.point = append(l.point, k)
		}
		// MSOAs: about five LSOAs each, numbered north to south within
		// their district as ONS numbers them.
		msoas := ls[:max(1, len(ls)/5)]
		members := make([][]*named, len(msoas))
		for _, l := range ls {
			m := nearest(msoas, l.seed, seedOf)
			members[m] = append(members[m], l)
		}
		type msoa struct {
			district string
			seed     vec
			lsoas    []*named
		}
		var ms []msoa
		for i, m := range msoas {
			d := c.Name
			if g.outside {
				d = sector(m.seed)
			}
			ms = append(ms, msoa{d, m.seed, members[i]})
		}
		slices.SortFunc(ms, func(a, b msoa) int {
			return cmp.Or(cmp.Compare(a.district, b.district), cmp.Compare(b.seed.y, a.seed.y), cmp.Compare(a.seed.x, b.seed.x))
		})
		num := map[string]int{}
		for _, m := range ms {
			num[m.district]++
			slices.SortFunc(m.lsoas, func(a, b *named) int { return cmp.Compare(a.seed.x, b.seed.x) })
			for k, l := range m.lsoas {
				l.name = fmt.Sprintf("%s %03d%s", m.district, num[m.district], letters(k))
			}
		}
		all = append(all, ls...)
	}
	slices.SortFunc(all, func(a, b *named) int { return cmp.Compare(a.name, b.name) })
	c.lsoas = make([]lsoa, len(all))
	for i, l := range all {
		c.lsoas[i] = lsoa{code: fmt.Sprintf("S01%06d", i+1), name: l.name}
		for _, k := range l.point {
			c.points[k].lsoa = i
		}
	}
}

// letters names the k-th LSOA of an MSOA: A…Z, then AA… should an MSOA ever
// hold more than 26.
func letters(k int) string {
	if k < 26 {
		return string(rune('A' + k))
	}
	return letters(k/26-1) + string(rune('A'+k%26))
}

func nearest[T any](items []T, v vec, at func(T) vec) int {
	best, bestD := 0, math.Inf(1)
	for i, it := range items {
		if d := at(it).dist2(v); d < bestD {
			best, bestD = i, d
		}
	}
	return best
}
