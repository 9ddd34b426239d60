package pending

import (
	"context"
	"errors"

	"github.com/leicester-csp/hotspot/geo"
)

var _ geo.TemporalCounter = (*Store)(nil)

func (s *Store) DayHourCounts(ctx context.Context, f geo.Filter, key geo.SeriesKey) (geo.DayHourCounts, error) {
	st, err := s.get()
	if err != nil {
		return geo.DayHourCounts{}, err
	}
	tc, ok := st.(geo.TemporalCounter)
	if !ok {
		return geo.DayHourCounts{}, errors.ErrUnsupported
	}
	return tc.DayHourCounts(ctx, f, key)
}
