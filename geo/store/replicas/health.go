package replicas

import (
	"context"
	"log/slog"
	"strings"
	"sync"
	"time"

	"github.com/leicester-csp/hotspot/geo"
	"github.com/leicester-csp/hotspot/geo/store/postgis"
)

// minCheckTimeout bounds one round of checks from below: a short
// Interval must not fail a standby whose connection takes a moment.
const minCheckTimeout = 2 * time.Second

// checkOnce checks the primary, then every standby at once, so that one
// that hangs holds up none of the others.
func (s *Store) checkOnce(ctx context.Context) {
	ctx, cancel := context.WithTimeout(ctx, max(s.opt.Interval, minCheckTimeout))
	defer cancel()
	now := time.Now()
	p := geo.DatabaseStatus{Name: primaryName, Role: "primary", State: geo.DatabaseOK, Serving: true, Checked: now}
	w, err := s.Store.WAL(ctx)
	if err == nil {
		p.Version, err = s.Store.Version(ctx)
	}
	primaryUp := err == nil
	if primaryUp {
		// Standbys' lag is measured against where the primary stood
		// when: an idle primary then shows no lag, however old its last
		// commit.
		s.hist.add(now, w.Position, s.opt.MaxLag+2*s.opt.Interval)
	} else {
		p.State, p.Version = geo.DatabaseDown, ""
		if s.primary.Load().State != geo.DatabaseDown {
			s.log.Warn("primary database down; standbys answer reads, writes fail", slog.Any("err", err))
		}
	}
	s.primary.Store(&p)
	var wg sync.WaitGroup
	for _, sb := range s.standbys {
		wg.Go(func() { s.checkStandby(ctx, sb, p.Version, primaryUp, now) })
	}
	wg.Wait()
}

// checkStandby opens a standby when it is not yet open, and decides
// whether it serves reads.
func (s *Store) checkStandby(ctx context.Context, sb *standby, primaryVersion string, primaryUp bool, now time.Time) {
	next := geo.DatabaseStatus{Name: sb.name, Role: "standby", Checked: now}
	pos, reason, err := s.probe(ctx, sb, &next, primaryVersion)
	if err == nil && reason == "" && primaryUp {
		lag := s.hist.lag(pos, now)
		secs := lag.Seconds()
		next.Lag = &secs
		if lag > s.opt.MaxLag {
			next.State = geo.DatabaseLagging
			reason = "replay is " + lag.Round(time.Millisecond).String() + " behind the primary"
		}
	}
	if err == nil && reason == "" {
		next.State, next.Serving = geo.DatabaseOK, true
	}
	old := sb.status.Swap(&next)
	switch {
	case next.Serving && !old.Serving:
		s.log.Info("standby serves reads", slog.String("database", sb.name), slog.String("url", sb.where))
	case !next.Serving && (old.Serving || old.State != next.State):
		s.log.Warn("standby skipped", slog.String("database", sb.name), slog.String("url", sb.where),
			slog.String("state", next.State), slog.String("why", reason), slog.Any("err", err))
	}
}

// probe reads a standby's replayed WAL position and its data version
// (into next). It says why the standby must not serve: an error (down)
// or a reason (another store, not a standby).
func (s *Store) probe(ctx context.Context, sb *standby, next *geo.DatabaseStatus, primaryVersion string) (pos int64, reason string, err error) {
	next.State = geo.DatabaseDown
	st := sb.st.Load()
	if st == nil {
		if st, err = postgis.Open(ctx, sb.url, s.opt.Standby); err != nil {
			return 0, "", err
		}
		sb.st.Store(st)
	}
	w, err := st.WAL(ctx)
	if err != nil {
		return 0, "", err
	}
	if next.Version, err = st.Version(ctx); err != nil {
		next.Version = ""
		return 0, "", err
	}
	switch {
	case !w.Standby:
		next.State = geo.DatabaseOther
		return 0, "it is not in recovery: a read URL must name a hot standby of the primary", nil
	case primaryVersion != "" && storeID(next.Version) != storeID(primaryVersion):
		next.State = geo.DatabaseOther
		return 0, "it holds another store than the primary (version " + next.Version + ", primary " + primaryVersion + ")", nil
	}
	return w.Position, "", nil
}

// storeID is the store-identity part of a data version, before its
// generations (geo.FormatVersion).
func storeID(version string) string {
	if i := strings.IndexByte(version, '.'); i >= 0 {
		return version[:i]
	}
	return version
}

// history keeps where the primary's WAL stood at each check, long enough
// to tell a lag of MaxLag.
type history struct {
	mu      sync.Mutex
	samples []sample
}

type sample struct {
	at  time.Time
	pos int64
}

func (h *history) add(at time.Time, pos int64, keep time.Duration) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.samples = append(h.samples, sample{at, pos})
	// Drop what is older than keep, but always keep one sample older
	// than that: it is what says a standby trails by more than keep.
	i := 0
	for i+1 < len(h.samples) && at.Sub(h.samples[i+1].at) > keep {
		i++
	}
	h.samples = h.samples[i:]
}

// lag says how long ago the primary first held WAL that a standby that
// has replayed up to position replayed has not: zero when it has
// replayed all the primary had at the latest check.
func (h *history) lag(replayed int64, now time.Time) time.Duration {
	h.mu.Lock()
	defer h.mu.Unlock()
	for _, smp := range h.samples {
		if smp.pos > replayed {
			return now.Sub(smp.at)
		}
	}
	return 0
}
