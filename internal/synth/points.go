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

// placePoints places the city's map points (places near the clusters and
// around the city, streets everywhere), then names them and groups them
// into LSOAs.
func (c *City) placePoints(r *rand.Rand, radius func(float64) float64) {
	pl := &placer{c: c, r: r, grid: make(map[[2]int][]vec)}
	pl.placeCityPlaces()
	pl.placeCityStreets()
	pl.placeOutside(radius)
	c.namePoints(r)
	c.placeLSOAs(r)
	for i := range c.points {
		p := &c.points[i]
		l := c.lsoas[p.lsoa]
		p.csv = csvField(p.lon) + "," + csvField(p.lat) + "," + csvField(p.location) + "," +
			csvField(l.code) + "," + csvField(l.name)
	}
}

// placer adds map points to a City, keeping them apart.
type placer struct {
	c *City
	r *rand.Rand
	// grid holds the points placed so far by gridCell, to find close ones.
	grid map[[2]int][]vec
}

// Police map points are distinct places; two closer than minGap km would
// read as one on the map.
const minGap = 0.015

// gridCell is the 100 m square of placer.grid that holds v.
func gridCell(v vec) [2]int { return [2]int{int(math.Floor(v.x / 0.1)), int(math.Floor(v.y / 0.1))} }

// tooClose reports whether a point already placed lies within minGap of v.
func (pl *placer) tooClose(v vec) bool {
	g := gridCell(v)
	for dx := -1; dx <= 1; dx++ {
		for dy := -1; dy <= 1; dy++ {
			for _, u := range pl.grid[[2]int{g[0] + dx, g[1] + dy}] {
				if u.dist2(v) < minGap*minGap {
					return true
				}
			}
		}
	}
	return false
}

// add places a point of kind k at v and reports true, unless v is on the
// wrong side of the city boundary (inside says which side is right) or too
// close to a point already placed.
func (pl *placer) add(v vec, k kind, inside bool) bool {
	p := v.lonLat(1e6)
	if pl.c.inCity(p) != inside || pl.tooClose(v) {
		return false
	}
	pl.grid[gridCell(v)] = append(pl.grid[gridCell(v)], v)
	pl.c.points = append(pl.c.points, mapPoint{km: v, pt: p, kind: k})
	return true
}

// gauss draws a point normally distributed about centre.
func (pl *placer) gauss(centre vec, sigma float64) vec {
	return centre.add(vec{pl.r.NormFloat64() * sigma, pl.r.NormFloat64() * sigma})
}

// uniformInCity draws a point uniformly from a square holding the city;
// add refuses those that fall outside.
func (pl *placer) uniformInCity() vec {
	return vec{(2*pl.r.Float64() - 1) * 5, (2*pl.r.Float64() - 1) * 5}
}

// placeCityPlaces places the public places in the city: first those that
// make the clusters, then the ones spread over the city. Places come before
// streets, so that streets fill in around them.
func (pl *placer) placeCityPlaces() {
	type place struct {
		cluster int
		kind    kind
		n       int
	}
	for _, p := range []place{
		{clNightCore, nightclub, 8}, {clNightCore, parking, 3}, {clNightCore, busStation, 1},
		{clNightCore, theatre, 1}, {clNightCore, policeStation, 1},
		{clShopCentre, shopping, 6}, {clShopCentre, supermarket, 2},
		{clNightDistrict, nightclub, 3},
		{clPark, park, 5}, {clPark, sports, 2},
		{clDistrict, shopping, 3}, {clDistrict, supermarket, 1}, {clDistrict, parking, 1},
		{clRetailPark, shopping, 3}, {clRetailPark, supermarket, 2}, {clRetailPark, parking, 2},
		{clRetailPark, petrol, 1},
	} {
		for placed := 0; placed < p.n; {
			if pl.add(pl.gauss(pl.c.centres[p.cluster], 0.4*clusterSigma[p.cluster]), p.kind, true) {
				placed++
			}
		}
	}
	for _, p := range []struct {
		kind kind
		n    int
	}{{supermarket, 10}, {petrol, 6}, {hospital, 1}, {education, 2}, {sports, 4}, {park, 3}} {
		for placed := 0; placed < p.n; {
			if pl.add(pl.uniformInCity(), p.kind, true) {
				placed++
			}
		}
	}
}

// placeCityStreets places the city's street points, denser towards the
// centre, as in any town.
func (pl *placer) placeCityStreets() {
	for placed := 0; placed < cityStreetPoints; {
		v := pl.uniformInCity()
		if pl.r.Float64() < 0.45 {
			v = pl.gauss(vec{}, 1.1)
		}
		if pl.add(v, street, true) {
			placed++
		}
	}
}

// placeOutside places the points outside the city: small towns and
// villages along the roads, with a few shops.
func (pl *placer) placeOutside(radius func(float64) float64) {
	r := pl.r
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
		for !pl.add(pl.gauss(towns[i%len(towns)].at, 0.3), k, false) {
		}
	}
	for placed := 0; placed < outsideStreetPoints; {
		v := ring()
		if r.Float64() < 0.6 {
			t := towns[r.IntN(len(towns))]
			v = pl.gauss(t.at, t.sigma)
		}
		if pl.add(v, street, false) {
			placed++
		}
	}
}

// namePoints sets each point's ward, its coordinates as written to CSV and
// its location: the kind of place, or an invented street name.
func (c *City) namePoints(r *rand.Rand) {
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
}

// lsoaGroup is the points of the city, or of the districts around it, to
// be grouped into nLSOA LSOAs.
type lsoaGroup struct {
	outside bool
	points  []int
	nLSOA   int
}

// lsoaDraft is an LSOA being formed: its seed, its member points (indices
// in City.points) and, once its MSOA is numbered, its name.
type lsoaDraft struct {
	name  string
	seed  vec
	point []int // members
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
	// About 1,600 residents per LSOA, as in England.
	in, out := lsoaGroup{nLSOA: pop / 1600}, lsoaGroup{outside: true, nLSOA: 45}
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

	var all []*lsoaDraft
	for _, g := range []lsoaGroup{in, out} {
		ls := c.draftLSOAs(r, g)
		district := func(seed vec) string { return c.Name }
		if g.outside {
			district = sector
		}
		nameLSOAs(ls, district)
		all = append(all, ls...)
	}
	slices.SortFunc(all, func(a, b *lsoaDraft) int { return cmp.Compare(a.name, b.name) })
	c.lsoas = make([]lsoa, len(all))
	for i, l := range all {
		c.lsoas[i] = lsoa{code: fmt.Sprintf("S01%06d", i+1), name: l.name}
		for _, k := range l.point {
			c.points[k].lsoa = i
		}
	}
}

// draftLSOAs seeds the group's LSOAs at randomly chosen points of it and
// gives each point to the LSOA with the nearest seed.
func (c *City) draftLSOAs(r *rand.Rand, g lsoaGroup) []*lsoaDraft {
	seedIdx := slices.Clone(g.points)
	r.Shuffle(len(seedIdx), func(i, j int) { seedIdx[i], seedIdx[j] = seedIdx[j], seedIdx[i] })
	seedIdx = seedIdx[:g.nLSOA]
	ls := make([]*lsoaDraft, len(seedIdx))
	for i, k := range seedIdx {
		ls[i] = &lsoaDraft{seed: c.points[k].km}
	}
	for _, k := range g.points {
		l := ls[nearest(ls, c.points[k].km, lsoaSeed)]
		l.point = append(l.point, k)
	}
	return ls
}

func lsoaSeed(l *lsoaDraft) vec { return l.seed }

// nameLSOAs groups the LSOAs into MSOAs of about five LSOAs each, numbered
// north to south within their district as ONS numbers them (district
// names the district of an MSOA's seed), and names each LSOA after its
// MSOA with a letter, west to east.
func nameLSOAs(ls []*lsoaDraft, district func(seed vec) string) {
	msoas := ls[:max(1, len(ls)/5)]
	members := make([][]*lsoaDraft, len(msoas))
	for _, l := range ls {
		m := nearest(msoas, l.seed, lsoaSeed)
		members[m] = append(members[m], l)
	}
	type msoa struct {
		district string
		seed     vec
		lsoas    []*lsoaDraft
	}
	var ms []msoa
	for i, m := range msoas {
		ms = append(ms, msoa{district(m.seed), m.seed, members[i]})
	}
	slices.SortFunc(ms, func(a, b msoa) int {
		return cmp.Or(cmp.Compare(a.district, b.district), cmp.Compare(b.seed.y, a.seed.y), cmp.Compare(a.seed.x, b.seed.x))
	})
	num := map[string]int{}
	for _, m := range ms {
		num[m.district]++
		slices.SortFunc(m.lsoas, func(a, b *lsoaDraft) int { return cmp.Compare(a.seed.x, b.seed.x) })
		for k, l := range m.lsoas {
			l.name = fmt.Sprintf("%s %03d%s", m.district, num[m.district], letters(k))
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
