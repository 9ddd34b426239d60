package tiles

import (
	"math"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/maptile"
	"github.com/paulmach/orb/planar"

	"github.com/leicester-csp/hotspot/geo"
	"github.com/leicester-csp/hotspot/geo/hex"
)

func TestResForZoom(t *testing.T) {
	tests := []struct{ z, res int }{
		{-1, 6}, {0, 6}, {5, 6}, {8, 6},
		{9, 7},
		{10, 8}, {11, 8},
		{12, 9},
		{13, 10}, {14, 10}, {18, 10}, {25, 10},
	}
	for _, tc := range tests {
		if got := ResForZoom(tc.z); got != tc.res {
			t.Errorf("ResForZoom(%d) = %d, want %d", tc.z, got, tc.res)
		}
	}
	for z := MinZoom; z <= MaxZoom; z++ {
		if r := ResForZoom(z); r < geo.MinRes || r > geo.MaxRes {
			t.Errorf("ResForZoom(%d) = %d is not a served resolution", z, r)
		}
	}
}

// The table's promise, measured on real cells at Leicester: from z8 up,
// the chosen hexagon is about 20 px across or more on a 512-px tile (the
// Leicester res-8 cell, smaller than average, is 18.8 px at z10), and the
// next finer resolution (where one is served) would not be.
func TestResForZoomPixels(t *testing.T) {
	for z := 8; z <= MaxZoom; z++ {
		res := ResForZoom(z)
		if px := hexPixels(t, res, z); px < 18 {
			t.Errorf("z%d res %d: hexagon %.1f px across, want about 20 or more", z, res, px)
		}
		if res < geo.MaxRes {
			if px := hexPixels(t, res+1, z); px >= 19.5 {
				t.Errorf("z%d: res %d would still be %.1f px across; the table is too coarse", z, res+1, px)
			}
		}
	}
}

// hexPixels measures the Leicester cell at res across its flats in pixels
// of a 512-px tile at zoom z.
func hexPixels(tb testing.TB, res, z int) float64 {
	tb.Helper()
	poly := hex.Polygon(hex.CellAt(centre(), res))
	tile := maptile.At(centre(), maptile.Zoom(z))
	// Fractional tile coordinates times 512, without the snapping the
	// tile encoder does.
	ring := make(orb.Ring, len(poly[0]))
	for i, p := range poly[0] {
		f := maptile.Fraction(p, tile.Z)
		ring[i] = orb.Point{f[0] * 512, f[1] * 512}
	}
	// A regular hexagon of area A is √(2A/√3) across its flats.
	return math.Sqrt(2 * math.Abs(planar.Area(ring)) / math.Sqrt(3))
}

func TestQueryBound(t *testing.T) {
	tests := []struct {
		name string
		tile maptile.Tile
		opt  Options
	}{
		{"z14 default", tileAt(centre(), 14), Options{}},
		{"z10 big buffer", tileAt(centre(), 10), Options{Buffer: 512}},
		{"z18 extent 512", tileAt(centre(), 18), Options{Extent: 512, Buffer: 16}},
		{"world", maptile.New(0, 0, 0), Options{}},
		{"west edge", maptile.New(0, 5, 4), Options{}},
		{"east edge", maptile.New(15, 5, 4), Options{}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			qb := QueryBound(tc.tile, tc.opt)
			tb := tc.tile.Bound()
			if !qb.Contains(tb.Min) || !qb.Contains(tb.Max) {
				t.Fatalf("query bound %v does not contain tile bound %v", qb, tb)
			}
			if qb.Min[0] < -180 || qb.Max[0] > 180 {
				t.Errorf("query bound %v leaves ±180", qb)
			}
			// The buffer's width, in tile units, where the world
			// does not cut it off.
			opt := tc.opt.withDefaults()
			wantDeg := 360 / math.Exp2(float64(tc.tile.Z)) * float64(opt.Buffer) / float64(opt.Extent)
			if tb.Min[0]-wantDeg > -180 {
				if got := tb.Min[0] - qb.Min[0]; math.Abs(got-wantDeg) > 1e-9 {
					t.Errorf("west buffer %v°, want %v°", got, wantDeg)
				}
			}
		})
	}
}
