package pending

import (
	"context"
	"errors"

	"github.com/paulmach/orb"

	"github.com/leicester-csp/hotspot/geo"
)

var _ geo.WindowCounter = (*Store)(nil)

func (s *Store) PointWindowCounts(ctx context.Context, f geo.Filter, before, after geo.MonthRange, near orb.Bound, ward string) ([]geo.PointPair, error) {
	st, err := s.get()
	if err != nil {
		return nil, err
	}
	wc, ok := st.(geo.WindowCounter)
	if !ok {
		return nil, errors.ErrUnsupported
	}
	return wc.PointWindowCounts(ctx, f, before, after, near, ward)
}
