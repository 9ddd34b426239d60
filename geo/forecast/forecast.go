// Package forecast holds the arithmetic of DESIGN.md's forecast checks:
// the four ways of ranking cells for next month (past counts,
// recency-weighted counts, Gi* z, a kernel density surface), how many
// cells a coverage selects, and how well a selection caught the month
// after (PAI, PEI, RRI). It works on plain slices, one entry per cell of a
// study area, and uses no project package, so that every figure can be
// checked by hand; geo/analysis reads the counts and calls it.
package forecast

import (
	"cmp"
	"math"
	"slices"
)

// The ranking methods. Methods is also the fixed order that breaks a
// tie when method=auto chooses among them: the simplest first.
const (
	MethodCounts  = "counts"
	MethodRecency = "recency"
	MethodGi      = "gi"
	MethodKDE     = "kde"
)

// Methods lists every method in its fixed order.
var Methods = []string{MethodCounts, MethodRecency, MethodGi, MethodKDE}

// EarthRadius is the mean Earth radius (metres) of DESIGN.md's
// great-circle distance.
const EarthRadius = 6371008.8

// RecencyHalfLife is the months over which a month's weight halves.
const RecencyHalfLife = 3

// Recency scores each cell Σ count_t · 2^(−age_t/3) over monthly counts
// given oldest first (monthly[t][i] is cell i's count in month t); the
// last month has age 0.
func Recency(monthly [][]int, n int) []float64 {
	out := make([]float64, n)
	for t, counts := range monthly {
		age := len(monthly) - 1 - t
		w := math.Exp2(-float64(age) / RecencyHalfLife)
		for i, c := range counts {
			out[i] += float64(c) * w
		}
	}
	return out
}

// Haversine is the great-circle distance in metres between two points
// given as latitude and longitude in degrees.
func Haversine(lat1, lng1, lat2, lng2 float64) float64 {
	const rad = math.Pi / 180
	dlat, dlng := (lat2-lat1)*rad, (lng2-lng1)*rad
	s := math.Sin(dlat/2)*math.Sin(dlat/2) +
		math.Cos(lat1*rad)*math.Cos(lat2*rad)*math.Sin(dlng/2)*math.Sin(dlng/2)
	return 2 * EarthRadius * math.Asin(math.Min(1, math.Sqrt(s)))
}

// KDECutoff is how many bandwidths away a cell still adds to a score. A
// cell 8h away weighs exp(−32) ≈ 1.3e-14 of one at distance 0, so the
// part left out is below count·1.3e-14 per cell: under a millionth of
// one incident's weight for any city's counts, far below what could
// reorder two cells, while a city at res 10 then pairs each cell with a
// few hundred neighbours rather than every cell.
const KDECutoff = 8

// KDE scores each cell Σ_j count_j · exp(−d_ij²/(2h²)) over the cells
// given (d the great-circle distance between their centres, h the
// bandwidth in metres), leaving out pairs further apart than KDECutoff·h.
// lat and lng are the centres in degrees.
func KDE(lat, lng []float64, counts []int, h float64) []float64 {
	n := len(counts)
	out := make([]float64, n)
	// The great-circle distance from the chord between unit vectors,
	// d = 2R·asin(chord/2), is the haversine's without a sine or cosine
	// per pair; pairs beyond the cutoff are refused on the chord alone.
	type unit struct{ x, y, z float64 }
	const rad = math.Pi / 180
	u := make([]unit, n)
	for i := range u {
		cl := math.Cos(lat[i] * rad)
		u[i] = unit{cl * math.Cos(lng[i]*rad), cl * math.Sin(lng[i]*rad), math.Sin(lat[i] * rad)}
	}
	// Only cells with incidents add to a score; sorted by latitude, those
	// within the cutoff of a cell lie in one run of them, found by binary
	// search, since a degree of latitude is the same length everywhere.
	src := make([]int, 0, n)
	for i, c := range counts {
		if c > 0 {
			src = append(src, i)
		}
	}
	slices.SortFunc(src, func(a, b int) int { return cmp.Compare(lat[a], lat[b]) })
	cut := KDECutoff * h
	dlat := cut / EarthRadius / rad
	chordCut := 2 * math.Sin(math.Min(cut/EarthRadius, math.Pi)/2)
	chord2Cut := chordCut * chordCut
	twoH2 := 2 * h * h
	for i := range out {
		// A cell within δ of this one lies within δ/cos(|lat| + δ) of its
		// longitude (a little more than the cap's asin(sin δ / cos lat));
		// near a pole, or across the antimeridian, no longitude is ruled out.
		dlng := math.Inf(1)
		if a := math.Abs(lat[i]) + dlat; a < 80 {
			dlng = 1.01 * dlat / math.Cos(a*rad)
		}
		if math.Abs(lng[i])+dlng >= 180 {
			dlng = math.Inf(1)
		}
		lo, _ := slices.BinarySearchFunc(src, lat[i]-dlat, func(j int, v float64) int { return cmp.Compare(lat[j], v) })
		var s float64
		for _, j := range src[lo:] {
			if lat[j] > lat[i]+dlat {
				break
			}
			if math.Abs(lng[j]-lng[i]) > dlng {
				continue
			}
			dx, dy, dz := u[i].x-u[j].x, u[i].y-u[j].y, u[i].z-u[j].z
			c2 := dx*dx + dy*dy + dz*dz
			if c2 > chord2Cut {
				continue
			}
			d := 2 * EarthRadius * asinSmall(math.Sqrt(c2)/2)
			s += float64(counts[j]) * math.Exp(-d*d/twoH2)
		}
		out[i] = s
	}
	return out
}

// asinSmall is asin(x), by its series where x is small: below 1e-3 (a
// chord of 12.7 km) the terms left out, from 5x⁷/112 on, are under 1e-17
// of x, beneath float64's precision, and the series costs a tenth of
// math.Asin, which a KDE over a city calls millions of times.
func asinSmall(x float64) float64 {
	if x >= 1e-3 {
		return math.Asin(x)
	}
	x2 := x * x
	return x * (1 + x2*(1.0/6+x2*(3.0/40)))
}

// Rank orders the cells by score, largest first; a NaN score (Gi*
// undefined) ranks last, and ties go to the smaller H3 index as an
// unsigned integer. It returns indexes into cells.
func Rank[C ~uint64](cells []C, score []float64) []int {
	order := make([]int, len(cells))
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(a, b int) int {
		sa, sb := score[a], score[b]
		na, nb := math.IsNaN(sa), math.IsNaN(sb)
		switch {
		case na != nb:
			if na {
				return 1
			}
			return -1
		case !na && sa != sb:
			return cmp.Compare(sb, sa)
		}
		return cmp.Compare(cells[a], cells[b])
	})
	return order
}

// Selected is m = ⌈p·n/100⌉, the cells a coverage of p percent of n
// cells selects. p·n/100 within 1e-9 of an integer is that integer, so
// that float rounding (0.1·1000 is not exactly 100) never adds a cell.
func Selected(p float64, n int) int {
	x := p * float64(n) / 100
	if r := math.Round(x); math.Abs(x-r) < 1e-9 {
		return min(int(r), n)
	}
	return min(int(math.Ceil(x)), n)
}

// Outcome is how a selection fared in the test month.
type Outcome struct {
	Cells     int // |S|
	Selected  int // m
	Incidents int // N: the test month's counted incidents, S or not
	Hits      int // the test month's incidents in the selected cells
	// PAI, PEI and RRI are nil where a denominator is 0.
	PAI, PEI, RRI *float64
}

// Evaluate scores the first m cells of order against the test month.
// test[i] and train[i] are cell i's counts in the test month and over
// the training window; incidents is N, which may exceed Σ test (cells
// outside the study area).
//
//	pai = (hits/N) / (m/|S|)
//	pei = hits / (the m largest test counts, summed)
//	rri = (hits/N) / (Σ train over the selected / Σ train)
func Evaluate(order []int, m int, test, train []int, incidents int) Outcome {
	o := Outcome{Cells: len(test), Selected: m, Incidents: incidents}
	var trainSel, trainAll int
	for _, c := range train {
		trainAll += c
	}
	for _, i := range order[:m] {
		o.Hits += test[i]
		trainSel += train[i]
	}
	best := slices.Clone(test)
	slices.SortFunc(best, func(a, b int) int { return cmp.Compare(b, a) })
	var bestSum int
	for _, c := range best[:m] {
		bestSum += c
	}
	if incidents > 0 && m > 0 {
		hitRate := float64(o.Hits) / float64(incidents)
		o.PAI = ratio(hitRate, float64(m)/float64(len(test)))
		if trainAll > 0 {
			o.RRI = ratio(hitRate, float64(trainSel)/float64(trainAll))
		}
	}
	o.PEI = ratio(float64(o.Hits), float64(bestSum))
	return o
}

func ratio(a, b float64) *float64 {
	if b == 0 {
		return nil
	}
	r := a / b
	return &r
}

// Mean is the mean of the values that are not nil; nil when all are.
func Mean(vs []*float64) *float64 {
	var s float64
	n := 0
	for _, v := range vs {
		if v != nil {
			s += *v
			n++
		}
	}
	if n == 0 {
		return nil
	}
	m := s / float64(n)
	return &m
}
