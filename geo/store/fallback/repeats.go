package fallback

import (
	"context"
	"errors"

	"github.com/leicester-csp/hotspot/geo"
)

var _ geo.RepeatCounter = (*Store)(nil)

func (s *Store) PlaceTallies(ctx context.Context, f geo.Filter) ([]geo.PlaceTally, error) {
	rc, ok := s.current(ctx).(geo.RepeatCounter)
	if !ok {
		return nil, errors.ErrUnsupported
	}
	return rc.PlaceTallies(ctx, f)
}

func (s *Store) OffenderTallies(ctx context.Context, f geo.Filter) ([]geo.OffenderTally, error) {
	rc, ok := s.current(ctx).(geo.RepeatCounter)
	if !ok {
		return nil, errors.ErrUnsupported
	}
	return rc.OffenderTallies(ctx, f)
}
