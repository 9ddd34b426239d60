package stats

import (
	"bufio"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// moranNaive is a deliberately plain second implementation, written from
// the textbook formulas (Cliff and Ord 1981) over a dense weight matrix,
// with spdep's treatment of cells without neighbours: they are dropped
// from n (adjust.n) but not from the mean or the kurtosis.
func moranNaive(x []float64, nbrs [][]int32) MoranResult {
	n := len(x)
	w := make([][]float64, n)
	for i := range w {
		w[i] = make([]float64, n)
		for _, j := range nbrs[i] {
			w[i][j] = 1
		}
	}
	var mean float64
	for _, v := range x {
		mean += v / float64(n)
	}
	var s0, s1, s2, m2, m4, num, nAdj float64
	for i := range n {
		var row, col float64
		for j := range n {
			s0 += w[i][j]
			s1 += (w[i][j] + w[j][i]) * (w[i][j] + w[j][i]) / 2
			row += w[i][j]
			col += w[j][i]
			num += w[i][j] * (x[i] - mean) * (x[j] - mean)
		}
		s2 += (row + col) * (row + col)
		if row > 0 {
			nAdj++
		}
		m2 += math.Pow(x[i]-mean, 2)
		m4 += math.Pow(x[i]-mean, 4)
	}
	b2 := float64(n) * m4 / (m2 * m2)
	N := nAdj
	r := MoranResult{I: N / s0 * num / m2, EI: -1 / (N - 1)}
	r.VarI = (N*((N*N-3*N+3)*s1-N*s2+3*s0*s0)-b2*((N*N-N)*s1-2*N*s2+6*s0*s0))/
		((N-1)*(N-2)*(N-3)*s0*s0) - r.EI*r.EI
	r.Z = (r.I - r.EI) / math.Sqrt(r.VarI)
	r.P = 1 - 0.5*(1+math.Erf(r.Z/math.Sqrt2))
	return r
}

func withoutSelf(nbrs [][]int32) [][]int32 {
	out := make([][]int32, len(nbrs))
	for i, nb := range nbrs {
		for _, j := range nb {
			if int(j) != i {
				out[i] = append(out[i], j)
			}
		}
	}
	return out
}

func closeRel(got, want, tol float64) bool {
	return math.Abs(got-want) <= tol*math.Max(1, math.Abs(want))
}

func checkMoran(t *testing.T, got, want MoranResult, tol float64) {
	t.Helper()
	for _, f := range []struct {
		name      string
		got, want float64
	}{
		{"I", got.I, want.I}, {"EI", got.EI, want.EI}, {"VarI", got.VarI, want.VarI},
		{"Z", got.Z, want.Z}, {"P", got.P, want.P},
	} {
		if !closeRel(f.got, f.want, tol) {
			t.Errorf("%s = %.17g, want %.17g", f.name, f.got, f.want)
		}
	}
}

// TestMoranIHand checks a case worked by hand. Four cells on a line,
// 0–1–2–3, x = 1, 2, 3, 4, rook (binary, symmetric) weights:
//
//	mean 2.5, z = −1.5, −0.5, 0.5, 1.5, Σz² = 5, Σz⁴ = 10.25
//	S0 = 6 (three links, both ways), S1 = 2·S0 = 12,
//	S2 = Σ(2·d_i)² = 4·(1+4+4+1) = 40
//	Σ w_ij z_i z_j = 2·(0.75 − 0.25 + 0.75) = 2.5
//	I = (4/6)·(2.5/5) = 1/3, E[I] = −1/3
//	b2 = 4·10.25/25 = 1.64
//	A = 4·(12·(16−12+3) − 4·40 + 3·36) = 128
//	B = 1.64·(12·12 − 8·40 + 6·36) = 65.6
//	Var = (128 − 65.6)/(3·2·1·36) − 1/9 = 13/45 − 5/45 = 8/45
//	z = (2/3)/√(8/45) = √(5/2) ≈ 1.5811, p = 1 − Φ(z) ≈ 0.05692
//
// spdep 1.2-7's moran.test gives the same (testdata/moran_spdep.txt).
func TestMoranIHand(t *testing.T) {
	got, ok := MoranI([]float64{1, 2, 3, 4}, [][]int32{{1}, {0, 2}, {1, 3}, {2}})
	if !ok {
		t.Fatal("not ok")
	}
	z := math.Sqrt(2.5)
	want := MoranResult{I: 1.0 / 3, EI: -1.0 / 3, VarI: 8.0 / 45, Z: z, P: 0.5 * math.Erfc(z/math.Sqrt2)}
	checkMoran(t, got, want, 1e-14)
	if math.Abs(got.P-0.056923149003329079) > 1e-15 {
		t.Errorf("P = %.17g, spdep says 0.056923149003329079", got.P)
	}
}

type moranCase struct {
	name string
	x    []float64
	nbrs [][]int32
	want MoranResult
}

// readMoranCases parses the output of testdata/moran_spdep.R.
func readMoranCases(tb testing.TB, path string) []moranCase {
	tb.Helper()
	f, err := os.Open(path)
	if err != nil {
		tb.Fatalf("open spdep vectors: %v", err)
	}
	defer f.Close()
	var cases []moranCase
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	floats := func(fields []string) []float64 {
		out := make([]float64, len(fields))
		for i, s := range fields {
			v, err := strconv.ParseFloat(s, 64)
			if err != nil {
				tb.Fatalf("%s: %v", path, err)
			}
			out[i] = v
		}
		return out
	}
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) == 0 {
			continue
		}
		switch fields[0] {
		case "case":
			cases = append(cases, moranCase{name: fields[1]})
		case "x":
			cases[len(cases)-1].x = floats(fields[1:])
		case "nb":
			c := &cases[len(cases)-1]
			var nb []int32
			for _, v := range floats(fields[2:]) {
				nb = append(nb, int32(v))
			}
			c.nbrs = append(c.nbrs, nb)
		case "want":
			v := floats(fields[1:])
			cases[len(cases)-1].want = MoranResult{I: v[0], EI: v[1], VarI: v[2], Z: v[3], P: v[4]}
		default:
			tb.Fatalf("%s: unknown line %q", path, sc.Text())
		}
	}
	if err := sc.Err(); err != nil {
		tb.Fatalf("read %s: %v", path, err)
	}
	return cases
}

// TestMoranISpdep reproduces R spdep 1.2-7's moran.test (randomisation,
// alternative "greater", zero.policy TRUE, default adjust.n) on the cases
// in testdata/moran_spdep.txt, written by testdata/moran_spdep.R: a line,
// rook grids, hexagonal grids with k = 1…3 on sparse counts, cells without
// neighbours and asymmetric weights. The naive implementation must agree
// too, so the two references check each other.
func TestMoranISpdep(t *testing.T) {
	cases := readMoranCases(t, filepath.Join("testdata", "moran_spdep.txt"))
	if len(cases) < 8 {
		t.Fatalf("%d cases in the spdep vectors", len(cases))
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := MoranI(tc.x, tc.nbrs)
			if !ok {
				t.Fatal("not ok")
			}
			checkMoran(t, got, tc.want, 1e-12)
			checkMoran(t, moranNaive(tc.x, tc.nbrs), tc.want, 1e-12)
		})
	}
}

// TestMoranINaive compares with the dense implementation on larger and
// odder inputs than the R file holds: hexagonal patches with k up to 4,
// random asymmetric graphs with isolated cells, non-integer values.
func TestMoranINaive(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 11))
	sparse := func(n int) []float64 {
		x := make([]float64, n)
		for i := range x {
			if r.Float64() < 0.08 {
				x[i] = float64(1 + r.IntN(12))
			}
		}
		return x
	}
	randomGraph := func(n, deg int) [][]int32 {
		nbrs := make([][]int32, n)
		for i := range nbrs {
			if i%9 == 4 {
				continue // no neighbours
			}
			seen := map[int32]bool{}
			for range deg {
				j := int32(r.IntN(n))
				if int(j) != i && !seen[j] {
					seen[j] = true
					nbrs[i] = append(nbrs[i], j)
				}
			}
		}
		return nbrs
	}
	normal := make([]float64, 150)
	for i := range normal {
		normal[i] = r.NormFloat64()*3 + 10
	}
	for _, tc := range []struct {
		name string
		x    []float64
		nbrs [][]int32
	}{
		{"hex15-k1", sparse(225), withoutSelf(hexGrid(15, 1))},
		{"hex15-k2", sparse(225), withoutSelf(hexGrid(15, 2))},
		{"hex15-k4", sparse(225), withoutSelf(hexGrid(15, 4))},
		{"random-asymmetric", sparse(150), randomGraph(150, 5)},
		{"random-asymmetric-normal", normal, randomGraph(150, 8)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := MoranI(tc.x, tc.nbrs)
			if !ok {
				t.Fatal("not ok")
			}
			checkMoran(t, got, moranNaive(tc.x, tc.nbrs), 1e-10)
		})
	}
}

// TestMoranIUndefined covers the cases where I, or its test, has no value.
func TestMoranIUndefined(t *testing.T) {
	line := [][]int32{{1}, {0, 2}, {1, 3}, {2}}
	for _, tc := range []struct {
		name   string
		x      []float64
		nbrs   [][]int32
		wantI  bool // I and E[I] defined
		wantOK bool
	}{
		{"empty", nil, nil, false, false},
		{"all equal", []float64{2, 2, 2, 2}, line, false, false},
		{"no weights", []float64{1, 2, 3, 4}, make([][]int32, 4), false, false},
		{"NaN count", []float64{1, math.NaN(), 3, 4}, line, false, false},
		{"infinite count", []float64{1, math.Inf(1), 3, 4}, line, false, false},
		{"three cells with neighbours", []float64{1, 5, 3, 4}, [][]int32{{1}, {0, 2}, {1}, nil}, true, false},
		{"four cells", []float64{1, 5, 3, 4}, line, true, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := MoranI(tc.x, tc.nbrs)
			if ok != tc.wantOK {
				t.Errorf("ok = %v, want %v", ok, tc.wantOK)
			}
			if defined := !math.IsNaN(got.I) && !math.IsNaN(got.EI); defined != tc.wantI {
				t.Errorf("I = %v, E[I] = %v: defined %v, want %v", got.I, got.EI, defined, tc.wantI)
			}
			if testDefined := !math.IsNaN(got.Z) && !math.IsNaN(got.P) && !math.IsNaN(got.VarI); testDefined != ok {
				t.Errorf("ok = %v but Var %v, Z %v, P %v", ok, got.VarI, got.Z, got.P)
			}
		})
	}
}

func TestMoranIPanics(t *testing.T) {
	for _, tc := range []struct {
		name string
		x    []float64
		nbrs [][]int32
	}{
		{"length mismatch", []float64{1, 2}, [][]int32{{1}}},
		{"index out of range", []float64{1, 2}, [][]int32{{1}, {2}}},
		{"negative index", []float64{1, 2}, [][]int32{{1}, {-1}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			defer func() {
				if recover() == nil {
					t.Error("no panic")
				}
			}()
			MoranI(tc.x, tc.nbrs)
		})
	}
}

// BenchmarkMoranI runs one row of the scale endpoint's table: a res-10
// city of about 5,500 cells at each k, |N| up to 3k(k+1) = 126.
func BenchmarkMoranI(b *testing.B) {
	const side = 74 // 5,476 cells
	x := sparseCounts(side*side, 3)
	for k := 1; k <= 6; k++ {
		nbrs := withoutSelf(hexGrid(side, k))
		b.Run(fmt.Sprintf("k=%d", k), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, ok := MoranI(x, nbrs); !ok {
					b.Fatal("not ok")
				}
			}
			b.ReportMetric(float64(len(x)), "cells/op")
		})
	}
}
