package synth

import (
	"fmt"
	"iter"
	"math"
	"math/rand/v2"
	"time"

	"github.com/paulmach/orb"

	"github.com/leicester-csp/hotspot/geo"
	"github.com/leicester-csp/hotspot/geo/osgb"
)

// PartnerOptions shape a synthetic local source (DESIGN.md, "Partner
// records"): records placed where the city's police.uk incidents are,
// peaking at night and at weekends, with flags, premises and repeat
// offenders.
type PartnerOptions struct {
	Seed   uint64
	From   geo.Month // zero: 2024-01
	Months int       // zero: 12
	Rows   int
	// Premises is the size of the premises register; zero: 200.
	Premises int
}

// PartnerRecord is one synthetic partner record as an export holds it:
// a British National Grid point, a local wall-clock time and an offender
// reference (not yet a pseudonym).
type PartnerRecord struct {
	ID                 string
	Occurred           time.Time // in geo.London
	Easting, Northing  float64
	HasLocation        bool
	Category, Location string
	Flags              geo.Flags
	Premises           string
	OffenderRef        string
}

// Local categories and the flags each tends to carry, with their odds.
var partnerCats = []struct {
	name  string
	flags []flagOdds
}{
	{"Street drinking", []flagOdds{{geo.StreetLifestyle, 0.8}, {geo.Homelessness, 0.2}}},
	{"Begging", []flagOdds{{geo.StreetLifestyle, 0.6}, {geo.Homelessness, 0.5}}},
	{"Rough sleeping", []flagOdds{{geo.Homelessness, 0.95}}},
	{"Noise nuisance", nil},
	{"Violence against the person", []flagOdds{{geo.VAWG, 0.3}, {geo.DomesticAbuse, 0.15}, {geo.Knife, 0.06}}},
	{"Shop theft", []flagOdds{{geo.CYP, 0.1}}},
	{"Drug dealing", []flagOdds{{geo.CYP, 0.08}, {geo.Knife, 0.04}}},
	{"Harassment", []flagOdds{{geo.VAWG, 0.4}, {geo.Prevent, 0.01}}},
}

type flagOdds struct {
	f geo.Flag
	p float64
}

// nightWeights is the share of records by local hour: a night-time peak
// from 20:00 to 03:00 over a daytime base.
var nightWeights = [24]float64{6, 5, 4, 2, 1, 1, 1, 1, 2, 2, 2, 3, 3, 3, 3, 3, 3, 4, 4, 5, 7, 8, 9, 8}

// dayWeights is the share by weekday, Monday first: Friday and Saturday
// nights are busiest.
var dayWeights = [7]float64{1, 1, 1, 1.2, 1.8, 2, 1.2}

// PartnerRecords streams opt.Rows synthetic partner records in month
// order; they depend only on the city's seed and opt. Every ID starts
// "SYN-" so that no synthetic record passes for a real one.
func (c *City) PartnerRecords(opt PartnerOptions) iter.Seq[PartnerRecord] {
	opt = opt.withDefaults()
	return partnerRecords(c.Incidents(Options{Seed: opt.Seed ^ 0x55, From: opt.From, Months: opt.Months, Rows: opt.Rows}), opt)
}

// partnerRecords dresses a stream of police.uk-like incidents as partner
// records: each record lies near its incident's map point, in its month,
// with a local category, flags, a night-time hour, and now and then a
// premises and an offender reference, both drawn so that a few repeat
// often. Whichever layout placed the incidents (city or nation), the
// rest is the same.
func partnerRecords(incs iter.Seq[geo.Incident], opt PartnerOptions) iter.Seq[PartnerRecord] {
	return func(yield func(PartnerRecord) bool) {
		r := rand.New(rand.NewPCG(opt.Seed, 0x9a47))
		pool := max(opt.Rows/8, 1) // offenders: a few prolific, most once
		n := 0
		for inc := range incs {
			rec := PartnerRecord{ID: fmt.Sprintf("SYN-%07d", n+1)}
			n++
			cat := partnerCats[r.IntN(len(partnerCats))]
			rec.Category = cat.name
			for _, fo := range cat.flags {
				if r.Float64() < fo.p {
					rec.Flags = rec.Flags.With(fo.f)
				}
			}
			rec.Occurred = occurredIn(r, inc.Month)
			if inc.HasLocation {
				// Partners record where it happened, not police.uk's
				// snapped point: within about 40 m of it.
				p := orb.Point{inc.Point[0] + (r.Float64()-0.5)*0.001, inc.Point[1] + (r.Float64()-0.5)*0.0006}
				rec.Easting, rec.Northing = toGrid(p)
				rec.HasLocation = true
				rec.Location = "Synthetic: " + inc.Location
			}
			if r.Float64() < 0.3 {
				rec.Premises = fmt.Sprintf("SYN-P%04d", zipf(r, opt.Premises))
			}
			if r.Float64() < 0.4 {
				rec.OffenderRef = fmt.Sprintf("SYN-OFF-%05d", zipf(r, pool))
			}
			if !yield(rec) {
				return
			}
		}
	}
}

func (o PartnerOptions) withDefaults() PartnerOptions {
	if o.From == 0 {
		o.From = geo.NewMonth(2024, 1)
	}
	if o.Months == 0 {
		o.Months = 12
	}
	if o.Premises == 0 {
		o.Premises = 200
	}
	return o
}

// occurredIn draws a local time in month m with the night and weekend
// peaks: a day by weekday weight, an hour by night weight.
func occurredIn(r *rand.Rand, m geo.Month) time.Time {
	y, mo := m.Year(), time.Month(m.Num())
	days := time.Date(y, mo+1, 0, 12, 0, 0, 0, time.UTC).Day()
	for {
		d := 1 + r.IntN(days)
		wd := (int(time.Date(y, mo, d, 12, 0, 0, 0, time.UTC).Weekday()) + 6) % 7
		h := pick(r, nightWeights[:])
		if r.Float64()*2 > dayWeights[wd] {
			continue
		}
		return time.Date(y, mo, d, h, r.IntN(60), 0, 0, geo.London)
	}
}

func pick(r *rand.Rand, w []float64) int {
	total := 0.0
	for _, x := range w {
		total += x
	}
	x := r.Float64() * total
	for i, v := range w {
		if x -= v; x < 0 {
			return i
		}
	}
	return len(w) - 1
}

// zipf draws 1…n, small numbers far more often: repeat premises and
// prolific offenders.
func zipf(r *rand.Rand, n int) int {
	return 1 + int(float64(n)*math.Pow(r.Float64(), 3))%n
}

// toGrid is the inverse of osgb.ToWGS84 by Newton's method: a few steps
// from a rough start bring it well under a millimetre.
func toGrid(p orb.Point) (e, n float64) {
	e, n = 458000+(p[0]+1.13)*67800, 304000+(p[1]-52.63)*111200
	for range 6 {
		lon, lat, err := osgb.ToWGS84(e, n)
		if err != nil {
			return e, n
		}
		lon2, _, _ := osgb.ToWGS84(e+1, n)
		_, lat2, _ := osgb.ToWGS84(e, n+1)
		e += (p[0] - lon) / (lon2 - lon)
		n += (p[1] - lat) / (lat2 - lat)
	}
	return e, n
}
