package stats

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// TestConcentrateHandWorked: counts [5,3,1,1,0] (10 incidents, 5 cells).
// Ascending 0,1,1,3,5: Σ i·x = 0+2+3+12+25 = 42, G = 2·42/(5·10) − 6/5
// = 0.48. Busiest first the curve passes (0.2, 0.5), (0.4, 0.8),
// (0.6, 0.9), (0.8, 1), (1, 1): one cell holds half, two cells 80 %.
func TestConcentrateHandWorked(t *testing.T) {
	c := Concentrate([]int{1, 0, 5, 1, 3})
	if !c.Defined || c.Incidents != 10 || c.Cells != 5 {
		t.Fatalf("got %+v", c)
	}
	if c.CellsFor50 != 1 || c.CellsFor80 != 2 || c.Share50 != 0.2 || c.Share80 != 0.4 {
		t.Errorf("50/80 %%: %d cells (%v), %d cells (%v); want 1 (0.2), 2 (0.4)", c.CellsFor50, c.Share50, c.CellsFor80, c.Share80)
	}
	if math.Abs(c.Gini-0.48) > 1e-15 {
		t.Errorf("gini %v, want 0.48", c.Gini)
	}
	if len(c.Lorenz) != 101 {
		t.Fatalf("%d Lorenz points", len(c.Lorenz))
	}
	// Between the vertices the curve is straight: at 0.1 half of the
	// first cell's 0.5, at 0.3 0.5 + half of 0.3, and so on.
	for share, want := range map[int]float64{0: 0, 10: 0.25, 20: 0.5, 30: 0.65, 40: 0.8, 50: 0.85, 70: 0.95, 80: 1, 90: 1, 100: 1, 5: 0.125} {
		got := c.Lorenz[share]
		if math.Abs(got[0]-float64(share)/100) > 1e-15 || math.Abs(got[1]-want) > 1e-12 {
			t.Errorf("lorenz[%d] = %v, want [%v %v]", share, got, float64(share)/100, want)
		}
	}
}

func TestConcentrateCases(t *testing.T) {
	for _, tc := range []struct {
		name         string
		counts       []int
		c50, c80     int
		gini         float64
		lorenzAtHalf float64
	}{
		// Equal counts: no concentration; half the cells hold half.
		{"equal", []int{4, 4, 4, 4}, 2, 4, 0, 0.5},
		// One cell of four holds all: G = (n−1)/n = 0.75.
		{"one cell", []int{0, 0, 9, 0}, 1, 1, 0.75, 1},
		// Exactly half in one cell counts as "at least half".
		{"exactly half", []int{2, 1, 1}, 1, 3, 2*(1*1+2*1+3*2.0)/(3*4) - 4.0/3, 2.0/4 + 0.5*(1.0/4)},
		// A single cell: everything, and G = 0.
		{"single", []int{7}, 1, 1, 0, 0.5},
	} {
		c := Concentrate(tc.counts)
		if c.CellsFor50 != tc.c50 || c.CellsFor80 != tc.c80 {
			t.Errorf("%s: cells for 50/80 %% = %d/%d, want %d/%d", tc.name, c.CellsFor50, c.CellsFor80, tc.c50, tc.c80)
		}
		if math.Abs(c.Gini-tc.gini) > 1e-14 {
			t.Errorf("%s: gini %v, want %v", tc.name, c.Gini, tc.gini)
		}
		if math.Abs(c.Lorenz[50][1]-tc.lorenzAtHalf) > 1e-12 {
			t.Errorf("%s: lorenz at 0.5 = %v, want %v", tc.name, c.Lorenz[50][1], tc.lorenzAtHalf)
		}
	}
}

func TestConcentrateEmpty(t *testing.T) {
	for _, counts := range [][]int{nil, {0, 0, 0}} {
		c := Concentrate(counts)
		if c.Defined || c.Incidents != 0 || c.Cells != len(counts) || c.Lorenz != nil {
			t.Errorf("Concentrate(%v) = %+v, want undefined", counts, c)
		}
	}
}

// TestConcentrateGiniLorenz checks the Gini formula against the area of
// the Lorenz polygon (busiest first, G = 2A − 1 for the trapezoid area A
// under it), computed here independently from the sorted counts, and
// that the 50 %/80 % cells match a direct scan.
func TestConcentrateGiniLorenz(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for range 200 {
		n := 1 + rng.IntN(300)
		counts := make([]int, n)
		for i := range counts {
			if rng.IntN(3) > 0 {
				counts[i] = rng.IntN(50)
			}
		}
		counts[rng.IntN(n)]++ // never all zero
		c := Concentrate(counts)
		desc := slices.Clone(counts)
		slices.Sort(desc)
		slices.Reverse(desc)
		total := 0
		for _, v := range desc {
			total += v
		}
		var area, prev, cum float64
		c50, c80 := -1, -1
		for i, v := range desc {
			cum += float64(v)
			y := cum / float64(total)
			area += (prev + y) / 2 / float64(n)
			prev = y
			if c50 < 0 && cum >= 0.5*float64(total) {
				c50 = i + 1
			}
			if c80 < 0 && cum >= 0.8*float64(total) {
				c80 = i + 1
			}
		}
		if math.Abs(c.Gini-(2*area-1)) > 1e-9 {
			t.Fatalf("n=%d: gini %v, 2A−1 = %v", n, c.Gini, 2*area-1)
		}
		if c.CellsFor50 != c50 || c.CellsFor80 != c80 {
			t.Fatalf("n=%d: cells for 50/80 %% = %d/%d, scan %d/%d", n, c.CellsFor50, c.CellsFor80, c50, c80)
		}
		for j := 1; j < len(c.Lorenz); j++ {
			if c.Lorenz[j][1] < c.Lorenz[j-1][1] || c.Lorenz[j][1] > 1 {
				t.Fatalf("n=%d: lorenz not rising to 1 at %d: %v", n, j, c.Lorenz[j-1:j+1])
			}
		}
		if c.Lorenz[0] != [2]float64{0, 0} || c.Lorenz[100] != [2]float64{1, 1} {
			t.Fatalf("n=%d: lorenz ends %v %v", n, c.Lorenz[0], c.Lorenz[100])
		}
	}
}
