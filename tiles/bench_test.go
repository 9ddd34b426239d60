package tiles

import (
	"github.com/leicester-csp/hotspot/geo/layer"

	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/maptile"

	"github.com/leicester-csp/hotspot/geo"
	"github.com/leicester-csp/hotspot/geo/analysis"
	"github.com/leicester-csp/hotspot/geo/boundary"
	"github.com/leicester-csp/hotspot/geo/hex"
	"github.com/leicester-csp/hotspot/internal/shareddata"
	"github.com/leicester-csp/hotspot/internal/synth"
)

// cityHex is a city-sized hex layer: every res cell of a box about 9 km
// square on Leicester (some 5,500 cells at res 10), with counts and Gi*
// figures drawn from a fixed seed.
func cityHex(tb testing.TB, res int) *analysis.HexResult {
	tb.Helper()
	cells := hex.Cover(orb.MultiPolygon{box(centre(), 4.5).ToPolygon()}, res)
	r := rand.New(rand.NewPCG(1, 2))
	out := &analysis.HexResult{Cells: make([]analysis.HexCell, len(cells))}
	for i, c := range cells {
		z := r.NormFloat64() * 1.5
		bin := 0
		switch a := math.Abs(z); {
		case a > 3:
			bin = 3
		case a > 2.4:
			bin = 2
		case a > 1.9:
			bin = 1
		}
		if z < 0 {
			bin = -bin
		}
		p := math.Erfc(math.Abs(z) / math.Sqrt2)
		out.Cells[i] = analysis.HexCell{Cell: c, Count: r.IntN(30), Z: z, P: p, PAdj: math.Min(1, 3*p), Bin: bin}
	}
	return out
}

func BenchmarkHex(b *testing.B) {
	for _, bc := range []struct {
		z, res int
	}{
		{14, 10}, // the target: < 3 ms
		{13, 10}, // the most res-10 cells a default tile holds
		{12, 9},
		{10, 8},
	} {
		res := cityHex(b, bc.res)
		tile := tileAt(centre(), bc.z)
		b.Run(fmt.Sprintf("z%d-res%d-%dcells", bc.z, bc.res, len(res.Cells)), func(b *testing.B) {
			b.ReportAllocs()
			var size int
			var st Stats
			for b.Loop() {
				buf, s, err := Encode(layer.HexAnswer(res), tile, Options{})
				if err != nil {
					b.Fatal(err)
				}
				size, st = len(buf), s
			}
			b.ReportMetric(float64(size), "bytes/tile")
			b.ReportMetric(float64(st.Features), "features/tile")
		})
	}
}

// BenchmarkHexLayer is the steady state of a server: the layer prepared
// once per result, its outlines cached by earlier tiles.
func BenchmarkHexLayer(b *testing.B) {
	for _, bc := range []struct {
		z, res int
	}{
		{14, 10},
		{13, 10},
		{12, 9},
		{10, 8},
	} {
		res := cityHex(b, bc.res)
		tile := tileAt(centre(), bc.z)
		hl := Prepare(layer.HexAnswer(res))
		if _, _, err := hl.Tile(tile, Options{}); err != nil {
			b.Fatal(err)
		}
		b.Run(fmt.Sprintf("z%d-res%d-%dcells", bc.z, bc.res, len(res.Cells)), func(b *testing.B) {
			b.ReportAllocs()
			var size int
			for b.Loop() {
				buf, _, err := hl.Tile(tile, Options{})
				if err != nil {
					b.Fatal(err)
				}
				size = len(buf)
			}
			b.ReportMetric(float64(size), "bytes/tile")
		})
	}
	res := cityHex(b, 10)
	b.Run(fmt.Sprintf("prepare-res10-%dcells", len(res.Cells)), func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			Prepare(layer.HexAnswer(res))
		}
	})
}

func BenchmarkWards(b *testing.B) {
	type fixture struct {
		name  string
		wards []geo.Area
		at    orb.Point
	}
	var fixtures []fixture
	if dir, ok := shareddata.Find(); ok {
		path := dir + "/boundaries_leicester/leicester_wards_WD20_BGC.geojson"
		if wards, err := boundary.ReadFile(path, boundary.Options{}); err == nil {
			fixtures = append(fixtures, fixture{"leicester", wards, centre()})
		}
		// Ten times as many outlines and vertices: a stress case for
		// finer boundaries than the generalised ward file.
		path = dir + "/boundaries_leicester/leicester_LSOA21_hybrid_BGC.geojson"
		if lsoas, err := boundary.ReadFile(path, boundary.Options{}); err == nil {
			fixtures = append(fixtures, fixture{"leicester-lsoa", lsoas, centre()})
		}
	}
	city := synth.NewCity(1)
	fixtures = append(fixtures, fixture{"synth", city.Wards, city.City.Geometry.Bound().Center()})

	for _, fx := range fixtures {
		res := &analysis.WardResult{}
		var vertices int
		for i, w := range fx.wards {
			res.Wards = append(res.Wards, analysis.WardRow{Area: w, Count: 100 + i, Population: 10000 + i, Rate: ptr(float64(i)), PrevCount: 90, ChangePct: ptr(float64(i) - 5)})
			for _, p := range w.Geometry {
				for _, r := range p {
					vertices += len(r)
				}
			}
		}
		for _, z := range []int{12, 10, 14} {
			tile := tileAt(fx.at, z)
			b.Run(fmt.Sprintf("%s-%dwards-%dvertices-z%d", fx.name, len(fx.wards), vertices, z), func(b *testing.B) {
				b.ReportAllocs()
				var size int
				var st Stats
				for b.Loop() {
					buf, s, err := Encode(layer.WardAnswer(res), tile, Options{})
					if err != nil {
						b.Fatal(err)
					}
					size, st = len(buf), s
				}
				b.ReportMetric(float64(size), "bytes/tile")
				b.ReportMetric(float64(st.Features), "features/tile")
			})
		}
	}
}

func BenchmarkIncidents(b *testing.B) {
	// A year of city-centre incidents: police.uk snaps them to a few
	// thousand map points, here drawn within 3 km of the centre.
	r := rand.New(rand.NewPCG(3, 4))
	items := make([]geo.StoredIncident, 40000)
	for i := range items {
		items[i] = geo.StoredIncident{
			Incident: geo.Incident{
				ID: fmt.Sprintf("%064x", i), Month: geo.NewMonth(2024, 1+i%12), HasLocation: true,
				Point:    offset(centre(), r.NormFloat64()*1.2, r.NormFloat64()*1.2),
				Location: "On or near Shopping Area", Category: geo.Categories[i%len(geo.Categories)],
				Outcome: "Investigation complete; no suspect identified",
			},
			Ward: "E05010458", WardName: "Castle",
		}
	}
	for _, z := range []int{14, 16} {
		tile := maptile.At(centre(), maptile.Zoom(z))
		// The store answers a tile with the incidents in its query bound
		// (the API asks it so); the answer is built from that page.
		qb := QueryBound(tile, Options{})
		var page []geo.StoredIncident
		for _, it := range items {
			if qb.Contains(it.Point) {
				page = append(page, it)
			}
		}
		b.Run(fmt.Sprintf("%dincidents-z%d", len(items), z), func(b *testing.B) {
			b.ReportAllocs()
			var size int
			var st Stats
			for b.Loop() {
				buf, s, err := Encode(layer.IncidentAnswer(page), tile, Options{})
				if err != nil {
					b.Fatal(err)
				}
				size, st = len(buf), s
			}
			b.ReportMetric(float64(size), "bytes/tile")
			b.ReportMetric(float64(st.Features), "features/tile")
		})
	}
}
