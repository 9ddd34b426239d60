package storetest

import (
	"context"
	"errors"
	"reflect"
	"sync"
	"testing"
	"time"

	"github.com/paulmach/orb"

	"github.com/leicester-csp/hotspot/geo"
)

func targetAreaStore(t *testing.T, st geo.Store) geo.TargetAreaStore {
	t.Helper()
	ts, ok := st.(geo.TargetAreaStore)
	if !ok {
		t.Fatalf("%T keeps no target areas (not a geo.TargetAreaStore)", st)
	}
	return ts
}

// testTargetAreas checks that areas round-trip bit for bit, that what
// one instance writes another reads at once, that updates keep the
// owner and creation, that every edit moves the version and a missing
// area is ErrNotFound, and that concurrent adds lose nothing.
func testTargetAreas(t *testing.T, open Opener) {
	ctx := context.Background()
	st, reopen := open(t)
	ts := targetAreaStore(t, st)
	if as, err := ts.TargetAreas(ctx); err != nil || len(as) != 0 {
		t.Fatalf("fresh store areas = %v, %v; want none", as, err)
	}
	v0 := version(t, ts)
	t0 := time.Date(2026, 11, 3, 9, 0, 0, 0, time.UTC)
	// Coordinates with every bit used, and a hole, must come back as given.
	geom := orb.MultiPolygon{
		{{{-1.1412345678901234, 52.63}, {-1.13, 52.63}, {-1.13, 52.64}, {-1.14, 52.64}, {-1.1412345678901234, 52.63}},
			{{-1.135, 52.634}, {-1.135, 52.636}, {-1.133, 52.636}, {-1.135, 52.634}}},
		square(0.1, 0.1, 0.2, 0.2)[0],
	}
	a := geo.TargetArea{ID: "ta-b", Name: "Clock Tower", Priority: "asb", Start: geo.NewMonth(2024, 3),
		Actions: "patrols, \"CCTV\"\nand lighting", Owner: "key1", Geometry: geom, Created: t0, Updated: t0}
	b := a
	b.ID, b.Name, b.Owner, b.Created, b.Updated, b.Actions = "ta-a", "Market", "", t0.Add(time.Hour), t0.Add(time.Hour), ""
	for _, x := range []geo.TargetArea{b, a} {
		if err := ts.AddTargetArea(ctx, x); err != nil {
			t.Fatalf("add %s: %v", x.ID, err)
		}
	}
	if err := ts.AddTargetArea(ctx, a); err == nil {
		t.Error("adding an id twice succeeded")
	}
	other := targetAreaStore(t, reopen())
	got, err := other.TargetAreas(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || !reflect.DeepEqual(got[0], a) || !reflect.DeepEqual(got[1], b) {
		t.Fatalf("areas from another instance =\n%+v\nwant\n%+v\n%+v", got, a, b)
	}
	v1 := version(t, other)
	if v1 == v0 {
		t.Error("adding areas left the version as it was")
	}

	changed := a
	changed.Name, changed.Start, changed.Owner, changed.Created = "Clock Tower east", geo.NewMonth(2024, 4), "someone else", t0.Add(48*time.Hour)
	changed.Updated = t0.Add(24 * time.Hour)
	changed.Geometry = square(0.3, 0.3, 0.4, 0.4)
	if err := other.UpdateTargetArea(ctx, changed); err != nil {
		t.Fatal(err)
	}
	one, err := ts.TargetArea(ctx, a.ID)
	if err != nil {
		t.Fatal(err)
	}
	want := changed
	want.Owner, want.Created = a.Owner, a.Created
	if !reflect.DeepEqual(one, want) {
		t.Errorf("updated area =\n%+v\nwant (owner and creation kept)\n%+v", one, want)
	}
	v2 := version(t, ts)
	if v2 == v1 {
		t.Error("an update left the version as it was")
	}
	missing := changed
	missing.ID = "nope"
	if err := ts.UpdateTargetArea(ctx, missing); !errors.Is(err, geo.ErrNotFound) {
		t.Errorf("update of a missing area: %v; want ErrNotFound", err)
	}
	if _, err := ts.TargetArea(ctx, "nope"); !errors.Is(err, geo.ErrNotFound) {
		t.Errorf("read of a missing area: %v; want ErrNotFound", err)
	}
	if err := ts.DeleteTargetArea(ctx, b.ID); err != nil {
		t.Fatal(err)
	}
	if err := other.DeleteTargetArea(ctx, b.ID); !errors.Is(err, geo.ErrNotFound) {
		t.Errorf("second delete: %v; want ErrNotFound", err)
	}
	if version(t, other) == v2 {
		t.Error("a delete left the version as it was")
	}
	concurrentAdds(t, ts, other, t0)
}

func version(t *testing.T, ts geo.TargetAreaStore) string {
	t.Helper()
	v, err := ts.TargetAreasVersion(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func concurrentAdds(t *testing.T, ts, other geo.TargetAreaStore, t0 time.Time) {
	ctx := context.Background()
	var wg sync.WaitGroup
	const n = 10
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			dst := ts
			if i%2 == 1 {
				dst = other
			}
			x := geo.TargetArea{ID: "c" + string(rune('a'+i)), Name: "c", Priority: "asb", Start: geo.NewMonth(2024, 1),
				Geometry: square(0, 0, 1, 1), Created: t0.Add(time.Duration(i) * time.Minute), Updated: t0}
			if err := dst.AddTargetArea(ctx, x); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	all, err := other.TargetAreas(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != n+1 {
		t.Errorf("after %d concurrent adds the store holds %d areas; want %d", n, len(all), n+1)
	}
}
