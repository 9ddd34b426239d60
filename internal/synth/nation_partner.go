package synth

import (
	"iter"
	"strings"

	"github.com/paulmach/orb"

	"github.com/leicester-csp/hotspot/geo"
)

// Partner records at national scale: the city's generator on the
// national layout. Records are placed where the nation's police.uk rows
// would be (the same category samplers, so the same concentration in
// town centres), then dressed as the city's are: night-time peak,
// flags, premises and repeat offenders. The register has 200 premises
// per force unless opt.Premises says otherwise.

// nationPremisesPerForce is the register's default size per force.
const nationPremisesPerForce = 200

func (n *Nation) partnerDefaults(opt PartnerOptions) PartnerOptions {
	if opt.Premises == 0 {
		opt.Premises = nationPremisesPerForce * len(n.Forces)
	}
	return opt.withDefaults()
}

// PartnerRecords streams opt.Rows synthetic partner records over the
// nation in month order; they depend only on the nation's seed and opt.
func (n *Nation) PartnerRecords(opt PartnerOptions) iter.Seq[PartnerRecord] {
	opt = n.partnerDefaults(opt)
	return partnerRecords(n.places(Options{Seed: opt.Seed ^ 0x55, From: opt.From, Months: opt.Months, Rows: opt.Rows}), opt)
}

// PremisesRegister returns the register the records' premises ids name,
// placed at the nation's map points.
func (n *Nation) PremisesRegister(opt PartnerOptions) []geo.Premises {
	opt = n.partnerDefaults(opt)
	return premisesAt(opt, len(n.points), func(i int) (orb.Point, string) { return n.points[i].pt, n.points[i].location() })
}

// WritePartner writes a synthetic local source over the nation: its
// export, mapping file and register, as City.WritePartner does.
func (n *Nation) WritePartner(dir, source string, opt PartnerOptions) (PartnerFiles, error) {
	opt = n.partnerDefaults(opt)
	return writePartner(dir, source, n.PartnerRecords(opt), n.PremisesRegister(opt))
}

// places streams the month, map point and location of the rows
// WriteCSVs would write for opt: what partner records are placed by.
func (n *Nation) places(opt Options) iter.Seq[geo.Incident] {
	return func(yield func(geo.Incident) bool) {
		p := newPlan(n.seed, &n.catPoints, opt)
		for i := range p.counts {
			ok := p.month(i, func(rw *row) bool {
				inc := geo.Incident{Month: rw.month, Location: "No Location"}
				if rw.point >= 0 {
					pt := &n.points[rw.point]
					inc.HasLocation, inc.Point, inc.Location = true, pt.pt, pt.location()
				}
				return yield(inc)
			})
			if !ok {
				return
			}
		}
	}
}

// location is the point's Location text, the third field of its CSV
// columns (longitude, latitude, location, …; never quoted, as no
// location holds a comma).
func (p *natPoint) location() string {
	f := strings.SplitN(p.csv, ",", 4)
	if len(f) < 3 {
		return ""
	}
	return f[2]
}
