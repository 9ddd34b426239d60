package postgis

import (
	"context"
	"database/sql"
	"log/slog"
	"sync"
	"time"
)

// A PostgreSQL backend caches catalogue entries as it first meets each
// relation: a new connection's first plan of an incident query opened the
// partitioned table, the partition, their indexes, points and areas from
// scratch (67 ms of planning on the shared months against 0.5 ms once
// cached; at national shape the first dense tile on a fresh connection
// took 620 ms against a median of 133 ms). A serving store therefore
// keeps a few connections that have already planned against every month:
// warmed once when it opens and again every warmEvery, which also keeps
// them from the pool's idle limit and finds connections a database
// restart broke before a request does.
const (
	warmEvery   = 2 * time.Minute
	warmTimeout = 30 * time.Second
)

// sqlWarm plans (never runs) a tile's incident query over every month, so
// that the backend opens and caches each partition with its indexes, and
// the joined tables and PostGIS's functions with them.
const sqlWarm = `
EXPLAIN SELECT i.id, i.location, i.category, i.outcome, p.lon, p.lat, w.code, w.name
FROM {s}.incidents i
LEFT JOIN {s}.points p ON p.id = i.point_id
LEFT JOIN {s}.areas w ON w.kind = 'ward' AND w.code = p.ward_code
WHERE i.category = ANY('{-}'::text[]) AND p.ward_code = ANY('{-}'::text[])
  AND p.geom && ST_MakeEnvelope(0, 0, 1, 1, 4326) AND p.lon BETWEEN 0 AND 1 AND p.lat BETWEEN 0 AND 1
  AND i.id > ''
ORDER BY i.month, i.id
LIMIT 1`

// warmer keeps a serving store's connections warm until stopped.
type warmer struct {
	stop func()
	done chan struct{}
}

// startWarmer warms n connections before it returns (a store opened to
// serve should not answer its first requests cold), then again every
// warmEvery until the warmer is stopped. n = 0 starts nothing.
func (s *Store) startWarmer(ctx context.Context, n int) *warmer {
	if n <= 0 {
		return nil
	}
	s.warm(ctx, n)
	bg, stop := context.WithCancel(context.WithoutCancel(ctx))
	w := &warmer{stop: stop, done: make(chan struct{})}
	go func() {
		defer close(w.done)
		t := time.NewTicker(warmEvery)
		defer t.Stop()
		for {
			select {
			case <-bg.Done():
				return
			case <-t.C:
				s.warm(bg, n)
			}
		}
	}()
	return w
}

// close stops the warmer and waits for a warming in progress to end.
func (w *warmer) close() {
	if w == nil {
		return
	}
	w.stop()
	<-w.done
}

// warm holds n connections of the pool at once (so that they are n
// different ones) and plans sqlWarm on each. Failures are logged, not
// returned: a cold connection is slower, not wrong, and a database that
// is down is reported by readiness checks.
func (s *Store) warm(ctx context.Context, n int) {
	ctx, cancel := context.WithTimeout(ctx, warmTimeout)
	defer cancel()
	start := time.Now()
	conns := make([]*sql.Conn, 0, n)
	defer func() {
		for _, c := range conns {
			c.Close()
		}
	}()
	for range n {
		c, err := s.db.Conn(ctx)
		if err != nil {
			s.log.Debug("postgis warm-up: no connection", slog.Any("err", err))
			break
		}
		conns = append(conns, c)
	}
	var wg sync.WaitGroup
	errs := make([]error, len(conns))
	for i, c := range conns {
		wg.Go(func() { _, errs[i] = c.ExecContext(ctx, s.q(sqlWarm)) })
	}
	wg.Wait()
	failed := 0
	for _, err := range errs {
		if err != nil {
			failed++
			s.log.Debug("postgis warm-up failed", slog.Any("err", err))
		}
	}
	s.log.Debug("postgis connections warmed", slog.Int("connections", len(conns)-failed),
		slog.Duration("took", time.Since(start)))
}
