package pending

import (
	"context"
	"fmt"
	"time"

	"github.com/leicester-csp/hotspot/geo"
	"github.com/leicester-csp/hotspot/geo/access"
)

var _ access.Keyring = (*Store)(nil)

// keyring is the opened store's keys, or why there are none. Until the
// store opens, keyed callers are answered 503 rather than let in.
func (s *Store) keyring() (access.Keyring, error) {
	st, err := s.get()
	if err != nil {
		return nil, err
	}
	kr, ok := st.(access.Keyring)
	if !ok {
		return nil, fmt.Errorf("%w: %T keeps no keys", geo.ErrUnavailable, st)
	}
	return kr, nil
}

func (s *Store) AddKey(ctx context.Context, k access.Key) error {
	kr, err := s.keyring()
	if err != nil {
		return err
	}
	return kr.AddKey(ctx, k)
}

func (s *Store) Keys(ctx context.Context) ([]access.Key, error) {
	kr, err := s.keyring()
	if err != nil {
		return nil, err
	}
	return kr.Keys(ctx)
}

func (s *Store) RevokeKey(ctx context.Context, id string) error {
	kr, err := s.keyring()
	if err != nil {
		return err
	}
	return kr.RevokeKey(ctx, id)
}

func (s *Store) Audit(ctx context.Context, entries ...access.Entry) error {
	kr, err := s.keyring()
	if err != nil {
		return err
	}
	return kr.Audit(ctx, entries...)
}

func (s *Store) AuditLog(ctx context.Context, since time.Time) ([]access.Entry, error) {
	kr, err := s.keyring()
	if err != nil {
		return nil, err
	}
	return kr.AuditLog(ctx, since)
}
