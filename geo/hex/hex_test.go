package hex

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/leicester-csp/hotspot/geo"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"
	"github.com/uber/h3-go/v4"
)

// Leicester's extent, for random points.
var leicester = orb.Bound{Min: orb.Point{-1.22, 52.57}, Max: orb.Point{-1.05, 52.69}}

// A res-8 cell from the Gi* test vectors, inside the city.
const knownCell = "8819434c17fffff"

func randomPoints(seed uint64, n int, b orb.Bound) []orb.Point {
	r := rand.New(rand.NewPCG(seed, seed^0x5eed))
	pts := make([]orb.Point, n)
	for i := range pts {
		pts[i] = orb.Point{
			b.Min[0] + r.Float64()*(b.Max[0]-b.Min[0]),
			b.Min[1] + r.Float64()*(b.Max[1]-b.Min[1]),
		}
	}
	return pts
}

func mustParse(tb testing.TB, s string) geo.Cell {
	tb.Helper()
	c, err := Parse(s)
	if err != nil {
		tb.Fatalf("Parse(%q): %v", s, err)
	}
	return c
}

func TestValidRes(t *testing.T) {
	for _, tc := range []struct {
		res  int
		want bool
	}{
		{-1, false}, {0, false}, {5, false}, {6, true}, {8, true}, {10, true}, {11, false}, {15, false},
	} {
		if got := ValidRes(tc.res); got != tc.want {
			t.Errorf("ValidRes(%d) = %v, want %v", tc.res, got, tc.want)
		}
	}
}

func TestCellAt(t *testing.T) {
	known := mustParse(t, knownCell)
	clock := orb.Point{-1.1335, 52.6346} // Clock Tower, city centre
	tests := []struct {
		name string
		p    orb.Point
		res  int
		want geo.Cell
	}{
		{"centre of known cell", Center(known), 8, known},
		{"res below H3", clock, -1, 0},
		{"res above H3", clock, 16, 0},
		{"NaN longitude", orb.Point{math.NaN(), 52.6}, 9, 0},
		{"infinite latitude", orb.Point{-1.1, math.Inf(1)}, 9, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := CellAt(tc.p, tc.res); got != tc.want {
				t.Errorf("CellAt(%v, %d) = %s, want %s", tc.p, tc.res, String(got), String(tc.want))
			}
		})
	}
	for res := 0; res <= 15; res++ {
		c := CellAt(clock, res)
		if Res(c) != res {
			t.Errorf("Res(CellAt(clock, %d)) = %d", res, Res(c))
		}
		if CellAt(Center(c), res) != c {
			t.Errorf("res %d: the cell of a cell's centre is another cell", res)
		}
	}
}

// TestCellsAtContainment checks that every resolution's cell contains the
// point, and measures how often the res-9 cell is not the parent of the
// res-10 cell: the reason CellsAt computes each resolution from the point.
func TestCellsAtContainment(t *testing.T) {
	const n = 20000
	pts := randomPoints(1, n, leicester)
	var mismatch [geo.NumRes - 1]int
	nearEdge, maxOff := 0, 0.0
	for _, p := range pts {
		cells := CellsAt(p)
		for i, c := range cells {
			res := geo.MinRes + i
			if c != CellAt(p, res) {
				t.Fatalf("CellsAt(%v)[res %d] = %s, CellAt says %s", p, res, String(c), String(CellAt(p, res)))
			}
			if Res(c) != res {
				t.Fatalf("CellsAt(%v)[res %d] has res %d", p, res, Res(c))
			}
			if poly := Polygon(c); !planar.PolygonContains(poly, p) {
				// Polygon draws H3's great-circle edges as straight lines
				// in lon/lat; they part by centimetres, so a point that
				// close to an edge may fall on the wrong side of the drawn
				// one.
				d := metresToRing(p, poly[0])
				if tol := 1e-3 * h3.HexagonEdgeLengthAvgM(res); d > tol {
					t.Errorf("point %v is %.3f m outside its res-%d cell %s", p, d, res, String(c))
				}
				nearEdge++
				maxOff = math.Max(maxOff, d)
			}
		}
		for i := range mismatch {
			if h3.Cell(cells[i+1]).Parent(geo.MinRes+i) != h3.Cell(cells[i]) {
				mismatch[i]++
			}
		}
	}
	t.Logf("%d of %d point-in-cell checks fell outside the drawn edge, by at most %.4f m", nearEdge, n*geo.NumRes, maxOff)
	for i, m := range mismatch {
		t.Logf("res %d cell is not the parent of the res %d cell for %d of %d points (%.2f %%)",
			geo.MinRes+i, geo.MinRes+i+1, m, n, 100*float64(m)/n)
	}
	// About 7 % of points between res 9 and 10, as for any adjacent pair;
	// the bounds only guard against CellsAt deriving cells by parent.
	share := float64(mismatch[9-geo.MinRes]) / n
	if share < 0.03 || share > 0.12 {
		t.Errorf("res 9/10 parent mismatch share %.3f, want about 0.07", share)
	}
}

// metresToRing returns the distance from p to the ring's edges, in metres
// on a local flat approximation, which is plenty at cell sizes.
func metresToRing(p orb.Point, r orb.Ring) float64 {
	const mPerDegLat = 111_320.0
	mPerDegLon := mPerDegLat * math.Cos(p[1]*math.Pi/180)
	best := math.Inf(1)
	for i := 0; i+1 < len(r); i++ {
		ax, ay := (r[i][0]-p[0])*mPerDegLon, (r[i][1]-p[1])*mPerDegLat
		bx, by := (r[i+1][0]-p[0])*mPerDegLon, (r[i+1][1]-p[1])*mPerDegLat
		dx, dy := bx-ax, by-ay
		// The closest point of segment a–b to the origin (p).
		u := math.Max(0, math.Min(1, -(ax*dx+ay*dy)/(dx*dx+dy*dy)))
		best = math.Min(best, math.Hypot(ax+u*dx, ay+u*dy))
	}
	return best
}

func TestCellsAtNotFinite(t *testing.T) {
	if got := CellsAt(orb.Point{math.NaN(), 0}); got != ([geo.NumRes]geo.Cell{}) {
		t.Errorf("CellsAt(NaN) = %v, want zero cells", got)
	}
}

func TestPolygon(t *testing.T) {
	clock := orb.Point{-1.1335, 52.6346}
	tests := []struct {
		name string
		cell geo.Cell
	}{
		{"known res 8", mustParse(t, knownCell)},
		{"pentagon res 8", geo.Cell(h3.Pentagons(8)[0])},
		{"pentagon res 9 (class III)", geo.Cell(h3.Pentagons(9)[3])},
	}
	for res := 0; res <= 15; res++ {
		tests = append(tests, struct {
			name string
			cell geo.Cell
		}{fmt.Sprintf("Leicester res %d", res), CellAt(clock, res)})
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			poly := Polygon(tc.cell)
			if len(poly) != 1 {
				t.Fatalf("Polygon has %d rings, want 1", len(poly))
			}
			ring := poly[0]
			if len(ring) < 6 {
				t.Fatalf("ring has %d points, want at least 5 vertices and the closing one", len(ring))
			}
			if !ring.Closed() {
				t.Errorf("ring not closed: %v … %v", ring[0], ring[len(ring)-1])
			}
			if o := ring.Orientation(); o != orb.CCW {
				t.Errorf("ring orientation %v, want CCW", o)
			}
			if !planar.PolygonContains(poly, Center(tc.cell)) {
				t.Errorf("cell centre %v outside its polygon", Center(tc.cell))
			}
		})
	}
	if got := Polygon(0); got != nil {
		t.Errorf("Polygon(0) = %v, want nil", got)
	}
}

func TestDisk(t *testing.T) {
	c := mustParse(t, knownCell)
	tests := []struct {
		name string
		cell geo.Cell
		k    int
		want int // cells, or -1 for nil
	}{
		{"k 0", c, 0, 1},
		{"k 1", c, 1, 7},
		{"k 2", c, 2, 19},
		{"k 3", c, 3, 37},
		{"negative k", c, -1, -1},
		{"invalid cell", 0, 1, -1},
		{"pentagon k 1", geo.Cell(h3.Pentagons(8)[0]), 1, 6},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := Disk(tc.cell, tc.k)
			if tc.want < 0 {
				if got != nil {
					t.Fatalf("Disk = %v, want nil", got)
				}
				return
			}
			if len(got) != tc.want {
				t.Fatalf("Disk has %d cells, want %d", len(got), tc.want)
			}
			if !slices.Contains(got, tc.cell) {
				t.Errorf("Disk leaves out its centre")
			}
			sorted := slices.Clone(got)
			slices.Sort(sorted)
			if len(slices.Compact(sorted)) != len(got) {
				t.Errorf("Disk has duplicates: %v", got)
			}
			for _, d := range got {
				if dist := h3.GridDistance(h3.Cell(tc.cell), h3.Cell(d)); dist > tc.k || dist < 0 {
					t.Errorf("cell %s at grid distance %d, want ≤ %d", String(d), dist, tc.k)
				}
			}
		})
	}
}

func TestParse(t *testing.T) {
	tests := []struct {
		name string
		in   string
		ok   bool
	}{
		{"known cell", knownCell, true},
		{"res 0 cell", "8001fffffffffff", true},
		{"res 15 cell", String(CellAt(orb.Point{-1.1335, 52.6346}, 15)), true},
		{"empty", "", false},
		{"garbage", "not a cell index", false},
		{"upper case", "8819434C17FFFFF", false},
		{"0x prefix", "0x8819434c17fffff", false},
		{"leading space", " 8819434c17fffff", false},
		{"trailing newline", "8819434c17fffff\n", false},
		{"one digit short", "8819434c17ffff", false},
		{"sign", "+819434c17fffff", false},
		{"all zero", "000000000000000", false},
		{"unused digit not 7", "8819434c17ffff0", false},
		{"bad base cell", "88f9434c17fffff", false},
		{"non-ASCII", "8819434c17ffff\u00e9", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c, err := Parse(tc.in)
			if !tc.ok {
				if err == nil {
					t.Fatalf("Parse(%q) = %s, want an error", tc.in, String(c))
				}
				if !errors.Is(err, geo.ErrInvalid) {
					t.Errorf("Parse(%q) error %v does not wrap geo.ErrInvalid", tc.in, err)
				}
				return
			}
			if err != nil {
				t.Fatalf("Parse(%q): %v", tc.in, err)
			}
			if s := String(c); s != tc.in {
				t.Errorf("String(Parse(%q)) = %q", tc.in, s)
			}
		})
	}
}

// TestStringRoundTrip checks that every cell CellsAt can produce prints as
// 15 digits and parses back.
func TestStringRoundTrip(t *testing.T) {
	for _, p := range randomPoints(2, 500, leicester) {
		for _, c := range CellsAt(p) {
			s := String(c)
			if len(s) != 15 {
				t.Fatalf("String(%d) = %q, want 15 digits", c, s)
			}
			got, err := Parse(s)
			if err != nil || got != c {
				t.Fatalf("Parse(String(%d)) = %d, %v", c, got, err)
			}
		}
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{knownCell, "8001fffffffffff", "", "0", "8819434C17FFFFF", "ffffffffffffffff", "000000000000000", "0x8819434c17ffff"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		c, err := Parse(s)
		if err != nil {
			if !errors.Is(err, geo.ErrInvalid) {
				t.Fatalf("Parse(%q) error %v does not wrap geo.ErrInvalid", s, err)
			}
			return
		}
		if String(c) != s {
			t.Fatalf("String(Parse(%q)) = %q", s, String(c))
		}
		if r := Res(c); r < 0 || r > 15 {
			t.Fatalf("Parse(%q) has res %d", s, r)
		}
		// A parsed cell must be usable without panics.
		_ = Polygon(c)
		_ = Disk(c, 1)
	})
}

// square returns a counter-clockwise square ring centred on c.
func square(c orb.Point, half float64) orb.Ring {
	return orb.Ring{
		{c[0] - half, c[1] - half}, {c[0] + half, c[1] - half},
		{c[0] + half, c[1] + half}, {c[0] - half, c[1] + half},
		{c[0] - half, c[1] - half},
	}
}

func reversed(r orb.Ring) orb.Ring {
	r = slices.Clone(r)
	r.Reverse()
	return r
}

// bruteCover finds the cells at res whose centres lie in mp by testing
// every cell of a disk around mp's bounds. The disk is grown until its
// outer ring lies wholly outside the bounds, so it surely holds every cell
// that can qualify.
func bruteCover(tb testing.TB, mp orb.MultiPolygon, res int) []geo.Cell {
	tb.Helper()
	b := mp.Bound()
	origin := CellAt(b.Center(), res)
	k := 1
	for {
		inner := Disk(origin, k-1)
		outside := true
		for _, c := range Disk(origin, k) {
			if !slices.Contains(inner, c) && Polygon(c).Bound().Intersects(b) {
				outside = false
				break
			}
		}
		if outside {
			break
		}
		k += k/2 + 1
		if k > 2000 {
			tb.Fatalf("brute force: area too large for a disk")
		}
	}
	var out []geo.Cell
	for _, c := range Disk(origin, k) {
		if planar.MultiPolygonContains(mp, Center(c)) {
			out = append(out, c)
		}
	}
	slices.Sort(out)
	return out
}

func TestCover(t *testing.T) {
	castle := orb.Point{-1.1335, 52.6346}
	east := orb.Point{-1.10, 52.63}
	tests := []struct {
		name string
		mp   orb.MultiPolygon
		res  int
	}{
		{"square res 8", orb.MultiPolygon{{square(castle, 0.02)}}, 8},
		{"square res 9", orb.MultiPolygon{{square(castle, 0.01)}}, 9},
		{"square res 10", orb.MultiPolygon{{square(castle, 0.005)}}, 10},
		{"square smaller than a cell", orb.MultiPolygon{{square(castle, 0.0004)}}, 9},
		{"clockwise exterior", orb.MultiPolygon{{reversed(square(castle, 0.01))}}, 9},
		{"open ring", orb.MultiPolygon{{square(castle, 0.01)[:4]}}, 9},
		{"square with hole", orb.MultiPolygon{{square(castle, 0.02), reversed(square(castle, 0.008))}}, 9},
		{"overlapping squares", orb.MultiPolygon{{square(castle, 0.01)}, {square(orb.Point{-1.125, 52.63}, 0.01)}}, 9},
		{"separate squares", orb.MultiPolygon{{square(castle, 0.005)}, {square(east, 0.005)}}, 10},
		{"degenerate hole ignored", orb.MultiPolygon{{square(castle, 0.01), {castle, castle}}}, 9},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := Cover(tc.mp, tc.res)
			if !slices.IsSorted(got) || len(slices.Compact(slices.Clone(got))) != len(got) {
				t.Errorf("Cover not sorted and unique: %v", got)
			}
			want := bruteCover(t, tc.mp, tc.res)
			if !slices.Equal(got, want) {
				t.Errorf("Cover gave %d cells, brute force %d\nonly Cover: %v\nonly brute: %v",
					len(got), len(want), minus(got, want), minus(want, got))
			}
			for _, c := range got {
				if Res(c) != tc.res {
					t.Errorf("cell %s has res %d", String(c), Res(c))
				}
			}
		})
	}
}

func TestCoverNothing(t *testing.T) {
	sq := orb.MultiPolygon{{square(orb.Point{-1.13, 52.63}, 0.01)}}
	tests := []struct {
		name string
		mp   orb.MultiPolygon
		res  int
	}{
		{"nil", nil, 9},
		{"empty polygon", orb.MultiPolygon{{}}, 9},
		{"two-point ring", orb.MultiPolygon{{{{-1.1, 52.6}, {-1.2, 52.6}, {-1.1, 52.6}}}}, 9},
		{"NaN vertex", orb.MultiPolygon{{{{-1.1, 52.6}, {math.NaN(), 52.6}, {-1.1, 52.7}, {-1.1, 52.6}}}}, 9},
		{"NaN in hole", orb.MultiPolygon{{sq[0][0], {{-1.13, 52.63}, {math.Inf(-1), 52.63}, {-1.13, 52.631}}}}, 9},
		{"res too high", sq, 16},
		{"res negative", sq, -1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := Cover(tc.mp, tc.res); len(got) != 0 {
				t.Errorf("Cover = %d cells, want none", len(got))
			}
		})
	}
}

// TestCoverWards checks Cover on the real wards against brute force, and
// that wards sharing an edge never share a cell.
func TestCoverWards(t *testing.T) {
	wards := loadWards(t)
	for _, res := range []int{geo.MinRes, 8, 9, geo.MaxRes} {
		seen := map[geo.Cell]string{}
		for _, w := range wards {
			got := Cover(w.geom, res)
			want := bruteCover(t, w.geom, res)
			if !slices.Equal(got, want) {
				t.Errorf("res %d ward %s: Cover gave %d cells, brute force %d\nonly Cover: %v\nonly brute: %v",
					res, w.code, len(got), len(want), minus(got, want), minus(want, got))
			}
			for _, c := range got {
				if other, dup := seen[c]; dup {
					t.Errorf("res %d: cell %s in wards %s and %s", res, String(c), other, w.code)
				}
				seen[c] = w.code
			}
		}
		t.Logf("res %d: %d cells in %d wards", res, len(seen), len(wards))
	}
}

func minus(a, b []geo.Cell) []string {
	var out []string
	for _, c := range a {
		if !slices.Contains(b, c) {
			out = append(out, String(c))
		}
	}
	return out
}

func BenchmarkCellsAt(b *testing.B) {
	pts := randomPoints(3, 4096, leicester)
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		_ = CellsAt(pts[i%len(pts)])
		i++
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(i), "ns/point")
}

func BenchmarkCover(b *testing.B) {
	wards := loadWards(b)
	for _, res := range []int{8, 9, 10} {
		b.Run(fmt.Sprintf("wards/res%d", res), func(b *testing.B) {
			b.ReportAllocs()
			cells := 0
			for b.Loop() {
				cells = 0
				for _, w := range wards {
					cells += len(Cover(w.geom, res))
				}
			}
			b.ReportMetric(float64(cells), "cells/op")
		})
	}
}

func BenchmarkDisk(b *testing.B) {
	c := mustParse(b, knownCell)
	for _, k := range []int{1, 3} {
		b.Run(fmt.Sprintf("k%d", k), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				_ = Disk(c, k)
			}
		})
	}
}
