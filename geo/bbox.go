package geo

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/paulmach/orb"
)

// ParseBBox reads minLon,minLat,maxLon,maxLat. Long decimals (GDAL sends
// %.18g) parse; a box crossing the antimeridian is refused, since nothing
// served lies near it. The error, an ErrInvalid, says what to fix.
func ParseBBox(v string) (orb.Bound, error) {
	bad := func(msg string) (orb.Bound, error) {
		return orb.Bound{}, fmt.Errorf("%w: %s", ErrInvalid, msg)
	}
	parts := strings.Split(v, ",")
	if len(parts) != 4 {
		return bad("bbox must be minLon,minLat,maxLon,maxLat")
	}
	var f [4]float64
	for i, s := range parts {
		x, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
		if err != nil || math.IsNaN(x) || math.IsInf(x, 0) {
			return bad("bbox must be four finite numbers minLon,minLat,maxLon,maxLat")
		}
		f[i] = x
	}
	switch {
	case math.Abs(f[0]) > 180 || math.Abs(f[2]) > 180:
		return bad("bbox longitudes must lie within ±180")
	case math.Abs(f[1]) > 90 || math.Abs(f[3]) > 90:
		return bad("bbox latitudes must lie within ±90")
	case f[0] > f[2] || f[1] > f[3]:
		return bad("bbox minimum exceeds maximum")
	}
	return orb.Bound{Min: orb.Point{f[0], f[1]}, Max: orb.Point{f[2], f[3]}}, nil
}

// ParsePoint reads lon,lat: a map point as the answers spell it (the
// shortest decimal that reads back as the same float64), so that a
// point's own coordinates find it again exactly.
func ParsePoint(v string) (orb.Point, error) {
	bad := func(msg string) (orb.Point, error) {
		return orb.Point{}, fmt.Errorf("%w: %s", ErrInvalid, msg)
	}
	lon, lat, ok := strings.Cut(v, ",")
	if !ok || strings.Contains(lat, ",") {
		return bad("a point must be lon,lat")
	}
	var f [2]float64
	for i, s := range []string{lon, lat} {
		x, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
		if err != nil || math.IsNaN(x) || math.IsInf(x, 0) {
			return bad("a point must be two finite numbers lon,lat")
		}
		f[i] = x
	}
	if math.Abs(f[0]) > 180 || math.Abs(f[1]) > 90 {
		return bad("a point's longitude must lie within ±180 and its latitude within ±90")
	}
	return orb.Point{f[0], f[1]}, nil
}
