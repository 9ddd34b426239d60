package tiles

import (
	"math"
	"slices"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/simplify"
)

// Ring handling in tile coordinates, where every vertex has been snapped
// to a whole tile unit. Snapping repeats vertices and can flatten small
// rings to nothing; MVT 2 wants exterior rings with positive area by the
// surveyor's formula (y pointing down, so clockwise on screen) and holes
// with negative area. RFC 7946 winds the other way round in
// longitude/latitude, and the y flip of the projection does not by itself
// make the two agree for every input, so the winding is set from the
// computed area rather than assumed.

// area2 returns twice the ring's signed area by the surveyor's formula,
// measured from its first vertex so that the products stay exact for the
// large coordinates of geometry far outside the tile.
func area2(r orb.Ring) float64 {
	if len(r) < 3 {
		return 0
	}
	ox, oy := r[0][0], r[0][1]
	var s float64
	for i := 1; i+1 < len(r); i++ {
		s += (r[i][0]-ox)*(r[i+1][1]-oy) - (r[i+1][0]-ox)*(r[i][1]-oy)
	}
	return s
}

// dedupe drops vertices that repeat their predecessor and closes the ring;
// it reuses r's storage.
func dedupe(r orb.Ring) orb.Ring {
	out := r[:0]
	for _, p := range r {
		if len(out) == 0 || p != out[len(out)-1] {
			out = append(out, p)
		}
	}
	if len(out) > 1 && out[0] != out[len(out)-1] {
		out = append(out, out[0])
	}
	return out
}

// tidyRing cleans a clipped ring and winds it as MVT wants, simplifying
// it when dp is not nil. An exterior ring that simplification would
// flatten or turn inside out is kept as it was: a small ward must still be
// there to click. Such a hole is dropped instead, since it is under a
// pixel. A ring that encloses nothing after snapping or clipping (it lay
// along the clip edge, outside the tile) returns nil.
func tidyRing(r orb.Ring, dp *simplify.DouglasPeuckerSimplifier, exterior bool) orb.Ring {
	r = dedupe(r)
	a := area2(r)
	if len(r) < 4 || a == 0 {
		return nil
	}
	if dp != nil && len(r) > 4 {
		s := dp.Ring(slices.Clone(r))
		switch sa := area2(s); {
		case len(s) >= 4 && (sa > 0) == (a > 0) && sa != 0:
			r, a = s, sa
		case !exterior:
			return nil
		}
	}
	if (a > 0) != exterior {
		r.Reverse()
	}
	return r
}

// tidyPolygon tidies each ring of a clipped polygon; nil when the exterior
// encloses nothing.
func tidyPolygon(p orb.Polygon, dp *simplify.DouglasPeuckerSimplifier) orb.Polygon {
	if len(p) == 0 {
		return nil
	}
	ext := tidyRing(p[0], dp, true)
	if ext == nil {
		return nil
	}
	out := p[:1]
	out[0] = ext
	for _, h := range p[1:] {
		if r := tidyRing(h, dp, false); r != nil {
			out = append(out, r)
		}
	}
	return out
}

// tidyMultiPolygon tidies each part, dropping those left with nothing;
// it returns a nil Geometry (not a typed nil) when no part is left.
func tidyMultiPolygon(mp orb.MultiPolygon, dp *simplify.DouglasPeuckerSimplifier) orb.Geometry {
	out := mp[:0]
	for _, p := range mp {
		if q := tidyPolygon(p, dp); q != nil {
			out = append(out, q)
		}
	}
	switch len(out) {
	case 0:
		return nil
	case 1:
		return out[0]
	}
	return out
}

// keepTiny runs before clipping on projected polygons: parts that snapping
// flattened to a point or a line are dropped, and when that would leave
// nothing the whole outline is replaced by a one-unit square at its
// middle, so that an area smaller than a tile unit still appears (and can
// be queried) wherever a tile covers it.
func keepTiny(g orb.Geometry) orb.Geometry {
	var mp orb.MultiPolygon
	switch g := g.(type) {
	case orb.Polygon:
		if len(g) > 0 && area2(g[0]) != 0 {
			return g
		}
		mp = orb.MultiPolygon{g}
	case orb.MultiPolygon:
		mp = g
	default:
		return g
	}
	kept := mp[:0:0]
	for _, p := range mp {
		if len(p) > 0 && area2(p[0]) != 0 {
			kept = append(kept, p)
		}
	}
	if len(kept) > 0 {
		return kept
	}
	if !hasVertex(mp) {
		return nil
	}
	c := mp.Bound().Center()
	x, y := math.Floor(c[0]), math.Floor(c[1])
	// Positive area in tile coordinates: right, down, left, back.
	return orb.Polygon{{{x, y}, {x + 1, y}, {x + 1, y + 1}, {x, y + 1}, {x, y}}}
}

func hasVertex(mp orb.MultiPolygon) bool {
	for _, p := range mp {
		for _, r := range p {
			if len(r) > 0 {
				return true
			}
		}
	}
	return false
}
