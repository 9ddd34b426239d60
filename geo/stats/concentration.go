package stats

import "slices"

// LorenzPoints is how many points a Lorenz curve has: cell shares 0,
// 0.01, …, 1.
const LorenzPoints = 101

// Concentration is how unevenly incidents fall over a study area's cells
// (DESIGN.md, "Concentration").
type Concentration struct {
	Incidents, Cells int
	// Defined is false when there are no incidents (or no cells): shares
	// of nothing are undefined, and every figure below is then zero.
	Defined bool
	// CellsFor50 and CellsFor80 are the fewest cells, busiest first,
	// holding at least 50 % and 80 % of the incidents; Share50 and
	// Share80 those cells' share of all the cells.
	CellsFor50, CellsFor80 int
	Share50, Share80       float64
	// Gini is 2Σ i·x_(i) / (n Σx) − (n+1)/n over every cell, zeros
	// included, x ascending and i from 1: 0 when every cell holds the
	// same, (n−1)/n when one cell holds everything.
	Gini float64
	// Lorenz is [cell share, incident share] at cell shares j/100, cells
	// busiest first: the piecewise-linear curve through
	// (i/n, the busiest i cells' share of the incidents), i = 0…n, read at
	// each j/100. Between two of those points each cell's incidents are
	// taken as spread evenly over its share of the cells, so a curve over
	// fewer than 100 cells is straight across each cell rather than
	// stepped.
	Lorenz [][2]float64
}

// Concentrate computes the concentration of counts, one per cell of the
// study area, zeros included. Negative counts are a caller's bug and are
// treated as zero.
func Concentrate(counts []int) Concentration {
	x := make([]int, len(counts))
	total := 0
	for i, c := range counts {
		x[i] = max(c, 0)
		total += x[i]
	}
	out := Concentration{Incidents: total, Cells: len(x)}
	if total == 0 {
		return out
	}
	out.Defined = true
	slices.Sort(x) // ascending, for the Gini sum
	n := len(x)
	// The numerator 2Σ i·x_(i) − (n+1)Σx in integers, so that equal
	// counts give exactly 0 and one division is the only rounding.
	var weighted int64
	for i, v := range x {
		weighted += int64(i+1) * int64(v)
	}
	num := 2*weighted - int64(n+1)*int64(total)
	out.Gini = float64(num) / (float64(n) * float64(total))
	slices.Reverse(x) // busiest first
	cum := make([]int, n+1)
	for i, v := range x {
		cum[i+1] = cum[i] + v
	}
	// Integer comparisons: "at least half" must not depend on rounding.
	out.CellsFor50 = fewestFor(cum, total, 1, 2)
	out.CellsFor80 = fewestFor(cum, total, 4, 5)
	out.Share50 = float64(out.CellsFor50) / float64(n)
	out.Share80 = float64(out.CellsFor80) / float64(n)
	out.Lorenz = make([][2]float64, LorenzPoints)
	for j := range LorenzPoints {
		// j/100 of n cells is whole cells and a fraction of the next,
		// both exact in integers.
		whole, rest := j*n/100, j*n%100
		held := float64(cum[whole])
		if rest > 0 {
			held += float64(x[whole]) * float64(rest) / 100
		}
		out.Lorenz[j] = [2]float64{float64(j) / 100, held / float64(total)}
	}
	return out
}

// fewestFor is the smallest m with cum[m] ≥ num/den of total.
func fewestFor(cum []int, total, num, den int) int {
	for m, c := range cum {
		if c*den >= total*num {
			return m
		}
	}
	return len(cum) - 1
}
