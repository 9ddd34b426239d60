package storetest

import (
	"fmt"
	"maps"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/paulmach/orb"

	"github.com/leicester-csp/hotspot/geo"
)

func testReopen(t *testing.T, open Opener) {
	st, reopen := loaded(t, open)
	ctx := t.Context()
	want, _ := st.Incidents(ctx, geo.Filter{Months: all()}, geo.PageRequest{Limit: 100})
	wantCells, _ := st.CellCounts(ctx, geo.Filter{Months: all()}, 9)
	again := reopen()
	got, err := again.Incidents(ctx, geo.Filter{Months: all()}, geo.PageRequest{Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.EqualFunc(got.Items, want.Items, func(a, b geo.StoredIncident) bool { return a == b }) {
		t.Errorf("after reopen: %v\nwant %v", got.Items, want.Items)
	}
	gotCells, _ := again.CellCounts(ctx, geo.Filter{Months: all()}, 9)
	if !maps.Equal(gotCells, wantCells) {
		t.Errorf("cells after reopen: %v, want %v", gotCells, wantCells)
	}
	if mustVersion(t, again) != mustVersion(t, st) {
		t.Errorf("reopened store has another version")
	}
}

// testWholeImports: a second instance (a server in another process) reads
// while the first imports batch after batch. It must see each import
// whole or not at all, and see the last one within a few seconds.
func testWholeImports(t *testing.T, open Opener) {
	st, reopen := open(t)
	reader := reopen()
	const batches, size = 4, 300
	ctx := t.Context()
	var (
		mu   sync.Mutex
		bad  []string
		stop = make(chan struct{})
		wg   sync.WaitGroup
	)
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			select {
			case <-stop:
				return
			default:
			}
			p, err := reader.Incidents(ctx, geo.Filter{Months: all()}, geo.PageRequest{Limit: 1})
			cc, err2 := reader.CellCounts(ctx, geo.Filter{Months: all()}, 9)
			n := 0
			for _, c := range cc {
				n += c
			}
			if err != nil || err2 != nil || p.Total%size != 0 || n%size != 0 {
				mu.Lock()
				bad = append(bad, fmt.Sprintf("total %d cells %d (%v, %v)", p.Total, n, err, err2))
				mu.Unlock()
			}
			time.Sleep(time.Millisecond)
		}
	}()
	for b := range batches {
		var ls []*geo.Located
		for i := range size {
			p := orb.Point{0.001 * float64(i%50), 0.001 * float64(b)}
			ls = append(ls, inc(fmt.Sprintf("w%d-%04d", b, i), "2024-06", "Drugs", &p, uint64(1+i%50)))
		}
		mustImport(t, st, geo.ImportInput{Rows: rowsOf(ls)})
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		p, err := reader.Incidents(ctx, geo.Filter{Months: all()}, geo.PageRequest{Limit: 1})
		if err == nil && p.Total == batches*size {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the reader sees %d incidents (%v) 10 s after the last import, want %d", p.Total, err, batches*size)
		}
		time.Sleep(10 * time.Millisecond)
	}
	close(stop)
	wg.Wait()
	if len(bad) > 0 {
		t.Errorf("the reader saw partial imports: %v", bad[:min(len(bad), 5)])
	}
}
