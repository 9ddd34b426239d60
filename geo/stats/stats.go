// Package stats holds the hotspot statistics as pure functions on slices:
// Getis–Ord Gi* with binary weights, two-sided normal p-values and
// permutation p-values under the exact null, Benjamini–Hochberg
// adjustment, the map's significance bins, and Global Moran's I tested
// under randomisation for choosing a scale.
//
// It knows nothing of cells or stores: callers index the study area
// 0..n-1 and pass neighbour lists, which keeps the maths testable against
// the R spdep reference vectors on its own.
package stats

import (
	"fmt"
	"math"
	"slices"
)

// GiStar computes Getis–Ord Gi* z-scores with binary weights. x[i] is the
// count of cell i; nbrs[i] lists, without repeats, the indexes j with
// w_ij = 1, the cell itself included (Gi* rather than Gi).
//
// ok is false, and every z NaN, when the statistic is undefined for the
// whole area: fewer than two cells, all counts equal (S = 0), or a count
// that is NaN or infinite. A single
// cell's z is also NaN when its neighbourhood is the whole area, since its
// variance is then zero.
//
// GiStar panics if nbrs and x differ in length or a neighbour index is out
// of range: those are bugs in the caller, not data errors.
func GiStar(x []float64, nbrs [][]int32) (z []float64, ok bool) {
	n := len(x)
	if len(nbrs) != n {
		panic(fmt.Sprintf("stats.GiStar: %d counts but %d neighbour lists", n, len(nbrs)))
	}
	z = make([]float64, n)
	mean, s := meanStd(x)
	if n < 2 || s == 0 || math.IsNaN(s) {
		for i := range z {
			z[i] = math.NaN()
		}
		return z, false
	}

	// With binary weights Σw² = Σw = W, so the denominator depends only
	// on the neighbourhood's size.
	nf := float64(n)
	for i, nb := range nbrs {
		w := float64(len(nb))
		if w >= nf {
			// The neighbourhood is the whole study area: the statistic's
			// variance is zero and z undefined. Computing it would divide
			// rounding noise by zero and report a ±∞ "hot spot".
			z[i] = math.NaN()
			continue
		}
		var sum float64
		for _, j := range nb {
			sum += x[j]
		}
		num := sum - mean*w
		den := s * math.Sqrt((nf*w-w*w)/(nf-1))
		z[i] = num / den
	}
	return z, true
}

// meanStd returns the mean and the population standard deviation. The
// deviations are summed after the mean is known rather than from Σx², which
// cancels catastrophically when counts are large and alike; all-equal input
// is detected exactly so that S is 0 and not rounding noise.
func meanStd(x []float64) (mean, s float64) {
	if len(x) == 0 {
		return math.NaN(), math.NaN()
	}
	allEqual := true
	var sum float64
	for _, v := range x {
		sum += v
		allEqual = allEqual && v == x[0]
	}
	if allEqual {
		return x[0], 0
	}
	n := float64(len(x))
	mean = sum / n
	var ss float64
	for _, v := range x {
		d := v - mean
		ss += d * d
	}
	return mean, math.Sqrt(ss / n)
}

// PValue returns the two-sided p-value of a standard normal z-score,
// 2·Φ(−|z|). It is computed as erfc(|z|/√2), which keeps full relative
// precision far into the tail where 1−Φ would round to zero. NaN gives NaN.
func PValue(z float64) float64 {
	return math.Erfc(math.Abs(z) / math.Sqrt2)
}

// BenjaminiHochberg returns the Benjamini–Hochberg adjusted p-values, in
// the order of p, as R's p.adjust(p, "BH") does: sorted descending, each
// p·m/rank is capped by the adjusted value of the next larger p, so the
// result is monotone in p, and nothing exceeds 1.
//
// NaN entries, cells without a Gi*, stay NaN and are not counted in m, as
// R drops NA before adjusting.
func BenjaminiHochberg(p []float64) []float64 {
	out := make([]float64, len(p))
	order := make([]int, 0, len(p))
	for i, v := range p {
		if math.IsNaN(v) {
			out[i] = math.NaN()
			continue
		}
		order = append(order, i)
	}
	// Stable, so tied p-values keep input order; ties end up with equal
	// adjusted values whatever the order, as the running minimum carries
	// the smallest across them.
	slices.SortStableFunc(order, func(a, b int) int {
		switch {
		case p[a] > p[b]:
			return -1
		case p[a] < p[b]:
			return 1
		}
		return 0
	})
	m := float64(len(order))
	running := math.Inf(1)
	for k, i := range order {
		rank := m - float64(k) // 1-based rank in ascending order
		adj := m / rank * p[i]
		running = min(running, adj)
		out[i] = min(running, 1)
	}
	return out
}

// Bin returns the map's significance bin: the sign of z times 3, 2 or 1
// for p ≤ 0.01, 0.05 or 0.10, and 0 above, for z = 0, or when either is
// NaN.
func Bin(z, p float64) int {
	if math.IsNaN(z) || math.IsNaN(p) || z == 0 {
		return 0
	}
	var level int
	switch {
	case p <= 0.01:
		level = 3
	case p <= 0.05:
		level = 2
	case p <= 0.10:
		level = 1
	}
	if z < 0 {
		return -level
	}
	return level
}
