package embedded

import (
	"context"
	"runtime"
	"testing"
	"time"

	"github.com/leicester-csp/hotspot/geo"
	"github.com/leicester-csp/hotspot/geo/ingest"
	"github.com/leicester-csp/hotspot/internal/synth"
)

// The snapshot built while a run is staged is the one a load of the
// committed segments gives, whatever the size hint: none (the rows are
// sent once staged), too small (the rows arrive over two blocks, in
// several batches) or far too large; onto an empty store and onto one that
// holds rows already, police.uk rows and partner records alike.
func TestStreamedBuildMatchesSegments(t *testing.T) {
	city := synth.NewCity(7)
	opt := synth.Options{Seed: 7, From: geo.NewMonth(2024, 1), Months: 3, Rows: chunkLen + feedBatch + 1}
	for _, hint := range []int{0, 1000, 50 * opt.Rows} {
		ctx := context.Background()
		dir := t.TempDir()
		st := mustOpen(t, dir, Options{})
		runs := []geo.ImportInput{
			{Rows: ingest.Incidents(ctx, city.Incidents(opt)), Areas: city.Wards, RowsHint: hint},
			{Rows: ingest.Incidents(ctx, benchPartner(city, 2000)), RowsHint: hint / 4},
			{Rows: ingest.Incidents(ctx, city.Incidents(synth.Options{Seed: 8, From: geo.NewMonth(2024, 4), Months: 1, Rows: 900})), RowsHint: hint},
		}
		for i, in := range runs {
			if _, err := st.Import(ctx, in); err != nil {
				t.Fatalf("hint %d, run %d: %v", hint, i, err)
			}
			t.Run("", func(t *testing.T) { sameSnapshot(t, st.snap.Load(), segmentLoad(t, dir)) })
		}
		st.Close()
	}
}

// A run that finds most of its rows stored already stages few, and the
// build makes room for about those, not for every row the hint counts.
func TestStreamedBuildSizedForNewRows(t *testing.T) {
	ctx := context.Background()
	city := synth.NewCity(9)
	old := synth.Options{Seed: 9, From: geo.NewMonth(2024, 1), Months: 2, Rows: 20000}
	added := synth.Options{Seed: 10, From: geo.NewMonth(2024, 3), Months: 1, Rows: 6000}
	dir := t.TempDir()
	st := mustOpen(t, dir, Options{})
	defer st.Close()
	if _, err := st.Import(ctx, geo.ImportInput{Rows: ingest.Incidents(ctx, city.Incidents(old)), Areas: city.Wards, RowsHint: old.Rows}); err != nil {
		t.Fatal(err)
	}
	both := func(yield func(geo.Incident) bool) {
		for inc := range city.Incidents(old) {
			if !yield(inc) {
				return
			}
		}
		for inc := range city.Incidents(added) {
			if !yield(inc) {
				return
			}
		}
	}
	res, err := st.Import(ctx, geo.ImportInput{Rows: ingest.Incidents(ctx, both), RowsHint: old.Rows + added.Rows})
	if err != nil {
		t.Fatal(err)
	}
	if res.Imported != added.Rows || res.Duplicates != old.Rows {
		t.Fatalf("imported %d, duplicates %d; want %d and %d", res.Imported, res.Duplicates, added.Rows, old.Rows)
	}
	sn := st.snap.Load()
	if spare := cap(sn.month) - len(sn.month); spare > added.Rows {
		t.Errorf("the build left room for %d more rows after a run of %d new ones (hint %d)", spare, added.Rows, old.Rows+added.Rows)
	}
	sameSnapshot(t, sn, segmentLoad(t, dir))
}

// A row stream that panics mid-run leaves no build running: the import's
// locks are let go and the next import proceeds; no goroutine is left.
func TestStreamedBuildStopsOnPanic(t *testing.T) {
	ctx := context.Background()
	city := synth.NewCity(11)
	opt := synth.Options{Seed: 11, From: geo.NewMonth(2024, 1), Months: 2, Rows: 3 * feedBatch}
	st := mustOpen(t, t.TempDir(), Options{})
	defer st.Close()
	before := runtime.NumGoroutine()
	panicky := func(yield func(geo.Row, error) bool) {
		n := 0
		for r, err := range ingest.Incidents(ctx, city.Incidents(opt)) {
			if n++; n > 2*feedBatch+10 {
				panic("the row stream broke")
			}
			if !yield(r, err) {
				return
			}
		}
	}
	func() {
		defer func() { _ = recover() }()
		_, _ = st.Import(ctx, geo.ImportInput{Rows: panicky, RowsHint: opt.Rows})
		t.Fatal("the import did not panic")
	}()
	deadline := time.Now().Add(2 * time.Second)
	for runtime.NumGoroutine() > before && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if n := runtime.NumGoroutine(); n > before {
		t.Errorf("%d goroutines after the panic, %d before", n, before)
	}
	if _, err := st.Import(ctx, geo.ImportInput{Rows: ingest.Incidents(ctx, city.Incidents(opt)), RowsHint: opt.Rows}); err != nil {
		t.Fatalf("the import after the panic: %v", err)
	}
}
