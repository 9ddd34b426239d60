// Package hex maps between geometry and H3 cells: the cell that contains a
// point, the cells that cover an area, a cell's outline and its
// neighbourhood.
//
// It is the only package that imports h3-go, so that cgo stays in one place
// and every other package deals in geo.Cell and orb geometry.
package hex

import (
	"fmt"
	"math"
	"slices"
	"strconv"

	"github.com/leicester-csp/hotspot/geo"
	"github.com/paulmach/orb"
	"github.com/uber/h3-go/v4"
)

// cellTextLen is the length of a cell index in hex: H3 cell indexes have
// mode 1 in bits 59–62 and bit 63 clear, so the top digit is never zero and
// the text is always 15 digits.
const cellTextLen = 15

// ValidRes reports whether res is a resolution the service offers.
func ValidRes(res int) bool { return res >= geo.MinRes && res <= geo.MaxRes }

// h3Res reports whether H3 itself accepts res; CellAt and Cover take any of
// them so that tests and callers can work at coarser resolutions too.
func h3Res(res int) bool { return res >= 0 && res <= h3.MaxResolution }

// CellAt returns the cell that contains p (longitude, latitude) at res.
// It returns the zero Cell when res is not an H3 resolution (0–15) or a
// coordinate is not finite.
func CellAt(p orb.Point, res int) geo.Cell {
	if !h3Res(res) || !finite(p) {
		return 0
	}
	return geo.Cell(h3.LatLngToCell(h3.LatLng{Lat: p[1], Lng: p[0]}, res))
}

// CellsAt returns the cell containing p at every served resolution, indexed
// by res-geo.MinRes. Each is computed from the point itself: H3 cells do not
// nest exactly, so the parent of the finer cell is sometimes not the cell
// that contains the point, and the design counts by containment.
func CellsAt(p orb.Point) [geo.NumRes]geo.Cell {
	var cells [geo.NumRes]geo.Cell
	if !finite(p) {
		return cells
	}
	ll := h3.LatLng{Lat: p[1], Lng: p[0]}
	for i := range cells {
		cells[i] = geo.Cell(h3.LatLngToCell(ll, geo.MinRes+i))
	}
	return cells
}

// Cover returns the cells at res whose centre lies inside mp (holes
// excluded), sorted ascending without duplicates. Polygons are filled one by
// one with H3's polygonToCells, so a cell belongs to at most one of two
// polygons that share an edge.
//
// A polygon with a coordinate that is not finite, or whose exterior ring
// has fewer than three vertices, covers nothing; the boundary readers
// reject such input before it gets here. The area should be city-sized: H3 sizes
// its work buffers by the polygon's bounding box.
func Cover(mp orb.MultiPolygon, res int) []geo.Cell {
	if !h3Res(res) {
		return nil
	}
	var out []geo.Cell
	for _, poly := range mp {
		gp, ok := geoPolygon(poly)
		if !ok {
			continue
		}
		for _, c := range h3.PolygonToCells(gp, res) {
			out = append(out, geo.Cell(c))
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// geoPolygon converts an orb polygon to H3's form, or reports false when H3
// could not fill it safely: the wrapper ignores H3's error codes and indexes
// an empty buffer when the size estimate fails, which non-finite
// coordinates cause.
func geoPolygon(poly orb.Polygon) (h3.GeoPolygon, bool) {
	if len(poly) == 0 {
		return h3.GeoPolygon{}, false
	}
	outer, ok := geoLoop(poly[0])
	if !ok {
		return h3.GeoPolygon{}, false
	}
	gp := h3.GeoPolygon{GeoLoop: outer}
	for _, ring := range poly[1:] {
		if !ringFinite(ring) {
			return h3.GeoPolygon{}, false
		}
		// A degenerate hole removes no area, so leaving it out changes
		// nothing.
		if hole, ok := geoLoop(ring); ok {
			gp.Holes = append(gp.Holes, hole)
		}
	}
	return gp, true
}

// geoLoop converts a ring, dropping the closing vertex that GeoJSON repeats
// and H3 does not expect.
func geoLoop(r orb.Ring) (h3.GeoLoop, bool) {
	if len(r) > 1 && r[0] == r[len(r)-1] {
		r = r[:len(r)-1]
	}
	if len(r) < 3 || !ringFinite(r) {
		return nil, false
	}
	loop := make(h3.GeoLoop, len(r))
	for i, p := range r {
		loop[i] = h3.LatLng{Lat: p[1], Lng: p[0]}
	}
	return loop, true
}

// Polygon returns the cell's outline as a closed longitude/latitude ring,
// counter-clockwise as RFC 7946 asks. It returns nil for an invalid cell.
// Cells that straddle the antimeridian are not split; none lie near the
// service's area.
func Polygon(c geo.Cell) orb.Polygon {
	hc := h3.Cell(c)
	if !hc.IsValid() {
		return nil
	}
	b := h3.CellToBoundary(hc)
	ring := make(orb.Ring, 0, len(b)+1)
	for _, v := range b {
		ring = append(ring, orb.Point{v.Lng, v.Lat})
	}
	ring = append(ring, ring[0])
	// H3 documents its boundaries as counter-clockwise; check rather than
	// rely on it, since exports are read by strict GeoJSON consumers.
	if ring.Orientation() == orb.CW {
		ring.Reverse()
	}
	return orb.Polygon{ring}
}

// Disk returns the cells within grid distance k of c, c included, in H3's
// order. It returns nil for an invalid cell or a negative k. The result has
// 3k(k+1)+1 cells away from pentagons, so k should stay small.
func Disk(c geo.Cell, k int) []geo.Cell {
	hc := h3.Cell(c)
	if k < 0 || !hc.IsValid() {
		return nil
	}
	disk := h3.GridDisk(hc, k)
	out := make([]geo.Cell, len(disk))
	for i, d := range disk {
		out[i] = geo.Cell(d)
	}
	return out
}

// String returns the cell index as lowercase hex, 15 digits for a valid
// cell.
func String(c geo.Cell) string { return strconv.FormatUint(uint64(c), 16) }

// Parse reads a cell index written as String writes it: exactly 15
// lowercase hex digits naming a valid H3 cell. Anything else, including a
// 0x prefix, upper case or a well-formed number that is not a cell, is an
// error wrapping geo.ErrInvalid, so that each cell has one spelling.
func Parse(s string) (geo.Cell, error) {
	if len(s) != cellTextLen {
		return 0, fmt.Errorf("%w: h3 cell %s: want %d hex digits", geo.ErrInvalid, quote(s), cellTextLen)
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return 0, fmt.Errorf("%w: h3 cell %s: want lowercase hex digits", geo.ErrInvalid, quote(s))
		}
	}
	v, err := strconv.ParseUint(s, 16, 64)
	if err != nil {
		// Unreachable after the checks above; kept so a change to them
		// cannot turn into a silent zero cell.
		return 0, fmt.Errorf("%w: h3 cell %s: %v", geo.ErrInvalid, quote(s), err)
	}
	if !h3.Cell(v).IsValid() {
		return 0, fmt.Errorf("%w: h3 cell %s: not a valid cell index", geo.ErrInvalid, quote(s))
	}
	return geo.Cell(v), nil
}

// quote keeps error messages short when the input is long, since these
// messages reach API clients.
func quote(s string) string {
	const limit = 32
	if len(s) > limit {
		return strconv.Quote(s[:limit]) + "…"
	}
	return strconv.Quote(s)
}

// Res returns the cell's resolution.
func Res(c geo.Cell) int { return h3.Cell(c).Resolution() }

// Center returns the cell's centre as longitude, latitude; the zero point
// for an invalid cell.
func Center(c geo.Cell) orb.Point {
	hc := h3.Cell(c)
	if !hc.IsValid() {
		return orb.Point{}
	}
	ll := h3.CellToLatLng(hc)
	return orb.Point{ll.Lng, ll.Lat}
}

func finite(p orb.Point) bool {
	return !math.IsNaN(p[0]) && !math.IsInf(p[0], 0) && !math.IsNaN(p[1]) && !math.IsInf(p[1], 0)
}

func ringFinite(r orb.Ring) bool {
	for _, p := range r {
		if !finite(p) {
			return false
		}
	}
	return true
}
