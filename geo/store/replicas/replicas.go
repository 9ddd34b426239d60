// Package replicas spreads a PostGIS store's reads over hot standbys and
// keeps its writes on the primary: `hotspot serve --database-read-url`.
//
// A background check (never a request) looks at every database each
// Interval: a standby that does not answer, holds another store, or whose
// replay trails the primary by more than MaxLag is skipped until a later
// check finds it well; with no standby left, reads go to the primary.
//
// What a caller wrote it must read back, so everything that is written
// while serving (target areas, keys, the audit log) is read from the
// primary too: only imported data, which a separate ingest writes, is read
// from standbys.
//
// Answers are cached by data version, so a request must not read the
// version on one database and the data on another that is behind it.
// Pin gives a request's context one database for all its reads; the only
// move it allows is from a standby to the primary, which is never behind
// a standby, so within a request what is read never goes back in time.
package replicas

import (
	"context"
	"errors"
	"log/slog"
	"net/url"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/leicester-csp/hotspot/geo"
	"github.com/leicester-csp/hotspot/geo/store/postgis"
)

// Options tune the routing. The zero value is usable.
type Options struct {
	// MaxLag is how far behind the primary a standby may be and still
	// serve reads; 0 means 30 s.
	MaxLag time.Duration
	// Interval is how often every database is checked; 0 means 2 s.
	Interval time.Duration
	Logger   *slog.Logger
	// Standby opens each standby (statement timeout; schema, by default
	// the primary's); Standby is set on it.
	Standby postgis.Options
	// Observe, when set, is told of every read: its operation, the
	// database that answered ("primary", "standby1", …), how long it
	// took and its error.
	Observe func(op, database string, took time.Duration, err error)
}

const (
	defaultMaxLag   = 30 * time.Second
	defaultInterval = 2 * time.Second
	primaryName     = "primary"
)

// Store is a PostGIS store whose reads of imported data go to standbys.
// Every method it does not route is the primary's: a method added to the
// PostGIS store later is safe (it reads the primary) until it is routed.
type Store struct {
	*postgis.Store // the primary

	standbys []*standby
	opt      Options
	log      *slog.Logger
	next     atomic.Uint64 // round robin over standbys
	primary  atomic.Pointer[geo.DatabaseStatus]
	hist     history // touched by the check loop only

	ctx    context.Context // the checks', cancelled by Close
	cancel context.CancelFunc
	done   chan struct{}
}

type standby struct {
	name   string
	url    string
	where  string // url without its password, for the log
	st     atomic.Pointer[postgis.Store]
	status atomic.Pointer[geo.DatabaseStatus]
}

func (sb *standby) serving() bool {
	st := sb.status.Load()
	return st != nil && st.Serving && sb.st.Load() != nil
}

// Open routes reads of primary to the standbys at urls. It checks every
// database once before it returns (bounded by ctx and the interval), so
// that standbys serve from the first request, then keeps checking in the
// background until Close. A standby that cannot be reached now is
// tried again at every check.
func Open(ctx context.Context, primary *postgis.Store, urls []string, opt Options) *Store {
	if opt.MaxLag <= 0 {
		opt.MaxLag = defaultMaxLag
	}
	if opt.Interval <= 0 {
		opt.Interval = defaultInterval
	}
	opt.Standby.Standby = true
	if opt.Standby.Schema == "" {
		opt.Standby.Schema = primary.Schema()
	}
	s := &Store{Store: primary, opt: opt, log: opt.Logger, done: make(chan struct{})}
	s.ctx, s.cancel = context.WithCancel(context.Background())
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	for i, u := range urls {
		sb := &standby{name: "standby" + strconv.Itoa(i+1), url: u, where: redact(u)}
		sb.status.Store(&geo.DatabaseStatus{Name: sb.name, Role: "standby", State: geo.DatabaseStarting})
		s.standbys = append(s.standbys, sb)
	}
	s.primary.Store(&geo.DatabaseStatus{Name: primaryName, Role: "primary", State: geo.DatabaseStarting, Serving: true})
	s.checkOnce(ctx)
	go s.loop()
	return s
}

func redact(u string) string {
	if p, err := url.Parse(u); err == nil {
		return p.Redacted()
	}
	return "(a database URL that does not parse)"
}

func (s *Store) loop() {
	defer close(s.done)
	t := time.NewTicker(s.opt.Interval)
	defer t.Stop()
	for {
		select {
		case <-s.ctx.Done():
			return
		case <-t.C:
			s.checkOnce(s.ctx)
		}
	}
}

// Close stops the checks and closes every database.
func (s *Store) Close() error {
	s.cancel()
	<-s.done
	var errs []error
	for _, sb := range s.standbys {
		if st := sb.st.Load(); st != nil {
			errs = append(errs, st.Close())
		}
	}
	return errors.Join(append(errs, s.Store.Close())...)
}

// Ready reports whether reads can be served: by the primary, or failing
// it by a standby (writes then fail until the primary is back).
func (s *Store) Ready(ctx context.Context) error {
	err := s.Store.Ready(ctx)
	if err == nil {
		return nil
	}
	for _, sb := range s.standbys {
		if sb.serving() {
			return nil
		}
	}
	return err
}

// Databases reports every database as the last check saw it, the
// primary first.
func (s *Store) Databases() []geo.DatabaseStatus {
	out := []geo.DatabaseStatus{*s.primary.Load()}
	for _, sb := range s.standbys {
		out = append(out, *sb.status.Load())
	}
	return out
}

type pinKey struct{}

// pin is the database one context's reads go to, chosen at its first
// read.
type pin struct {
	mu  sync.Mutex
	set bool
	sb  *standby // nil: the primary
}

// Pin returns a context whose reads, through any Store, all go to one
// database (or, should that standby fail, to the primary from then on).
// hotspot serve pins every request.
func Pin(ctx context.Context) context.Context {
	return context.WithValue(ctx, pinKey{}, &pin{})
}

// choose picks the database for a read: the context's pinned one, or
// the next standby that serves, or (nil) the primary.
func (s *Store) choose(ctx context.Context) (*standby, *pin) {
	p, _ := ctx.Value(pinKey{}).(*pin)
	if p == nil {
		return s.pick(), nil
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	switch {
	case !p.set:
		p.sb, p.set = s.pick(), true
	case p.sb != nil && !p.sb.serving():
		p.sb = nil
	}
	return p.sb, p
}

func (p *pin) toPrimary() {
	p.mu.Lock()
	p.sb = nil
	p.mu.Unlock()
}

func (s *Store) pick() *standby {
	n := uint64(len(s.standbys))
	if n == 0 {
		return nil
	}
	start := s.next.Add(1)
	for i := range n {
		if sb := s.standbys[(start+i)%n]; sb.serving() {
			return sb
		}
	}
	return nil
}

// read runs f on the database chosen for ctx. A standby's failure is
// not the caller's: the read runs again on the primary, and a standby
// that cannot be reached is skipped until a check finds it back. Bad
// input and "not found" are answers, not failures, and are not retried.
func read[T any](ctx context.Context, s *Store, op string, f func(*postgis.Store) (T, error)) (T, error) {
	if sb, p := s.choose(ctx); sb != nil {
		if st := sb.st.Load(); st != nil {
			start := time.Now()
			v, err := f(st)
			s.observe(op, sb.name, start, err)
			if err == nil || ctx.Err() != nil || errors.Is(err, geo.ErrNotFound) || errors.Is(err, geo.ErrInvalid) {
				return v, err
			}
			s.readFailed(sb, op, err)
			if p != nil {
				p.toPrimary()
			}
		}
	}
	start := time.Now()
	v, err := f(s.Store)
	s.observe(op, primaryName, start, err)
	return v, err
}

func (s *Store) observe(op, db string, start time.Time, err error) {
	if s.opt.Observe != nil {
		s.opt.Observe(op, db, time.Since(start), err)
	}
}

// readFailed takes a standby that cannot be reached out of service at
// once, rather than at the next check; other failures (a query cancelled
// by a conflict with replay) leave it serving.
func (s *Store) readFailed(sb *standby, op string, err error) {
	if !errors.Is(err, geo.ErrUnavailable) {
		s.log.Warn("a read failed on a standby; the primary answers it", slog.String("database", sb.name), slog.String("op", op), slog.Any("err", err))
		return
	}
	old := sb.status.Load()
	st := *old
	st.State, st.Serving, st.Lag, st.Version = geo.DatabaseDown, false, nil, ""
	if sb.status.CompareAndSwap(old, &st) && old.Serving {
		s.log.Warn("standby down; reads go elsewhere until it is back", slog.String("database", sb.name),
			slog.String("url", sb.where), slog.Any("err", err))
	}
}
