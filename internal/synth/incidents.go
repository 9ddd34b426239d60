package synth

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"iter"
	"math"
	"math/rand/v2"
	"strings"

	"github.com/leicester-csp/hotspot/geo"
)

// DefaultForce is the force named in "Reported by" and "Falls within" when
// Options leaves it empty.
const DefaultForce = "Synthetic Constabulary"

// Options for generating incidents.
type Options struct {
	Seed uint64
	// From is the first month; zero means 2024-01.
	From geo.Month
	// Months is the number of months; zero means 12.
	Months int
	// Rows is the total number of rows over all months.
	Rows int
	// Force is "Reported by" and "Falls within"; empty means DefaultForce.
	Force string
}

func (o Options) withDefaults() Options {
	if o.From == 0 {
		o.From = geo.NewMonth(2024, 1)
	}
	if o.Months == 0 {
		o.Months = 12
	}
	// The policeuk reader trims fields, and derived ASB IDs hash what it
	// reads.
	o.Force = strings.TrimSpace(o.Force)
	if o.Force == "" {
		o.Force = DefaultForce
	}
	return o
}

// noLocation is the share of rows without coordinates; police.uk never
// leaves an ASB row without a location, so the others carry it all.
const noLocation = 0.032

var pNoLocation = noLocation / (1 - catShare[catASB]/100)

var outcomes = []string{
	"Investigation complete; no suspect identified",       // 0
	"Unable to prosecute suspect",                         // 1
	"Court result unavailable",                            // 2
	"Local resolution",                                    // 3
	"Status update unavailable",                           // 4
	"Action to be taken by another organisation",          // 5
	"Awaiting court outcome",                              // 6
	"Formal action is not in the public interest",         // 7
	"Further action is not in the public interest",        // 8
	"Offender given a caution",                            // 9
	"Further investigation is not in the public interest", // 10
	"Suspect charged as part of another case",             // 11
	"Offender given penalty notice",                       // 12
	"Under investigation",                                 // 13
}

const underInvestigation = 13

// outcomeWeights give each category the outcomes its cases usually end in:
// thefts mostly without a suspect, violence mostly unable to prosecute,
// drugs and weapons through the courts or out of court.
var outcomeWeights = [numCats][]float64{
	catViolence:    {15, 50, 8, 3, 3, 4, 4, 3, 2, 1, 1, 0, 0},
	catPublicOrder: {30, 40, 6, 5, 3, 3, 3, 3, 2, 1, 1, 0, 0},
	catDamage:      {60, 20, 4, 5, 3, 2, 1, 2, 1, 1, 1, 0, 0},
	catOtherTheft:  {75, 12, 4, 2, 3, 1, 1, 0, 0, 0, 1, 0, 0},
	catBicycle:     {80, 8, 3, 2, 3, 1, 1, 0, 0, 0, 1, 0, 0},
	catBurglary:    {75, 12, 4, 1, 3, 1, 2, 0, 0, 0, 1, 1, 0},
	catVehicle:     {82, 8, 3, 1, 3, 1, 1, 0, 0, 0, 1, 0, 0},
	catTheftPerson: {80, 10, 3, 1, 3, 1, 1, 0, 0, 0, 1, 0, 0},
	catShoplifting: {35, 15, 25, 8, 4, 1, 5, 1, 1, 3, 0, 1, 1},
	catDrugs:       {2, 10, 20, 30, 5, 1, 10, 5, 2, 12, 0, 0, 3},
	catWeapons:     {3, 15, 35, 8, 5, 1, 20, 2, 1, 10, 0, 0, 0},
	catRobbery:     {40, 30, 12, 1, 5, 1, 8, 1, 1, 0, 1, 0, 0},
	catOtherCrime:  {30, 30, 15, 2, 5, 10, 5, 1, 1, 0, 1, 0, 0},
}

var outcomeSamplers = func() (a [numCats]alias) {
	for c, w := range outcomeWeights {
		if w != nil {
			a[c] = newAlias(w)
		}
	}
	return a
}()

// underInvestigationShare is the chance that a crime age months before the
// latest month has no outcome yet: police.uk updates outcomes as cases
// close, so the newest months are the most open.
func underInvestigationShare(age int) float64 {
	switch {
	case age == 0:
		return 0.45
	case age == 1:
		return 0.25
	case age == 2:
		return 0.12
	case age < 6:
		return 0.04
	}
	return 0.005
}

// row is one generated incident before it is dressed as an Incident or CSV.
type row struct {
	month   geo.Month
	index   uint64 // within the month: with month, the row's identity
	cat     int
	point   int // -1: no location
	outcome int // -1: none (ASB)
}

// plan is a generation run: the options and the rows per month. It needs
// only a layout's seed and point samplers, so the city and the national
// shape share it.
type plan struct {
	seed      uint64
	catPoints *[numCats]alias
	opt       Options
	counts    []int
	idKey     [16]byte
}

func (c *City) plan(opt Options) *plan { return newPlan(c.seed, &c.catPoints, opt) }

func newPlan(seed uint64, catPoints *[numCats]alias, opt Options) *plan {
	opt = opt.withDefaults()
	p := &plan{seed: seed, catPoints: catPoints, opt: opt, counts: make([]int, max(opt.Months, 0))}
	binary.LittleEndian.PutUint64(p.idKey[:8], seed)
	binary.LittleEndian.PutUint64(p.idKey[8:], opt.Seed)
	if opt.Rows <= 0 || opt.Months <= 0 {
		return p
	}
	// Mild seasonality, peaking in summer as recorded crime does; whole
	// rows are handed out by largest remainder so the total is exact.
	w := make([]float64, opt.Months)
	var sum float64
	for i := range w {
		m := opt.From + geo.Month(i)
		w[i] = 1 + 0.06*math.Cos(2*math.Pi*float64(m.Num()-7)/12)
		sum += w[i]
	}
	rem := make([]float64, opt.Months)
	left := opt.Rows
	for i := range w {
		exact := float64(opt.Rows) * w[i] / sum
		p.counts[i] = int(exact)
		rem[i] = exact - float64(p.counts[i])
		left -= p.counts[i]
	}
	for ; left > 0; left-- {
		best := 0
		for i := range rem {
			if rem[i] > rem[best] {
				best = i
			}
		}
		p.counts[best]++
		rem[best] = -1
	}
	return p
}

// splitmix64 spreads a seed's bits so that nearby seeds give unrelated
// streams.
func splitmix64(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ x>>30) * 0xbf58476d1ce4e5b9
	x = (x ^ x>>27) * 0x94d049bb133111eb
	return x ^ x>>31
}

// month generates the i-th month's rows. Each month has its own random
// stream, so a month's rows do not depend on how many came before.
func (p *plan) month(i int, yield func(*row) bool) bool {
	m := p.opt.From + geo.Month(i)
	r := rand.New(rand.NewPCG(splitmix64(p.seed)^p.opt.Seed, splitmix64(p.opt.Seed^uint64(int64(m)))))

	// ASB is strongly seasonal (long summer evenings); the other
	// categories share what is left.
	w := catShare
	w[catASB] *= 1 + 0.3*math.Cos(2*math.Pi*float64(m.Num()-7)/12)
	cats := newAlias(w[:])
	pUnder := underInvestigationShare(p.opt.Months - 1 - i)

	var rw row
	rw.month = m
	for n := range p.counts[i] {
		rw.index = uint64(n)
		rw.cat = cats.draw(r.Uint64())
		rw.point, rw.outcome = -1, -1
		if rw.cat == catASB || r.Float64() >= pNoLocation {
			rw.point = p.catPoints[rw.cat].draw(r.Uint64())
		}
		if rw.cat != catASB {
			if r.Float64() < pUnder {
				rw.outcome = underInvestigation
			} else {
				rw.outcome = outcomeSamplers[rw.cat].draw(r.Uint64())
			}
		}
		if !yield(&rw) {
			return false
		}
	}
	return true
}

// crimeID is the row's 64-hex-digit Crime ID: a hash of the seeds, the
// month and the row's index, so IDs are stable, unique, and look like
// police.uk's.
func (p *plan) crimeID(dst *[64]byte, rw *row) {
	var b [28]byte
	copy(b[:16], p.idKey[:])
	binary.LittleEndian.PutUint32(b[16:], uint32(rw.month))
	binary.LittleEndian.PutUint64(b[20:], rw.index)
	sum := sha256.Sum256(b[:])
	hex.Encode(dst[:], sum[:])
}

// Incidents streams opt.Rows synthetic incidents in month order, spread
// over the months with mild seasonality. The output depends only on the
// city's seed and opt, and matches what WriteCSVs writes row for row.
// Negative Rows or Months give no incidents.
//
// ASB rows have no Crime ID in police.uk files, so here they carry the ID
// that the policeuk reader derives for them, and loading the demo city or
// ingesting the generated files gives the same incidents.
func (c *City) Incidents(opt Options) iter.Seq[geo.Incident] {
	return func(yield func(geo.Incident) bool) {
		p := c.plan(opt)
		force := p.opt.Force
		// ASB rows at one point in one month are identical, so their
		// derived IDs count them by point.
		seen := make([]uint32, len(c.points))
		var id [64]byte
		var buf []byte
		for i := range p.counts {
			clear(seen)
			month := (p.opt.From + geo.Month(i)).String()
			ok := p.month(i, func(rw *row) bool {
				inc := geo.Incident{
					Month:       rw.month,
					ReportedBy:  force,
					FallsWithin: force,
					Location:    "No Location",
					Category:    geo.Categories[rw.cat],
				}
				if rw.point >= 0 {
					pt := &c.points[rw.point]
					l := &c.lsoas[pt.lsoa]
					inc.HasLocation = true
					inc.Point = pt.pt
					inc.Location = pt.location
					inc.LSOACode, inc.LSOAName = l.code, l.name
				}
				if rw.outcome >= 0 {
					inc.Outcome = outcomes[rw.outcome]
				}
				if rw.cat == catASB {
					buf = derivedID(buf[:0], month, force, &c.points[rw.point], c.lsoas, seen[rw.point])
					seen[rw.point]++
					inc.ID = string(buf)
				} else {
					p.crimeID(&id, rw)
					inc.ID = string(id[:])
				}
				return yield(inc)
			})
			if !ok {
				return
			}
		}
	}
}

// derivedID appends the ID that policeuk gives the n-th ASB row at pt in a
// file (see the policeuk package doc): a hash of the twelve fields, each
// length-prefixed, and of n.
func derivedID(dst []byte, month, force string, pt *mapPoint, lsoas []lsoa, n uint32) []byte {
	l := &lsoas[pt.lsoa]
	var b []byte
	for _, f := range [12]string{"", month, force, force, pt.lon, pt.lat, pt.location, l.code, l.name, geo.Categories[catASB], "", ""} {
		b = binary.AppendUvarint(b, uint64(len(f)))
		b = append(b, f...)
	}
	b = binary.AppendUvarint(b, uint64(n))
	sum := sha256.Sum256(b)
	dst = append(dst, "asb-"...)
	return hex.AppendEncode(dst, sum[:16])
}
