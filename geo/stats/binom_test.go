package stats

import (
	"math"
	"math/big"
	"testing"
)

// exactChangeP is an independent second implementation: the tails of
// Binomial(n, ½) summed exactly as integers, Σ C(n, i) over the tail
// divided by 2^n, with R's binom.test definition for p = ½ (sum of the
// outcomes no more probable than the observed one), then rounded once.
func exactChangeP(a, b int) float64 {
	n := a + b
	pmf := make([]*big.Int, n+1) // C(n, i)
	pmf[0] = big.NewInt(1)
	for i := 1; i <= n; i++ {
		c := new(big.Int).Mul(pmf[i-1], big.NewInt(int64(n-i+1)))
		pmf[i] = c.Quo(c, big.NewInt(int64(i)))
	}
	sum := new(big.Int)
	for i := 0; i <= n; i++ {
		if pmf[i].Cmp(pmf[a]) <= 0 {
			sum.Add(sum, pmf[i])
		}
	}
	r := new(big.Rat).SetFrac(sum, new(big.Int).Lsh(big.NewInt(1), uint(n)))
	f, _ := r.Float64()
	return min(f, 1)
}

func TestChangePHandWorked(t *testing.T) {
	for _, tc := range []struct {
		a, b int
		want float64
		why  string
	}{
		// n = 12: P(X ≤ 2) = (C(12,0)+C(12,1)+C(12,2))/2^12 = (1+12+66)/4096.
		{10, 2, 2 * 79.0 / 4096, "10 against 2"},
		{2, 10, 2 * 79.0 / 4096, "a fall is as significant as the rise"},
		// (1+12+66+220)/4096.
		{9, 3, 2 * 299.0 / 4096, "9 against 3"},
		// One tail is a single outcome: 2 · 2^−n.
		{5, 0, 2.0 / 32, "5 against none"},
		{0, 7, 2.0 / 128, "none against 7"},
		// Equal counts: both tails hold at least half, so capped at 1.
		{5, 5, 1, "no change"},
		{1, 0, 1, "one incident"},
		{6, 5, 1, "11 split 6/5: P(X ≤ 5) = 1/2"},
		// R: binom.test(10, 30, 0.5)$p.value = 0.09873715; by hand
		// 2·Σ_{i≤10} C(30, i)/2^30 = 2·53009102/1073741824.
		{10, 20, 2 * 53009102.0 / 1073741824, "binom.test(10, 30)"},
		// R: binom.test(7, 20, 0.5)$p.value = 0.2631760; by hand
		// 2·(1+20+190+1140+4845+15504+38760+77520)/2^20.
		{7, 13, 2 * 137980.0 / 1048576, "binom.test(7, 20)"},
	} {
		got := ChangeP(tc.a, tc.b)
		if math.Abs(got-tc.want) > 1e-14*max(1, tc.want) {
			t.Errorf("%s: ChangeP(%d, %d) = %.17g, want %.17g", tc.why, tc.a, tc.b, got, tc.want)
		}
	}
	if p := ChangeP(0, 0); !math.IsNaN(p) {
		t.Errorf("ChangeP(0, 0) = %v, want NaN (nothing to test)", p)
	}
	// The R figures quoted above, to R's printed precision.
	if p := ChangeP(10, 20); math.Abs(p-0.09873715) > 5e-9 {
		t.Errorf("ChangeP(10, 20) = %.10f, R says 0.09873715", p)
	}
	if p := ChangeP(7, 13); math.Abs(p-0.2631760) > 5e-8 {
		t.Errorf("ChangeP(7, 13) = %.10f, R says 0.2631760", p)
	}
}

// TestChangePExact compares with exact integer summation over every split
// of small n and a spread of splits of large n.
func TestChangePExact(t *testing.T) {
	check := func(a, b int, tol float64) {
		t.Helper()
		got, want := ChangeP(a, b), exactChangeP(a, b)
		if math.Abs(got-want) > tol*want && !(want < 1e-300 && got < 1e-300) {
			t.Errorf("ChangeP(%d, %d) = %.17g, exact %.17g (rel %.2g)", a, b, got, want, math.Abs(got-want)/want)
		}
	}
	// Up to n = 50 every coefficient is an exact float64 integer, so the
	// two must agree to the last bit.
	for n := 1; n <= 50; n++ {
		for a := 0; a <= n; a++ {
			check(a, n-a, 0)
		}
	}
	for n := 51; n <= 120; n++ {
		for a := 0; a <= n; a++ {
			check(a, n-a, 1e-13)
		}
	}
	// Either side of the switch from direct summation to lgamma.
	for _, tc := range [][2]int{{500, 480}, {530, 470}, {480, 520}, {520, 481}, {540, 461}, {700, 301}} {
		check(tc[0], tc[1], 1e-11)
	}
	if testing.Short() {
		return
	}
	for _, tc := range [][2]int{{1010, 990}, {1100, 900}, {10100, 9900}, {10300, 9700}, {12000, 8000}, {9990, 10010}} {
		check(tc[0], tc[1], 1e-9)
	}
}

// TestChangePLarge checks big n against the normal approximation with a
// continuity correction, which is accurate to a few parts in a thousand
// there, and that far tails neither overflow nor turn into NaN.
func TestChangePLarge(t *testing.T) {
	for _, tc := range [][2]int{{30300, 29700}, {25100, 24900}, {40000, 39500}, {50600, 49400}} {
		a, b := tc[0], tc[1]
		n := float64(a + b)
		z := (math.Abs(float64(a-b))/2 - 0.5) / math.Sqrt(n/4)
		approx := math.Erfc(z / math.Sqrt2)
		got := ChangeP(a, b)
		if math.Abs(got-approx) > 0.01*approx {
			t.Errorf("ChangeP(%d, %d) = %.6g, normal approximation %.6g", a, b, got, approx)
		}
	}
	for _, tc := range [][2]int{{50000, 0}, {60000, 20000}, {1 << 20, 1<<20 - 5000}} {
		p := ChangeP(tc[0], tc[1])
		if math.IsNaN(p) || p < 0 || p > 1 {
			t.Errorf("ChangeP(%d, %d) = %v, want a probability", tc[0], tc[1], p)
		}
	}
	if p := ChangeP(50000, 0); p != 0 {
		t.Errorf("ChangeP(50000, 0) = %v, want 0 (2^−49999 underflows)", p)
	}
	// A split of a million close to even is not significant and not
	// rounded to 0 or 1: (n/2 − 200 against n/2 + 200 is z ≈ 0.4).
	if p := ChangeP(499800, 500200); p < 0.6 || p > 0.75 {
		t.Errorf("ChangeP(499800, 500200) = %v, want about 0.69", p)
	}
}

func TestBinomialLowerTail(t *testing.T) {
	for _, tc := range []struct {
		k, n int
		want float64
	}{
		{0, 1, 0.5}, {1, 1, 1}, {2, 4, 11.0 / 16}, {3, 4, 15.0 / 16}, {4, 4, 1}, {1, 3, 0.5}, {2, 3, 7.0 / 8},
	} {
		if got := BinomialLowerTail(tc.k, tc.n); math.Abs(got-tc.want) > 1e-15 {
			t.Errorf("P(X ≤ %d | n=%d) = %v, want %v", tc.k, tc.n, got, tc.want)
		}
	}
}

// TestChangeBins is Benjamini–Hochberg by hand: six entries, five with a
// p (the NaN is not counted), ascending 0.0001, 0.001, 0.03, 0.04, 0.5
// times 5/1, 5/2, 5/3, 5/4, 5/5 give 0.0005, 0.0025, 0.05, 0.05, 0.5
// (0.04·5/4 = 0.05 caps 0.03·5/3); the sign is the change's, and no
// change (delta 0) is bin 0 whatever its p.
func TestChangeBins(t *testing.T) {
	p := []float64{0.001, 0.04, 0.03, math.NaN(), 0.5, 0.0001}
	delta := []int{5, -3, 2, 0, 1, 0}
	want := []int{3, -2, 2, 0, 0, 0}
	got := ChangeBins(p, delta)
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("bin %d = %d, want %d (all: %v)", i, got[i], want[i], got)
		}
	}
}
