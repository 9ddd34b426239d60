package synth

import (
	"math"
	"testing"

	"github.com/paulmach/orb"

	"github.com/leicester-csp/hotspot/geo"
	"github.com/leicester-csp/hotspot/geo/osgb"
)

func TestToGridRoundTrip(t *testing.T) {
	for _, p := range []orb.Point{{-1.1332, 52.6345}, {-1.9, 52.48}, {0.1, 51.5}, {-5.6, 50.1}, {1.7, 52.7}, {-3.2, 55.8}} {
		e, n := toGrid(p)
		lon, lat, err := osgb.ToWGS84(e, n)
		if err != nil || math.Abs(lon-p[0]) > 1e-8 || math.Abs(lat-p[1]) > 1e-8 {
			t.Errorf("%v → %.2f %.2f → %v %v, %v", p, e, n, lon, lat, err)
		}
	}
}

// The records are reproducible, synthetic by their ids, and peak at
// night: most fall between 20:00 and 03:59.
func TestPartnerRecords(t *testing.T) {
	c := NewCity(7)
	opt := PartnerOptions{Seed: 7, From: geo.NewMonth(2024, 1), Months: 3, Rows: 3000}
	var n, night, flagged, offenders int
	first := ""
	for rec := range c.PartnerRecords(opt) {
		if n == 0 {
			first = rec.ID + rec.Occurred.String()
		}
		n++
		if h := rec.Occurred.Hour(); h >= 20 || h < 4 {
			night++
		}
		if rec.Flags != 0 {
			flagged++
		}
		if rec.OffenderRef != "" {
			offenders++
		}
		if rec.ID[:4] != "SYN-" || rec.Occurred.Location() != geo.London {
			t.Fatalf("record %+v", rec)
		}
	}
	for rec := range c.PartnerRecords(opt) {
		if rec.ID+rec.Occurred.String() != first {
			t.Errorf("not reproducible: %s vs %s", rec.ID+rec.Occurred.String(), first)
		}
		break
	}
	if n != 3000 || night < n*2/5 || flagged == 0 || offenders < n/4 {
		t.Errorf("%d records, %d at night, %d flagged, %d with offenders", n, night, flagged, offenders)
	}
}
