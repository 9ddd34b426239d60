package storetest

import (
	"testing"

	"github.com/paulmach/orb"

	"github.com/leicester-csp/hotspot/geo"
)

// testPublicVersion: the public part of the data version moves with what
// a caller without a key sees (police.uk incidents, boundaries,
// population, police.uk's synthetic mark) and never with partner data
// alone (records, the premises register, a partner source's mark), while
// the whole version moves with every change and neither moves with a
// change that is none.
func testPublicVersion(t *testing.T, open Opener) {
	st, reopen := loaded(t, open)
	v := mustVersion(t, st)
	steps := []struct {
		name           string
		in             geo.ImportInput
		changed, shown bool // whole version moves; public part moves
	}{
		{"partner records", geo.ImportInput{Rows: rowsOf(partnerFixture())}, true, false},
		{"the same partner records", geo.ImportInput{Rows: rowsOf(partnerFixture())}, false, false},
		{"premises", geo.ImportInput{Premises: []geo.Premises{{ID: "P1", Name: "The Crown", Kind: "licensed", HasLocation: true, Point: orb.Point{0.005, 0.005}}}}, true, false},
		{"a generated partner source", geo.ImportInput{Rows: rowsOf([]*geo.Located{local("gen", "g1", "2024-02-02 21:00", "Begging", pWest, 1)}), Synthetic: true}, true, false},
		{"population", geo.ImportInput{Population: map[string]int{"W1": 2100}}, true, true},
		{"the same population", geo.ImportInput{Population: map[string]int{"W1": 2100}}, false, false},
		{"police.uk rows", geo.ImportInput{Rows: rowsOf([]*geo.Located{inc("pv-1", "2024-03", "Robbery", pWest, 1)})}, true, true},
		{"police.uk marked generated", geo.ImportInput{Rows: rowsOf(fixture()), Synthetic: true}, true, true},
		{"boundaries", geo.ImportInput{Areas: []geo.Area{west}}, true, true},
	}
	for _, s := range steps {
		mustImport(t, st, s.in)
		next := mustVersion(t, st)
		if moved := next != v; moved != s.changed {
			t.Errorf("%s: version %s → %s, want moved = %v", s.name, v, next, s.changed)
		}
		if moved := geo.PublicVersion(next) != geo.PublicVersion(v); moved != s.shown {
			t.Errorf("%s: public version %s → %s, want moved = %v", s.name, geo.PublicVersion(v), geo.PublicVersion(next), s.shown)
		}
		v = next
	}
	if again := mustVersion(t, reopen()); again != v {
		t.Errorf("reopened: version %s, want %s", again, v)
	}
}
