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
