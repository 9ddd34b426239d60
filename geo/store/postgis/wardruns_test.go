package postgis

import (
	"maps"
	"slices"
	"testing"

	"github.com/leicester-csp/hotspot/geo"
)

// What the copy of the running totals reads and holds: only the
// categories asked for and not held at the Version (a read of every
// category for one of them cost a first ward answer 0.7 s at national
// shape), every category when none is named, nothing from another
// Version, and nothing past its bound.
func TestWardRunsHeld(t *testing.T) {
	runs := func(vals ...int64) *catRuns {
		return &catRuns{wards: []string{"W1"}, first: []geo.Month{0}, off: []int32{0, int32(len(vals))}, vals: vals}
	}
	var r wardRuns
	r.max = 6
	if got, room := r.missing("v1", []string{"A"}); !slices.Equal(got, []string{"A"}) || room != 6 {
		t.Errorf("nothing held: missing = %v, room %d; want [A], 6", got, room)
	}
	if !r.keep("v1", []string{"A", "B"}, map[string]*catRuns{"A": runs(1, 2)}) {
		t.Fatal("two totals past the bound")
	}
	if cats, ok := r.held("v1", []string{"A", "B", "A"}); !ok || len(cats) != 1 {
		t.Errorf("A (held) and B (none stored), A twice: %d held, %v; want 1", len(cats), ok)
	}
	if got, room := r.missing("v1", []string{"A", "C"}); !slices.Equal(got, []string{"C"}) || room != 4 {
		t.Errorf("missing = %v, room %d; want [C], 4", got, room)
	}
	if _, ok := r.held("v1", nil); ok {
		t.Error("every category held after reading two")
	}
	if got, room := r.missing("v1", nil); got != nil || room != 6 {
		t.Errorf("every category: missing = %v, room %d; want nil (read all), 6", got, room)
	}
	// Every category read after A: A, held already, counts once against
	// the bound.
	if !r.keep("v1", nil, map[string]*catRuns{"A": runs(1, 2), "E": runs(1, 2, 3, 4)}) || r.over("v1") {
		t.Error("every category (6 totals, A's 2 held already) found past a bound of 6")
	}
	if cats, ok := r.held("v1", nil); !ok || len(cats) != 2 {
		t.Errorf("every category at v1: %d held, %v; want A and E", len(cats), ok)
	}
	if _, ok := r.held("v2", []string{"A"}); ok {
		t.Error("A held at a Version it was not read at")
	}
	if got, room := r.missing("v2", []string{"A"}); !slices.Equal(got, []string{"A"}) || room != 6 {
		t.Errorf("another Version: missing = %v, room %d; want [A], 6", got, room)
	}
	r.keep("v2", nil, map[string]*catRuns{"C": runs(5)})
	if cats, ok := r.held("v2", nil); !ok || len(cats) != 1 {
		t.Errorf("every category at v2: %d held, %v; want C alone", len(cats), ok)
	}
	r.max = 2
	if r.keep("v2", []string{"D"}, map[string]*catRuns{"D": runs(1, 2)}) || !r.over("v2") || r.over("v3") {
		t.Error("totals past the bound were kept, or not marked")
	}

	out := map[string]int{}
	c := &catRuns{wards: []string{"W1", "W2"}, first: []geo.Month{10, 12}, off: []int32{0, 3, 4}, vals: []int64{1, 1, 4, 2}}
	c.count(geo.MonthRange{From: 11, To: 20}, nil, out)
	if want := map[string]int{"W1": 3, "W2": 2}; !maps.Equal(out, want) {
		t.Errorf("count = %v, want %v", out, want)
	}
}
