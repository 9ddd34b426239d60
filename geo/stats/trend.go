package stats

import (
	"math"
	"slices"
)

// MannKendall is the Mann-Kendall trend test of a series (DESIGN.md,
// "Emerging hot spots").
type MannKendall struct {
	// S is Σ_{i<j} sign(x_j − x_i).
	S int
	// VarS is S's variance under no trend with the tie correction,
	// [n(n−1)(2n+5) − Σ_t t(t−1)(2t+5)]/18 over the groups of tied values.
	VarS float64
	// Z is (S − 1)/√VarS for S > 0, (S + 1)/√VarS for S < 0 and 0 for
	// S = 0 (the continuity correction); P its two-sided normal p-value.
	Z, P float64
}

// MannKendallTest runs the Mann-Kendall test on x in time order. Values
// are compared exactly: only equal float64s tie. x must hold no NaN (the
// emerging layer counts an undefined z as 0). Fewer than two values, or
// all tied, give S = 0, Z = 0 and p = 1.
func MannKendallTest(x []float64) MannKendall {
	n := len(x)
	var s int
	for i := 0; i < n; i++ {
		for j := i + 1; j < n; j++ {
			switch {
			case x[j] > x[i]:
				s++
			case x[j] < x[i]:
				s--
			}
		}
	}
	nf := float64(n)
	v := nf * (nf - 1) * (2*nf + 5)
	sorted := slices.Clone(x)
	slices.Sort(sorted)
	for i := 0; i < n; {
		j := i + 1
		for j < n && sorted[j] == sorted[i] {
			j++
		}
		if t := float64(j - i); t > 1 {
			v -= t * (t - 1) * (2*t + 5)
		}
		i = j
	}
	out := MannKendall{S: s, VarS: v / 18, P: 1}
	if s == 0 || out.VarS <= 0 {
		return out
	}
	sf := float64(s)
	if s > 0 {
		sf--
	} else {
		sf++
	}
	out.Z = sf / math.Sqrt(out.VarS)
	out.P = PValue(out.Z)
	return out
}

// The emerging hot spot patterns (DESIGN.md), in the order they are
// tested, then NoPattern.
const (
	NewHot           = "new_hot"
	ConsecutiveHot   = "consecutive_hot"
	IntensifyingHot  = "intensifying_hot"
	PersistentHot    = "persistent_hot"
	DiminishingHot   = "diminishing_hot"
	SporadicHot      = "sporadic_hot"
	OscillatingHot   = "oscillating_hot"
	HistoricalHot    = "historical_hot"
	NewCold          = "new_cold"
	ConsecutiveCold  = "consecutive_cold"
	IntensifyingCold = "intensifying_cold"
	PersistentCold   = "persistent_cold"
	DiminishingCold  = "diminishing_cold"
	SporadicCold     = "sporadic_cold"
	OscillatingCold  = "oscillating_cold"
	HistoricalCold   = "historical_cold"
	NoPattern        = "no_pattern"
)

// Patterns lists the seventeen pattern names in the order they are tested.
func Patterns() []string {
	return []string{NewHot, ConsecutiveHot, IntensifyingHot, PersistentHot, DiminishingHot, SporadicHot, OscillatingHot, HistoricalHot,
		NewCold, ConsecutiveCold, IntensifyingCold, PersistentCold, DiminishingCold, SporadicCold, OscillatingCold, HistoricalCold,
		NoPattern}
}

// TrendAlpha is the level at which a Mann-Kendall trend is significant
// (p ≤ TrendAlpha).
const TrendAlpha = 0.05

// EmergingPattern classifies a cell from its monthly FDR bins (oldest
// first) and the Mann-Kendall Z and p of its monthly Gi* z. A month is hot
// when its bin is ≥ 2 and cold when ≤ −2. With n months, "mostly" is hot
// (cold) in at least 0.9·n months, compared exactly as 10·hot ≥ 9·n; the
// trend is significant at p ≤ 0.05, up for Z > 0. The hot patterns are
// tested first, in DESIGN.md's order; no months is NoPattern.
func EmergingPattern(bins []int, trendZ, trendP float64) string {
	if len(bins) == 0 {
		return NoPattern
	}
	significant := trendP <= TrendAlpha && trendZ != 0 && !math.IsNaN(trendZ)
	up, down := significant && trendZ > 0, significant && trendZ < 0
	if i, ok := pattern(bins, 1, up, down); ok {
		return hotPatterns[i]
	}
	if i, ok := pattern(bins, -1, down, up); ok {
		return coldPatterns[i]
	}
	return NoPattern
}

var (
	hotPatterns  = [8]string{NewHot, ConsecutiveHot, IntensifyingHot, PersistentHot, DiminishingHot, SporadicHot, OscillatingHot, HistoricalHot}
	coldPatterns = [8]string{NewCold, ConsecutiveCold, IntensifyingCold, PersistentCold, DiminishingCold, SporadicCold, OscillatingCold, HistoricalCold}
)

// pattern applies the eight rules of one side (side 1: hot, −1: cold) and
// returns the index of the first that holds in the side's list;
// intensifying is a significant trend towards the side, diminishing one
// away from it.
func pattern(bins []int, side int, intensifying, diminishing bool) (int, bool) {
	is := func(b int) bool { return side*b >= 2 }
	n := len(bins)
	count, otherSeen := 0, false
	for _, b := range bins {
		if is(b) {
			count++
		}
		if side*b <= -2 {
			otherSeen = true
		}
	}
	final := is(bins[n-1])
	mostly := 10*count >= 9*n // count ≥ 0.9·n without rounding
	// The run of the side's months that ends at the final month.
	run := 0
	for i := n - 1; i >= 0 && is(bins[i]); i-- {
		run++
	}
	switch {
	case final && count == 1: // new: no earlier month
		return 0, true
	case final && run >= 2 && run == count && !mostly: // consecutive
		return 1, true
	case mostly && final && intensifying:
		return 2, true
	case mostly && final && !intensifying && !diminishing: // persistent
		return 3, true
	case mostly && final && diminishing:
		return 4, true
	case final && !mostly && !otherSeen: // sporadic
		return 5, true
	case final && !mostly && otherSeen: // oscillating
		return 6, true
	case !final && mostly: // historical
		return 7, true
	}
	return 0, false
}
