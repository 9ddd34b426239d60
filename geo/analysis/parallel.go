package analysis

import (
	"context"
	"sync"
)

// maxParallel bounds the store reads one answer runs at once: enough to
// overlap a database's round trips, few enough to leave connections for
// other requests.
const maxParallel = 4

// parallel runs the jobs at most maxParallel at a time and returns the
// first error; the others' context is cancelled once one fails.
func parallel(ctx context.Context, jobs ...func(context.Context) error) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var (
		wg    sync.WaitGroup
		once  sync.Once
		first error
		slots = make(chan struct{}, maxParallel)
	)
	for _, job := range jobs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			slots <- struct{}{}
			defer func() { <-slots }()
			if err := job(ctx); err != nil {
				once.Do(func() { first = err; cancel() })
			}
		}()
	}
	wg.Wait()
	return first
}
