package tiles

import (
	"fmt"
	"math"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/maptile"

	"github.com/leicester-csp/hotspot/geo"
)

// Zoom levels served. Above MaxZoom a hexagon of the finest served
// resolution already spans most of a tile, so deeper tiles would only
// repeat the same cells; clients overzoom instead.
const (
	MinZoom = 0
	MaxZoom = 18
)

// avgEdgeKm returns H3's published average hexagon edge length at res
// (h3geo.org, "Tables of cell statistics across resolutions"); 0 for a
// resolution H3 does not have. A hexagon is √3 edges across its flats and
// two edges across its corners.
func avgEdgeKm(res int) float64 {
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

// ResForZoom returns the H3 resolution a hex tile at zoom z uses when the
// request does not name one.
//
// At Leicester (52.6° N) a 512-px tile at zoom z shows 47.5/2^z km per
// pixel, so a hexagon √3·edge across measures, at the first zoom that
// uses it:
//
//	res 10 (edge  76 m, 131 m across) at z13:  5.8 m/px → 23 px
//	res  9 (edge 201 m, 348 m across) at z12: 11.6 m/px → 30 px
//	res  8 (edge 531 m, 920 m across) at z10: 46.4 m/px → 20 px
//	res  7 (edge 1.41 km, 2.44 km)    at z9:  92.8 m/px → 26 px
//	res  6 (edge 3.72 km, 6.45 km)    at z8:   186 m/px → 35 px
//
// Each is the finest resolution that stays about 20 px across, which is
// still 10 px when a client draws tiles at 256 px; one resolution finer
// would be only 10–15 px (res 10 at z12 is 11 px, res 9 at z11 15 px,
// res 8 at z9 10 px, res 7 at z8 13 px), and half that at 256 px. Zooms
// outside MinZoom–MaxZoom take the nearest end's resolution.
func ResForZoom(z int) int {
	switch {
	case z >= 13:
		return 10
	case z == 12:
		return 9
	case z >= 10:
		return 8
	case z == 9:
		return 7
	default:
		return 6
	}
}

// QueryBound returns the longitude/latitude bound of the tile grown by the
// buffer: what to ask the store for so that every feature the tile draws,
// buffer included, is in the answer. Longitudes are kept within ±180 so
// that stores need no wrap-around.
func QueryBound(t maptile.Tile, opt Options) orb.Bound {
	opt = opt.withDefaults()
	b := t.Bound(float64(opt.Buffer) / float64(opt.Extent))
	b.Min[0] = math.Max(b.Min[0], -180)
	b.Max[0] = math.Min(b.Max[0], 180)
	return b
}

// checkTile rejects tiles outside the served pyramid, so that a caller's
// bad z/x/y is an error rather than a tile of the wrong place.
func checkTile(t maptile.Tile) error {
	if t.Z > MaxZoom || !t.Valid() {
		return fmt.Errorf("tiles: %w: tile %d/%d/%d is outside zoom %d–%d or its zoom's range", geo.ErrInvalid, t.Z, t.X, t.Y, MinZoom, MaxZoom)
	}
	return nil
}

// cellMargin returns how far, in degrees of longitude and latitude, a
// cell's outline can reach beyond its centre at res near latitude lat:
// twice H3's average edge, since the largest hexagons' circumradius is
// well under that. Tiles use it to skip cells without computing their
// outlines.
func cellMargin(res int, lat float64) (dLon, dLat float64) {
	const kmPerDegLat = 111.32
	km := 2 * avgEdgeKm(res)
	if km == 0 {
		km = 2 * avgEdgeKm(0)
	}
	dLat = km / kmPerDegLat
	// Near the poles a degree of longitude shrinks to nothing; the floor
	// only makes the filter looser there.
	dLon = km / (kmPerDegLat * math.Max(math.Cos((math.Abs(lat)+dLat)*math.Pi/180), 0.01))
	return dLon, dLat
}
