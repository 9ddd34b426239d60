package forecast

import (
	"math"
	"slices"
	"testing"
)

// The figures below are worked by hand (weights and distances written
// out), never taken from the code under test.

func near(a, b float64) bool { return math.Abs(a-b) <= 1e-9*math.Max(1, math.Abs(b)) }

func TestRecency(t *testing.T) {
	// Three months, oldest first: ages 2, 1, 0; weights 2^(−2/3),
	// 2^(−1/3), 1.
	w2, w1 := 0.6299605249474366, 0.7937005259840998
	tests := []struct {
		name    string
		monthly [][]int
		want    []float64
	}{
		{"three months", [][]int{{1, 0, 0}, {0, 2, 0}, {3, 1, 0}}, []float64{1*w2 + 3, 2*w1 + 1, 0}},
		{"one month weighs 1", [][]int{{4, 0}}, []float64{4, 0}},
		{"half-life of three months", [][]int{{8}, {0}, {0}, {0}}, []float64{4}},
		{"no months", nil, []float64{0, 0}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := Recency(tc.monthly, len(tc.want))
			for i := range tc.want {
				if !near(got[i], tc.want[i]) {
					t.Errorf("cell %d: %v, want %v", i, got[i], tc.want[i])
				}
			}
		})
	}
}

func TestHaversine(t *testing.T) {
	// Along a meridian, and along the equator, a degree is R·π/180.
	deg := 6371008.8 * math.Pi / 180 // 111,195.08 m
	tests := []struct {
		name                   string
		lat1, lng1, lat2, lng2 float64
		want                   float64
	}{
		{"one degree of latitude", 0, 0, 1, 0, deg},
		{"one degree of latitude at Leicester", 52.6, -1.13, 53.6, -1.13, deg},
		{"one degree of longitude on the equator", 0, 10, 0, 11, deg},
		{"the same point", 52.63, -1.13, 52.63, -1.13, 0},
		// At latitude 60° a degree of longitude along the parallel is
		// half a degree of the equator; the great circle is a little
		// shorter: 2R·asin(cos 60°·sin 0.5°) = 55,596.0 m.
		{"one degree of longitude at 60°", 60, 0, 60, 1, 2 * 6371008.8 * math.Asin(0.5*math.Sin(0.5*math.Pi/180))},
	}
	for _, tc := range tests {
		if got := Haversine(tc.lat1, tc.lng1, tc.lat2, tc.lng2); !near(got, tc.want) {
			t.Errorf("%s: %v m, want %v", tc.name, got, tc.want)
		}
	}
}

func TestKDE(t *testing.T) {
	// Cells on one meridian: A and B 250 m apart, C 250 m beyond B (500 m
	// from A), D 10 km away. With h = 250 m the weights are 1 at 0 m,
	// e^−½ at 250 m, e^−2 at 500 m, and nothing beyond 8h = 2 km.
	const h = 250.0
	step := h / 6371008.8 * 180 / math.Pi // 250 m of latitude, in degrees
	lat := []float64{52.6, 52.6 + step, 52.6 + 2*step, 52.6 + 40*step}
	lng := []float64{-1.13, -1.13, -1.13, -1.13}
	counts := []int{3, 5, 0, 7}
	e05, e2 := 0.6065306597126334, 0.1353352832366127
	want := []float64{
		3 + 5*e05,    // A: itself, B at 250 m
		5 + 3*e05,    // B
		3*e2 + 5*e05, // C holds nothing itself
		7,            // D: alone
	}
	got := KDE(lat, lng, counts, h)
	for i := range want {
		if !near(got[i], want[i]) {
			t.Errorf("cell %d: %v, want %v", i, got[i], want[i])
		}
	}
}

// TestKDEAgainstFullSum compares the cut-off sum with a direct one over
// every pair, written here with the spherical law of cosines rather than
// the haversine.
func TestKDEAgainstFullSum(t *testing.T) {
	const h = 250.0
	var lat, lng []float64
	var counts []int
	for i := range 30 {
		for j := range 30 {
			lat = append(lat, 52.55+float64(i)*0.004)
			lng = append(lng, -1.2+float64(j)*0.006)
			counts = append(counts, (i*7+j*13)%5)
		}
	}
	got := KDE(lat, lng, counts, h)
	rad := math.Pi / 180
	for i := range lat {
		var s float64
		for j := range lat {
			c := math.Sin(lat[i]*rad)*math.Sin(lat[j]*rad) + math.Cos(lat[i]*rad)*math.Cos(lat[j]*rad)*math.Cos((lng[i]-lng[j])*rad)
			d := 6371008.8 * math.Acos(math.Min(1, c))
			s += float64(counts[j]) * math.Exp(-d*d/(2*h*h))
		}
		if math.Abs(got[i]-s) > 1e-6 {
			t.Fatalf("cell %d: %v, full sum %v", i, got[i], s)
		}
	}
}

func TestRank(t *testing.T) {
	nan := math.NaN()
	tests := []struct {
		name  string
		cells []uint64
		score []float64
		want  []int
	}{
		{"score descending", []uint64{1, 2, 3}, []float64{1, 3, 2}, []int{1, 2, 0}},
		{"ties by index ascending", []uint64{30, 10, 20, 40}, []float64{5, 5, 5, 7}, []int{3, 1, 2, 0}},
		{"undefined last, ties among them by index", []uint64{30, 10, 20, 40}, []float64{nan, 1, nan, -2}, []int{1, 3, 2, 0}},
		// As unsigned integers: an index with the top bit set is large.
		{"unsigned order", []uint64{1 << 63, 5}, []float64{1, 1}, []int{1, 0}},
		{"negative z below zero", []uint64{1, 2}, []float64{-1, 0}, []int{1, 0}},
	}
	for _, tc := range tests {
		if got := Rank(tc.cells, tc.score); !slices.Equal(got, tc.want) {
			t.Errorf("%s: %v, want %v", tc.name, got, tc.want)
		}
	}
}

func TestSelected(t *testing.T) {
	tests := []struct {
		p    float64
		n    int
		want int
	}{
		{5, 100, 5},
		{5, 101, 6}, // 5.05 → 6
		{1, 250, 3}, // 2.5 → 3
		{10, 7, 1},  // 0.7 → 1
		{1, 1, 1},
		{0.1, 1000, 1}, // exactly 1, whatever 0.1 is in binary
		{0.7, 1000, 7},
		{100, 7, 7},
		{5, 0, 0},
	}
	for _, tc := range tests {
		if got := Selected(tc.p, tc.n); got != tc.want {
			t.Errorf("Selected(%v, %d) = %d, want %d", tc.p, tc.n, got, tc.want)
		}
	}
}

func TestEvaluate(t *testing.T) {
	f := func(v float64) *float64 { return &v }
	tests := []struct {
		name          string
		order         []int
		m             int
		test, train   []int
		incidents     int
		hits          int
		pai, pei, rri *float64
	}{
		// Five cells; the test month has 12 incidents, 2 of them outside
		// S. The top two by training count hold 3 + 1 = 4 of them; the
		// best two cells held 4 + 3 = 7; the training window had 16 of its
		// 20 there. pai = (4/12)/(2/5) = 5/6, pei = 4/7,
		// rri = (4/12)/(16/20) = 5/12.
		{"worked", []int{0, 1, 2, 3, 4}, 2, []int{3, 1, 0, 4, 2}, []int{10, 6, 4, 0, 0}, 12, 4, f(5.0 / 6), f(4.0 / 7), f(5.0 / 12)},
		{"perfect", []int{3, 0, 4, 1, 2}, 2, []int{3, 1, 0, 4, 2}, []int{0, 0, 0, 10, 10}, 10, 7, f((7.0 / 10) / (2.0 / 5)), f(1), f(0.7 / 0.5)},
		{"no test incidents: pai, pei, rri null", []int{0, 1, 2}, 1, []int{0, 0, 0}, []int{1, 2, 3}, 0, 0, nil, nil, nil},
		{"incidents only outside S: pei null", []int{0, 1}, 1, []int{0, 0}, []int{1, 0}, 3, 0, f(0), nil, f(0)},
		{"empty training window: rri null", []int{0, 1}, 1, []int{2, 0}, []int{0, 0}, 2, 2, f(2), f(1), nil},
		{"selection held nothing in training: rri null", []int{1, 0}, 1, []int{2, 1}, []int{4, 0}, 3, 1, f((1.0 / 3) / 0.5), f(0.5), nil},
		{"empty study area", []int{}, 0, []int{}, []int{}, 5, 0, nil, nil, nil},
	}
	same := func(a, b *float64) bool { return (a == nil) == (b == nil) && (a == nil || near(*a, *b)) }
	show := func(p *float64) any {
		if p == nil {
			return nil
		}
		return *p
	}
	for _, tc := range tests {
		o := Evaluate(tc.order, tc.m, tc.test, tc.train, tc.incidents)
		if o.Hits != tc.hits || o.Selected != tc.m || o.Cells != len(tc.test) || o.Incidents != tc.incidents {
			t.Errorf("%s: %+v, want hits %d", tc.name, o, tc.hits)
		}
		if !same(o.PAI, tc.pai) || !same(o.PEI, tc.pei) || !same(o.RRI, tc.rri) {
			t.Errorf("%s: pai %v pei %v rri %v, want %v %v %v", tc.name, show(o.PAI), show(o.PEI), show(o.RRI), show(tc.pai), show(tc.pei), show(tc.rri))
		}
	}
}

func TestMean(t *testing.T) {
	f := func(v float64) *float64 { return &v }
	if m := Mean([]*float64{f(1), nil, f(2)}); m == nil || *m != 1.5 {
		t.Errorf("mean skipping null: %v, want 1.5", m)
	}
	if m := Mean([]*float64{nil, nil}); m != nil {
		t.Errorf("mean of nulls: %v, want null", *m)
	}
	if m := Mean(nil); m != nil {
		t.Errorf("mean of nothing: %v, want null", *m)
	}
}

func TestAsinSmall(t *testing.T) {
	for _, x := range []float64{0, 1e-9, 1e-6, 3.1e-4, 9.99e-4, 1e-3, 0.3, 1} {
		if got, want := asinSmall(x), math.Asin(x); math.Abs(got-want) > 1e-15*math.Max(want, 1e-300) {
			t.Errorf("asinSmall(%v) = %v, math.Asin %v", x, got, want)
		}
	}
}
