package replicas

import (
	"fmt"
	"reflect"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/paulmach/orb"

	"github.com/leicester-csp/hotspot/geo"
	"github.com/leicester-csp/hotspot/geo/hex"
	"github.com/leicester-csp/hotspot/geo/store/postgis"
	"github.com/leicester-csp/hotspot/internal/pgcluster"
)

// TestEveryMethodIsPlaced fails when the PostGIS store gains a method
// this package neither routes nor keeps on the primary on purpose: the
// new method reads the primary (safe), but should be decided on.
func TestEveryMethodIsPlaced(t *testing.T) {
	typ := reflect.TypeFor[*postgis.Store]()
	for m := range typ.Methods() {
		if !slices.Contains(routed, m.Name) && !slices.Contains(primaryOnly, m.Name) {
			t.Errorf("postgis.Store.%s is neither routed to standbys nor listed as primary-only in reads.go", m.Name)
		}
	}
	own := reflect.TypeFor[*Store]()
	for _, name := range routed {
		if _, ok := typ.MethodByName(name); !ok {
			t.Errorf("routed method %s is not a method of postgis.Store", name)
		}
		if _, ok := own.MethodByName(name); !ok {
			t.Errorf("routed method %s is missing", name)
		}
	}
}

func TestLagAgainstPrimaryHistory(t *testing.T) {
	var h history
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	keep := 10 * time.Second
	for i := range 30 {
		// The primary writes for the first 20 s, then idles.
		pos := int64(min(i, 20) * 100)
		h.add(t0.Add(time.Duration(i)*time.Second), pos, keep)
	}
	now := t0.Add(29 * time.Second)
	tests := []struct {
		replayed int64
		want     time.Duration
	}{
		{2000, 0},                // all of it: an idle primary is no lag
		{1950, 9 * time.Second},  // missing what the primary had at 20 s
		{0, 11 * time.Second},    // older than kept: at least keep
		{5000, 0},                // ahead of the last sample (written since)
		{1900, 9 * time.Second},  // has what it had at 19 s, not at 20 s
		{1850, 10 * time.Second}, // missing what it had at 19 s
		{1999, 9 * time.Second},  // one byte short is still behind
		{1000, 11 * time.Second}, // long gone: the oldest sample kept
	}
	for _, tt := range tests {
		if got := h.lag(tt.replayed, now); got != tt.want {
			t.Errorf("lag at %d = %v, want %v", tt.replayed, got, tt.want)
		}
	}
	if len(h.samples) > 12 {
		t.Errorf("kept %d samples for a %v window of 1 s checks", len(h.samples), keep)
	}
}

// observed records which database answered each read.
type observed struct {
	mu   sync.Mutex
	seen []string // "op@database", or "op@database!" on error
}

func (o *observed) add(op, db string, _ time.Duration, err error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	s := op + "@" + db
	if err != nil {
		s += "!"
	}
	o.seen = append(o.seen, s)
}

func (o *observed) take() []string {
	o.mu.Lock()
	defer o.mu.Unlock()
	out := o.seen
	o.seen = nil
	return out
}

func importMonth(t *testing.T, st geo.Store, month geo.Month) {
	t.Helper()
	p := orb.Point{-1.13 + float64(month%7)*0.001, 52.63}
	rows := func(yield func(geo.Row, error) bool) {
		for i := range 3 {
			inc := &geo.Located{Incident: geo.Incident{ID: fmt.Sprintf("%s-%d", month, i), Month: month, Category: "Burglary",
				HasLocation: true, Point: p, Location: "On or near High Street"}, Cells: hex.CellsAt(p)}
			if !yield(geo.Row{Incident: inc}, nil) {
				return
			}
		}
	}
	if _, err := st.Import(t.Context(), geo.ImportInput{Rows: rows}); err != nil {
		t.Fatalf("import %s: %v", month, err)
	}
}

func waitFor(t *testing.T, what string, ok func() bool) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for !ok() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func standbyState(r *Store) geo.DatabaseStatus { return r.Databases()[1] }

// monthsFrom reads the months in a pinned context and says which
// databases answered.
func monthsFrom(t *testing.T, r *Store, o *observed) (int, []string) {
	t.Helper()
	o.take()
	ms, err := r.Months(Pin(t.Context()))
	if err != nil {
		t.Fatalf("months: %v (a standby's trouble must never reach the caller)", err)
	}
	return len(ms), o.take()
}

// TestHotStandby runs a private primary and a hot standby of it made
// with pg_basebackup: reads go to the standby, imports to the primary and
// are read from the standby once replayed; a standby that lags (replay
// paused) or stops is skipped without an error to the reader, and serves
// again once it recovers.
func TestHotStandby(t *testing.T) {
	if testing.Short() {
		t.Skip("starts two private PostgreSQL clusters")
	}
	start := time.Now()
	primary := pgcluster.NewPrimary(t)
	primary.Start()
	ctx := t.Context()
	st, err := postgis.Open(ctx, primary.URL(), postgis.Options{})
	if err != nil {
		t.Fatal(err)
	}
	importMonth(t, st, geo.NewMonth(2024, 1))
	sb := primary.Standby(t)
	sb.Start()

	var o observed
	r := Open(ctx, st, []string{sb.URL()}, Options{MaxLag: time.Second, Interval: 100 * time.Millisecond, Observe: o.add})
	t.Cleanup(func() { r.Close() })
	waitFor(t, "the standby to serve", func() bool { return standbyState(r).Serving })

	t.Run("every read goes to the standby", func(t *testing.T) { everyReadOnStandby(t, r, &o) })

	importMonth(t, r, geo.NewMonth(2024, 2))
	if got := o.take(); len(got) != 0 {
		t.Errorf("an import went through the read path: %v", got)
	}
	waitFor(t, "the import to replay on the standby", func() bool {
		n, by := monthsFrom(t, r, &o)
		return n == 2 && slices.Equal(by, []string{"months@standby1"})
	})

	sb.QueryString("SELECT pg_wal_replay_pause()::text")
	// The pause is a request: what arrives before it takes hold replays.
	waitFor(t, "replay to pause", func() bool { return sb.QueryString("SELECT pg_get_wal_replay_pause_state()") == "paused" })
	importMonth(t, r, geo.NewMonth(2024, 3))
	waitFor(t, "the paused standby to be skipped", func() bool { return standbyState(r).State == geo.DatabaseLagging })
	if n, by := monthsFrom(t, r, &o); n != 3 || !slices.Equal(by, []string{"months@primary"}) {
		t.Errorf("with the standby lagging: %d months from %v, want 3 from the primary", n, by)
	}
	sb.QueryString("SELECT pg_wal_replay_resume()::text")
	waitFor(t, "the standby to catch up and serve", func() bool { return standbyState(r).Serving })
	if n, by := monthsFrom(t, r, &o); n != 3 || !slices.Equal(by, []string{"months@standby1"}) {
		t.Errorf("after catching up: %d months from %v, want 3 from the standby", n, by)
	}

	sb.Stop()
	n, by := monthsFrom(t, r, &o)
	if n != 3 || by[len(by)-1] != "months@primary" {
		t.Errorf("with the standby stopped: %d months from %v, want 3 from the primary", n, by)
	}
	waitFor(t, "the stopped standby to be down", func() bool { return standbyState(r).State == geo.DatabaseDown })
	if err := r.Ready(ctx); err != nil {
		t.Errorf("ready with the primary up and the standby down: %v", err)
	}
	sb.Start()
	waitFor(t, "the restarted standby to serve", func() bool { return standbyState(r).Serving })
	if n, by := monthsFrom(t, r, &o); n != 3 || !slices.Equal(by, []string{"months@standby1"}) {
		t.Errorf("after restart: %d months from %v, want 3 from the standby", n, by)
	}
	t.Run("a read URL that is no standby of the primary is never read", func(t *testing.T) { neverRead(t, primary, sb) })
	t.Logf("two clusters, base backup, pause, stop and restart in %v", time.Since(start).Round(time.Millisecond))
}

// neverRead opens routers whose read URL names the primary itself (not in
// recovery), and a standby holding another store (the primary's store is
// in another schema): neither may serve.
func neverRead(t *testing.T, primary, sb *pgcluster.Cluster) {
	ctx := t.Context()
	st, err := postgis.Open(ctx, primary.URL(), postgis.Options{})
	if err != nil {
		t.Fatal(err)
	}
	self := Open(ctx, st, []string{primary.URL()}, Options{Interval: time.Hour})
	defer self.Close()
	other, err := postgis.Open(ctx, primary.URL(), postgis.Options{Schema: "another"})
	if err != nil {
		t.Fatal(err)
	}
	// Told to read the standby's "hotspot" schema: a copy of the
	// primary's first store, not of "another".
	wrong := Open(ctx, other, []string{sb.URL()}, Options{Interval: time.Hour, Standby: postgis.Options{Schema: "hotspot"}})
	defer wrong.Close()
	for _, r := range []*Store{self, wrong} {
		if got := standbyState(r); got.Serving || got.State != geo.DatabaseOther {
			t.Errorf("%+v, want %q and not serving", got, geo.DatabaseOther)
		}
		if who, _ := r.choose(Pin(ctx)); who != nil {
			t.Errorf("a read went to %s", who.name)
		}
	}
}

// everyReadOnStandby calls every routed read in one pinned context and
// expects each to be answered by the standby alone.
func everyReadOnStandby(t *testing.T, r *Store, o *observed) {
	ctx := Pin(t.Context())
	all := geo.Filter{Months: geo.MonthRange{From: geo.NewMonth(2024, 1), To: geo.NewMonth(2024, 12)}}
	local := all
	local.Source = geo.SourceAll
	o.take()
	calls := map[string]func() error{
		"version":           func() error { _, err := r.Version(ctx); return err },
		"months":            func() error { _, err := r.Months(ctx); return err },
		"areas":             func() error { _, err := r.Areas(ctx, geo.KindWard); return err },
		"categories":        func() error { _, err := r.Categories(ctx); return err },
		"population":        func() error { _, err := r.Population(ctx); return err },
		"cell_counts":       func() error { _, err := r.CellCounts(ctx, all, 9); return err },
		"cell_month_counts": func() error { _, err := r.CellMonthCounts(ctx, all, 9); return err },
		"ward_counts":       func() error { _, err := r.WardCounts(ctx, all); return err },
		"series":            func() error { _, err := r.Series(ctx, all, geo.SeriesKey{}); return err },
		"map_points":        func() error { _, err := r.MapPoints(ctx); return err },
		"point_tallies":     func() error { _, err := r.PointTallies(ctx, all); return err },
		"cell_tallies":      func() error { _, err := r.CellTallies(ctx, local, 9); return err },
		"incidents":         func() error { _, err := r.Incidents(ctx, all, geo.PageRequest{Limit: 10}); return err },
		"incident":          func() error { _, err := r.Incident(ctx, "2024-01-0"); return err },
		"sources":           func() error { _, err := r.Sources(ctx); return err },
		"source_infos":      func() error { _, err := r.SourceInfos(ctx); return err },
		"premises":          func() error { _, err := r.Premises(ctx); return err },
		"day_hour_counts":   func() error { _, err := r.DayHourCounts(ctx, local, geo.SeriesKey{}); return err },
		"place_tallies":     func() error { _, err := r.PlaceTallies(ctx, local); return err },
		"offender_tallies":  func() error { _, err := r.OffenderTallies(ctx, local); return err },
		"point_window_counts": func() error {
			_, err := r.PointWindowCounts(ctx, all, all.Months, all.Months, orb.Bound{Min: orb.Point{-2, 52}, Max: orb.Point{0, 53}}, "")
			return err
		},
	}
	if len(calls) != len(routed) {
		t.Fatalf("%d calls for %d routed methods", len(calls), len(routed))
	}
	for op, call := range calls {
		if err := call(); err != nil {
			t.Errorf("%s: %v", op, err)
		}
		if got := o.take(); !slices.Equal(got, []string{op + "@standby1"}) {
			t.Errorf("%s answered by %v, want the standby alone", op, got)
		}
	}
}
