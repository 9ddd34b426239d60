package analysis

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
)

func TestParallel(t *testing.T) {
	var ran, most, now atomic.Int32
	job := func(context.Context) error {
		n := now.Add(1)
		for {
			m := most.Load()
			if n <= m || most.CompareAndSwap(m, n) {
				break
			}
		}
		ran.Add(1)
		now.Add(-1)
		return nil
	}
	jobs := make([]func(context.Context) error, 20)
	for i := range jobs {
		jobs[i] = job
	}
	if err := parallel(t.Context(), jobs...); err != nil || ran.Load() != 20 || most.Load() > maxParallel {
		t.Errorf("err %v, ran %d, at most %d at once", err, ran.Load(), most.Load())
	}
	boom := errors.New("boom")
	err := parallel(t.Context(),
		func(context.Context) error { return boom },
		func(ctx context.Context) error { <-ctx.Done(); return ctx.Err() },
	)
	if !errors.Is(err, boom) && !errors.Is(err, context.Canceled) {
		t.Errorf("err %v", err)
	}
	if err := parallel(t.Context()); err != nil {
		t.Errorf("no jobs: %v", err)
	}
}
