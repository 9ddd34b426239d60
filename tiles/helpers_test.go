package tiles

import (
	"fmt"
	"math"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/mvt"
	"github.com/paulmach/orb/maptile"

	"github.com/leicester-csp/hotspot/geo"
	"github.com/leicester-csp/hotspot/geo/analysis"
	"github.com/leicester-csp/hotspot/geo/hex"
)

// Leicester city centre (the Clock Tower), where the fixtures sit.
const centreLon, centreLat = -1.135, 52.634

func centre() orb.Point { return orb.Point{centreLon, centreLat} }

// offset returns the point dx km east and dy km north of p.
func offset(p orb.Point, dxKm, dyKm float64) orb.Point {
	const kmPerDeg = 111.32
	return orb.Point{p[0] + dxKm/(kmPerDeg*math.Cos(p[1]*math.Pi/180)), p[1] + dyKm/kmPerDeg}
}

// box returns the longitude/latitude bound of a square halfKm either side
// of p.
func box(p orb.Point, halfKm float64) orb.Bound {
	return orb.Bound{Min: offset(p, -halfKm, -halfKm), Max: offset(p, halfKm, halfKm)}
}

// decodeLayer decodes a tile that must hold exactly the layer name.
func decodeLayer(tb testing.TB, b []byte, name string) *mvt.Layer {
	tb.Helper()
	if len(b) == 0 {
		tb.Fatal("tile is empty bytes; want at least the layer")
	}
	ls, err := mvt.Unmarshal(b)
	if err != nil {
		tb.Fatalf("decode tile: %v", err)
	}
	if len(ls) != 1 || ls[0].Name != name {
		var names []string
		for _, l := range ls {
			names = append(names, l.Name)
		}
		tb.Fatalf("layers = %q, want exactly [%s]", names, name)
	}
	return ls[0]
}

// checkInExtent fails when a vertex of g lies outside the tile and buffer.
func checkInExtent(tb testing.TB, g orb.Geometry, opt Options) {
	tb.Helper()
	opt = opt.withDefaults()
	lo, hi := -float64(opt.Buffer), float64(opt.Extent+opt.Buffer)
	var bad []orb.Point
	visit(g, func(p orb.Point) {
		if p[0] < lo || p[0] > hi || p[1] < lo || p[1] > hi {
			bad = append(bad, p)
		}
	})
	if len(bad) > 0 {
		tb.Errorf("%d vertices outside [%v, %v], e.g. %v", len(bad), lo, hi, bad[0])
	}
}

// checkWinding fails unless every polygon has its exterior ring of
// positive area and its holes negative, as MVT 2 requires, and no ring
// is degenerate.
func checkWinding(tb testing.TB, g orb.Geometry) {
	tb.Helper()
	var polys []orb.Polygon
	switch g := g.(type) {
	case orb.Polygon:
		polys = []orb.Polygon{g}
	case orb.MultiPolygon:
		polys = g
	default:
		tb.Fatalf("geometry %T, want a polygon", g)
	}
	for _, p := range polys {
		for i, r := range p {
			a := area2(r)
			if len(r) < 4 || a == 0 || (i == 0) != (a > 0) {
				tb.Errorf("ring %d (of %d) has %d vertices and area×2 %v: want exterior > 0, holes < 0", i, len(p), len(r), a)
			}
		}
	}
}

func visit(g orb.Geometry, f func(orb.Point)) {
	switch g := g.(type) {
	case orb.Point:
		f(g)
	case orb.MultiPoint:
		for _, p := range g {
			f(p)
		}
	case orb.Polygon:
		for _, r := range g {
			for _, p := range r {
				f(p)
			}
		}
	case orb.MultiPolygon:
		for _, p := range g {
			visit(p, f)
		}
	}
}

// hexFixture builds a HexResult over the res cells whose centres lie in
// b, with counts, Gi* figures and bins that vary from cell to cell; every
// ninth cell has Gi* undefined.
func hexFixture(tb testing.TB, b orb.Bound, res int) *analysis.HexResult {
	tb.Helper()
	cells := hex.Cover(orb.MultiPolygon{b.ToPolygon()}, res)
	if len(cells) == 0 {
		tb.Fatal("fixture covers no cells")
	}
	out := &analysis.HexResult{Cells: make([]analysis.HexCell, len(cells)), Query: fixturePeriod()}
	for i, c := range cells {
		h := analysis.HexCell{Cell: c, Count: int(uint64(c)>>8%17) + i%5, Bin: i%7 - 3}
		h.Z = float64(h.Bin) * 1.1
		h.P = 0.5 / (1 + math.Abs(h.Z))
		h.PAdj = h.P
		if h.Count > 0 {
			h.TopLocation = fmt.Sprintf("On or near Street %d", i%4)
		}
		if i%9 == 0 {
			h.Z, h.P, h.PAdj, h.Bin = math.NaN(), math.NaN(), math.NaN(), 0
		}
		out.Cells[i] = h
		out.Total += h.Count
	}
	return out
}

// cellProps indexes a decoded hex layer by its h3 property.
func cellProps(tb testing.TB, l *mvt.Layer) map[string]map[string]any {
	tb.Helper()
	out := make(map[string]map[string]any, len(l.Features))
	for _, f := range l.Features {
		h, ok := f.Properties["h3"].(string)
		if !ok {
			tb.Fatalf("feature without a string h3: %v", f.Properties)
		}
		if _, dup := out[h]; dup {
			tb.Fatalf("cell %s twice", h)
		}
		out[h] = f.Properties
	}
	return out
}

// tileAt is the tile at z that holds p.
func tileAt(p orb.Point, z int) maptile.Tile { return maptile.At(p, maptile.Zoom(z)) }

// square returns a counter-clockwise lon/lat ring around p, halfKm either
// side, as RFC 7946 winds exteriors.
func square(p orb.Point, halfKm float64) orb.Ring {
	b := box(p, halfKm)
	return orb.Ring{b.Min, {b.Max[0], b.Min[1]}, b.Max, {b.Min[0], b.Max[1]}, b.Min}
}

// circle returns a counter-clockwise ring of n vertices around p.
func circle(p orb.Point, radiusKm float64, n int) orb.Ring {
	r := make(orb.Ring, 0, n+1)
	for i := range n {
		a := 2 * math.Pi * float64(i) / float64(n)
		r = append(r, offset(p, radiusKm*math.Cos(a), radiusKm*math.Sin(a)))
	}
	return append(r, r[0])
}

func ptr(v float64) *float64 { return &v }

// wardsFixture holds: a ward with a hole at the centre, a ward a few
// metres across beside it, a finely drawn round ward, and one in London.
// Their change figures are given, not computed: tiles only carry them.
func wardsFixture() *analysis.WardResult {
	hole := square(offset(centre(), 0.5, 0.5), 0.2)
	hole.Reverse()
	ward := func(code, name string, mp orb.MultiPolygon) geo.Area {
		return geo.Area{Kind: geo.KindWard, Code: code, Name: name, Geometry: mp}
	}
	return &analysis.WardResult{Query: fixturePeriod(), Wards: []analysis.WardRow{
		{Area: ward("E05000001", "Castle", orb.MultiPolygon{{square(centre(), 1.5), hole}}),
			Count: 120, Population: 15000, Rate: ptr(8), PrevCount: 100, ChangePct: ptr(20), ChangeP: ptr(0.004), ChangeBin: 3},
		{Area: ward("E05000002", "Speck", orb.MultiPolygon{{square(offset(centre(), -0.4, -0.4), 0.002)}}),
			Count: 3, PrevCount: 0, ChangeP: ptr(0.25)},
		{Area: ward("E05000003", "Round", orb.MultiPolygon{{circle(offset(centre(), 2.5, 0), 1, 2000)}}),
			Count: 40, Population: 9000, Rate: ptr(40.0 / 9), PrevCount: 50, ChangePct: ptr(-20), ChangeP: ptr(0.37)},
		{Area: ward("E09000001", "Faraway", orb.MultiPolygon{{square(orb.Point{-0.09, 51.51}, 1)}}),
			Count: 7, PrevCount: 7, ChangePct: ptr(0), ChangeP: ptr(1)},
	}}
}

// fixturePeriod is the months the fixtures' answers are for.
func fixturePeriod() *analysis.Resolved {
	return &analysis.Resolved{Months: geo.MonthRange{From: geo.NewMonth(2024, 1), To: geo.NewMonth(2024, 6)}}
}
