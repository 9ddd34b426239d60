package postgis

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/lib/pq"
	"github.com/paulmach/orb"

	"github.com/leicester-csp/hotspot/geo"
	"github.com/leicester-csp/hotspot/internal/pgcluster"
)

// TestDatabaseDown stops the database under an open store: Ready and every
// query must fail fast with geo.ErrUnavailable, and once the database is
// back the same store must answer again without being reopened.
func TestDatabaseDown(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a private PostgreSQL cluster")
	}
	c := pgcluster.NewPrimary(t)
	c.Start()
	ctx := t.Context()
	st, err := Open(ctx, c.URL(), Options{})
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	defer st.Close()
	p := orb.Point{-1.13, 52.63}
	inc := &geo.Located{Incident: geo.Incident{ID: "x1", Month: geo.NewMonth(2024, 1), Category: "Drugs", HasLocation: true, Point: p}}
	rows := func(yield func(geo.Row, error) bool) { yield(geo.Row{Incident: inc}, nil) }
	if _, err := st.Import(ctx, geo.ImportInput{Rows: rows}); err != nil {
		t.Fatal(err)
	}
	if err := st.Ready(ctx); err != nil {
		t.Fatalf("ready before the stop: %v", err)
	}

	c.Stop()
	start := time.Now()
	err = st.Ready(ctx)
	if !errors.Is(err, geo.ErrUnavailable) {
		t.Fatalf("Ready with the database down = %v, want ErrUnavailable", err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("Ready took %v with the database down, want under 5 s", d)
	}
	t.Logf("Ready with the database down: %v after %v", err, time.Since(start))
	all := geo.Filter{Months: geo.MonthRange{From: geo.NewMonth(2000, 1), To: geo.NewMonth(2100, 1)}}
	queries := map[string]func() error{
		"Version":    func() error { _, err := st.Version(ctx); return err },
		"Months":     func() error { _, err := st.Months(ctx); return err },
		"CellCounts": func() error { _, err := st.CellCounts(ctx, all, 9); return err },
		"Incidents":  func() error { _, err := st.Incidents(ctx, all, geo.PageRequest{Limit: 10}); return err },
		"Incident":   func() error { _, err := st.Incident(ctx, "x1"); return err },
		"Import": func() error {
			_, err := st.Import(ctx, geo.ImportInput{Population: map[string]int{"W1": 1}})
			return err
		},
	}
	for name, q := range queries {
		start := time.Now()
		err := q()
		if !errors.Is(err, geo.ErrUnavailable) {
			t.Errorf("%s with the database down = %v, want ErrUnavailable", name, err)
		}
		if d := time.Since(start); d > 5*time.Second {
			t.Errorf("%s took %v with the database down, want under 5 s", name, d)
		}
		t.Logf("%s with the database down: %v after %v", name, err, time.Since(start))
	}

	c.Start()
	restarted := time.Now()
	deadline := restarted.Add(10 * time.Second)
	for {
		err := st.Ready(ctx)
		if err == nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("Ready 10 s after the database came back: %v", err)
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Logf("Ready again %v after the restart", time.Since(restarted))
	for name, q := range queries {
		if err := q(); err != nil {
			t.Errorf("%s after the database came back: %v", name, err)
		}
	}
	got, err := st.Incident(ctx, "x1")
	if err != nil || got.Point != p {
		t.Errorf("Incident after the restart = %+v, %v", got, err)
	}

	// A restart that no query noticed leaves the pool holding connections
	// the server has closed; they are replaced without the caller seeing
	// an error.
	c.Stop()
	c.Start()
	for name, q := range queries {
		if err := q(); err != nil {
			t.Errorf("%s after an unnoticed restart: %v", name, err)
		}
	}
}

// TestStatementTimeout runs a statement longer than the store's timeout:
// the database itself must cancel it, leaving nothing running.
func TestStatementTimeout(t *testing.T) {
	url := testURL(t)
	ctx := t.Context()
	st := openTest(t, url, Options{Schema: freshSchema(t, url), StatementTimeout: 200 * time.Millisecond})
	var b [6]byte
	_, _ = rand.Read(b[:])
	marker := "hotspot-timeout-" + hex.EncodeToString(b[:])

	start := time.Now()
	err := st.sleep(ctx, 30*time.Second, marker)
	if e := pq.As(err, "57014"); e == nil || !strings.Contains(e.Message, "statement timeout") {
		t.Fatalf("a 30 s statement with a 200 ms timeout = %v, want the database's statement timeout (57014)", err)
	}
	if d := time.Since(start); d > 3*time.Second {
		t.Errorf("the statement was cancelled after %v, want about 200 ms", d)
	}
	if n := running(t, st, marker); n != 0 {
		t.Errorf("%d statements still running in the database after the timeout", n)
	}

	// A caller that gives up cancels its statement in the database too.
	cctx, cancel := context.WithTimeout(ctx, 100*time.Millisecond)
	defer cancel()
	long := openTest(t, url, Options{Schema: st.schema, StatementTimeout: time.Minute})
	if err := long.sleep(cctx, 30*time.Second, marker); err == nil {
		t.Fatal("a cancelled context did not stop the statement")
	}
	deadline := time.Now().Add(5 * time.Second)
	for running(t, st, marker) != 0 {
		if time.Now().After(deadline) {
			t.Fatal("the cancelled statement is still running in the database")
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// sleep is a test hook: a statement that runs for d, tagged with marker
// so that pg_stat_activity can find it.
func (s *Store) sleep(ctx context.Context, d time.Duration, marker string) error {
	_, err := s.db.ExecContext(ctx, "SELECT pg_sleep($1) /* "+marker+" */", d.Seconds())
	return err
}

// running counts the statements carrying marker that the database is
// still executing.
func running(t *testing.T, s *Store, marker string) int {
	t.Helper()
	var n int
	err := s.db.QueryRowContext(t.Context(),
		`SELECT count(*) FROM pg_stat_activity WHERE state = 'active' AND pid <> pg_backend_pid() AND position($1 in query) > 0`,
		marker).Scan(&n)
	if err != nil {
		t.Fatal(err)
	}
	return n
}
