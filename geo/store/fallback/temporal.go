package fallback

import (
	"context"
	"errors"

	"github.com/leicester-csp/hotspot/geo"
)

var _ geo.TemporalCounter = (*Store)(nil)

func (s *Store) DayHourCounts(ctx context.Context, f geo.Filter, key geo.SeriesKey) (geo.DayHourCounts, error) {
	tc, ok := s.current(ctx).(geo.TemporalCounter)
	if !ok {
		return geo.DayHourCounts{}, errors.ErrUnsupported
	}
	return tc.DayHourCounts(ctx, f, key)
}
