package partner

import (
	"errors"
	"fmt"
	"math"
	"strconv"

	"github.com/paulmach/orb"

	"github.com/leicester-csp/hotspot/geo/internal/csvin"
	"github.com/leicester-csp/hotspot/geo/osgb"
)

// badCoord is a coordinate a row cannot be kept with: which column, why.
type badCoord struct {
	column, reason string
}

// point reads an x/y pair in crs. Both blank is no location (ok false, no
// error), as for police.uk's "No Location" rows; one blank is an error.
func point(xName, xs, yName, ys string, crs CRS) (pt orb.Point, ok bool, bad *badCoord) {
	if xs == "" && ys == "" {
		return orb.Point{}, false, nil
	}
	if xs == "" || ys == "" {
		name := xName
		if ys == "" {
			name = yName
		}
		return orb.Point{}, false, &badCoord{name, fmt.Sprintf("only one of %s/%s is set (%s is empty)", xName, yName, name)}
	}
	if crs == BritishNationalGrid {
		e, bad := number(xName, xs, 0, osgb.MaxEasting)
		if bad != nil {
			return orb.Point{}, false, bad
		}
		n, bad := number(yName, ys, 0, osgb.MaxNorthing)
		if bad != nil {
			return orb.Point{}, false, bad
		}
		lon, lat, err := osgb.ToWGS84(e, n)
		if err != nil {
			return orb.Point{}, false, &badCoord{xName, err.Error()}
		}
		return orb.Point{lon, lat}, true, nil
	}
	lon, bad := number(xName, xs, -180, 180)
	if bad != nil {
		return orb.Point{}, false, bad
	}
	lat, bad := number(yName, ys, -90, 90)
	if bad != nil {
		return orb.Point{}, false, bad
	}
	return orb.Point{lon, lat}, true, nil
}

// number parses a plain decimal number that must lie in [lo, hi].
func number(name, s string, lo, hi float64) (float64, *badCoord) {
	if !csvin.IsDecimal(s) {
		return 0, &badCoord{name, fmt.Sprintf("%s %q is not a number", name, s)}
	}
	x, err := strconv.ParseFloat(s, 64)
	switch {
	case err != nil && !errors.Is(err, strconv.ErrRange):
		return 0, &badCoord{name, fmt.Sprintf("%s %q is not a number", name, s)}
	case err != nil || math.IsNaN(x) || math.IsInf(x, 0) || x < lo || x > hi:
		return 0, &badCoord{name, fmt.Sprintf("%s %q is out of range [%g, %g]", name, s, lo, hi)}
	}
	return x, nil
}
