package glyphs

import (
	"math"
)

// inf stands for "no edge found yet" in the squared-distance grids.
const inf = 1e20

// sdf turns a coverage bitmap (0 outside the glyph, 255 inside, partial
// on the edge) into MapLibre's signed distance field: 255·(1 − cutoff) on
// the outline, rising inside and falling outside by 255 per radius px.
// Distances are exact Euclidean distances to the outline (the linear-time
// transform of Felzenszwalb and Huttenlocher, run over columns and then
// rows), with partly covered pixels placing the outline inside the pixel
// so that edges stay smooth at 24 px.
func sdf(cov []byte, w, h int) []byte {
	outer := make([]float64, w*h) // squared distance to the glyph, for pixels outside
	inner := make([]float64, w*h) // squared distance to the background, for pixels inside
	for i, c := range cov {
		switch a := float64(c) / 255; {
		case a >= 1:
			outer[i], inner[i] = 0, inf
		case a <= 0:
			outer[i], inner[i] = inf, 0
		default:
			// The outline crosses this pixel: half-covered puts it on the
			// pixel's centre; more coverage puts the centre inside.
			d := 0.5 - a
			outer[i], inner[i] = math.Max(d, 0)*math.Max(d, 0), math.Min(d, 0)*math.Min(d, 0)
		}
	}
	transform2D(outer, w, h)
	transform2D(inner, w, h)
	out := make([]byte, w*h)
	for i := range out {
		d := math.Sqrt(outer[i]) - math.Sqrt(inner[i])
		v := math.Round(255 - 255*(d/radius+cutoff))
		out[i] = byte(math.Max(0, math.Min(255, v)))
	}
	return out
}

// transform2D replaces each squared distance of grid (w×h, row-major) by
// the least squared Euclidean distance to any cell, plus that cell's
// value: columns first, then rows, which is exact for squared distances.
func transform2D(grid []float64, w, h int) {
	n := max(w, h)
	f, d := make([]float64, n), make([]float64, n)
	v, z := make([]int, n), make([]float64, n+1)
	for x := 0; x < w; x++ {
		for y := 0; y < h; y++ {
			f[y] = grid[y*w+x]
		}
		transform1D(f[:h], d[:h], v, z)
		for y := 0; y < h; y++ {
			grid[y*w+x] = d[y]
		}
	}
	for y := 0; y < h; y++ {
		copy(f[:w], grid[y*w:(y+1)*w])
		transform1D(f[:w], d[:w], v, z)
		copy(grid[y*w:(y+1)*w], d[:w])
	}
}

// transform1D is the one-dimensional step: d[q] = min over p of
// (q−p)² + f[p], by the lower envelope of the parabolas rooted at each p
// (v holds their roots, z the boundaries between them).
func transform1D(f, d []float64, v []int, z []float64) {
	n := len(f)
	k := 0
	v[0], z[0], z[1] = 0, -inf, inf
	for q := 1; q < n; q++ {
		s := meet(f, q, v[k])
		for s <= z[k] && k > 0 {
			k--
			s = meet(f, q, v[k])
		}
		k++
		v[k], z[k], z[k+1] = q, s, inf
	}
	k = 0
	for q := 0; q < n; q++ {
		for z[k+1] < float64(q) {
			k++
		}
		r := float64(q - v[k])
		d[q] = r*r + f[v[k]]
	}
}

// meet is where the parabolas rooted at q and p intersect.
func meet(f []float64, q, p int) float64 {
	return ((f[q] + float64(q*q)) - (f[p] + float64(p*p))) / float64(2*q-2*p)
}
