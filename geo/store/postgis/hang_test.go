package postgis

import (
	"errors"
	"fmt"
	"os"
	"runtime"
	"runtime/pprof"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/paulmach/orb"

	"github.com/leicester-csp/hotspot/geo"
	"github.com/leicester-csp/hotspot/internal/pgcluster"
)

// TestImportDatabaseStops stops the database while an import's COPY is
// running: Import must fail within a bounded time, with
// geo.ErrUnavailable, and leave no goroutine of the import behind. Both
// an immediate stop (the server vanishes) and a fast one (it tells its
// sessions it is shutting down) are tried.
func TestImportDatabaseStops(t *testing.T) {
	testURL(t) // runs with the other database tests
	if testing.Short() {
		t.Skip("starts a private PostgreSQL cluster")
	}
	for _, mode := range []string{"immediate", "fast"} {
		t.Run(mode, func(t *testing.T) { importDatabaseStops(t, mode) })
	}
}

func importDatabaseStops(t *testing.T, mode string) {
	c := pgcluster.NewPrimary(t)
	c.Start()
	ctx := t.Context()
	st, err := Open(ctx, c.URL(), Options{})
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	defer st.Close()
	// Something stored first, so that each batch is checked against the
	// stored IDs on other connections of the pool while the COPY runs.
	if _, err := st.Import(ctx, geo.ImportInput{Rows: syntheticRows("seed", 100, nil)}); err != nil {
		t.Fatal(err)
	}

	var once sync.Once
	stopped := make(chan struct{})
	stop := func() {
		once.Do(func() {
			go func() {
				defer close(stopped)
				c.Halt(mode)
			}()
		})
	}
	type result struct {
		res geo.ImportResult
		err error
	}
	done := make(chan result, 1)
	start := time.Now()
	go func() {
		// The stop comes once a few batches have gone to the COPY; rows
		// keep coming until the import gives up.
		res, err := st.Import(ctx, geo.ImportInput{Rows: syntheticRows("run", 20_000_000, func(n int) {
			if n == 6*batchRows {
				stop()
			}
		})})
		done <- result{res, err}
	}()
	// The bound runs from the moment the database is down, not from the
	// start: on a loaded machine the six batches and pg_ctl itself can
	// take longer than the bound, which says nothing about the import.
	var r result
	got := false
	select {
	case <-stopped:
	case r = <-done:
		got = true
		stop() // an import that ended early must not leave this waiting
		<-stopped
	case <-time.After(2 * time.Minute):
		dumpGoroutines(t)
		t.Fatalf("the database was not stopped (-m %s) within 2 minutes of the import's start", mode)
	}
	if !got {
		select {
		case r = <-done:
		case <-time.After(20 * time.Second):
			dumpGoroutines(t)
			t.Fatalf("Import still running 20 s after the database stopped (-m %s)", mode)
		}
	}
	t.Logf("Import with the database stopped (-m %s): %v after %v", mode, r.err, time.Since(start))
	if r.err == nil {
		t.Fatalf("Import with the database stopped mid-COPY = %+v, nil error", r.res)
	}
	if !errors.Is(r.err, geo.ErrUnavailable) {
		t.Errorf("Import with the database stopped mid-COPY = %v, want ErrUnavailable", r.err)
	}
	if g := importGoroutines(5 * time.Second); g != "" {
		t.Errorf("goroutines of the import still running after it returned:\n%s", g)
	}

	// The failed run left the store as it was.
	c.Start()
	storedAfterRestart(t, st, 100)
}

// storedAfterRestart waits for the store to be ready again and checks that
// it holds want incidents.
func storedAfterRestart(t *testing.T, st *Store, want int) {
	t.Helper()
	ctx := t.Context()
	deadline := time.Now().Add(10 * time.Second)
	for st.Ready(ctx) != nil {
		if time.Now().After(deadline) {
			t.Fatal("store not ready 10 s after the restart")
		}
		time.Sleep(100 * time.Millisecond)
	}
	var n int
	if err := st.db.QueryRowContext(ctx, "SELECT count(*) FROM "+st.quoted+".incidents").Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != want {
		t.Errorf("%d incidents stored after the failed import, want the %d stored before it", n, want)
	}
}

// syntheticRows yields n incidents with IDs prefix-0…, spread over a few
// thousand points, calling at (when not nil) with the count so far before
// each.
func syntheticRows(prefix string, n int, at func(int)) func(func(geo.Row, error) bool) {
	return func(yield func(geo.Row, error) bool) {
		for i := range n {
			if at != nil {
				at(i)
			}
			inc := &geo.Located{Incident: geo.Incident{
				ID:          fmt.Sprintf("%s-%d", prefix, i),
				Month:       geo.NewMonth(2020+i%4, 1+i%12),
				ReportedBy:  "Leicestershire Police",
				FallsWithin: "Leicestershire Police",
				HasLocation: true,
				Point:       orb.Point{-1.2 + float64(i%64)*0.002, 52.6 + float64(i/64%64)*0.002},
				Location:    "On or near Somewhere Street",
				Category:    "Anti-social behaviour",
			}}
			if !yield(geo.Row{Incident: inc}, nil) {
				return
			}
		}
	}
}

// importGoroutines waits up to d for the goroutines an import starts (the
// COPY's and lib/pq's) to end, and returns those still running.
func importGoroutines(d time.Duration) string {
	deadline := time.Now().Add(d)
	for {
		buf := make([]byte, 1<<22)
		buf = buf[:runtime.Stack(buf, true)]
		var left []string
		for _, g := range strings.Split(string(buf), "\n\n") {
			if strings.Contains(g, "postgis.(*importer)") || strings.Contains(g, "pq.(*copyin)") {
				left = append(left, g)
			}
		}
		if len(left) == 0 || time.Now().After(deadline) {
			return strings.Join(left, "\n\n")
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// dumpGoroutines writes every goroutine's stack, for a hang to be read.
func dumpGoroutines(t *testing.T) {
	t.Helper()
	_ = pprof.Lookup("goroutine").WriteTo(os.Stderr, 2)
}
