package analysis

import (
	"math"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"
)

// EarthRadius is the mean radius (IUGG) in metres that distances to a
// target area are measured with (DESIGN.md).
const EarthRadius = 6371008.8

// bufferZone answers whether a point lies within a distance of an
// area's boundary, on an equirectangular projection centred at the
// area's centroid: at a city's scale it is within a fraction of a metre
// of the great-circle distance, and exact to reproduce.
type bufferZone struct {
	lon0, lat0, kx, ky float64
	segs               [][4]float64 // projected edges: x1, y1, x2, y2
	lo, hi             orb.Point    // projected bound, grown by the buffer
	buffer             float64
}

func newBufferZone(area orb.MultiPolygon, buffer float64) *bufferZone {
	c, _ := planar.CentroidArea(area)
	rad := math.Pi / 180
	b := &bufferZone{lon0: c[0], lat0: c[1], kx: EarthRadius * rad * math.Cos(c[1]*rad), ky: EarthRadius * rad, buffer: buffer}
	b.lo = orb.Point{math.Inf(1), math.Inf(1)}
	b.hi = orb.Point{math.Inf(-1), math.Inf(-1)}
	for _, poly := range area {
		for _, ring := range poly {
			for i := 0; i+1 < len(ring); i++ {
				p, q := b.project(ring[i]), b.project(ring[i+1])
				b.segs = append(b.segs, [4]float64{p[0], p[1], q[0], q[1]})
				b.lo = orb.Point{min(b.lo[0], p[0]), min(b.lo[1], p[1])}
				b.hi = orb.Point{max(b.hi[0], p[0]), max(b.hi[1], p[1])}
			}
		}
	}
	b.lo = orb.Point{b.lo[0] - buffer, b.lo[1] - buffer}
	b.hi = orb.Point{b.hi[0] + buffer, b.hi[1] + buffer}
	return b
}

// project maps a longitude/latitude to metres east and north of the
// centroid.
func (b *bufferZone) project(p orb.Point) orb.Point {
	return orb.Point{(p[0] - b.lon0) * b.kx, (p[1] - b.lat0) * b.ky}
}

// bound is the longitude/latitude box that holds the buffer.
func (b *bufferZone) bound() orb.Bound {
	return orb.Bound{Min: orb.Point{b.lon0 + b.lo[0]/b.kx, b.lat0 + b.lo[1]/b.ky}, Max: orb.Point{b.lon0 + b.hi[0]/b.kx, b.lat0 + b.hi[1]/b.ky}}.Pad(1e-9)
}

// near reports whether p (known to lie outside the area) is within the
// buffer.
func (b *bufferZone) near(p orb.Point) bool {
	x := b.project(p)
	if x[0] < b.lo[0] || x[0] > b.hi[0] || x[1] < b.lo[1] || x[1] > b.hi[1] {
		return false
	}
	for _, s := range b.segs {
		if segmentDistance(x, s) <= b.buffer {
			return true
		}
	}
	return false
}

func segmentDistance(p orb.Point, s [4]float64) float64 {
	dx, dy := s[2]-s[0], s[3]-s[1]
	t := 0.0
	if l := dx*dx + dy*dy; l > 0 {
		t = math.Max(0, math.Min(1, ((p[0]-s[0])*dx+(p[1]-s[1])*dy)/l))
	}
	return math.Hypot(p[0]-(s[0]+t*dx), p[1]-(s[1]+t*dy))
}
