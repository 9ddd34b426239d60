package pending

import (
	"context"
	"errors"
	"log/slog"
	"sync/atomic"
	"testing"
	"time"

	"github.com/leicester-csp/hotspot/geo"
	"github.com/leicester-csp/hotspot/geo/store/embedded"
)

func TestOpensWhenAvailable(t *testing.T) {
	dir := t.TempDir()
	var up atomic.Bool
	down := errors.New("connection refused")
	s := Open(func(ctx context.Context) (geo.Store, error) {
		if !up.Load() {
			return nil, down
		}
		return embedded.Open(ctx, dir, embedded.Options{})
	}, 10*time.Millisecond, slog.New(slog.DiscardHandler))
	defer s.Close()

	time.Sleep(30 * time.Millisecond)
	if err := s.Ready(t.Context()); !errors.Is(err, geo.ErrUnavailable) {
		t.Fatalf("Ready while down = %v, want ErrUnavailable", err)
	}
	if _, err := s.Months(t.Context()); !errors.Is(err, geo.ErrUnavailable) {
		t.Fatalf("Months while down = %v, want ErrUnavailable", err)
	}
	up.Store(true)
	deadline := time.Now().Add(5 * time.Second)
	for s.Ready(t.Context()) != nil {
		if time.Now().After(deadline) {
			t.Fatal("store never became ready")
		}
		time.Sleep(5 * time.Millisecond)
	}
	if _, err := s.Months(t.Context()); err != nil {
		t.Errorf("Months once open: %v", err)
	}
}

func TestCloseWhileRetrying(t *testing.T) {
	s := Open(func(context.Context) (geo.Store, error) { return nil, errors.New("down") }, time.Hour, slog.New(slog.DiscardHandler))
	done := make(chan error)
	go func() { done <- s.Close() }()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("Close: %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Close hangs while the store is being retried")
	}
}
