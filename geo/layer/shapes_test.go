package layer

import (
	"testing"

	"github.com/paulmach/orb"
)

// A cached spelling is used only for the very geometry it was made from:
// another geometry sharing the first ring (a part added) is spelled anew.
func TestShapesCache(t *testing.T) {
	ring := orb.Ring{{0, 0}, {1, 0}, {1, 1}, {0, 0}}
	other := orb.Ring{{5, 5}, {6, 5}, {6, 6}, {5, 5}}
	one := orb.MultiPolygon{{ring}}
	two := orb.MultiPolygon{{ring}, {other}}
	s := newShapes()
	for _, g := range []orb.MultiPolygon{one, two, one, two, {}} {
		want := string(appendGeometry(nil, g))
		if got := string(s.appendJSON([]byte("x"), g)); got != "x"+want {
			t.Errorf("got %s, want x%s", got, want)
		}
	}
	if len(s.m) != 1 {
		t.Errorf("%d entries, want 1 (the two share a key)", len(s.m))
	}
	var none *shapes
	if got := string(none.appendJSON(nil, one)); got != string(appendGeometry(nil, one)) {
		t.Errorf("nil cache: %s", got)
	}
}
