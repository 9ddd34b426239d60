package stats

import (
	"fmt"
	"math"
)

// MoranResult is Global Moran's I with its moments and test under
// randomisation.
type MoranResult struct {
	I    float64 // Moran's I
	EI   float64 // E[I] = −1/(n−1)
	VarI float64 // Var[I] under randomisation
	Z    float64 // (I − E[I]) / √Var[I]
	P    float64 // one-sided upper-tail p of Z: 1 − Φ(Z)
}

// MoranI computes Global Moran's I of x with binary weights, w_ij = 1 for
// j in nbrs[i], and its z and p under randomisation, as R spdep's
// moran.test(x, listw, randomisation = TRUE) does with its defaults for a
// style "B" weights list. nbrs[i] lists, without repeats, the neighbours of
// cell i, the cell itself excluded; the weights need not be symmetric.
//
// P is spdep's default alternative "greater": the one-sided p-value
// 1 − Φ(Z) for positive spatial autocorrelation, the question a choice of
// scale asks. A two-sided p is PValue(Z).
//
// Cells with no neighbours are treated as spdep's zero.policy = TRUE and
// its default adjust.n = TRUE treat them: they add nothing to the cross
// products and are left out of the n of I's scaling factor, E[I] and
// Var[I], while the mean and the kurtosis b2 are over all n counts.
//
// ok is false when I is undefined (no counts, all counts equal, a count
// NaN or infinite, or no weights at all; then every field is NaN) or when
// its test is (fewer than four cells with neighbours, or a variance that
// is not positive; then I and E[I] are filled in and the rest is NaN).
//
// MoranI panics if nbrs and x differ in length or an index is out of range.
func MoranI(x []float64, nbrs [][]int32) (MoranResult, bool) {
	n := len(x)
	if len(nbrs) != n {
		panic(fmt.Sprintf("stats.MoranI: %d counts but %d neighbour lists", n, len(nbrs)))
	}
	nan := math.NaN()
	res := MoranResult{I: nan, EI: nan, VarI: nan, Z: nan, P: nan}
	mean, s := meanStd(x)
	if n == 0 || s == 0 || math.IsNaN(s) || math.IsInf(s, 0) {
		return res, false
	}
	w := binaryWeightConstants(nbrs)
	if w.s0 == 0 {
		return res, false
	}

	var zz, z4, cross float64
	for i, v := range x {
		d := v - mean
		d2 := d * d
		zz += d2
		z4 += d2 * d2
		var lag float64
		for _, j := range nbrs[i] {
			lag += x[j] - mean
		}
		cross += d * lag
	}
	nw := float64(w.n)
	res.I = nw / w.s0 * cross / zz
	res.EI = -1 / (nw - 1)
	if w.n < 4 {
		return res, false
	}

	// Cliff and Ord's variance under randomisation, with the sample
	// kurtosis b2 taken over every count as spdep does.
	b2 := float64(n) * z4 / (zz * zz)
	s02 := w.s0 * w.s0
	a := nw * ((nw*nw-3*nw+3)*w.s1 - nw*w.s2 + 3*s02)
	b := b2 * ((nw*nw-nw)*w.s1 - 2*nw*w.s2 + 6*s02)
	v := (a-b)/((nw-1)*(nw-2)*(nw-3)*s02) - res.EI*res.EI
	if !(v > 0) {
		return res, false
	}
	res.VarI = v
	res.Z = (res.I - res.EI) / math.Sqrt(v)
	res.P = 0.5 * math.Erfc(res.Z/math.Sqrt2)
	return res, true
}

// weightConstants are spdep's spweights.constants for binary weights: n
// counts the cells with at least one neighbour; S0 = Σ_ij w_ij,
// S1 = ½ Σ_ij (w_ij + w_ji)², S2 = Σ_i (w_i· + w_·i)².
type weightConstants struct {
	n          int
	s0, s1, s2 float64
}

// binaryWeightConstants computes the constants in time linear in the
// number of links. With binary weights S1 = S0 + the number of links
// i→j whose reverse j→i also exists; those are found through the
// transposed lists, marking each cell's own neighbours in turn.
func binaryWeightConstants(nbrs [][]int32) weightConstants {
	n := len(nbrs)
	var c weightConstants
	in := make([]int32, n+1) // in-degree, then offsets into from
	for i, nb := range nbrs {
		if len(nb) > 0 {
			c.n++
		}
		c.s0 += float64(len(nb))
		for _, j := range nb {
			if int(j) < 0 || int(j) >= n {
				panic(fmt.Sprintf("stats.MoranI: cell %d has neighbour %d of %d cells", i, j, n))
			}
			in[j+1]++
		}
	}
	for j := range n {
		d := float64(len(nbrs[j]) + int(in[j+1]))
		c.s2 += d * d
		in[j+1] += in[j]
	}
	from := make([]int32, in[n]) // from[in[j]:in[j+1]]: the i with i→j
	fill := make([]int32, n)
	copy(fill, in[:n])
	for i, nb := range nbrs {
		for _, j := range nb {
			from[fill[j]] = int32(i)
			fill[j]++
		}
	}
	mark := fill // reused: mark[k] == j+1 when k is a neighbour of j
	clear(mark)
	var recip int
	for j, nb := range nbrs {
		for _, k := range nb {
			mark[k] = int32(j + 1)
		}
		for _, i := range from[in[j]:in[j+1]] {
			if mark[i] == int32(j+1) {
				recip++
			}
		}
	}
	c.s1 = c.s0 + float64(recip)
	return c
}
