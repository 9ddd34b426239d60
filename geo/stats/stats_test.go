package stats

import (
	"encoding/csv"
	"errors"
	"io/fs"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"testing"

	"github.com/leicester-csp/hotspot/internal/shareddata"

	"github.com/leicester-csp/hotspot/geo"
	"github.com/leicester-csp/hotspot/geo/hex"
)

// testvectors returns the shared reference vectors, skipping when absent.
func testvectors(tb testing.TB) string { return shareddata.TestVectors(tb) }

// readCSV returns the rows of a CSV file with a header, as maps from
// column name to text, skipping the test when the file is absent.
func readCSV(tb testing.TB, path string) []map[string]string {
	tb.Helper()
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		tb.Skipf("test vectors absent: %v", err)
	}
	if err != nil {
		tb.Fatalf("open test vectors: %v", err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		tb.Fatalf("read %s: %v", path, err)
	}
	if len(recs) < 2 {
		tb.Fatalf("read %s: no rows", path)
	}
	rows := make([]map[string]string, 0, len(recs)-1)
	for _, rec := range recs[1:] {
		row := make(map[string]string, len(rec))
		for i, name := range recs[0] {
			row[name] = rec[i]
		}
		rows = append(rows, row)
	}
	return rows
}

func num(tb testing.TB, row map[string]string, col string) float64 {
	tb.Helper()
	v, err := strconv.ParseFloat(row[col], 64)
	if err != nil {
		tb.Fatalf("column %s of row %v: %v", col, row, err)
	}
	return v
}

// TestGiStarVectors reproduces the R spdep reference: a res-8 study area
// with k = 1 neighbourhoods, z, p, FDR-adjusted p and both bins per cell.
func TestGiStarVectors(t *testing.T) {
	dir := filepath.Join(testvectors(t), "gistar")
	cells := readCSV(t, filepath.Join(dir, "res8_k1_cells.csv"))
	expected := readCSV(t, filepath.Join(dir, "res8_k1_expected.csv"))

	index := make(map[geo.Cell]int32, len(cells))
	ids := make([]geo.Cell, len(cells))
	x := make([]float64, len(cells))
	for i, row := range cells {
		c, err := hex.Parse(row["h3"])
		if err != nil {
			t.Fatalf("cells row %d: %v", i+2, err)
		}
		if _, dup := index[c]; dup {
			t.Fatalf("cells row %d: cell %s listed twice", i+2, row["h3"])
		}
		index[c], ids[i], x[i] = int32(i), c, num(t, row, "count")
	}
	nbrs := make([][]int32, len(ids))
	for i, c := range ids {
		for _, d := range hex.Disk(c, 1) {
			if j, ok := index[d]; ok {
				nbrs[i] = append(nbrs[i], j)
			}
		}
	}

	z, ok := GiStar(x, nbrs)
	if !ok {
		t.Fatal("GiStar not ok on the reference area")
	}
	p := make([]float64, len(z))
	for i := range z {
		p[i] = PValue(z[i])
	}
	fdr := BenjaminiHochberg(p)

	if len(expected) != len(cells) {
		t.Fatalf("%d expected rows for %d cells", len(expected), len(cells))
	}
	const tol = 1e-9
	var worst float64
	for _, row := range expected {
		c, err := hex.Parse(row["h3"])
		if err != nil {
			t.Fatalf("expected row %v: %v", row, err)
		}
		i, found := index[c]
		if !found {
			t.Fatalf("expected cell %s not in the study area", row["h3"])
		}
		if got, want := x[i], num(t, row, "count"); got != want {
			t.Errorf("%s: count %v, expected file says %v", row["h3"], got, want)
		}
		for _, chk := range []struct {
			col string
			got float64
		}{{"gi_z", z[i]}, {"gi_p", p[i]}, {"gi_p_fdr", fdr[i]}} {
			want := num(t, row, chk.col)
			diff := math.Abs(chk.got - want)
			worst = max(worst, diff)
			if !(diff <= tol) {
				t.Errorf("%s: %s = %.12f, want %.12f (off by %.3g)", row["h3"], chk.col, chk.got, want, diff)
			}
		}
		for _, chk := range []struct {
			col string
			got int
		}{{"gi_bin", Bin(z[i], p[i])}, {"gi_bin_fdr", Bin(z[i], fdr[i])}} {
			if want := int(num(t, row, chk.col)); chk.got != want {
				t.Errorf("%s: %s = %d, want %d", row["h3"], chk.col, chk.got, want)
			}
		}
	}
	// The file prints 12 decimals, so 5e-13 is as close as it can show.
	t.Logf("%d cells, largest difference from the reference %.3g", len(expected), worst)
}

func TestGiStar(t *testing.T) {
	nan := math.NaN()
	line3 := [][]int32{{0, 1}, {0, 1, 2}, {1, 2}}
	line4 := [][]int32{{0, 1}, {0, 1, 2}, {1, 2, 3}, {2, 3}}
	// Hand-computed for x = 1,2,3,6: mean 3, S² = 14/4; an end cell has
	// W = 2 and variance term (4·2−4)/3, an inner one W = 3 and (4·3−9)/3.
	end := math.Sqrt(3.5 * 4.0 / 3)
	inner := math.Sqrt(3.5)
	tests := []struct {
		name   string
		x      []float64
		nbrs   [][]int32
		want   []float64
		wantOK bool
	}{
		{
			// The middle cell's neighbourhood is the whole area, so its
			// variance is zero and its z undefined.
			name: "3-cell line", x: []float64{1, 2, 3}, nbrs: line3,
			want: []float64{-math.Sqrt(1.5), nan, math.Sqrt(1.5)}, wantOK: true,
		},
		{
			// A 7-cell disk whose centre sees every cell: the mean times
			// 7 does not round back to the sum (29/7·7), and z must still
			// be undefined rather than ±∞.
			name: "7-cell disk, centre sees all", x: []float64{10, 5, 3, 4, 2, 2, 3},
			nbrs: [][]int32{{0, 1, 2, 3, 4, 5, 6}, {1, 0, 2, 6}, {2, 0, 1, 3}, {3, 0, 2, 4}, {4, 0, 3, 5}, {5, 0, 4, 6}, {6, 0, 5, 1}},
			want: disk7Want(), wantOK: true,
		},
		{
			name: "4-cell line", x: []float64{1, 2, 3, 6}, nbrs: line4,
			want: []float64{-3 / end, -3 / inner, 2 / inner, 3 / end}, wantOK: true,
		},
		{
			name: "large alike counts", x: []float64{1e12 + 1, 1e12 + 2, 1e12 + 3, 1e12 + 6}, nbrs: line4,
			want: []float64{-3 / end, -3 / inner, 2 / inner, 3 / end}, wantOK: true,
		},
		{
			name: "scaled counts", x: []float64{10, 20, 30, 60}, nbrs: line4,
			want: []float64{-3 / end, -3 / inner, 2 / inner, 3 / end}, wantOK: true,
		},
		{
			name: "isolated cells", x: []float64{0, 5}, nbrs: [][]int32{{0}, {1}},
			want: []float64{-1, 1}, wantOK: true,
		},
		{
			name: "all counts equal", x: []float64{4, 4, 4}, nbrs: line3,
			want: []float64{nan, nan, nan},
		},
		{
			name: "all zero", x: []float64{0, 0, 0, 0}, nbrs: line4,
			want: []float64{nan, nan, nan, nan},
		},
		{
			name: "one cell", x: []float64{7}, nbrs: [][]int32{{0}},
			want: []float64{nan},
		},
		{
			name: "no cells", x: nil, nbrs: nil,
			want: []float64{},
		},
		{
			name: "NaN count", x: []float64{1, nan, 3}, nbrs: line3,
			want: []float64{nan, nan, nan},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			z, ok := GiStar(tc.x, tc.nbrs)
			if ok != tc.wantOK {
				t.Errorf("ok = %v, want %v", ok, tc.wantOK)
			}
			if len(z) != len(tc.want) {
				t.Fatalf("got %d z-scores, want %d", len(z), len(tc.want))
			}
			for i := range z {
				if math.IsNaN(tc.want[i]) {
					if !math.IsNaN(z[i]) {
						t.Errorf("z[%d] = %v, want NaN", i, z[i])
					}
					continue
				}
				if math.Abs(z[i]-tc.want[i]) > 1e-12 {
					t.Errorf("z[%d] = %.15f, want %.15f", i, z[i], tc.want[i])
				}
			}
		})
	}
}

func TestGiStarMismatchPanics(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("GiStar accepted 2 counts with 1 neighbour list")
		}
	}()
	GiStar([]float64{1, 2}, [][]int32{{0}})
}

func TestPValue(t *testing.T) {
	tests := []struct {
		z, want, tol float64
	}{
		{0, 1, 0},
		{1.959963984540054, 0.05, 1e-15},
		{-1.959963984540054, 0.05, 1e-15},
		{2.5758293035489004, 0.01, 1e-16},
		{1.6448536269514722, 0.10, 1e-15},
		{1, 0.31731050786291415, 1e-16},
		// Far in the tail 1−Φ(z) is 0 in float64; erfc still resolves it.
		{30, 9.813427854296374e-198, 1e-209},
		{math.Inf(1), 0, 0},
		{math.Inf(-1), 0, 0},
	}
	for _, tc := range tests {
		if got := PValue(tc.z); math.Abs(got-tc.want) > tc.tol {
			t.Errorf("PValue(%v) = %.17g, want %.17g", tc.z, got, tc.want)
		}
	}
	if got := PValue(math.NaN()); !math.IsNaN(got) {
		t.Errorf("PValue(NaN) = %v, want NaN", got)
	}
}

func TestBenjaminiHochberg(t *testing.T) {
	nan := math.NaN()
	tests := []struct {
		name string
		p    []float64
		want []float64
	}{
		{
			// Sorted: .001 .012 .03 .04 .04 .5 → p·6/rank .006 .036 .06
			// .06 .048 .5 → running minimum from the top .006 .036 .048
			// .048 .048 .5.
			name: "unsorted with ties",
			p:    []float64{0.04, 0.001, 0.03, 0.04, 0.5, 0.012},
			want: []float64{0.048, 0.006, 0.048, 0.048, 0.5, 0.036},
		},
		{
			name: "all tied",
			p:    []float64{0.2, 0.2, 0.2},
			want: []float64{0.2, 0.2, 0.2},
		},
		{
			name: "already significant stay put at rank m",
			p:    []float64{0.01, 0.02},
			want: []float64{0.02, 0.02},
		},
		{
			name: "NaN left out of m",
			p:    []float64{0.01, nan, 0.02},
			want: []float64{0.02, nan, 0.02},
		},
		{
			name: "capped at 1",
			p:    []float64{1.5},
			want: []float64{1},
		},
		{name: "empty", p: []float64{}, want: []float64{}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			in := slices.Clone(tc.p)
			got := BenjaminiHochberg(tc.p)
			if !slices.EqualFunc(in, tc.p, func(a, b float64) bool { return a == b || math.IsNaN(a) && math.IsNaN(b) }) {
				t.Errorf("input changed to %v", tc.p)
			}
			if len(got) != len(tc.want) {
				t.Fatalf("got %d values, want %d", len(got), len(tc.want))
			}
			for i := range got {
				if math.IsNaN(tc.want[i]) != math.IsNaN(got[i]) || math.Abs(got[i]-tc.want[i]) > 1e-15 {
					t.Errorf("adjusted[%d] = %v, want %v", i, got[i], tc.want[i])
				}
			}
		})
	}
}

// TestBenjaminiHochbergMonotone checks, on random input, that the adjusted
// values keep the order of the p-values, never fall below them and never
// exceed 1.
func TestBenjaminiHochbergMonotone(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 7))
	for range 50 {
		p := make([]float64, 1+r.IntN(500))
		for i := range p {
			// Squared, so small p-values and ties (after rounding) occur.
			p[i] = math.Round(r.Float64()*r.Float64()*1000) / 1000
		}
		adj := BenjaminiHochberg(p)
		order := make([]int, len(p))
		for i := range order {
			order[i] = i
		}
		slices.SortFunc(order, func(a, b int) int {
			switch {
			case p[a] < p[b]:
				return -1
			case p[a] > p[b]:
				return 1
			}
			return 0
		})
		for k, i := range order {
			if adj[i] < p[i] || adj[i] > 1 {
				t.Fatalf("p %v adjusted to %v", p[i], adj[i])
			}
			if k > 0 {
				prev := order[k-1]
				if adj[i] < adj[prev] {
					t.Fatalf("not monotone: p %v → %v but p %v → %v", p[prev], adj[prev], p[i], adj[i])
				}
				if p[i] == p[prev] && adj[i] != adj[prev] {
					t.Fatalf("tied p %v adjusted to %v and %v", p[i], adj[prev], adj[i])
				}
			}
		}
	}
}

func TestBin(t *testing.T) {
	nan := math.NaN()
	tests := []struct {
		z, p float64
		want int
	}{
		{3, 0.001, 3},
		{3, 0.01, 3},
		{3, math.Nextafter(0.01, 1), 2},
		{-3, 0.01, -3},
		{2, 0.05, 2},
		{2, math.Nextafter(0.05, 1), 1},
		{-2, 0.05, -2},
		{1.7, 0.10, 1},
		{1.7, math.Nextafter(0.10, 1), 0},
		{-1.7, 0.10, -1},
		{0.5, 0.6, 0},
		{-0.5, 0.6, 0},
		{0, 0.001, 0},
		{0, 1, 0},
		{nan, 0.001, 0},
		{2, nan, 0},
		{nan, nan, 0},
	}
	for _, tc := range tests {
		if got := Bin(tc.z, tc.p); got != tc.want {
			t.Errorf("Bin(%v, %v) = %d, want %d", tc.z, tc.p, got, tc.want)
		}
	}
}

// hexGrid returns a side×side patch of a hexagonal grid in axial
// coordinates with each cell's neighbours within grid distance k, the cell
// included: the shape of an H3 study area without needing cgo.
func hexGrid(side, k int) [][]int32 {
	nbrs := make([][]int32, side*side)
	for q := range side {
		for r := range side {
			i := q*side + r
			for dq := -k; dq <= k; dq++ {
				for dr := max(-k, -dq-k); dr <= min(k, -dq+k); dr++ {
					nq, nr := q+dq, r+dr
					if nq >= 0 && nq < side && nr >= 0 && nr < side {
						nbrs[i] = append(nbrs[i], int32(nq*side+nr))
					}
				}
			}
		}
	}
	return nbrs
}

func TestHexGrid(t *testing.T) {
	nbrs := hexGrid(9, 3)
	if got := len(nbrs[4*9+4]); got != 37 {
		t.Errorf("interior cell has %d neighbours with k = 3, want 37", got)
	}
}

func BenchmarkGiStar(b *testing.B) {
	const side = 141 // 19,881 cells, a res-10 city
	nbrs := hexGrid(side, 3)
	r := rand.New(rand.NewPCG(1, 2))
	x := make([]float64, len(nbrs))
	for i := range x {
		x[i] = float64(r.IntN(20))
	}
	b.Run("z", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			_, _ = GiStar(x, nbrs)
		}
		b.ReportMetric(float64(len(x)), "cells/op")
	})
	// What a hex layer request pays: z, p-values and the FDR adjustment.
	b.Run("z+p+fdr", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			z, _ := GiStar(x, nbrs)
			p := make([]float64, len(z))
			for i := range z {
				p[i] = PValue(z[i])
			}
			_ = BenjaminiHochberg(p)
		}
		b.ReportMetric(float64(len(x)), "cells/op")
	})
}

// disk7Want computes the 7-cell disk's expected z-scores from the formula
// for the outer cells; the centre's is undefined.
func disk7Want() []float64 {
	x := []float64{10, 5, 3, 4, 2, 2, 3}
	nbrs := [][]int32{{1, 0, 2, 6}, {2, 0, 1, 3}, {3, 0, 2, 4}, {4, 0, 3, 5}, {5, 0, 4, 6}, {6, 0, 5, 1}}
	var mean float64
	for _, v := range x {
		mean += v
	}
	mean /= 7
	var ss float64
	for _, v := range x {
		ss += (v - mean) * (v - mean)
	}
	s := math.Sqrt(ss / 7)
	out := []float64{math.NaN()}
	for _, nb := range nbrs {
		var sum float64
		for _, j := range nb {
			sum += x[j]
		}
		out = append(out, (sum-mean*4)/(s*math.Sqrt((7*4.0-16)/6)))
	}
	return out
}
