package stats

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/big"
	"math/rand/v2"
	"slices"
	"testing"
)

// exactPermutationP enumerates every |N|-subset of the n counts, the
// whole permutation null, and returns the two-sided p that the Monte-Carlo
// p estimates: min(1, 2·min(P(G_sim ≥ G), P(G_sim ≤ G))).
func exactPermutationP(x []float64, nb []int32) float64 {
	var g float64
	for _, j := range nb {
		g += x[j]
	}
	n, k := len(x), len(nb)
	var ge, le, total int
	idx := make([]int, k)
	for i := range idx {
		idx[i] = i
	}
	for {
		var s float64
		for _, i := range idx {
			s += x[i]
		}
		total++
		if s >= g-1e-9 {
			ge++
		}
		if s <= g+1e-9 {
			le++
		}
		// next combination in lexicographic order
		i := k - 1
		for i >= 0 && idx[i] == n-k+i {
			i--
		}
		if i < 0 {
			break
		}
		idx[i]++
		for j := i + 1; j < k; j++ {
			idx[j] = idx[j-1] + 1
		}
	}
	return min(1, 2*float64(min(ge, le))/float64(total))
}

// TestGiStarPermutationPExact checks that with many permutations the
// p-values converge to the exact ones found by enumerating the null by
// hand-sized cases: sparse counts (the background zero), a non-zero
// background, all-distinct and non-integer values, neighbourhoods of 1 to
// 4 cells. With 99,999 permutations a p's standard error is at most
// 2·√(0.25/99,999) ≈ 0.0032; the tolerance is about 4.7 of them.
func TestGiStarPermutationPExact(t *testing.T) {
	const perms = 99_999
	for _, tc := range []struct {
		name string
		x    []float64
		nbrs [][]int32
	}{
		// n = 4, |N| = 2: the six pair sums of 0, 1, 2, 5 are 1, 2, 5, 3,
		// 6, 7. Cell 3 with {3, 2} sums to 7, the largest: P(≥) = 1/6, so
		// p = 1/3. Cell 0 with {0, 1} sums to 1, the smallest: p = 1/3.
		// Cell 1 with {1, 2} sums to 3: P(≥) = 4/6, P(≤) = 3/6, p = 1.
		{"n4-pairs", []float64{0, 1, 2, 5}, [][]int32{{0, 1}, {1, 2}, {2, 0}, {3, 2}}},
		{"n5-pairs", []float64{3, 0, 0, 1, 4}, [][]int32{{0, 1}, {1, 2}, {2, 3}, {3, 4}, {4, 0}}},
		{"sparse-n8", []float64{0, 0, 6, 0, 0, 1, 0, 0},
			[][]int32{{0, 1, 2}, {1, 2}, {2, 1, 3, 5}, {3}, {4, 3, 5}, {5, 2}, {6, 7}, {7, 2, 6}}},
		{"background-two", []float64{2, 2, 2, 9, 2, 0, 2, 2, 4},
			[][]int32{{0, 3}, {3, 8}, {5, 1, 2}, {3, 8, 4}, {4}, {5, 6}, {6, 7, 0}, {7, 5, 3}, {8, 3, 1, 0}}},
		{"distinct", []float64{1, 2, 3, 4, 5, 6, 7}, [][]int32{{0, 1, 2}, {6, 5}, {3}, {3, 0, 6}, {4, 2, 5}, {5, 6, 4, 3}, {6}}},
		{"non-integer", []float64{0.1, 0.2, 0.3, 0, 0, 0.7}, [][]int32{{0, 1}, {1, 2}, {0, 1, 2}, {3, 4}, {4, 5}, {5, 0, 2}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p, err := GiStarPermutationP(t.Context(), tc.x, tc.nbrs, perms, 42, 0)
			if err != nil {
				t.Fatal(err)
			}
			for i, nb := range tc.nbrs {
				want := exactPermutationP(tc.x, nb)
				if math.Abs(p[i]-want) > 0.015 {
					t.Errorf("cell %d: p = %.5f, exact %.5f", i, p[i], want)
				}
			}
		})
	}
}

// TestHyperTable checks the sampler of how many non-background values a
// draw holds against the exact hypergeometric law, C(z,h)·C(n−z,k−h)/C(n,k)
// in big integers, including the bounds of its support.
func TestHyperTable(t *testing.T) {
	for _, tc := range []struct{ n, z, k int }{
		{4, 2, 2}, {10, 8, 5}, {20, 20, 5}, {20, 0, 5}, {30, 15, 30}, {50, 3, 0},
		{900, 36, 7}, {5500, 220, 7}, {5500, 220, 127}, {5500, 5000, 127},
	} {
		t.Run(fmt.Sprintf("n=%d,z=%d,k=%d", tc.n, tc.z, tc.k), func(t *testing.T) {
			tab, _ := newHyperTable(tc.n, tc.z, tc.k, nil)
			if want := max(0, tc.k-(tc.n-tc.z)); tab.hmin != want {
				t.Errorf("hmin %d, want %d", tab.hmin, want)
			}
			if want := min(tc.k, tc.z); tab.hmax != want {
				t.Errorf("hmax %d, want %d", tab.hmax, want)
			}
			total := new(big.Int).Binomial(int64(tc.n), int64(tc.k))
			cum := new(big.Int)
			for h := tab.hmin; h <= tab.hmax; h++ {
				term := new(big.Int).Binomial(int64(tc.z), int64(h))
				term.Mul(term, new(big.Int).Binomial(int64(tc.n-tc.z), int64(tc.k-h)))
				cum.Add(cum, term)
				want, _ := new(big.Rat).SetFrac(cum, total).Float64()
				got := float64(tab.cdf[h]) / 0x1p64
				if math.Abs(got-want) > 1e-13 {
					t.Errorf("P(H ≤ %d) = %.17g, exact %.17g", h, got, want)
				}
			}
		})
	}
}

// TestGiStarPermutationPEdges covers the values that can be worked out
// without enumeration.
func TestGiStarPermutationPEdges(t *testing.T) {
	const perms = 999
	floor := 2.0 / (perms + 1)
	ramp := make([]float64, 60) // 1…60, all distinct
	for i := range ramp {
		ramp[i] = float64(i + 1)
	}
	sparse60 := make([]float64, 60) // seven distinct counts among 53 zeros
	for i, v := range []float64{3, 9, 1, 4, 12, 2, 5} {
		sparse60[10+7*i] = v
	}
	top7 := []int32{10, 17, 24, 31, 38, 45, 52}
	for _, tc := range []struct {
		name string
		x    []float64
		nbrs [][]int32
		want []float64
	}{
		// Every draw sums to the observed sum, so m = permutations.
		{"all equal", []float64{3, 3, 3, 3, 3, 3}, [][]int32{{0, 1}, {1}, {2, 3, 4}, {3, 0}, {4, 5}, {5, 1, 2, 3}}, []float64{1, 1, 1, 1, 1, 1}},
		{"whole area", []float64{0, 4, 1, 0, 2}, [][]int32{{0, 1, 2, 3, 4}, {1, 0, 2, 3, 4}, {2}, {3, 4}, {4, 3, 2, 1, 0}}, []float64{1, 1, -1, -1, 1}},
		// The seven largest of sixty: only 1 draw in C(60,7) ≈ 3.9e8
		// reaches their sum, so m = 0 and p is the floor 2/(P+1).
		{"largest sum", sparse60, [][]int32{top7}, []float64{floor}},
		{"largest of a ramp", ramp, [][]int32{{59, 58, 57, 56, 55, 54, 53}}, []float64{floor}},
		{"smallest of a ramp", ramp, [][]int32{{0, 1, 2, 3, 4, 5, 6}}, []float64{floor}},
		{"empty", nil, nil, []float64{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			x, nbrs := tc.x, tc.nbrs
			if len(nbrs) < len(x) { // pad: the cells under test come first
				nbrs = append(slices.Clone(nbrs), make([][]int32, len(x)-len(nbrs))...)
				for i := len(tc.nbrs); i < len(x); i++ {
					nbrs[i] = []int32{int32(i)}
				}
			}
			p, err := GiStarPermutationP(t.Context(), x, nbrs, perms, 1, 2)
			if err != nil {
				t.Fatal(err)
			}
			for i, want := range tc.want {
				if want >= 0 && p[i] != want {
					t.Errorf("cell %d: p = %v, want %v", i, p[i], want)
				}
			}
		})
	}
}

func TestGiStarPermutationPNonFinite(t *testing.T) {
	for _, v := range []float64{math.NaN(), math.Inf(1), math.Inf(-1)} {
		p, err := GiStarPermutationP(t.Context(), []float64{1, v, 0}, [][]int32{{0, 1}, {1}, {2, 0}}, 99, 1, 1)
		if err != nil {
			t.Fatal(err)
		}
		for i := range p {
			if !math.IsNaN(p[i]) {
				t.Errorf("count %v: p[%d] = %v, want NaN", v, i, p[i])
			}
		}
	}
}

// TestGiStarPermutationPReproducible: the same seed gives bit-identical
// p-values whatever the number of workers; another seed gives others.
func TestGiStarPermutationPReproducible(t *testing.T) {
	nbrs := hexGrid(20, 1)
	x := sparseCounts(len(nbrs), 5)
	ref, err := GiStarPermutationP(t.Context(), x, nbrs, 999, 7, 1)
	if err != nil {
		t.Fatal(err)
	}
	for _, workers := range []int{0, -1, 2, 3, 7, 1000} {
		t.Run(fmt.Sprintf("workers=%d", workers), func(t *testing.T) {
			p, err := GiStarPermutationP(t.Context(), x, nbrs, 999, 7, workers)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(p, ref) {
				t.Error("p differs from the single worker's")
			}
		})
	}
	other, err := GiStarPermutationP(t.Context(), x, nbrs, 999, 8, 2)
	if err != nil {
		t.Fatal(err)
	}
	if slices.Equal(other, ref) {
		t.Error("seeds 7 and 8 gave identical p-values")
	}
}

// TestGiStarPermutationPRange: on assorted data every p is in
// (0, 1], at least 2/(P+1), and either 1 or a multiple of 2/(P+1).
func TestGiStarPermutationPRange(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	dense := make([]float64, 400)
	for i := range dense {
		dense[i] = float64(r.IntN(30))
	}
	normal := make([]float64, 400)
	for i := range normal {
		normal[i] = r.NormFloat64()
	}
	for _, tc := range []struct {
		name  string
		x     []float64
		k     int
		perms int
	}{
		{"sparse k1", sparseCounts(400, 1), 1, 99},
		{"sparse k3", sparseCounts(400, 2), 3, 999},
		{"dense k2", dense, 2, 499},
		{"normal k1", normal, 1, 199},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p, err := GiStarPermutationP(t.Context(), tc.x, hexGrid(20, tc.k), tc.perms, 9, 0)
			if err != nil {
				t.Fatal(err)
			}
			step := 2.0 / float64(tc.perms+1)
			for i, v := range p {
				units := v / step
				if !(v > 0 && v <= 1) || v < step || (v != 1 && math.Abs(units-math.Round(units)) > 1e-9) {
					t.Errorf("cell %d: p = %v", i, v)
				}
			}
		})
	}
}

func TestGiStarPermutationPCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	nbrs := hexGrid(10, 1)
	_, err := GiStarPermutationP(ctx, sparseCounts(len(nbrs), 1), nbrs, 999, 1, 2)
	if !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, want context.Canceled", err)
	}
}

func TestGiStarPermutationPPanics(t *testing.T) {
	for _, tc := range []struct {
		name  string
		x     []float64
		nbrs  [][]int32
		perms int
	}{
		{"length mismatch", []float64{1, 2}, [][]int32{{0}}, 99},
		{"no permutations", []float64{1, 2}, [][]int32{{0}, {1}}, 0},
		{"index out of range", []float64{1, 2}, [][]int32{{0}, {2}}, 99},
		{"neighbourhood larger than the area", []float64{1, 2}, [][]int32{{0, 1, 0}, {1}}, 99},
	} {
		t.Run(tc.name, func(t *testing.T) {
			defer func() {
				if recover() == nil {
					t.Error("no panic")
				}
			}()
			_, _ = GiStarPermutationP(t.Context(), tc.x, tc.nbrs, tc.perms, 1, 1)
		})
	}
}

// sparseCounts returns counts shaped like a city's crime per fine cell:
// about 96% zeros, the rest 1 plus a geometric tail.
func sparseCounts(n int, seed uint64) []float64 {
	r := rand.New(rand.NewPCG(seed, 99))
	x := make([]float64, n)
	for i := range x {
		if r.Float64() < 0.04 {
			v := 1
			for r.Float64() < 0.6 {
				v++
			}
			x[i] = float64(v)
		}
	}
	return x
}

// BenchmarkGiStarPermutation times a hex layer's permutation inference at
// the default 9,999 permutations: a res-9 city (900 cells) and a res-10
// one (5,476 cells) with |N| = 7, on sparse counts; the res-9 one on
// dense counts, where every drawn value must be summed; and the res-10 one
// with k = 3 (|N| = 37).
func BenchmarkGiStarPermutation(b *testing.B) {
	const perms = 9_999
	r := rand.New(rand.NewPCG(5, 6))
	dense := make([]float64, 900)
	for i := range dense {
		dense[i] = float64(1 + r.IntN(20))
	}
	for _, bc := range []struct {
		name    string
		side, k int
		x       []float64
	}{
		{"res9-sparse", 30, 1, sparseCounts(900, 1)},
		{"res10-sparse", 74, 1, sparseCounts(74*74, 1)},
		{"res9-dense", 30, 1, dense},
		{"res10-sparse-k3", 74, 3, sparseCounts(74*74, 1)},
	} {
		nbrs := hexGrid(bc.side, bc.k)
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := GiStarPermutationP(b.Context(), bc.x, nbrs, perms, 1, 0); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N), "ms/op")
			b.ReportMetric(float64(len(bc.x)), "cells/op")
		})
	}
}
