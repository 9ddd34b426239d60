package main

import (
	"context"
	"flag"
	"log/slog"
	"net/http"
	"strings"
	"sync/atomic"
	"time"

	"github.com/leicester-csp/hotspot/geo"
	"github.com/leicester-csp/hotspot/geo/store/postgis"
	"github.com/leicester-csp/hotspot/geo/store/replicas"
	"github.com/leicester-csp/hotspot/internal/metrics"
)

// replicaFlags are serve's read-replica flags: the hot standbys that
// answer reads, and how far behind one may fall.
type replicaFlags struct {
	urls   multiFlag
	maxLag time.Duration
}

func (rf *replicaFlags) register(fs *flag.FlagSet, getenv func(string) string) {
	fs.Var(&rf.urls, "database-read-url",
		"a PostgreSQL hot standby of --database-url to send reads to, postgres://… (repeatable; env HOTSPOT_DATABASE_READ_URL, comma-separated)")
	lag := 30 * time.Second
	if v, err := time.ParseDuration(getenv("HOTSPOT_MAX_REPLICA_LAG")); err == nil && v > 0 {
		lag = v
	}
	fs.DurationVar(&rf.maxLag, "max-replica-lag", lag, "skip a standby whose replay is further behind than this (env HOTSPOT_MAX_REPLICA_LAG)")
}

// check settles the store flags (sf.check), takes the standbys from the
// environment when the flag names none, and refuses standbys without a
// primary.
func (rf *replicaFlags) check(fs *flag.FlagSet, getenv func(string) string, sf *storeFlags) error {
	if err := sf.check(); err != nil {
		return err
	}
	if v := getenv("HOTSPOT_MAX_REPLICA_LAG"); v != "" && !flagGiven(fs, "max-replica-lag") {
		if d, err := time.ParseDuration(v); err != nil || d <= 0 {
			return usagef("HOTSPOT_MAX_REPLICA_LAG %q: want a positive duration such as 30s", v)
		}
	}
	if rf.maxLag <= 0 {
		return usagef("--max-replica-lag must be positive")
	}
	if len(rf.urls) == 0 {
		for _, u := range strings.Split(getenv("HOTSPOT_DATABASE_READ_URL"), ",") {
			if u = strings.TrimSpace(u); u != "" {
				rf.urls = append(rf.urls, u)
			}
		}
	}
	if len(rf.urls) == 0 {
		return nil
	}
	if sf.databaseURL == "" {
		return usagef("--database-read-url needs --database-url: standbys serve reads of a PostGIS primary")
	}
	for _, u := range rf.urls {
		if !strings.HasPrefix(u, "postgres://") && !strings.HasPrefix(u, "postgresql://") {
			return usagef("--database-read-url must be a postgres:// URL")
		}
	}
	return nil
}

// opener returns how serve opens its store. A PostGIS store always goes
// through replicas (with no standbys, every read is the primary's), so
// that its reads are timed and /readyz reports its database; opened is
// set once it is open.
func (rf *replicaFlags) opener(sf *storeFlags, log *slog.Logger, poll time.Duration, m *metrics.Metrics, opened *atomic.Pointer[replicas.Store]) func(context.Context) (geo.Store, error) {
	if sf.databaseURL == "" {
		return func(ctx context.Context) (geo.Store, error) { return sf.open(ctx, log, poll) }
	}
	return func(ctx context.Context) (geo.Store, error) {
		primary, err := postgis.Open(ctx, sf.databaseURL, postgis.Options{Logger: log})
		if err != nil {
			return nil, err
		}
		r := replicas.Open(ctx, primary, rf.urls, replicas.Options{MaxLag: rf.maxLag, Logger: log, Observe: m.StoreRead,
			Standby: postgis.Options{Logger: log}})
		opened.Store(r)
		return r, nil
	}
}

// databasesOf reports the databases behind the store once it is open.
func databasesOf(opened *atomic.Pointer[replicas.Store]) func() []geo.DatabaseStatus {
	return func() []geo.DatabaseStatus {
		if r := opened.Load(); r != nil {
			return r.Databases()
		}
		return nil
	}
}

// pinRequests gives every request one database for all its reads, so
// that an answer is never built from one database and cached under the
// data version of another.
func pinRequests(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h.ServeHTTP(w, r.WithContext(replicas.Pin(r.Context())))
	})
}
