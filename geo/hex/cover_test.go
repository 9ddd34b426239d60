package hex

import (
	"fmt"
	"math"
	"slices"
	"testing"

	"github.com/leicester-csp/hotspot/geo"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"
)

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
