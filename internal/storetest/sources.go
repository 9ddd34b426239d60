package storetest

import (
	"reflect"
	"testing"

	"github.com/leicester-csp/hotspot/geo"
)

// testSourceInfos: a store describes police.uk and each local source with
// its own categories, and keeps the synthetic mark a run declares — per
// source, for good, across a reopen — and a run of duplicates still marks
// its source, without adding a row.
func testSourceInfos(t *testing.T, open Opener) {
	st, reopen := loaded(t, open)
	ctx := t.Context()
	want := []geo.SourceInfo{{Name: geo.SourcePoliceUK}}
	check := func(st geo.Store, when string) {
		t.Helper()
		got, err := st.SourceInfos(ctx)
		if err != nil {
			t.Fatalf("%s: %v", when, err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s: source infos\n got %+v\nwant %+v", when, got, want)
		}
	}
	check(st, "police.uk only")

	// Real partner records: listed with their categories, not synthetic.
	mustImport(t, st, geo.ImportInput{Rows: rowsOf(partnerFixture())})
	want = []geo.SourceInfo{{Name: geo.SourcePoliceUK}, {Name: "bid", Categories: []string{"Shop theft"}},
		{Name: "council", Categories: []string{"Begging", "Street drinking"}}}
	check(st, "after real partner records")

	// A generated run of a new source marks it alone.
	gen := []*geo.Located{
		local("gen", "g1", "2024-02-02 21:00", "Rough sleeping", pWest, 1),
		local("gen", "g2", "2024-02-02 22:00", "Begging", pWest, 1),
	}
	before := mustVersion(t, st)
	if res := mustImport(t, st, geo.ImportInput{Rows: rowsOf(gen), Synthetic: true}); res.Imported != 2 {
		t.Fatalf("synthetic import: %+v, want 2 imported", res)
	}
	want = append(want, geo.SourceInfo{Name: "gen", Categories: []string{"Begging", "Rough sleeping"}, Synthetic: true})
	check(st, "after a synthetic source")
	if mustVersion(t, st) == before {
		t.Error("a synthetic import left the version as it was")
	}

	// police.uk rows declared generated, all of them stored already:
	// nothing is added, but police.uk is now marked.
	before = mustVersion(t, st)
	if res := mustImport(t, st, geo.ImportInput{Rows: rowsOf(fixture()), Synthetic: true}); res.Imported != 0 {
		t.Fatalf("synthetic re-import: %+v, want nothing imported", res)
	}
	want[0].Synthetic = true
	check(st, "after a synthetic police.uk run")
	if mustVersion(t, st) == before {
		t.Error("marking police.uk synthetic left the version as it was, so caches keep the old answer")
	}
	// A later real run does not clear a mark.
	mustImport(t, st, geo.ImportInput{Rows: rowsOf(gen)})
	check(st, "after a real run of the synthetic source")
	check(reopen(), "reopened")
}
