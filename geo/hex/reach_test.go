package hex

import (
	"math"
	"testing"

	"github.com/paulmach/orb"
	orbgeo "github.com/paulmach/orb/geo"
)

var clockTower = orb.Point{-1.1305, 52.6341}

// The edge table drives the prefilter margin and the zoom table's
// reasoning; check it against real cells.
func TestAvgEdgeKm(t *testing.T) {
	for res := 0; res <= 15; res++ {
		poly := Polygon(CellAt(clockTower, res))
		r := poly[0]
		var sum float64
		for i := 0; i+1 < len(r); i++ {
			sum += orbgeo.Distance(r[i], r[i+1])
		}
		measured := sum / float64(len(r)-1) / 1000
		if ratio := measured / AvgEdgeKm(res); ratio < 0.7 || ratio > 1.3 {
			t.Errorf("res %d: Leicester cell edge %.6f km vs table %.6f km", res, measured, AvgEdgeKm(res))
		}
		// The prefilter's margin must reach every vertex.
		dLon, dLat := Reach(res, clockTower[1])
		c := Center(CellAt(clockTower, res))
		for _, p := range r {
			if math.Abs(p[0]-c[0]) > dLon || math.Abs(p[1]-c[1]) > dLat {
				t.Errorf("res %d: vertex %v beyond margin %v,%v of centre %v", res, p, dLon, dLat, c)
			}
		}
	}
	if AvgEdgeKm(-1) != 0 || AvgEdgeKm(16) != 0 {
		t.Error("resolutions H3 lacks must have no edge length")
	}
}
