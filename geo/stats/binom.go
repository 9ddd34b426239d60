package stats

import "math"

// ChangeP is the exact two-sided conditional test of two Poisson counts
// over periods of equal length (DESIGN.md, "Significant change"): given
// n = a + b, under no change a ~ Binomial(n, ½), and the p-value is
// min(1, 2·min(P(X ≤ a), P(X ≥ a))). It is NaN when n = 0 or a count is
// negative: there is nothing to test.
//
// Binomial(n, ½) is symmetric, so the smaller tail is always the one
// beyond the count further from n/2, and the p-value is twice
// P(X ≤ min(a, b)), which BinomialLowerTail computes without
// cancellation. R's binom.test(a, n, 0.5) gives the same value: for p = ½
// its "probabilities no larger than the observed one" rule and doubling
// the smaller tail select the same outcomes.
func ChangeP(a, b int) float64 {
	if a < 0 || b < 0 || a+b == 0 {
		return math.NaN()
	}
	return min(1, 2*BinomialLowerTail(min(a, b), a+b))
}

// BinomialLowerTail returns P(X ≤ k) for X ~ Binomial(n, ½). Up to
// n = 1000 it sums the coefficients themselves. Above, for k ≤ n/2, it
// sums in ratio form from its largest term down: the term
// at k comes from lgamma (log-space, so n in the millions neither
// overflows nor underflows until the answer itself is below ~1e-308),
// and each smaller term from the one above by the exact ratio
// pmf(i−1)/pmf(i) = i/(n−i+1). Every term is positive, so the sum loses
// nothing to cancellation; it stops once terms no longer change it.
// For k above n/2 it returns 1 − P(X ≥ k+1) by symmetry.
func BinomialLowerTail(k, n int) float64 {
	switch {
	case n < 0 || k < 0:
		return math.NaN()
	case k >= n:
		return 1
	case 2*k > n:
		return 1 - BinomialLowerTail(n-k-1, n)
	case n <= exactN:
		// Σ C(n, i) in floating point, smallest first: exact while the
		// coefficients stay below 2^53 (n up to about 55), then within a
		// few ulps per term; 2^−n is an exact power of two.
		sum, c := 1.0, 1.0
		for i := 1; i <= k; i++ {
			c = c * float64(n-i+1) / float64(i)
			sum += c
		}
		return math.Ldexp(sum, -n)
	}
	logTop := logChoose(n, k) - float64(n)*math.Ln2
	sum, term := 1.0, 1.0 // relative to pmf(k)
	for i := k; i > 0; i-- {
		term *= float64(i) / float64(n-i+1)
		if term < sum*1e-17 {
			break
		}
		sum += term
	}
	return math.Exp(logTop + math.Log(sum))
}

// exactN is the largest n whose binomial coefficients (at most
// C(1000, 500) ≈ 2.7e299) a float64 holds, so that the tail is summed
// directly rather than from lgamma.
const exactN = 1000

// logChoose is ln C(n, k).
func logChoose(n, k int) float64 {
	a, _ := math.Lgamma(float64(n) + 1)
	b, _ := math.Lgamma(float64(k) + 1)
	c, _ := math.Lgamma(float64(n-k) + 1)
	return a - b - c
}

// ChangeBins returns the significance bins of changes: the BH FDR
// adjustment of p over the entries that have one (NaN: none, bin 0),
// signed by delta (count − prev_count), binned as Gi* bins are.
func ChangeBins(p []float64, delta []int) []int {
	adj := BenjaminiHochberg(p)
	out := make([]int, len(p))
	for i := range p {
		out[i] = Bin(float64(delta[i]), adj[i])
	}
	return out
}
