package synth

import (
	"math"
	"testing"

	"github.com/leicester-csp/hotspot/geo"
	"github.com/leicester-csp/hotspot/geo/osgb"
)

// National partner records: the city's mix (night-time peak, flags,
// premises, repeat offenders) spread over the nation's forces, in grid
// coordinates that convert back into the national layout.
func TestNationPartnerRecords(t *testing.T) {
	n := nation(t, 3)
	opt := PartnerOptions{Seed: 3, From: geo.NewMonth(2024, 1), Months: 2, Rows: 4000}
	lo, hi := natBox()
	minLon, maxLon := natLonLat(lo, 1e6)[0], natLonLat(hi, 1e6)[0]
	var count, night, flagged, located int
	offenders, premises := map[string]int{}, map[string]int{}
	west, east := math.Inf(1), math.Inf(-1)
	for rec := range n.PartnerRecords(opt) {
		count++
		if h := rec.Occurred.Hour(); h >= 20 || h < 4 {
			night++
		}
		if rec.Flags != 0 {
			flagged++
		}
		offenders[rec.OffenderRef]++
		premises[rec.Premises]++
		if rec.ID[:4] != "SYN-" || rec.Occurred.Location() != geo.London {
			t.Fatalf("record %+v", rec)
		}
		if !rec.HasLocation {
			continue
		}
		located++
		lon, lat, err := osgb.ToWGS84(rec.Easting, rec.Northing)
		if err != nil || lon < minLon-0.01 || lon > maxLon+0.01 || lat < 49.9 || lat > 56 {
			t.Fatalf("record %s at %.1f %.1f → %v %v (%v): outside the nation", rec.ID, rec.Easting, rec.Northing, lon, lat, err)
		}
		west, east = min(west, lon), max(east, lon)
	}
	delete(offenders, "")
	delete(premises, "")
	most := 0
	for _, c := range offenders {
		most = max(most, c)
	}
	if count != opt.Rows || night < count*2/5 || flagged == 0 || located < count*9/10 {
		t.Errorf("%d records, %d at night, %d flagged, %d located", count, night, flagged, located)
	}
	// The nation is about 7.5° of longitude wide; a city is a tenth of one.
	if east-west < 3 {
		t.Errorf("records span longitudes %.2f…%.2f: not national", west, east)
	}
	if most < 3 || len(offenders) < 100 || len(premises) < 100 {
		t.Errorf("%d offenders (the most prolific %d records), %d premises named: want repeats among many", len(offenders), most, len(premises))
	}
	reg := n.PremisesRegister(opt)
	if len(reg) != nationPremisesPerForce*len(n.Forces) || reg[0].ID != "SYN-P0001" || !reg[0].HasLocation {
		t.Errorf("register of %d, first %+v", len(reg), reg[0])
	}
	for id := range premises {
		if id > reg[len(reg)-1].ID && len(id) == len(reg[len(reg)-1].ID) {
			t.Errorf("record names premises %s, beyond the register", id)
		}
	}
}
