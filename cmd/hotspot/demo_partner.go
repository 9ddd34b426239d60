package main

import (
	"context"
	"iter"

	"github.com/paulmach/orb"

	"github.com/leicester-csp/hotspot/geo"
	"github.com/leicester-csp/hotspot/geo/ingest"
	"github.com/leicester-csp/hotspot/geo/osgb"
	"github.com/leicester-csp/hotspot/geo/partner"
	"github.com/leicester-csp/hotspot/internal/synth"
)

// The demo's local source: a synthetic council ASB log over the demo's
// last year, with its premises register.
const (
	demoSource      = "council"
	demoPartnerRows = 12_000
	demoKey         = "synthetic-demo-key"
)

// loadDemoPartner loads the demo's local source as `hotspot ingest
// --source` would load the generated files: grid points converted,
// offender references pseudonymised.
func loadDemoPartner(ctx context.Context, st geo.Store, city *synth.City) error {
	opt := synth.PartnerOptions{Seed: demoSeed, From: geo.NewMonth(2024, 1), Months: 12, Rows: demoPartnerRows}
	ps, err := partner.NewPseudonymiser([]byte(demoKey))
	if err != nil {
		return err
	}
	recs := func(yield func(geo.Incident) bool) {
		for rec := range city.PartnerRecords(opt) {
			inc := geo.Incident{ID: rec.ID, Month: geo.NewMonth(rec.Occurred.Year(), int(rec.Occurred.Month())), Category: rec.Category,
				Location: rec.Location, Source: demoSource, Occurred: rec.Occurred, Flags: rec.Flags, Premises: rec.Premises}
			if rec.OffenderRef != "" {
				inc.Offender = ps.Pseudonym(rec.OffenderRef)
			}
			if rec.HasLocation {
				lon, lat, err := osgb.ToWGS84(rec.Easting, rec.Northing)
				inc.HasLocation, inc.Point = err == nil, orb.Point{lon, lat}
			}
			if !yield(inc) {
				return
			}
		}
	}
	_, err = st.Import(ctx, geo.ImportInput{Rows: ingest.Incidents(ctx, iter.Seq[geo.Incident](recs)), Premises: city.PremisesRegister(opt), Synthetic: true})
	return err
}
