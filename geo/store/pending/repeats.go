package pending

import (
	"context"
	"errors"

	"github.com/leicester-csp/hotspot/geo"
)

var _ geo.RepeatCounter = (*Store)(nil)

func (s *Store) repeatCounter() (geo.RepeatCounter, error) {
	st, err := s.get()
	if err != nil {
		return nil, err
	}
	rc, ok := st.(geo.RepeatCounter)
	if !ok {
		return nil, errors.ErrUnsupported
	}
	return rc, nil
}

func (s *Store) PlaceTallies(ctx context.Context, f geo.Filter) ([]geo.PlaceTally, error) {
	rc, err := s.repeatCounter()
	if err != nil {
		return nil, err
	}
	return rc.PlaceTallies(ctx, f)
}

func (s *Store) OffenderTallies(ctx context.Context, f geo.Filter) ([]geo.OffenderTally, error) {
	rc, err := s.repeatCounter()
	if err != nil {
		return nil, err
	}
	return rc.OffenderTallies(ctx, f)
}
