package synth

import (
	"crypto/sha256"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"

	"github.com/leicester-csp/hotspot/geo"
)

// Cities are cached: building one takes tens of milliseconds, a lot under
// the race detector, and every test only reads them.
var cities = map[uint64]*City{}

func city(t testing.TB, seed uint64) *City {
	t.Helper()
	if c, ok := cities[seed]; ok {
		return c
	}
	c := NewCity(seed)
	cities[seed] = c
	return c
}

var testSeeds = []uint64{0, 1, 2, 42, 2024}

func TestCategoryIndices(t *testing.T) {
	want := map[int]string{
		catASB: "Anti-social behaviour", catBicycle: "Bicycle theft", catBurglary: "Burglary",
		catDamage: "Criminal damage and arson", catDrugs: "Drugs", catOtherCrime: "Other crime",
		catOtherTheft: "Other theft", catWeapons: "Possession of weapons", catPublicOrder: "Public order",
		catRobbery: "Robbery", catShoplifting: "Shoplifting", catTheftPerson: "Theft from the person",
		catVehicle: "Vehicle crime", catViolence: "Violence and sexual offences",
	}
	if len(geo.Categories) != numCats {
		t.Fatalf("geo.Categories has %d entries, synth knows %d", len(geo.Categories), numCats)
	}
	for i, name := range want {
		if geo.Categories[i] != name {
			t.Errorf("category %d is %q, synth means %q", i, geo.Categories[i], name)
		}
	}
	for c, w := range outcomeWeights {
		if c != catASB && len(w) != underInvestigation {
			t.Errorf("%s: %d outcome weights, want %d", geo.Categories[c], len(w), underInvestigation)
		}
	}
}

// hashCSVs writes the files and hashes their names and contents.
func hashCSVs(t *testing.T, c *City, opt Options) string {
	t.Helper()
	paths, err := c.WriteCSVs(t.TempDir(), opt)
	if err != nil {
		t.Fatal(err)
	}
	h := sha256.New()
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(h, "%s %d\n", filepath.Base(p), len(b))
		h.Write(b)
	}
	return fmt.Sprintf("%x", h.Sum(nil))
}

func TestDeterminism(t *testing.T) {
	base := Options{Seed: 7, Months: 3, Rows: 5000}
	tests := []struct {
		name         string
		seedA, seedB uint64
		optA, optB   Options
		same         bool
	}{
		{"same seeds", 1, 1, base, base, true},
		{"defaults spelt out", 1, 1, Options{Seed: 7, Rows: 5000},
			Options{Seed: 7, Rows: 5000, Months: 12, From: geo.NewMonth(2024, 1), Force: DefaultForce}, true},
		{"other city seed", 1, 2, base, base, false},
		{"other options seed", 1, 1, base, Options{Seed: 8, Months: 3, Rows: 5000}, false},
		{"other force", 1, 1, base, Options{Seed: 7, Months: 3, Rows: 5000, Force: "Other Police"}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// A fresh City each time: a cached one would hide state that
			// building leaves behind.
			a, b := NewCity(tt.seedA), NewCity(tt.seedB)
			if got := reflect.DeepEqual(a, b); got != (tt.seedA == tt.seedB) {
				t.Errorf("cities equal = %v for seeds %d and %d", got, tt.seedA, tt.seedB)
			}
			ha, hb := hashCSVs(t, a, tt.optA), hashCSVs(t, b, tt.optB)
			if (ha == hb) != tt.same {
				t.Errorf("CSV hashes equal = %v, want %v", ha == hb, tt.same)
			}
			ia := slices.Collect(a.Incidents(tt.optA))
			ib := slices.Collect(b.Incidents(tt.optB))
			if reflect.DeepEqual(ia, ib) != tt.same {
				t.Errorf("incidents equal = %v, want %v", !tt.same, tt.same)
			}
		})
	}
}

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

func TestWardsTileCity(t *testing.T) {
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

// collect gathers statistics of a run of Incidents.
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

func TestShares(t *testing.T) {
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

func TestHotspots(t *testing.T) {
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

func TestWriteCSVs(t *testing.T) {
	c := city(t, 2)
	dir := filepath.Join(t.TempDir(), "out")
	opt := Options{Seed: 5, From: geo.NewMonth(2023, 11), Months: 3, Rows: 30001, Force: "Synthetic Constabulary"}
	paths, err := c.WriteCSVs(dir, opt)
	if err != nil {
		t.Fatal(err)
	}
	wantNames := []string{"2023-11-synthetic-constabulary-street.csv", "2023-12-synthetic-constabulary-street.csv",
		"2024-01-synthetic-constabulary-street.csv"}
	var names []string
	for _, p := range paths {
		names = append(names, filepath.Base(p))
		if filepath.Dir(p) != dir {
			t.Errorf("%s not in %s", p, dir)
		}
	}
	if !slices.Equal(names, wantNames) {
		t.Fatalf("files %v, want %v", names, wantNames)
	}

	header := []string{"Crime ID", "Month", "Reported by", "Falls within", "Longitude", "Latitude", "Location",
		"LSOA code", "LSOA name", "Crime type", "Last outcome category", "Context"}
	idRe := regexp.MustCompile(`^[0-9a-f]{64}$`)
	coordRe := regexp.MustCompile(`^-?\d+\.\d{6}$`)
	lsoaRe := regexp.MustCompile(`^S01\d{6}$`)
	lsoaNameRe := regexp.MustCompile(`^.+ \d{3}[A-Z]+$`)
	outcomeOK := map[string]bool{}
	for _, o := range outcomes {
		outcomeOK[o] = true
	}
	rows := 0
	for i, p := range paths {
		f, err := os.Open(p)
		if err != nil {
			t.Fatal(err)
		}
		r := csv.NewReader(f)
		r.FieldsPerRecord = 12
		got, err := r.Read()
		if err != nil || !slices.Equal(got, header) {
			t.Fatalf("%s: header %q, %v", p, got, err)
		}
		month := (opt.From + geo.Month(i)).String()
		for {
			rec, err := r.Read()
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatalf("%s: %v", p, err)
			}
			rows++
			asb := rec[9] == "Anti-social behaviour"
			bad := func(why string) { t.Fatalf("%s row %d: %s: %q", p, rows, why, rec) }
			switch {
			case asb != (rec[0] == ""):
				bad("Crime ID must be empty exactly on ASB rows")
			case !asb && !idRe.MatchString(rec[0]):
				bad("Crime ID not 64 lowercase hex digits")
			case rec[1] != month:
				bad("month")
			case rec[2] != opt.Force || rec[3] != opt.Force:
				bad("force")
			case !geo.IsCategory(rec[9]):
				bad("crime type")
			case asb != (rec[10] == ""), !asb && !outcomeOK[rec[10]]:
				bad("outcome")
			case rec[11] != "":
				bad("context")
			}
			if rec[6] == "No Location" {
				if rec[4] != "" || rec[5] != "" || rec[7] != "" || rec[8] != "" || asb {
					bad("row without location")
				}
				continue
			}
			if !coordRe.MatchString(rec[4]) || !coordRe.MatchString(rec[5]) ||
				!strings.HasPrefix(rec[6], "On or near ") || !lsoaRe.MatchString(rec[7]) || !lsoaNameRe.MatchString(rec[8]) {
				bad("located row")
			}
		}
		f.Close()
	}
	if rows != opt.Rows {
		t.Errorf("%d rows written, want %d", rows, opt.Rows)
	}
}

func TestWriteCSVsQuotesForce(t *testing.T) {
	c := city(t, 1)
	paths, err := c.WriteCSVs(t.TempDir(), Options{Months: 1, Rows: 50, Force: `Vale, "Hills" & Shires`})
	if err != nil {
		t.Fatal(err)
	}
	if base := filepath.Base(paths[0]); base != "2024-01-vale-hills-shires-street.csv" {
		t.Errorf("file %s", base)
	}
	b, err := os.ReadFile(paths[0])
	if err != nil {
		t.Fatal(err)
	}
	r := csv.NewReader(strings.NewReader(string(b)))
	r.FieldsPerRecord = 12
	recs, err := r.ReadAll()
	if err != nil || len(recs) != 51 {
		t.Fatalf("%d records, %v", len(recs), err)
	}
	if recs[1][2] != `Vale, "Hills" & Shires` {
		t.Errorf("force read back as %q", recs[1][2])
	}
}

func TestWriteCSVsErrors(t *testing.T) {
	c := city(t, 1)
	for _, opt := range []Options{{Rows: -1}, {Months: -1, Rows: 10}, {Rows: 10, Force: "---"}} {
		if _, err := c.WriteCSVs(t.TempDir(), opt); !errors.Is(err, geo.ErrInvalid) {
			t.Errorf("%+v: error %v, want geo.ErrInvalid", opt, err)
		}
	}
	file := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(file, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := c.WriteCSVs(file, Options{Rows: 10}); err == nil {
		t.Error("writing into a file as directory: no error")
	}
}

func TestForceSlug(t *testing.T) {
	for in, want := range map[string]string{
		"Synthetic Constabulary": "synthetic-constabulary",
		"  Avon & Somerset ":     "avon-somerset",
		"City of London":         "city-of-london",
		"Met--Police2":           "met-police2",
	} {
		if got := forceSlug(in); got != want {
			t.Errorf("forceSlug(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestAlias(t *testing.T) {
	w := []float64{0, 1, 2, 3, 4, 0, 10}
	a := newAlias(w)
	r := rand.New(rand.NewPCG(1, 2))
	got := make([]int, len(w))
	const n = 200000
	for range n {
		got[a.draw(r.Uint64())]++
	}
	for i, x := range w {
		want := x / 20 * n
		if math.Abs(float64(got[i])-want) > 5*math.Sqrt(want)+1 {
			t.Errorf("outcome %d drawn %d times, want about %.0f", i, got[i], want)
		}
	}
}

func BenchmarkWriteCSVs(b *testing.B) {
	c := NewCity(1)
	dir := b.TempDir()
	const rows = 1_000_000
	b.ResetTimer()
	for b.Loop() {
		if _, err := c.WriteCSVs(dir, Options{Rows: rows}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(rows)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
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

func BenchmarkNewCity(b *testing.B) {
	for i := range b.N {
		NewCity(uint64(i))
	}
}

// TestManySeeds checks the layout invariants over more seeds than the other
// tests use, since a degenerate layout shows only for some seeds.
func TestManySeeds(t *testing.T) {
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
