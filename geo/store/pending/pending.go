// Package pending stands in for a store that cannot be opened yet — a
// database that is down when the service starts — so that the service
// starts anyway, reports not-ready, answers 503, and begins serving on its
// own once the store opens.
package pending

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/leicester-csp/hotspot/geo"
)

// Store forwards to the opened store, and fails with geo.ErrUnavailable
// until it is open.
type Store struct {
	st   atomic.Pointer[geo.Store]
	last atomic.Pointer[error]

	stop chan struct{}
	done chan struct{}
	once sync.Once
}

var _ geo.Store = (*Store)(nil)

// Open tries open every retry period, in the background, until it
// succeeds or Close is called.
func Open(open func(context.Context) (geo.Store, error), retry time.Duration, log *slog.Logger) *Store {
	s := &Store{stop: make(chan struct{}), done: make(chan struct{})}
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		<-s.stop
		cancel()
	}()
	go func() {
		defer close(s.done)
		t := time.NewTicker(retry)
		defer t.Stop()
		for {
			st, err := open(ctx)
			if err == nil {
				s.st.Store(&st)
				log.Info("store opened")
				return
			}
			s.last.Store(&err)
			log.Warn("store not available yet; retrying", slog.Duration("every", retry), slog.Any("err", err))
			select {
			case <-s.stop:
				return
			case <-t.C:
			}
		}
	}()
	return s
}

// get returns the opened store, or why there is none.
func (s *Store) get() (geo.Store, error) {
	if p := s.st.Load(); p != nil {
		return *p, nil
	}
	if e := s.last.Load(); e != nil {
		return nil, fmt.Errorf("%w: not opened yet: %v", geo.ErrUnavailable, *e)
	}
	return nil, fmt.Errorf("%w: not opened yet", geo.ErrUnavailable)
}

func (s *Store) Import(ctx context.Context, in geo.ImportInput) (geo.ImportResult, error) {
	st, err := s.get()
	if err != nil {
		return geo.ImportResult{}, err
	}
	return st.Import(ctx, in)
}

func (s *Store) Version(ctx context.Context) (string, error) {
	st, err := s.get()
	if err != nil {
		return "", err
	}
	return st.Version(ctx)
}

func (s *Store) Months(ctx context.Context) ([]geo.Month, error) {
	st, err := s.get()
	if err != nil {
		return nil, err
	}
	return st.Months(ctx)
}

func (s *Store) Areas(ctx context.Context, kind geo.AreaKind) ([]geo.Area, error) {
	st, err := s.get()
	if err != nil {
		return nil, err
	}
	return st.Areas(ctx, kind)
}

func (s *Store) Categories(ctx context.Context) ([]string, error) {
	st, err := s.get()
	if err != nil {
		return nil, err
	}
	return st.Categories(ctx)
}

func (s *Store) Population(ctx context.Context) (map[string]int, error) {
	st, err := s.get()
	if err != nil {
		return nil, err
	}
	return st.Population(ctx)
}

func (s *Store) CellCounts(ctx context.Context, f geo.Filter, res int) (map[geo.Cell]int, error) {
	st, err := s.get()
	if err != nil {
		return nil, err
	}
	return st.CellCounts(ctx, f, res)
}

func (s *Store) CellMonthCounts(ctx context.Context, f geo.Filter, res int) ([]geo.CellMonthCount, error) {
	st, err := s.get()
	if err != nil {
		return nil, err
	}
	return st.CellMonthCounts(ctx, f, res)
}

func (s *Store) WardCounts(ctx context.Context, f geo.Filter) (map[string]int, error) {
	st, err := s.get()
	if err != nil {
		return nil, err
	}
	return st.WardCounts(ctx, f)
}

func (s *Store) Series(ctx context.Context, f geo.Filter, key geo.SeriesKey) (map[geo.Month]int, error) {
	st, err := s.get()
	if err != nil {
		return nil, err
	}
	return st.Series(ctx, f, key)
}

func (s *Store) Incidents(ctx context.Context, f geo.Filter, p geo.PageRequest) (geo.Page, error) {
	st, err := s.get()
	if err != nil {
		return geo.Page{}, err
	}
	return st.Incidents(ctx, f, p)
}

func (s *Store) MapPoints(ctx context.Context) ([]geo.MapPoint, error) {
	st, err := s.get()
	if err != nil {
		return nil, err
	}
	return st.MapPoints(ctx)
}

func (s *Store) PointTallies(ctx context.Context, f geo.Filter) ([]geo.PointTally, error) {
	st, err := s.get()
	if err != nil {
		return nil, err
	}
	return st.PointTallies(ctx, f)
}

func (s *Store) CellTallies(ctx context.Context, f geo.Filter, res int) ([]geo.CellTally, error) {
	st, err := s.get()
	if err != nil {
		return nil, err
	}
	return st.CellTallies(ctx, f, res)
}

func (s *Store) Incident(ctx context.Context, id string) (geo.StoredIncident, error) {
	st, err := s.get()
	if err != nil {
		return geo.StoredIncident{}, err
	}
	return st.Incident(ctx, id)
}

func (s *Store) Ready(ctx context.Context) error {
	st, err := s.get()
	if err != nil {
		return err
	}
	return st.Ready(ctx)
}

// Close stops retrying and closes the store if it was opened.
func (s *Store) Close() error {
	s.once.Do(func() { close(s.stop) })
	<-s.done
	if p := s.st.Load(); p != nil {
		return (*p).Close()
	}
	return nil
}

func (s *Store) Sources(ctx context.Context) ([]string, error) {
	st, err := s.get()
	if err != nil {
		return nil, err
	}
	return st.Sources(ctx)
}

func (s *Store) SourceInfos(ctx context.Context) ([]geo.SourceInfo, error) {
	st, err := s.get()
	if err != nil {
		return nil, err
	}
	return st.SourceInfos(ctx)
}

func (s *Store) Premises(ctx context.Context) ([]geo.Premises, error) {
	st, err := s.get()
	if err != nil {
		return nil, err
	}
	return st.Premises(ctx)
}
