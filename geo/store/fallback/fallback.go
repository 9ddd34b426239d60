// Package fallback serves a second store while the first is empty: how
// `hotspot serve` shows the synthetic demo city on a fresh clone, and
// switches to real data as soon as an import lands, without a restart.
package fallback

import (
	"context"

	"github.com/leicester-csp/hotspot/geo"
)

// Store answers from Primary once it holds any month, else from Demo.
// Imports always go to Primary.
type Store struct {
	Primary geo.Store
	Demo    geo.Store
}

var _ geo.Store = (*Store)(nil)

// current picks the store that answers now: the primary once it holds
// incidents or wards (a run that loaded only boundaries is real data too).
func (s *Store) current(ctx context.Context) geo.Store {
	ms, err := s.Primary.Months(ctx)
	if err != nil || len(ms) > 0 {
		// On error the primary answers, so its failure is what the
		// caller sees rather than demo data posing as real.
		return s.Primary
	}
	if ws, err := s.Primary.Areas(ctx, geo.KindWard); err != nil || len(ws) > 0 {
		return s.Primary
	}
	return s.Demo
}

// Synthetic reports whether answers come from the demo store now.
func (s *Store) Synthetic(ctx context.Context) bool { return s.current(ctx) == s.Demo }

func (s *Store) Import(ctx context.Context, in geo.ImportInput) (geo.ImportResult, error) {
	return s.Primary.Import(ctx, in)
}

func (s *Store) Version(ctx context.Context) (string, error) {
	st := s.current(ctx)
	v, err := st.Version(ctx)
	if st == s.Demo {
		v = "demo-" + v
	}
	return v, err
}

func (s *Store) Months(ctx context.Context) ([]geo.Month, error) {
	return s.current(ctx).Months(ctx)
}

func (s *Store) Areas(ctx context.Context, kind geo.AreaKind) ([]geo.Area, error) {
	return s.current(ctx).Areas(ctx, kind)
}

func (s *Store) Categories(ctx context.Context) ([]string, error) {
	return s.current(ctx).Categories(ctx)
}

func (s *Store) Population(ctx context.Context) (map[string]int, error) {
	return s.current(ctx).Population(ctx)
}

func (s *Store) CellCounts(ctx context.Context, f geo.Filter, res int) (map[geo.Cell]int, error) {
	return s.current(ctx).CellCounts(ctx, f, res)
}

func (s *Store) CellMonthCounts(ctx context.Context, f geo.Filter, res int) ([]geo.CellMonthCount, error) {
	return s.current(ctx).CellMonthCounts(ctx, f, res)
}

func (s *Store) WardCounts(ctx context.Context, f geo.Filter) (map[string]int, error) {
	return s.current(ctx).WardCounts(ctx, f)
}

func (s *Store) Series(ctx context.Context, f geo.Filter, key geo.SeriesKey) (map[geo.Month]int, error) {
	return s.current(ctx).Series(ctx, f, key)
}

func (s *Store) Incidents(ctx context.Context, f geo.Filter, p geo.PageRequest) (geo.Page, error) {
	return s.current(ctx).Incidents(ctx, f, p)
}

func (s *Store) MapPoints(ctx context.Context) ([]geo.MapPoint, error) {
	return s.current(ctx).MapPoints(ctx)
}

func (s *Store) PointTallies(ctx context.Context, f geo.Filter) ([]geo.PointTally, error) {
	return s.current(ctx).PointTallies(ctx, f)
}

func (s *Store) CellTallies(ctx context.Context, f geo.Filter, res int) ([]geo.CellTally, error) {
	return s.current(ctx).CellTallies(ctx, f, res)
}

func (s *Store) Incident(ctx context.Context, id string) (geo.StoredIncident, error) {
	return s.current(ctx).Incident(ctx, id)
}

// Ready is the primary's readiness: the demo is a stand-in for data, not
// for a working store.
func (s *Store) Ready(ctx context.Context) error { return s.Primary.Ready(ctx) }

// Close closes both stores.
func (s *Store) Close() error {
	err := s.Primary.Close()
	if derr := s.Demo.Close(); err == nil {
		err = derr
	}
	return err
}

func (s *Store) Sources(ctx context.Context) ([]string, error) {
	return s.current(ctx).Sources(ctx)
}

func (s *Store) SourceInfos(ctx context.Context) ([]geo.SourceInfo, error) {
	return s.current(ctx).SourceInfos(ctx)
}

func (s *Store) Premises(ctx context.Context) ([]geo.Premises, error) {
	return s.current(ctx).Premises(ctx)
}
