package tiles

import (
	"cmp"
	"github.com/leicester-csp/hotspot/geo/layer"

	"bytes"
	"errors"
	"math"
	"sync"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/clip"
	"github.com/paulmach/orb/maptile"
	"github.com/paulmach/orb/planar"

	"github.com/leicester-csp/hotspot/geo"
	"github.com/leicester-csp/hotspot/geo/analysis"
	"github.com/leicester-csp/hotspot/geo/hex"
)

func TestHex(t *testing.T) {
	tests := []struct {
		name string
		z    int
		res  int
		opt  Options
		// far is a point, as km east and north of the centre, whose
		// cell is in the fixture but must not be in the tile.
		farKm [2]float64
	}{
		{name: "z14 res10", z: 14, res: 10, farKm: [2]float64{3, 0}},
		{name: "z13 res10 small buffer", z: 13, res: 10, opt: Options{Buffer: 8}, farKm: [2]float64{0, 3.5}},
		{name: "z12 res9 extent 512", z: 12, res: 9, opt: Options{Extent: 512}, farKm: [2]float64{-7, -7}},
		{name: "z15 res10", z: 15, res: 10, farKm: [2]float64{1.5, 1.5}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res := hexFixture(t, box(centre(), 8), tc.res)
			tile := tileAt(centre(), tc.z)
			opt := tc.opt
			b, st, err := Encode(layer.HexAnswer(res), tile, opt)
			if err != nil {
				t.Fatal(err)
			}
			l := decodeLayer(t, b, "hex")
			if st.Features != len(l.Features) || st.Truncated {
				t.Errorf("stats %+v, decoded %d features", st, len(l.Features))
			}

			// Exactly the cells whose outline's bound meets the
			// tile and buffer, found the slow way.
			qb := QueryBound(tile, tc.opt)
			want := map[string]analysis.HexCell{}
			for _, c := range res.Cells {
				if hex.Polygon(c.Cell).Bound().Intersects(qb) {
					want[hex.String(c.Cell)] = c
				}
			}
			// A cell that only grazes the clip edge snaps to a
			// sliver of no area and is rightly left out, so every
			// cell must be there that overlaps the tile and its
			// buffer less two units.
			inner := opt.withDefaults()
			inner.Buffer -= 2
			ib := QueryBound(tile, inner)
			got := cellProps(t, l)
			for h, c := range want {
				p, ok := got[h]
				if !ok {
					if overlaps(ib, hex.Polygon(c.Cell)) {
						t.Errorf("cell %s missing", h)
					}
					continue
				}
				checkHexProps(t, h, p, c)
			}
			for h := range got {
				if _, ok := want[h]; !ok {
					t.Errorf("cell %s is beyond the tile and buffer", h)
				}
			}

			in := hex.String(hex.CellAt(tile.Center(), tc.res))
			if _, ok := got[in]; !ok {
				t.Errorf("cell %s at the tile centre missing", in)
			}
			far := hex.String(hex.CellAt(offset(centre(), tc.farKm[0], tc.farKm[1]), tc.res))
			if _, ok := want[far]; ok {
				t.Fatalf("test is wrong: cell %s is near the tile", far)
			}
			if _, ok := got[far]; ok {
				t.Errorf("far cell %s present", far)
			}
			for _, f := range l.Features {
				checkInExtent(t, f.Geometry, tc.opt)
				checkWinding(t, f.Geometry)
				if f.ID != nil {
					t.Errorf("feature id %v, want none", f.ID)
				}
			}
		})
	}
}

func checkHexProps(t *testing.T, h string, p map[string]any, c analysis.HexCell) {
	t.Helper()
	// orb decodes every number as float64; GDAL's test checks the
	// integer types.
	if p["count"] != float64(c.Count) || p["gi_bin"] != float64(c.Bin) {
		t.Errorf("cell %s: count %v gi_bin %v, want %d %d", h, p["count"], p["gi_bin"], c.Count, c.Bin)
	}
	for key, v := range map[string]float64{"gi_z": c.Z, "gi_p": c.P} {
		got, ok := p[key]
		switch {
		case math.IsNaN(v) && ok:
			t.Errorf("cell %s: %s = %v, want it left out", h, key, got)
		case !math.IsNaN(v) && got != v:
			t.Errorf("cell %s: %s = %v, want %v", h, key, got, v)
		}
	}
	if got, _ := p["top_location"].(string); got != c.TopLocation {
		t.Errorf("cell %s: top_location %q, want %q (left out when empty)", h, got, c.TopLocation)
	}
	if p["from"] != "2024-01" || p["to"] != "2024-06" {
		t.Errorf("cell %s: period %v – %v, want the fixture's 2024-01 – 2024-06", h, p["from"], p["to"])
	}
	if p["suppressed"] != false {
		t.Errorf("cell %s: suppressed %v, want false", h, p["suppressed"])
	}
	if len(p) != 8-2*btoi(math.IsNaN(c.Z))+btoi(c.TopLocation != "") {
		t.Errorf("cell %s: properties %v", h, p)
	}
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

func TestHexEmpty(t *testing.T) {
	tests := []struct {
		name string
		res  *analysis.HexResult
		tile maptile.Tile
	}{
		{"nil result", nil, tileAt(centre(), 14)},
		{"no cells", &analysis.HexResult{}, tileAt(centre(), 14)},
		{"tile elsewhere", hexFixture(t, box(centre(), 1), 10), tileAt(orb.Point{151.2, -33.9}, 14)},
		{"world tile, fine cells", hexFixture(t, box(centre(), 0.3), 10), maptile.New(0, 0, 0)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			b, st, err := Encode(layer.HexAnswer(tc.res), tc.tile, Options{})
			if err != nil {
				t.Fatal(err)
			}
			l := decodeLayer(t, b, "hex")
			if len(l.Features) != 0 || st.Features != 0 {
				t.Errorf("%d features (stats %+v), want none", len(l.Features), st)
			}
		})
	}
}

func TestHexTruncation(t *testing.T) {
	res := hexFixture(t, box(centre(), 2), 10)
	tile := tileAt(centre(), 14)
	all, _, err := Encode(layer.HexAnswer(res), tile, Options{MaxFeatures: -1})
	if err != nil {
		t.Fatal(err)
	}
	n := len(decodeLayer(t, all, "hex").Features)

	const keep = 25
	b, st, err := Encode(layer.HexAnswer(res), tile, Options{MaxFeatures: keep})
	if err != nil {
		t.Fatal(err)
	}
	if !st.Truncated || st.Features != keep {
		t.Fatalf("stats %+v, want %d features, truncated (of %d)", st, keep, n)
	}
	got := cellProps(t, decodeLayer(t, b, "hex"))

	// The kept cells must all rank at or above every dropped one.
	var weakestKept, strongestDropped *analysis.HexCell
	qb := QueryBound(tile, Options{})
	for _, c := range res.Cells {
		if !hex.Polygon(c.Cell).Bound().Intersects(qb) {
			continue
		}
		if _, ok := got[hex.String(c.Cell)]; ok {
			if weakestKept == nil || bySignificance(c, *weakestKept) > 0 {
				weakestKept = &c
			}
		} else if strongestDropped == nil || bySignificance(c, *strongestDropped) < 0 {
			strongestDropped = &c
		}
	}
	if weakestKept == nil || strongestDropped == nil {
		t.Fatal("test is wrong: nothing kept or nothing dropped")
	}
	if bySignificance(*weakestKept, *strongestDropped) > 0 {
		t.Errorf("kept %+v but dropped the more significant %+v", *weakestKept, *strongestDropped)
	}
	if abs(weakestKept.Bin) != 3 {
		t.Errorf("weakest kept bin %d: with this many ±3 cells all kept should be ±3", weakestKept.Bin)
	}
}

func TestTileErrors(t *testing.T) {
	res := hexFixture(t, box(centre(), 0.5), 10)
	tests := []struct {
		name string
		tile maptile.Tile
		opt  Options
	}{
		{"zoom above max", maptile.New(0, 0, MaxZoom+1), Options{}},
		{"x out of range", maptile.New(1<<14, 0, 14), Options{}},
		{"y out of range", maptile.New(0, 4, 2), Options{}},
		{"huge zoom", maptile.New(0, 0, 40), Options{}},
		{"extent too large", tileAt(centre(), 14), Options{Extent: 1 << 17}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			for name, f := range map[string]func() error{
				"hex":       func() error { _, _, err := Encode(layer.HexAnswer(res), tc.tile, tc.opt); return err },
				"wards":     func() error { _, _, err := Encode(layer.WardAnswer(wardsFixture()), tc.tile, tc.opt); return err },
				"incidents": func() error { _, _, err := Encode(layer.IncidentAnswer(nil), tc.tile, tc.opt); return err },
			} {
				if err := f(); !errors.Is(err, geo.ErrInvalid) {
					t.Errorf("%s: err %v, want geo.ErrInvalid", name, err)
				}
			}
		})
	}
}

func TestDeterministic(t *testing.T) {
	res := hexFixture(t, box(centre(), 3), 10)
	wards := wardsFixture()
	items := incidentsFixture()
	tile := tileAt(centre(), 14)
	encoders := map[string]func() ([]byte, error){
		"hex":   func() ([]byte, error) { b, _, err := Encode(layer.HexAnswer(res), tile, Options{}); return b, err },
		"wards": func() ([]byte, error) { b, _, err := Encode(layer.WardAnswer(wards), tile, Options{}); return b, err },
		"incidents": func() ([]byte, error) {
			b, _, err := Encode(layer.IncidentAnswer(items), tile, Options{})
			return b, err
		},
	}
	for name, enc := range encoders {
		t.Run(name, func(t *testing.T) {
			first, err := enc()
			if err != nil {
				t.Fatal(err)
			}
			for range 5 {
				again, err := enc()
				if err != nil {
					t.Fatal(err)
				}
				if !bytes.Equal(first, again) {
					t.Fatal("second encoding differs")
				}
			}
		})
	}
}

// overlaps reports whether p shares area with b.
func overlaps(b orb.Bound, p orb.Polygon) bool {
	c := clip.Polygon(b, orb.Clone(p).(orb.Polygon))
	return c != nil && planar.Area(c) > 0
}

// A prepared layer gives the same bytes tile after tile, and the same as
// a layer prepared afresh.
func TestHexLayerRepeatable(t *testing.T) {
	res := hexFixture(t, box(centre(), 4), 10)
	var tiles []maptile.Tile
	for _, z := range []int{10, 12, 13, 14, 16} {
		tiles = append(tiles, tileAt(centre(), z), tileAt(offset(centre(), 3.9, -3.9), z))
	}
	tiles = append(tiles, maptile.New(0, 0, 0), tileAt(orb.Point{151.2, -33.9}, 14))
	for _, opt := range []Options{{}, {MaxFeatures: 7, Buffer: 256}} {
		sorted, unsorted := Prepare(layer.HexAnswer(res)), Prepare(layer.HexAnswer(res))
		for _, tile := range tiles {
			want, wantSt, err := sorted.Tile(tile, opt)
			if err != nil {
				t.Fatal(err)
			}
			// The same layer again, then the other.
			for name, l := range map[string]*Layer{"again": sorted, "afresh": unsorted} {
				got, st, err := l.Tile(tile, opt)
				if err != nil {
					t.Fatal(err)
				}
				if !bytes.Equal(got, want) || st != wantSt {
					t.Fatalf("%s %v %+v: tile differs (stats %+v, want %+v)", name, tile, opt, st, wantSt)
				}
			}
		}
	}
	if _, _, err := Prepare(layer.HexAnswer(res)).Tile(maptile.New(0, 0, 30), Options{}); !errors.Is(err, geo.ErrInvalid) {
		t.Errorf("bad tile: err %v", err)
	}
}

// Run with -race: the API serves many tiles of one layer at once.
func TestHexLayerConcurrent(t *testing.T) {
	hl := Prepare(layer.HexAnswer(hexFixture(t, box(centre(), 3), 10)))
	base := tileAt(centre(), 15)
	want := make([][]byte, 4)
	for i := range want {
		b, _, err := Encode(layer.HexAnswer(hexFixture(t, box(centre(), 3), 10)), maptile.New(base.X+uint32(i%2), base.Y+uint32(i/2), base.Z), Options{})
		if err != nil {
			t.Fatal(err)
		}
		want[i] = b
	}
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for i := range 4 {
				k := (g + i) % 4
				b, _, err := hl.Tile(maptile.New(base.X+uint32(k%2), base.Y+uint32(k/2), base.Z), Options{})
				if err != nil {
					t.Error(err)
					return
				}
				if !bytes.Equal(b, want[k]) {
					t.Errorf("tile %d differs under concurrency", k)
				}
			}
		})
	}
	wg.Wait()
}

// bySignificance is the ranking DESIGN.md's maps promise for full tiles,
// written out here independently of the layer's TileRank: the largest
// |gi_bin| first, then the largest count, then the lowest index.
func bySignificance(a, b analysis.HexCell) int {
	if c := cmp.Compare(abs(b.Bin), abs(a.Bin)); c != 0 {
		return c
	}
	if c := cmp.Compare(b.Count, a.Count); c != 0 {
		return c
	}
	return cmp.Compare(a.Cell, b.Cell)
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}
