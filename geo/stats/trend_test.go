package stats

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// Hand-worked Mann-Kendall cases. Var S = [n(n−1)(2n+5) − Σ_t t(t−1)(2t+5)]/18.
func TestMannKendallHandWorked(t *testing.T) {
	for _, tc := range []struct {
		name string
		x    []float64
		s    int
		varS float64
		z, p float64
	}{
		{
			// Every one of the 10 pairs rises: S = 10. No ties:
			// Var S = 5·4·15/18 = 300/18. Z = (10 − 1)/√(300/18) = 2.20454.
			name: "rising", x: []float64{1, 2, 3, 4, 5},
			s: 10, varS: 300.0 / 18, z: 2.2045407685048604, p: 0.027486336111510353,
		},
		{
			name: "falling", x: []float64{5, 4, 3, 2, 1},
			s: -10, varS: 300.0 / 18, z: -2.2045407685048604, p: 0.027486336111510353,
		},
		{
			// i=0 (1): +1 +1 +1 0 = 3; i=1 (2): 0 +1 −1 = 0; i=2 (2): +1 −1 = 0;
			// i=3 (3): −1. S = 2. Ties: {1,1} t=2 and {2,2} t=2, each
			// 2·1·9 = 18. Var S = (300 − 36)/18 = 264/18. Z = 1/√(264/18).
			name: "two pairs of ties", x: []float64{1, 2, 2, 3, 1},
			s: 2, varS: 264.0 / 18, z: 0.26111648393354675, p: 0.794002680192762,
		},
		{
			// i=0: 0 0 −1; i=1: 0 −1; i=2: −1. S = −3. One tie group of
			// three: 3·2·11 = 66. Var S = (4·3·13 − 66)/18 = 90/18 = 5.
			// Z = (−3 + 1)/√5.
			name: "three tied then a fall", x: []float64{5, 5, 5, 1},
			s: -3, varS: 5, z: -0.8944271909999159, p: 0.37109336952269767,
		},
		{
			// i=0 (1): +1 0 +1; i=1 (2): −1 0; i=2 (1): +1. S = 2. Ties
			// {1,1}, {2,2}: 36. Var S = (156 − 36)/18 = 120/18. Z = 1/√(120/18).
			name: "alternating", x: []float64{1, 2, 1, 2},
			s: 2, varS: 120.0 / 18, z: 0.3872983346207417, p: 0.6985353583033387,
		},
		{
			// i=0 (0): +1 0 +1 0 = 2; i=1 (1): −1 0 −1 = −2; i=2 (0): +1 0 = 1;
			// i=3 (1): −1. S = 0, so Z is 0 and p 1 whatever Var S is.
			// Ties {0,0,0} (3·2·11 = 66) and {1,1} (18):
			// Var S = (300 − 84)/18 = 216/18 = 12.
			name: "S zero", x: []float64{0, 1, 0, 1, 0},
			s: 0, varS: 12, z: 0, p: 1,
		},
		{
			// All tied: S = 0 and Var S = (n(n−1)(2n+5) − the same)/18 = 0.
			name: "all equal", x: []float64{0, 0, 0, 0, 0, 0, 0, 0, 0, 0},
			s: 0, varS: 0, z: 0, p: 1,
		},
		{name: "one value", x: []float64{3}, s: 0, varS: 0, z: 0, p: 1},
		{name: "none", x: nil, s: 0, varS: 0, z: 0, p: 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := MannKendallTest(tc.x)
			if got.S != tc.s || !near(got.VarS, tc.varS, 1e-12) || !near(got.Z, tc.z, 1e-12) || !near(got.P, tc.p, 1e-12) {
				t.Errorf("MannKendallTest(%v) = %+v, want S %d, Var S %v, Z %v, p %v", tc.x, got, tc.s, tc.varS, tc.z, tc.p)
			}
		})
	}
}

func near(a, b, tol float64) bool { return math.Abs(a-b) <= tol*math.Max(1, math.Abs(b)) }

// TestMannKendallAgainstPermutations checks Var S against an independent
// reckoning: under no trend every ordering of the values is equally
// likely, so Var S is the mean of S² over all orderings (E S = 0), found
// here by brute force over every permutation of small series with ties.
// The tie-corrected formula is exact for that distribution. The normal p
// is compared loosely with the exact permutation p, P(|S| ≥ |s|).
func TestMannKendallAgainstPermutations(t *testing.T) {
	for _, x := range [][]float64{
		{1, 2, 3, 4, 5},
		{1, 2, 2, 3, 1},
		{5, 5, 5, 1},
		{0, 0, 1, 1, 2, 2},
		{0, 1.5, 0, -2, 3, 3, 0},
		{-1, 0, 0, 0, 0, 2, 7},
		{1, 2, 3, 4, 5, 6, 7, 8},
		{0, 0, 0, 0, 0, 0, 0, 0},
	} {
		perms := permutations(x)
		var sumSq float64
		for _, p := range perms {
			s := bruteS(p)
			sumSq += float64(s * s)
		}
		exactVar := sumSq / float64(len(perms))
		got := MannKendallTest(x)
		if !near(got.VarS, exactVar, 1e-9) {
			t.Errorf("%v: Var S = %v, permutation variance %v", x, got.VarS, exactVar)
		}
		if got.S != bruteS(x) {
			t.Errorf("%v: S = %d, brute force %d", x, got.S, bruteS(x))
		}
		if len(x) >= 7 && got.S != 0 {
			var extreme int
			for _, p := range perms {
				if s := bruteS(p); abs(s) >= abs(got.S) {
					extreme++
				}
			}
			exactP := float64(extreme) / float64(len(perms))
			if math.Abs(got.P-exactP) > 0.03 {
				t.Errorf("%v: normal p %v, exact permutation p %v", x, got.P, exactP)
			}
		}
	}
}

// TestMannKendallRandomSeries compares S with a brute-force S and Var S
// with tie groups counted by a map, on random integer series with many
// ties, of the lengths the emerging layer sees.
func TestMannKendallRandomSeries(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for range 500 {
		n := 10 + rng.IntN(30)
		x := make([]float64, n)
		for i := range x {
			x[i] = float64(rng.IntN(5) - 2)
		}
		groups := map[float64]int{}
		for _, v := range x {
			groups[v]++
		}
		v := float64(n * (n - 1) * (2*n + 5))
		for _, t := range groups {
			v -= float64(t * (t - 1) * (2*t + 5))
		}
		v /= 18
		s := bruteS(x)
		var z float64
		if s != 0 {
			z = (float64(s) - float64(sign(s))) / math.Sqrt(v)
		}
		got := MannKendallTest(x)
		if got.S != s || !near(got.VarS, v, 1e-12) || !near(got.Z, z, 1e-12) {
			t.Fatalf("%v: got %+v, want S %d, Var S %v, Z %v", x, got, s, v, z)
		}
	}
}

func bruteS(x []float64) int {
	s := 0
	for j := range x {
		for i := range j {
			s += sign3(x[j] - x[i])
		}
	}
	return s
}

func sign3(d float64) int {
	switch {
	case d > 0:
		return 1
	case d < 0:
		return -1
	}
	return 0
}

func sign(n int) int { return sign3(float64(n)) }

func abs(n int) int { return max(n, -n) }

// permutations lists every ordering of x (positions, so tied values give
// repeats, each ordering equally likely).
func permutations(x []float64) [][]float64 {
	if len(x) <= 1 {
		return [][]float64{slices.Clone(x)}
	}
	var out [][]float64
	for i := range x {
		rest := append(slices.Clone(x[:i]), x[i+1:]...)
		for _, p := range permutations(rest) {
			out = append(out, append([]float64{x[i]}, p...))
		}
	}
	return out
}

// series builds a bin series: n months of fill with the given months set.
func series(n, fill int, set map[int]int) []int {
	b := make([]int, n)
	for i := range b {
		b[i] = fill
	}
	for i, v := range set {
		b[i] = v
	}
	return b
}

// hotFrom is n months, hot (bin 2) from month first on.
func hotFrom(n, first int) []int {
	b := make([]int, n)
	for i := first; i < n; i++ {
		b[i] = 2
	}
	return b
}

func TestEmergingPattern(t *testing.T) {
	const (
		up, down, flat = 3.0, -3.0, 0.5 // trend Z
		sig, notSig    = 0.01, 0.6      // trend p
	)
	for _, tc := range []struct {
		name string
		bins []int
		z, p float64
		want string
	}{
		// new: a run of one at the end.
		{"new hot: only the final month", series(10, 0, map[int]int{9: 2}), flat, notSig, NewHot},
		{"new hot: bin 3", series(10, 0, map[int]int{9: 3}), flat, notSig, NewHot},
		{"new hot even after cold months", series(10, -3, map[int]int{9: 2}), flat, notSig, NewHot},
		{"bin 1 is not hot", series(10, 0, map[int]int{9: 1}), flat, notSig, NoPattern},
		{"a run of one at the end after an earlier hot month: sporadic", series(10, 0, map[int]int{0: 2, 9: 2}), flat, notSig, SporadicHot},
		// consecutive.
		{"consecutive: a run of two at the end", series(10, 0, map[int]int{8: 2, 9: 3}), flat, notSig, ConsecutiveHot},
		{"a run of two after an earlier hot month: sporadic", series(10, 0, map[int]int{2: 2, 8: 2, 9: 2}), flat, notSig, SporadicHot},
		{"consecutive: 8 of 10 (80 %, not mostly)", hotFrom(10, 2), flat, notSig, ConsecutiveHot},
		{"consecutive: 17 of 20 (85 %)", hotFrom(20, 3), up, sig, ConsecutiveHot},
		{"a run that ends before the final month is not consecutive", series(10, 0, map[int]int{7: 2, 8: 2}), flat, notSig, NoPattern},
		// mostly: exactly 90 %.
		{"persistent: 9 of 10, exactly 90 %", hotFrom(10, 1), flat, notSig, PersistentHot},
		{"persistent: 18 of 20, exactly 90 %", hotFrom(20, 2), flat, notSig, PersistentHot},
		{"intensifying: 9 of 10 rising", hotFrom(10, 1), up, sig, IntensifyingHot},
		{"intensifying: 18 of 20 rising", hotFrom(20, 2), up, sig, IntensifyingHot},
		{"diminishing: 9 of 10 falling", hotFrom(10, 1), down, sig, DiminishingHot},
		{"diminishing: 18 of 20 falling", hotFrom(20, 2), down, sig, DiminishingHot},
		{"trend p exactly 0.05 is significant", hotFrom(10, 1), 1.96, 0.05, IntensifyingHot},
		{"trend p just over 0.05 is not", hotFrom(10, 1), 1.95, 0.0501, PersistentHot},
		{"persistent: every month hot", hotFrom(10, 0), flat, notSig, PersistentHot},
		{"mostly with a gap: 9 of 10", series(10, 2, map[int]int{4: 0}), flat, notSig, PersistentHot},
		// sporadic and oscillating: not mostly.
		{"sporadic: 8 of 10 with a gap, never cold", series(10, 2, map[int]int{3: 0, 5: 1}), flat, notSig, SporadicHot},
		{"sporadic: 17 of 20 with a gap", series(20, 2, map[int]int{0: 0, 5: 0, 10: -1}), flat, notSig, SporadicHot},
		{"oscillating: cold once", series(10, 0, map[int]int{0: 2, 4: -2, 9: 2}), flat, notSig, OscillatingHot},
		{"oscillating: 8 of 10 hot, one cold", series(10, 2, map[int]int{3: -3, 5: 0}), flat, notSig, OscillatingHot},
		{"consecutive comes before oscillating", series(10, 0, map[int]int{2: -2, 8: 2, 9: 2}), flat, notSig, ConsecutiveHot},
		// historical.
		{"historical: 9 of 10 but not the final", series(10, 2, map[int]int{9: 0}), flat, notSig, HistoricalHot},
		{"historical: 18 of 20 but not the final", series(20, 2, map[int]int{0: 0, 19: 1}), flat, notSig, HistoricalHot},
		{"historical hot even when the final month is cold", series(10, 2, map[int]int{9: -2}), flat, notSig, HistoricalHot},
		{"8 of 10, final not hot: nothing", series(10, 2, map[int]int{8: 0, 9: 0}), flat, notSig, NoPattern},
		{"17 of 20, final not hot: nothing", series(20, 2, map[int]int{0: 0, 1: 0, 19: 0}), flat, notSig, NoPattern},
		// cold, the trend's sign reversed.
		{"new cold", series(10, 0, map[int]int{9: -2}), flat, notSig, NewCold},
		{"consecutive cold", series(10, 0, map[int]int{8: -3, 9: -2}), flat, notSig, ConsecutiveCold},
		{"intensifying cold: falling", series(10, -2, map[int]int{0: 0}), down, sig, IntensifyingCold},
		{"persistent cold: 18 of 20", series(20, -2, map[int]int{0: 0, 1: 0}), flat, notSig, PersistentCold},
		{"diminishing cold: rising", series(10, -2, map[int]int{0: 0}), up, sig, DiminishingCold},
		{"sporadic cold", series(10, 0, map[int]int{1: -2, 9: -2}), flat, notSig, SporadicCold},
		{"oscillating cold: hot once", series(10, 0, map[int]int{1: -2, 4: 2, 9: -2}), flat, notSig, OscillatingCold},
		{"historical cold", series(10, -2, map[int]int{9: 0}), flat, notSig, HistoricalCold},
		{"hot wins over cold: hot final after mostly cold", series(10, -2, map[int]int{9: 2}), flat, notSig, NewHot},
		// nothing.
		{"no pattern: all zero", series(10, 0, nil), 0, 1, NoPattern},
		{"no pattern: bins of 1 only", series(12, 1, nil), up, sig, NoPattern},
		{"no months", nil, 0, 1, NoPattern},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := EmergingPattern(tc.bins, tc.z, tc.p); got != tc.want {
				t.Errorf("EmergingPattern(%v, %v, %v) = %s, want %s", tc.bins, tc.z, tc.p, got, tc.want)
			}
		})
	}
}

// TestMostlyIsExact checks the 90 % boundary for every n up to 100 against
// integer arithmetic: hot in ⌈0.9·n⌉ months is mostly, one fewer is not.
func TestMostlyIsExact(t *testing.T) {
	for n := 10; n <= 100; n++ {
		need := (9*n + 9) / 10 // ⌈9n/10⌉
		if got := EmergingPattern(hotFrom(n, n-need), 0, 1); got != PersistentHot {
			t.Errorf("n %d, %d hot: %s, want persistent_hot", n, need, got)
		}
		if got := EmergingPattern(hotFrom(n, n-need+1), 0, 1); got != ConsecutiveHot {
			t.Errorf("n %d, %d hot: %s, want consecutive_hot", n, need-1, got)
		}
	}
}

func TestPatternsAreSeventeen(t *testing.T) {
	ps := Patterns()
	seen := map[string]bool{}
	for _, p := range ps {
		seen[p] = true
	}
	if len(ps) != 17 || len(seen) != 17 || ps[16] != NoPattern {
		t.Errorf("Patterns() = %v", ps)
	}
}
