package pending

import (
	"context"
	"fmt"

	"github.com/leicester-csp/hotspot/geo"
)

var _ geo.TargetAreaStore = (*Store)(nil)

// targetAreas is the opened store's target areas, or why there are none.
func (s *Store) targetAreas() (geo.TargetAreaStore, error) {
	st, err := s.get()
	if err != nil {
		return nil, err
	}
	ts, ok := st.(geo.TargetAreaStore)
	if !ok {
		return nil, fmt.Errorf("%w: %T keeps no target areas", geo.ErrUnavailable, st)
	}
	return ts, nil
}

func (s *Store) AddTargetArea(ctx context.Context, a geo.TargetArea) error {
	ts, err := s.targetAreas()
	if err != nil {
		return err
	}
	return ts.AddTargetArea(ctx, a)
}

func (s *Store) TargetAreas(ctx context.Context) ([]geo.TargetArea, error) {
	ts, err := s.targetAreas()
	if err != nil {
		return nil, err
	}
	return ts.TargetAreas(ctx)
}

func (s *Store) TargetArea(ctx context.Context, id string) (geo.TargetArea, error) {
	ts, err := s.targetAreas()
	if err != nil {
		return geo.TargetArea{}, err
	}
	return ts.TargetArea(ctx, id)
}

func (s *Store) UpdateTargetArea(ctx context.Context, a geo.TargetArea) error {
	ts, err := s.targetAreas()
	if err != nil {
		return err
	}
	return ts.UpdateTargetArea(ctx, a)
}

func (s *Store) DeleteTargetArea(ctx context.Context, id string) error {
	ts, err := s.targetAreas()
	if err != nil {
		return err
	}
	return ts.DeleteTargetArea(ctx, id)
}

func (s *Store) TargetAreasVersion(ctx context.Context) (string, error) {
	ts, err := s.targetAreas()
	if err != nil {
		return "", err
	}
	return ts.TargetAreasVersion(ctx)
}
