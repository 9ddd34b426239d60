package hex

import "math"

// AvgEdgeKm returns H3's published average hexagon edge length at res
// (h3geo.org, "Tables of cell statistics across resolutions"); 0 for a
// resolution H3 does not have. A hexagon is √3 edges across its flats and
// two edges across its corners.
func AvgEdgeKm(res int) float64 {
	edges := [...]float64{
		1281.256011, 483.0568391, 182.5129565, 68.97922179, 26.07175968,
		9.854090990, 3.724532667, 1.406475763, 0.531414010, 0.200786148,
		0.075863783, 0.028663897, 0.010830188, 0.004092010, 0.001546100,
		0.000584169,
	}
	if res < 0 || res >= len(edges) {
		return 0
	}
	return edges[res]
}

// Reach returns how far, in degrees of longitude and latitude, a cell's
// outline can reach beyond its centre at res near latitude lat: twice
// H3's average edge, since the largest hexagons' circumradius is well
// under that. Tiles use it to skip cells without computing their
// outlines (a cgo call each).
func Reach(res int, lat float64) (dLon, dLat float64) {
	const kmPerDegLat = 111.32
	km := 2 * AvgEdgeKm(res)
	if km == 0 {
		km = 2 * AvgEdgeKm(0)
	}
	dLat = km / kmPerDegLat
	// Near the poles a degree of longitude shrinks to nothing; the floor
	// only makes the filter looser there.
	dLon = km / (kmPerDegLat * math.Max(math.Cos((math.Abs(lat)+dLat)*math.Pi/180), 0.01))
	return dLon, dLat
}
