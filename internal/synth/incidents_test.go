package synth

import (
	"math"
	"slices"
	"testing"

	"github.com/paulmach/orb"

	"github.com/leicester-csp/hotspot/geo"
	"github.com/leicester-csp/hotspot/internal/plainpass"
)

// runStats is what collect gathers from a run of Incidents.
type runStats struct {
	rows, located, noLoc, outside int
	cat                           map[string]int
	castle                        map[string]int // located in Castle, by category
	inCity                        map[string]int // located in the city, by category
	ward                          map[string]map[string]int
	point                         map[string]map[orb.Point]int
}

func collect(t *testing.T, c *City, opt Options) runStats {
	t.Helper()
	s := runStats{cat: map[string]int{}, castle: map[string]int{}, inCity: map[string]int{},
		ward: map[string]map[string]int{}, point: map[string]map[orb.Point]int{}}
	ids := map[string]bool{}
	for inc := range c.Incidents(opt) {
		s.rows++
		s.cat[inc.Category]++
		if ids[inc.ID] || inc.ID == "" {
			t.Fatalf("ID %q empty or repeated", inc.ID)
		}
		ids[inc.ID] = true
		if !inc.HasLocation {
			s.noLoc++
			continue
		}
		s.located++
		if s.point[inc.Category] == nil {
			s.point[inc.Category] = map[orb.Point]int{}
		}
		s.point[inc.Category][inc.Point]++
		w := c.ward(inc.Point)
		if w < 0 {
			s.outside++
			continue
		}
		s.inCity[inc.Category]++
		name := c.Wards[w].Name
		if name == "Castle" {
			s.castle[inc.Category]++
		}
		if s.ward[inc.Category] == nil {
			s.ward[inc.Category] = map[string]int{}
		}
		s.ward[inc.Category][name]++
	}
	return s
}

func TestSharesHeavy(t *testing.T) {
	plainpass.Only(t) // samples large enough for tolerances; one goroutine
	c := city(t, 1)
	s := collect(t, c, Options{Seed: 3, Rows: 100000})
	if s.rows != 100000 {
		t.Fatalf("%d rows, want 100,000", s.rows)
	}
	targets := []struct {
		cat string
		pct float64
	}{
		{"Violence and sexual offences", 37}, {"Public order", 10}, {"Criminal damage and arson", 9},
		{"Anti-social behaviour", 9}, {"Other theft", 8}, {"Shoplifting", 6}, {"Vehicle crime", 6},
		{"Burglary", 5}, {"Drugs", 3}, {"Other crime", 2}, {"Bicycle theft", 1.3},
		{"Possession of weapons", 0.9}, {"Robbery", 0.8}, {"Theft from the person", 0.8},
	}
	for _, tt := range targets {
		got := 100 * float64(s.cat[tt.cat]) / float64(s.rows)
		if math.Abs(got-tt.pct) > 1.5 {
			t.Errorf("%s: %.2f %% of rows, want %.1f ± 1.5", tt.cat, got, tt.pct)
		}
	}
	if got := 100 * float64(s.noLoc) / float64(s.rows); math.Abs(got-3.2) > 0.3 {
		t.Errorf("%.2f %% of rows without location, want 3.2 ± 0.3", got)
	}
	// The force covers more than the city, but most of the map's data is
	// in it.
	if got := float64(s.outside) / float64(s.located); got < 0.05 || got > 0.25 {
		t.Errorf("%.1f %% of located rows outside the city, want 5–25 %%", 100*got)
	}
	out := 0
	for _, p := range c.points {
		if p.ward < 0 {
			out++
		}
	}
	if got := float64(out) / float64(len(c.points)); len(c.points) < 2000 || got < 0.15 || got > 0.25 {
		t.Errorf("%d map points, %.1f %% outside the city; want thousands, about 20 %%", len(c.points), 100*got)
	}
}

func TestHotspotsHeavy(t *testing.T) {
	plainpass.Only(t) // samples large enough for tolerances; one goroutine
	for _, seed := range testSeeds[:3] {
		c := city(t, seed)
		s := collect(t, c, Options{Seed: seed, Rows: 100000})
		sum := func(m map[string]int, cats ...string) (n int) {
			for _, k := range cats {
				n += m[k]
			}
			return n
		}
		all := slices.Collect(func(yield func(string) bool) {
			for _, k := range geo.Categories {
				if !yield(k) {
					return
				}
			}
		})
		violence := []string{"Violence and sexual offences", "Robbery", "Possession of weapons"}
		vShare := float64(sum(s.castle, violence...)) / float64(sum(s.inCity, violence...))
		allShare := float64(sum(s.castle, all...)) / float64(sum(s.inCity, all...))
		if vShare < 1.4*allShare {
			t.Errorf("seed %d: Castle holds %.1f %% of the city's violence, %.1f %% of all incidents; want violence concentrated",
				seed, 100*vShare, 100*allShare)
		}
		// ASB forms its own hotspots: its two busiest wards hold far more
		// than two average wards would.
		asb := slices.Sorted(func(yield func(int) bool) {
			for _, n := range s.ward["Anti-social behaviour"] {
				yield(-n)
			}
		})
		top2 := -float64(asb[0]+asb[1]) / float64(s.inCity["Anti-social behaviour"])
		if top2 < 3*2.0/float64(len(c.Wards)) {
			t.Errorf("seed %d: the two busiest ASB wards hold %.1f %% of city ASB", seed, 100*top2)
		}
		// Shoplifting sits at a handful of retail points.
		shop := slices.Sorted(func(yield func(int) bool) {
			for _, n := range s.point["Shoplifting"] {
				yield(-n)
			}
		})
		top10 := 0
		for _, n := range shop[:10] {
			top10 -= n
		}
		if got := float64(top10) / float64(s.cat["Shoplifting"]); got < 0.3 {
			t.Errorf("seed %d: the 10 busiest points hold %.1f %% of shoplifting, want ≥ 30 %%", seed, 100*got)
		}
		// Many incidents share each point, as with police.uk snapping.
		points := map[orb.Point]bool{}
		for _, m := range s.point {
			for p := range m {
				points[p] = true
			}
		}
		if len(points) > len(c.points) || s.located/len(points) < 10 {
			t.Errorf("seed %d: %d located rows at %d points", seed, s.located, len(points))
		}
	}
}

func TestRowsPerMonth(t *testing.T) {
	c := city(t, 1)
	tests := []struct {
		rows, months int
	}{{0, 12}, {1, 12}, {7, 12}, {12345, 12}, {1000, 1}, {100000, 24}}
	for _, tt := range tests {
		opt := Options{Rows: tt.rows, Months: tt.months, From: geo.NewMonth(2023, 5)}
		perMonth := map[geo.Month]int{}
		last := geo.Month(0)
		for inc := range c.Incidents(opt) {
			if inc.Month < last {
				t.Fatalf("%+v: month %s after %s", tt, inc.Month, last)
			}
			last = inc.Month
			perMonth[inc.Month]++
		}
		total := 0
		for m, n := range perMonth {
			if m < opt.From || m >= opt.From+geo.Month(tt.months) {
				t.Errorf("%+v: row in month %s", tt, m)
			}
			total += n
			if mean := float64(tt.rows) / float64(tt.months); tt.rows >= 1000 && math.Abs(float64(n)/mean-1) > 0.1 {
				t.Errorf("%+v: %d rows in %s, mean %.0f", tt, n, m, mean)
			}
		}
		if total != tt.rows {
			t.Errorf("%+v: %d rows", tt, total)
		}
	}
	// Stopping early must stop.
	n := 0
	for range c.Incidents(Options{Rows: 1000}) {
		n++
		if n == 10 {
			break
		}
	}
}

func BenchmarkIncidents(b *testing.B) {
	c := NewCity(1)
	const rows = 1_000_000
	for b.Loop() {
		for range c.Incidents(Options{Rows: rows}) {
		}
	}
	b.ReportMetric(float64(rows)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
}
