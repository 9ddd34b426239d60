package synth

import (
	"crypto/sha256"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"testing"

	"github.com/leicester-csp/hotspot/geo"
	"github.com/leicester-csp/hotspot/internal/plainpass"
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

func TestDeterminismHeavy(t *testing.T) {
	plainpass.Only(t) // samples large enough for tolerances; one goroutine
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
