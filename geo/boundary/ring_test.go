package boundary

import (
	"math"
	"testing"

	"github.com/paulmach/orb"
)

func TestSelfIntersection(t *testing.T) {
	tests := []struct {
		name string
		ring orb.Ring
		want bool
		at   orb.Point
	}{
		{"square", orb.Ring{{0, 0}, {1, 0}, {1, 1}, {0, 1}, {0, 0}}, false, orb.Point{}},
		{"triangle", orb.Ring{{0, 0}, {1, 0}, {0, 1}, {0, 0}}, false, orb.Point{}},
		{"collinear vertex on an edge", orb.Ring{{0, 0}, {1, 0}, {2, 0}, {2, 2}, {0, 2}, {0, 0}}, false, orb.Point{}},
		{"bowtie", orb.Ring{{0, 0}, {1, 1}, {1, 0}, {0, 1}, {0, 0}}, true, orb.Point{0, 0}},
		{
			// the shape of two ONS LSOAs: a small loop hanging off a vertex
			"loop touching at a vertex",
			orb.Ring{{0, 0}, {1, -1}, {1, 1}, {0, 0}, {-1, 1}, {-1, -1}, {0, 0}},
			false, orb.Point{},
		},
		{
			"figure eight through a vertex",
			orb.Ring{{0, 0}, {1, 1}, {1, -1}, {0, 0}, {-1, 1}, {-1, -1}, {0, 0}},
			true, orb.Point{0, 0},
		},
		{
			"vertex touching an edge from inside",
			orb.Ring{{0, 0}, {4, 0}, {4, 4}, {3, 4}, {2, 0}, {1, 4}, {0, 4}, {0, 0}},
			false, orb.Point{},
		},
		{
			"boundary passing through an edge at a vertex",
			orb.Ring{{0, 0}, {4, 0}, {4, 2}, {2, 2}, {2, 0}, {2, -2}, {-1, -2}, {-1, 1}, {0, 0}},
			true, orb.Point{2, 0},
		},
		{
			"edges overlapping along a line",
			orb.Ring{{0, 0}, {4, 0}, {4, 1}, {3, 1}, {3, 0}, {1, 0}, {1, -1}, {0, -1}, {0, 0}},
			true, orb.Point{3, 0},
		},
		{"spike doubling back", orb.Ring{{0, 0}, {2, 0}, {2, 1}, {3, 1}, {2.5, 1}, {0, 2}, {0, 0}}, true, orb.Point{3, 1}},
		{"flat ring", orb.Ring{{0, 0}, {1, 1}, {2, 2}, {0, 0}}, true, orb.Point{0, 0}},
		{"closing edge crossing", orb.Ring{{0, 0}, {2, 2}, {2, 0}, {0, 2}, {0, 0}}, true, orb.Point{0, 0}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			at, got := selfIntersection(tc.ring)
			if got != tc.want || at != tc.at {
				t.Errorf("selfIntersection = %v %v, want %v %v", at, got, tc.want, tc.at)
			}
		})
	}
}

func TestSelfIntersectionLargeRing(t *testing.T) {
	r := circle(20000)
	if _, bad := selfIntersection(r); bad {
		t.Fatal("circle reported as self-intersecting")
	}
	// swap two vertices far apart: the ring now crosses itself
	r[100], r[10000] = r[10000], r[100]
	if _, bad := selfIntersection(r); !bad {
		t.Fatal("crossing missed")
	}
}

func TestRingLocate(t *testing.T) {
	sq := orb.Ring{{0, 0}, {2, 0}, {2, 2}, {0, 2}, {0, 0}}
	tests := []struct {
		name   string
		p      orb.Point
		in, on bool
	}{
		{"inside", orb.Point{1, 1}, true, false},
		{"outside", orb.Point{3, 1}, false, false},
		{"on an edge", orb.Point{2, 1}, false, true},
		{"on a vertex", orb.Point{0, 0}, false, true},
		{"level with a vertex, outside", orb.Point{-1, 2}, false, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			in, on := ringLocate(sq, tc.p)
			if in != tc.in || on != tc.on {
				t.Errorf("ringLocate = %v %v, want %v %v", in, on, tc.in, tc.on)
			}
		})
	}
}

func circle(n int) orb.Ring {
	r := make(orb.Ring, 0, n+1)
	for i := range n {
		a := 2 * math.Pi * float64(i) / float64(n)
		r = append(r, orb.Point{-1.1 + 0.05*math.Cos(a), 52.6 + 0.05*math.Sin(a)})
	}
	return append(r, r[0])
}

// BenchmarkSelfIntersection checks a ring twice the size of the largest
// council ward.
func BenchmarkSelfIntersection(b *testing.B) {
	r := circle(2000)
	b.ReportAllocs()
	for b.Loop() {
		if _, bad := selfIntersection(r); bad {
			b.Fatal("crossing reported")
		}
	}
	b.ReportMetric(float64(len(r))*float64(b.N)/b.Elapsed().Seconds(), "vertices/s")
}

// FuzzRingCheck builds small rings on an 8×8 integer grid, where collinear
// points, shared vertices and touching edges are common and arithmetic is
// exact. It checks the swept edge test against all pairs, and that a ring
// accepted as not crossing itself has a winding number of 0 or ±1 of one
// sign everywhere, as only a simple (or self-touching) ring does.
func FuzzRingCheck(f *testing.F) {
	for _, s := range []string{"\x00\x02\x12\x10", "\x00\x09\x01\x08", "\x00\x07\x3f\x38\x00\x1b", "\x00\x04\x24\x20\x12\x02\x22"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > 16 {
			data = data[:16]
		}
		var r orb.Ring
		for _, b := range data {
			p := orb.Point{float64(b & 7), float64(b >> 3 & 7)}
			if len(r) == 0 || r[len(r)-1] != p {
				r = append(r, p)
			}
		}
		for len(r) > 1 && r[len(r)-1] == r[0] {
			r = r[:len(r)-1]
		}
		if len(r) < 3 {
			return
		}
		r = append(r, r[0])
		n := len(r) - 1

		_, swept := edgeCrossing(r)
		brute := false
		for i := range n {
			for j := i + 1; j < n; j++ {
				if !adjacent(n, i, j) {
					if _, ok := edgesConflict(r, n, i, j); ok {
						brute = true
					}
				}
			}
		}
		if swept != brute {
			t.Fatalf("ring %v: sweep says %v, all pairs %v", r, swept, brute)
		}

		if _, bad := selfIntersection(r); bad || zeroArea(r) {
			return
		}
		s := sign(signedArea(r))
		for x := -1; x <= 8; x++ {
			for y := -1; y <= 8; y++ {
				p := orb.Point{float64(x) + 0.3141, float64(y) + 0.2718}
				if w := winding(r, p); w != 0 && w != s {
					t.Fatalf("ring %v accepted, but winds %d times around %v (orientation %d)", r, w, p, s)
				}
			}
		}
	})
}

func winding(r orb.Ring, p orb.Point) int {
	w := 0
	for i := 0; i+1 < len(r); i++ {
		a, b := r[i], r[i+1]
		switch {
		case a[1] <= p[1] && b[1] > p[1] && orient(a, b, p) > 0:
			w++
		case a[1] > p[1] && b[1] <= p[1] && orient(a, b, p) < 0:
			w--
		}
	}
	return w
}
