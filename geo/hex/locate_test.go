package hex

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/paulmach/orb"
	"github.com/uber/h3-go/v4"

	"github.com/leicester-csp/hotspot/geo"
)

// h3Cells is the reference: H3's LatLngToCell of the point at every
// served resolution, called directly.
func h3Cells(p orb.Point) [geo.NumRes]geo.Cell {
	var out [geo.NumRes]geo.Cell
	for i := range out {
		out[i] = geo.Cell(h3.LatLngToCell(h3.LatLng{Lat: p[1], Lng: p[0]}, geo.MinRes+i))
	}
	return out
}

// clustered places points within about 40 m of a few hundred centres, as
// partner records lie around police.uk map points: the caches are hit.
func clustered(seed uint64, n int, b orb.Bound) []orb.Point {
	r := rand.New(rand.NewPCG(seed, 7))
	centres := randomPoints(seed+1, 300, b)
	out := make([]orb.Point, n)
	for i := range out {
		c := centres[r.IntN(len(centres))]
		out[i] = orb.Point{c[0] + (r.Float64()-0.5)*0.0012, c[1] + (r.Float64()-0.5)*0.0008}
	}
	return out
}

// onEdges gives points on and within a hair of cell edges and vertices at
// every served resolution, where only H3 may decide.
func onEdges(seed uint64, n int, b orb.Bound) []orb.Point {
	r := rand.New(rand.NewPCG(seed, 11))
	var out []orb.Point
	for _, p := range randomPoints(seed, n, b) {
		res := geo.MinRes + r.IntN(geo.NumRes)
		bd := h3.CellToBoundary(h3.LatLngToCell(h3.LatLng{Lat: p[1], Lng: p[0]}, res))
		i := r.IntN(len(bd))
		a, c := bd[i], bd[(i+1)%len(bd)]
		t := r.Float64()
		on := orb.Point{a.Lng + t*(c.Lng-a.Lng), a.Lat + t*(c.Lat-a.Lat)}
		out = append(out, on, orb.Point{a.Lng, a.Lat})
		for _, d := range []float64{1e-13, 1e-11, 1e-9, 1e-7} {
			out = append(out, orb.Point{on[0] + d, on[1]}, orb.Point{on[0], on[1] - d},
				orb.Point{a.Lng - d, a.Lat + d})
		}
	}
	return out
}

// world gives points uniform on the sphere, and points around every face
// centre, where the Locator must hand every cell to H3.
func world(seed uint64, n int) []orb.Point {
	r := rand.New(rand.NewPCG(seed, 13))
	var out []orb.Point
	for range n {
		lat := math.Asin(2*r.Float64()-1) * 180 / math.Pi
		out = append(out, orb.Point{r.Float64()*360 - 180, lat})
	}
	for _, c := range h3.Res0Cells() {
		ll := h3.CellToLatLng(c)
		for range 50 {
			out = append(out, orb.Point{ll.Lng + (r.Float64()-0.5)*0.01, ll.Lat + (r.Float64()-0.5)*0.01})
		}
	}
	return out
}

func TestLocatorMatchesH3(t *testing.T) {
	england := orb.Bound{Min: orb.Point{-5.7, 49.9}, Max: orb.Point{1.8, 55.8}}
	n := 40_000
	if testing.Short() {
		n = 20_000
	}
	tests := []struct {
		name    string
		pts     []orb.Point
		maxRate float64 // most cells asked of H3 per point and resolution
	}{
		{"clustered in the city", clustered(1, n, leicester), 0.1},
		{"clustered over England", clustered(2, n, england), 0.2},
		{"uniform in the city", randomPoints(3, n, leicester), 0.5},
		{"on and beside cell edges", onEdges(4, n/10, leicester), 1},
		{"the whole sphere and the face centres", world(5, n/10), 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := NewLocator()
			bad := 0
			for _, p := range tt.pts {
				got, want := l.CellsAt(p), h3Cells(p)
				if got != want && bad < 5 {
					t.Errorf("CellsAt(%v) = %x, H3 says %x", p, got, want)
				}
				if got != want {
					bad++
				}
			}
			if bad > 0 {
				t.Errorf("%d of %d points differ from H3", bad, len(tt.pts))
			}
			t.Logf("asked H3 for %d cells of %d points", l.Asked, len(tt.pts))
			if rate := float64(l.Asked) / float64(len(tt.pts)*geo.NumRes); rate > tt.maxRate {
				t.Errorf("asked H3 for %.1f%% of cells, want at most %.0f%%", 100*rate, 100*tt.maxRate)
			}
		})
	}
}

// The Locator takes no short cut on points H3 is not asked about in the
// usual way: out-of-range and non-finite coordinates give CellsAt's answer.
func TestLocatorOddPoints(t *testing.T) {
	l := NewLocator()
	for _, p := range []orb.Point{{math.NaN(), 52}, {-1, math.Inf(1)}, {200, 52}, {-1, 91}, {0, 90}, {180, 0}, {-180, -90}} {
		if got, want := l.CellsAt(p), CellsAt(p); got != want {
			t.Errorf("CellsAt(%v) = %x, want %x", p, got, want)
		}
	}
}

func TestParentMatchesH3(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 9))
	for _, p := range append(randomPoints(6, 2000, leicester), world(7, 2000)...) {
		fine := r.IntN(h3.MaxResolution + 1)
		c := h3.LatLngToCell(h3.LatLng{Lat: p[1], Lng: p[0]}, fine)
		for res := 0; res <= fine; res++ {
			if got, want := parent(geo.Cell(c), res), geo.Cell(c.Parent(res)); got != want {
				t.Fatalf("parent(%x, %d) = %x, want %x", uint64(c), res, got, want)
			}
		}
	}
}

func TestFaceCentres(t *testing.T) {
	fs := faceCentres()
	if len(fs) != 20 {
		t.Fatalf("%d face centres, want 20", len(fs))
	}
	// Each is a centre of its face: the face H3 gives a point there.
	seen := map[int]bool{}
	for _, f := range fs {
		ll := orb.Point{math.Atan2(f[1], f[0]) * 180 / math.Pi, math.Asin(f[2]) * 180 / math.Pi}
		faces := realFaces(h3.LatLngToCell(h3.LatLng{Lat: ll[1], Lng: ll[0]}, 9).IcosahedronFaces())
		if len(faces) != 1 || seen[faces[0]] {
			t.Errorf("centre %v: faces %v", ll, faces)
			continue
		}
		seen[faces[0]] = true
	}
}

func FuzzLocator(f *testing.F) {
	f.Add(-1.13, 52.63, -1.1301, 52.6302)
	f.Add(0.0, 90.0, 180.0, -90.0)
	f.Fuzz(func(t *testing.T, x1, y1, x2, y2 float64) {
		l := NewLocator()
		// The second point is located with the first's cells cached.
		for _, p := range []orb.Point{{x1, y1}, {x2, y2}} {
			if got, want := l.CellsAt(p), CellsAt(p); got != want {
				t.Errorf("CellsAt(%v) = %x, want %x", p, got, want)
			}
		}
	})
}
