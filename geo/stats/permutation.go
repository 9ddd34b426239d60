package stats

import (
	"context"
	"fmt"
	"math"
	"math/bits"
	"math/rand/v2"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
)

// GiStarPermutationP returns each cell's two-sided permutation p-value for
// its Gi* neighbourhood sum, under the exact null of the analytical Gi*
// (DESIGN, "Honest hot spots"). x[i] is the count of cell i and nbrs[i]
// lists, without repeats, the cells of its neighbourhood, the cell itself
// included, as for GiStar.
//
// Each of the permutations draws |N_i| values without replacement from all
// n counts; G_i is the cell's observed neighbourhood sum and G_sim the drawn
// one. With m = min(#{G_sim ≥ G_i}, #{G_sim ≤ G_i}) the p-value is
// min(1, 2·(m+1)/(permutations+1)), so it lies in [2/(permutations+1), 1].
// A neighbourhood that is the whole area, or counts that are all equal,
// give p = 1; a NaN or infinite count makes every p NaN.
//
// The result depends only on x, nbrs, permutations and seed: each cell
// draws from its own stream, seeded from (seed, cell index), so the number
// of workers (≤ 0 means runtime.GOMAXPROCS) and their scheduling cannot
// change it. Only the values that differ from the most common count (zero,
// for crime) are drawn: the number of them in a draw is hypergeometric,
// sampled by inverting its CDF held per neighbourhood size as 64-bit
// fixed-point thresholds (each probability within about 1e-15 of the exact
// rational), and which of them are drawn is a partial Fisher–Yates shuffle.
// That is the distribution of the sum of |N_i| values drawn without
// replacement, at a cost proportional to the non-background values drawn.
// Sums of integer counts are exact; for other values, sums closer than a
// rounding bound are treated as ties.
//
// The error is ctx's, if it ends first. GiStarPermutationP panics, as
// GiStar does, when nbrs and x differ in length, an index is out of range,
// a neighbourhood is larger than the area, or permutations < 1.
func GiStarPermutationP(ctx context.Context, x []float64, nbrs [][]int32, permutations int, seed uint64, workers int) ([]float64, error) {
	n := len(x)
	if len(nbrs) != n {
		panic(fmt.Sprintf("stats.GiStarPermutationP: %d counts but %d neighbour lists", n, len(nbrs)))
	}
	if permutations < 1 {
		panic(fmt.Sprintf("stats.GiStarPermutationP: %d permutations", permutations))
	}
	p := make([]float64, n)
	for _, v := range x {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			for i := range p {
				p[i] = math.NaN()
			}
			return p, nil
		}
	}
	if n == 0 {
		return p, nil
	}
	nul := newPermNull(x, nbrs)
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	workers = min(workers, n)

	// Cells are handed out in small chunks from a shared counter, so a
	// worker that meets large neighbourhoods does not hold the others up.
	const chunk = 16
	var next atomic.Int64
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			w := nul.newWorker()
			for ctx.Err() == nil {
				lo := int(next.Add(chunk)) - chunk
				if lo >= n {
					return
				}
				for i := lo; i < min(lo+chunk, n); i++ {
					p[i] = w.pValue(i, permutations, seed)
				}
			}
		})
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return p, nil
}

// permNull is what every cell's permutations share, read-only once built:
// the counts that differ from the background (the most common count), as
// deviations from it, each cell's observed deviation sum, and the
// hypergeometric tables for the neighbourhood sizes that occur.
type permNull struct {
	nbrs   [][]int32
	dev    []float64    // x_j − background for every x_j ≠ background
	obs    []float64    // Σ_{j∈N_i} (x_j − background)
	tables []hyperTable // by neighbourhood size; empty where none has it
	tol    float64      // sums closer than this are ties
}

func newPermNull(x []float64, nbrs [][]int32) *permNull {
	n := len(x)
	bg := mode(x)
	nul := &permNull{nbrs: nbrs, obs: make([]float64, n)}
	var absSum float64
	allInt := true
	for _, v := range x {
		if v != bg {
			d := v - bg
			nul.dev = append(nul.dev, d)
			absSum += math.Abs(d)
			allInt = allInt && d == math.Trunc(d)
		}
	}
	maxK := 0
	for i, nb := range nbrs {
		if len(nb) > n {
			panic(fmt.Sprintf("stats.GiStarPermutationP: cell %d has %d neighbours among %d cells", i, len(nb), n))
		}
		maxK = max(maxK, len(nb))
		var s float64
		for _, j := range nb {
			if v := x[j]; v != bg {
				s += v - bg
			}
		}
		nul.obs[i] = s
	}
	// Integer deviations sum exactly while below 2^53; otherwise two
	// orders of summing the same values may differ by rounding, bounded
	// by about k·ε·Σ|d| each.
	if !allInt || absSum >= 1<<53 {
		nul.tol = 2 * float64(maxK) * 0x1p-52 * absSum
	}
	nul.tables = make([]hyperTable, maxK+1)
	var scratch []float64
	for _, nb := range nbrs {
		k := len(nb)
		if nul.tables[k].cdf == nil {
			nul.tables[k], scratch = newHyperTable(n, len(nul.dev), k, scratch)
		}
	}
	return nul
}

// mode returns the most common value of x (the smallest among equally
// common ones), the background that draws need not touch.
func mode(x []float64) float64 {
	s := slices.Clone(x)
	slices.Sort(s)
	best, bestRun := s[0], 0
	for i := 0; i < len(s); {
		j := i + 1
		for j < len(s) && s[j] == s[i] {
			j++
		}
		if j-i > bestRun {
			best, bestRun = s[i], j-i
		}
		i = j
	}
	return best
}

// permWorker holds one goroutine's reusable state: its random source and
// the shuffled copy of the deviations.
type permWorker struct {
	*permNull
	rng     rand.PCG
	scratch []float64
}

func (nul *permNull) newWorker() *permWorker {
	return &permWorker{permNull: nul, scratch: make([]float64, len(nul.dev))}
}

// pValue runs cell i's permutations. The stream is reseeded and the
// deviations reset for every cell, so the result does not depend on which
// cells this worker ran before.
func (w *permWorker) pValue(i, permutations int, seed uint64) float64 {
	hi := splitmix(seed ^ 0x6a09e667f3bcc909)
	w.rng.Seed(hi, splitmix(uint64(i)+hi))
	copy(w.scratch, w.dev)
	d := w.scratch
	nd := uint64(len(d))
	t := &w.tables[len(w.nbrs[i])]
	lo, hiBound := w.obs[i]-w.tol, w.obs[i]+w.tol
	var ge, le int
	for range permutations {
		u := w.rng.Uint64()
		h := t.hmin
		for h < t.hmax && u >= t.cdf[h] {
			h++
		}
		var sim float64
		for a := range h {
			b := a + int(w.below(nd-uint64(a)))
			d[a], d[b] = d[b], d[a]
			sim += d[a]
		}
		if sim >= lo {
			ge++
		}
		if sim <= hiBound {
			le++
		}
	}
	m := min(ge, le)
	return min(1, 2*float64(m+1)/float64(permutations+1))
}

// below returns a uniform integer in [0, bound), bound > 0, by Lemire's
// multiply-and-reject method: exact, and nearly always one draw.
func (w *permWorker) below(bound uint64) uint64 {
	hi, lo := bits.Mul64(w.rng.Uint64(), bound)
	if lo < bound {
		thresh := -bound % bound
		for lo < thresh {
			hi, lo = bits.Mul64(w.rng.Uint64(), bound)
		}
	}
	return hi
}

// splitmix is the SplitMix64 finaliser, a bijection that spreads
// neighbouring seeds and cell indexes over the whole state space.
func splitmix(v uint64) uint64 {
	v += 0x9e3779b97f4a7c15
	v = (v ^ (v >> 30)) * 0xbf58476d1ce4e5b9
	v = (v ^ (v >> 27)) * 0x94d049bb133111eb
	return v ^ (v >> 31)
}

// hyperTable samples H, the number of the z marked values among k drawn
// without replacement from n: H = h for the first h ≥ hmin whose
// cumulative threshold a uniform 64-bit u is below, hmax at the latest.
type hyperTable struct {
	hmin, hmax int
	cdf        []uint64 // cdf[h] = ⌊P(H ≤ h)·2^64⌋, saturated
}

// newHyperTable builds the table for (n, z, k). The probabilities are
// built outward from the mode by the ratio of successive terms,
// P(h+1)/P(h) = (z−h)(k−h) / ((h+1)(n−z−k+h+1)), so nothing overflows and
// only terms below float64's range are lost. w is scratch, returned for
// reuse.
func newHyperTable(n, z, k int, w []float64) (hyperTable, []float64) {
	t := hyperTable{hmin: max(0, k-(n-z)), hmax: min(k, z)}
	w = slices.Grow(w[:0], t.hmax+1)[:t.hmax+1]
	clear(w)
	mo := min(max((k+1)*(z+1)/(n+2), t.hmin), t.hmax)
	w[mo] = 1
	for h := mo; h < t.hmax; h++ {
		w[h+1] = w[h] * float64(z-h) * float64(k-h) / (float64(h+1) * float64(n-z-k+h+1))
	}
	for h := mo; h > t.hmin; h-- {
		w[h-1] = w[h] * float64(h) * float64(n-z-k+h) / (float64(z-h+1) * float64(k-h+1))
	}
	var total float64
	for _, v := range w {
		total += v
	}
	t.cdf = make([]uint64, t.hmax+1)
	var cum float64
	for h, v := range w {
		cum += v
		if c := cum / total; c < 1 {
			t.cdf[h] = uint64(c * 0x1p64)
		} else {
			t.cdf[h] = math.MaxUint64
		}
	}
	return t, w
}
