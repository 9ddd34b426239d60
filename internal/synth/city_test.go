package synth

import (
	"math"
	"math/rand/v2"
	"regexp"
	"slices"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"

	"github.com/leicester-csp/hotspot/geo"
	"github.com/leicester-csp/hotspot/internal/plainpass"
)

func TestWardsValid(t *testing.T) {
	codeRe := regexp.MustCompile(`^S05\d{6}$`)
	for _, seed := range testSeeds {
		c := city(t, seed)
		if n := len(c.Wards); n < 12 || n > 20 {
			t.Errorf("seed %d: %d wards, want 12–20", seed, n)
		}
		areas := append(slices.Clone(c.Wards), c.City)
		codes := map[string]bool{}
		names := map[string]bool{}
		for i, a := range areas {
			isCity := i == len(c.Wards)
			switch {
			case isCity && (a.Kind != geo.KindCity || a.Code != "S06000001"):
				t.Errorf("seed %d: city is %s %s", seed, a.Kind, a.Code)
			case !isCity && (a.Kind != geo.KindWard || !codeRe.MatchString(a.Code)):
				t.Errorf("seed %d: ward is %s %s", seed, a.Kind, a.Code)
			}
			if codes[a.Code] || names[a.Name] || a.Name == "" {
				t.Errorf("seed %d: code %q or name %q repeated or empty", seed, a.Code, a.Name)
			}
			codes[a.Code], names[a.Name] = true, true
			if !isCity && (i > 0 && c.Wards[i-1].Code >= a.Code) {
				t.Errorf("seed %d: wards not ordered by code at %s", seed, a.Code)
			}
			if len(a.Geometry) != 1 || len(a.Geometry[0]) != 1 {
				t.Errorf("seed %d: %s is not one polygon without holes", seed, a.Code)
				continue
			}
			ring := a.Geometry[0][0]
			if len(ring) < 4 || ring[0] != ring[len(ring)-1] {
				t.Errorf("seed %d: %s ring has %d points or is open", seed, a.Code, len(ring))
			}
			if ring.Orientation() != orb.CCW {
				t.Errorf("seed %d: %s ring is not counter-clockwise", seed, a.Code)
			}
			if p, q, ok := crossing(ring); ok {
				t.Errorf("seed %d: %s ring crosses itself: edges %d and %d", seed, a.Code, p, q)
			}
			b := a.Geometry.Bound()
			if b.Min[0] < -2.0 || b.Max[0] > -1.8 || b.Min[1] < 52.14 || b.Max[1] > 52.26 {
				t.Errorf("seed %d: %s lies at %v, not at the fictional site", seed, a.Code, b)
			}
		}
		if len(c.Population) != len(c.Wards) {
			t.Errorf("seed %d: population for %d areas, want the %d wards", seed, len(c.Population), len(c.Wards))
		}
		for _, w := range c.Wards {
			if p, ok := c.Population[w.Code]; !ok || p < 10000 || p > 25000 {
				t.Errorf("seed %d: %s population %d (present %v), want 10,000–25,000", seed, w.Code, p, ok)
			}
		}
	}
}

// crossing finds two edges of a closed ring that meet other than at the
// vertex joining neighbours, by brute force over all pairs (independent of
// the checks NewCity makes).
func crossing(ring orb.Ring) (int, int, bool) {
	n := len(ring) - 1
	for i := range n {
		for j := i + 1; j < n; j++ {
			adjacent := j == i+1 || (i == 0 && j == n-1)
			a, b, c, d := ring[i], ring[i+1], ring[j], ring[j+1]
			o1, o2 := orient(a, b, c), orient(a, b, d)
			o3, o4 := orient(c, d, a), orient(c, d, b)
			if !adjacent && o1*o2 < 0 && o3*o4 < 0 {
				return i, j, true
			}
			// Touching or overlapping: a vertex of one edge on the
			// other, other than the shared one.
			for _, x := range []struct {
				p, q, v orb.Point
				o       float64
			}{{a, b, c, o1}, {a, b, d, o2}, {c, d, a, o3}, {c, d, b, o4}} {
				shared := adjacent && (x.v == b && j == i+1 || x.v == a && i == 0 && j == n-1)
				if !shared && x.o == 0 && between(x.p, x.q, x.v) {
					return i, j, true
				}
			}
		}
	}
	return 0, 0, false
}

func TestWardsTileCityHeavy(t *testing.T) {
	plainpass.Only(t) // samples large enough for tolerances; one goroutine
	for _, seed := range testSeeds {
		c := city(t, seed)
		b := c.City.Geometry.Bound()
		r := rand.New(rand.NewPCG(seed, 99))
		inside := 0
		for range 10000 {
			p := orb.Point{b.Min[0] + r.Float64()*(b.Max[0]-b.Min[0]), b.Min[1] + r.Float64()*(b.Max[1]-b.Min[1])}
			in := planar.MultiPolygonContains(c.City.Geometry, p)
			n := 0
			for _, w := range c.Wards {
				if planar.MultiPolygonContains(w.Geometry, p) {
					n++
				}
			}
			if in {
				inside++
			}
			if want := map[bool]int{true: 1, false: 0}[in]; n != want {
				t.Fatalf("seed %d: %v (in city: %v) is in %d wards, want %d", seed, p, in, n, want)
			}
		}
		if inside < 5000 {
			t.Errorf("seed %d: only %d of 10,000 points of the bounding box in the city", seed, inside)
		}
		var sum float64
		for _, w := range c.Wards {
			sum += planar.Area(w.Geometry)
		}
		cityArea := planar.Area(c.City.Geometry)
		if rel := math.Abs(sum-cityArea) / cityArea; rel > 1e-9 {
			t.Errorf("seed %d: wards sum to %g, city is %g (relative difference %g)", seed, sum, cityArea, rel)
		}
		// About 8 km across: some 50 km² (a square degree here is about
		// 111 × 68 km).
		if km2 := cityArea * kmPerDegLat * kmPerDegLon; km2 < 35 || km2 > 70 {
			t.Errorf("seed %d: city covers %.1f km²", seed, km2)
		}
	}
}

// TestSharedEdges holds the wards to sharing vertices exactly: every edge
// of a ward is either an edge of exactly one other ward, reversed, or an
// edge of the city boundary.
func TestSharedEdges(t *testing.T) {
	type edge struct{ a, b orb.Point }
	for _, seed := range testSeeds {
		c := city(t, seed)
		count := map[edge]int{}
		for _, w := range c.Wards {
			r := w.Geometry[0][0]
			for i := 0; i+1 < len(r); i++ {
				count[edge{r[i], r[i+1]}]++
			}
		}
		outer := map[edge]bool{}
		r := c.City.Geometry[0][0]
		for i := 0; i+1 < len(r); i++ {
			outer[edge{r[i], r[i+1]}] = true
		}
		for e, n := range count {
			back := count[edge{e.b, e.a}]
			if n != 1 || (back == 1) == outer[e] {
				t.Fatalf("seed %d: edge %v used %d times, reversed %d, on the boundary %v", seed, e, n, back, outer[e])
			}
		}
		for e := range outer {
			if count[e] != 1 {
				t.Fatalf("seed %d: boundary edge %v is not a ward edge", seed, e)
			}
		}
	}
}

func TestCastle(t *testing.T) {
	centre := orb.Point{centreLon, centreLat}
	for _, seed := range testSeeds {
		c := city(t, seed)
		var castles []geo.Area
		for _, w := range c.Wards {
			if w.Name == "Castle" {
				castles = append(castles, w)
			}
		}
		if len(castles) != 1 {
			t.Fatalf("seed %d: %d wards named Castle", seed, len(castles))
		}
		if !planar.MultiPolygonContains(castles[0].Geometry, centre) {
			t.Errorf("seed %d: Castle does not contain the centre %v", seed, centre)
		}
		if i := c.ward(centre); c.Wards[i].Name != "Castle" {
			t.Errorf("seed %d: the centre is in %s", seed, c.Wards[i].Name)
		}
	}
}

func BenchmarkNewCity(b *testing.B) {
	for i := range b.N {
		NewCity(uint64(i))
	}
}

// TestManySeeds checks the layout invariants over more seeds than the other
// tests use, since a degenerate layout shows only for some seeds.
func TestManySeedsHeavy(t *testing.T) {
	plainpass.Only(t) // samples large enough for tolerances; one goroutine
	n := uint64(20)
	if testing.Short() {
		n = 3
	}
	for seed := uint64(100); seed < 100+n; seed++ {
		c := NewCity(seed)
		var sum float64
		for _, w := range append(slices.Clone(c.Wards), c.City) {
			ring := w.Geometry[0][0]
			if _, _, bad := crossing(ring); bad || ring.Orientation() != orb.CCW || ring[0] != ring[len(ring)-1] {
				t.Errorf("seed %d: %s ring invalid", seed, w.Code)
			}
			if w.Kind == geo.KindWard {
				sum += planar.Area(w.Geometry)
			}
		}
		if a := planar.Area(c.City.Geometry); math.Abs(sum-a)/a > 1e-9 {
			t.Errorf("seed %d: wards do not add up to the city", seed)
		}
		if i := c.ward(orb.Point{centreLon, centreLat}); i < 0 || c.Wards[i].Name != "Castle" {
			t.Errorf("seed %d: centre not in Castle", seed)
		}
	}
}
