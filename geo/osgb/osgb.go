// Package osgb converts British National Grid coordinates (EPSG:27700,
// OSGB36 Transverse Mercator eastings and northings in metres) to WGS 84
// longitude and latitude, for partner exports that locate records on the
// grid rather than in degrees.
//
// The conversion has two steps, both from the Ordnance Survey's "A guide to
// coordinate systems in Great Britain":
//
//  1. the inverse Transverse Mercator projection of the National Grid (Airy
//     1830 ellipsoid, F0 = 0.9996012717, true origin 49°N 2°W, false origin
//     E0 = 400 000 m, N0 = −100 000 m) gives OSGB36 latitude and longitude;
//     it is exact to well under a millimetre;
//  2. a seven-parameter Helmert transformation through geocentric Cartesian
//     coordinates takes OSGB36 to WGS 84 (the OS's published parameters,
//     with ETRS89 and WGS 84 treated as one, as the OS does at this level).
//
// # Accuracy
//
// The Helmert step is the limit. OSGB36 is a distorted realisation that no
// single similarity transformation fits, so the result is typically within
// 2–5 m of the true position in England and Wales (tests against the OS's
// own OSTN15 test points: under 3 m in the Midlands and the south), and may
// be worse in the far north and on outlying islands. Hot-spot cells are
// hundreds of metres across, so this is ample; a centimetre-level result
// would need OSTN15, a grid of shifts some megabytes large, which this
// package does not carry.
// Heights are ignored: a record has no height, and an error of 100 m in
// height moves the horizontal position by millimetres.
package osgb

import (
	"errors"
	"fmt"
	"math"
)

// ErrOutside marks coordinates that are not on the National Grid.
var ErrOutside = errors.New("outside the British National Grid")

// Extent of the National Grid in metres: the lettered 100 km squares cover
// 0–700 000 E and 0–1 300 000 N; anything else is not a grid reference.
const (
	MaxEasting  = 700000.0
	MaxNorthing = 1300000.0
)

// National Grid projection constants (OS guide, table of projection
// parameters) on the Airy 1830 ellipsoid.
const (
	airyA = 6377563.396
	airyB = 6356256.909
	f0    = 0.9996012717
	e0    = 400000.0
	n0    = -100000.0
	phi0  = 49 * math.Pi / 180
	lam0  = -2 * math.Pi / 180
)

// GRS80 / WGS 84 ellipsoid, on which the Helmert result is read back.
const (
	wgsA = 6378137.0
	wgsB = 6356752.314245
)

// OSGB36 → WGS 84 Helmert parameters: the OS guide publishes WGS 84 →
// OSGB36 (tx −446.448 m, ty +125.157 m, tz −542.060 m, s +20.4894 ppm,
// rx −0.1502″, ry −0.2470″, rz −0.8421″); this direction uses their
// negatives, which is how the guide says to reverse the transformation.
const (
	tx    = 446.448
	ty    = -125.157
	tz    = 542.060
	scale = -20.4894e-6
	arcs  = math.Pi / (180 * 3600)
	rx    = 0.1502 * arcs
	ry    = 0.2470 * arcs
	rz    = 0.8421 * arcs
)

// ToWGS84 converts a National Grid easting and northing (metres) to WGS 84
// longitude and latitude in degrees. Coordinates that are not finite or lie
// outside the grid give an error wrapping ErrOutside.
func ToWGS84(easting, northing float64) (lon, lat float64, err error) {
	if !(easting >= 0 && easting <= MaxEasting) || !(northing >= 0 && northing <= MaxNorthing) {
		return 0, 0, fmt.Errorf("%w: easting %g, northing %g (the grid covers 0–%g E, 0–%g N)",
			ErrOutside, easting, northing, MaxEasting, MaxNorthing)
	}
	phi, lam := GridToOSGB36(easting, northing)
	x, y, z := toCartesian(phi, lam, airyA, airyB)
	x, y, z = helmert(x, y, z)
	phi, lam = fromCartesian(x, y, z, wgsA, wgsB)
	return lam * 180 / math.Pi, phi * 180 / math.Pi, nil
}

// GridToOSGB36 is the inverse National Grid projection: OSGB36 latitude
// and longitude in radians of a grid easting and northing. It does not
// check the grid's extent.
func GridToOSGB36(easting, northing float64) (phi, lam float64) {
	a, b := airyA, airyB
	e2 := 1 - (b*b)/(a*a)
	n := (a - b) / (a + b)

	// Find the latitude whose meridional arc matches the northing; the OS
	// guide iterates until the residual is under 0.01 mm.
	phi = phi0 + (northing-n0)/(a*f0)
	m := meridianArc(phi, b, n)
	for i := 0; i < 100 && math.Abs(northing-n0-m) >= 1e-5; i++ {
		phi += (northing - n0 - m) / (a * f0)
		m = meridianArc(phi, b, n)
	}

	sin, cos := math.Sincos(phi)
	tan := sin / cos
	s2 := 1 - e2*sin*sin
	nu := a * f0 / math.Sqrt(s2)
	rho := nu * (1 - e2) / s2
	eta2 := nu/rho - 1
	t2 := tan * tan
	t4, t6 := t2*t2, t2*t2*t2
	nu3 := nu * nu * nu
	nu5, nu7 := nu3*nu*nu, nu3*nu3*nu
	sec := 1 / cos

	c7 := tan / (2 * rho * nu)
	c8 := tan / (24 * rho * nu3) * (5 + 3*t2 + eta2 - 9*t2*eta2)
	c9 := tan / (720 * rho * nu5) * (61 + 90*t2 + 45*t4)
	c10 := sec / nu
	c11 := sec / (6 * nu3) * (nu/rho + 2*t2)
	c12 := sec / (120 * nu5) * (5 + 28*t2 + 24*t4)
	c12a := sec / (5040 * nu7) * (61 + 662*t2 + 1320*t4 + 720*t6)

	de := easting - e0
	de2 := de * de
	phi = phi - c7*de2 + c8*de2*de2 - c9*de2*de2*de2
	lam = lam0 + c10*de - c11*de2*de + c12*de2*de2*de - c12a*de2*de2*de2*de
	return phi, lam
}

// meridianArc is the developed meridional arc from the true origin's
// latitude to phi, scaled by F0 (the OS guide's M).
func meridianArc(phi, b, n float64) float64 {
	n2, n3 := n*n, n*n*n
	dp, sp := phi-phi0, phi+phi0
	return b * f0 * ((1+n+1.25*n2+1.25*n3)*dp -
		(3*n+3*n2+21.0/8*n3)*math.Sin(dp)*math.Cos(sp) +
		(15.0/8*n2+15.0/8*n3)*math.Sin(2*dp)*math.Cos(2*sp) -
		35.0/24*n3*math.Sin(3*dp)*math.Cos(3*sp))
}

// toCartesian gives the geocentric coordinates of a point on the surface
// (height 0) of the ellipsoid with semi-axes a and b.
func toCartesian(phi, lam, a, b float64) (x, y, z float64) {
	e2 := 1 - (b*b)/(a*a)
	sin, cos := math.Sincos(phi)
	sl, cl := math.Sincos(lam)
	nu := a / math.Sqrt(1-e2*sin*sin)
	return nu * cos * cl, nu * cos * sl, (1 - e2) * nu * sin
}

// helmert applies the seven-parameter transformation in the OS guide's
// (position vector) form, small-angle rotations included.
func helmert(x, y, z float64) (float64, float64, float64) {
	s1 := 1 + scale
	return tx + s1*x - rz*y + ry*z,
		ty + rz*x + s1*y - rx*z,
		tz - ry*x + rx*y + s1*z
}

// fromCartesian gives the latitude and longitude of geocentric coordinates
// on the ellipsoid with semi-axes a and b, by Bowring's closed formula:
// for points near the surface its error is far below a millimetre, and it
// spares the iteration the OS guide describes (the reader converts every
// row).
func fromCartesian(x, y, z, a, b float64) (phi, lam float64) {
	e2 := 1 - (b*b)/(a*a)
	ep2 := (a*a)/(b*b) - 1
	p := math.Hypot(x, y)
	theta := math.Atan2(z*a, p*b)
	st, ct := math.Sincos(theta)
	phi = math.Atan2(z+ep2*b*st*st*st, p-e2*a*ct*ct*ct)
	return phi, math.Atan2(y, x)
}
