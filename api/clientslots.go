package api

import (
	"context"
	"fmt"
	"net/http"
	"sync"
)

// clientSlots caps one client's share of the analysis slots. Without it
// one client's expensive requests (a permutation test at res 10, say)
// could hold every slot, and everyone else would be turned away with a
// 503 until they finished: a client past its share gets a 429 instead.
type clientSlots struct {
	max  int // slots one client may hold
	mu   sync.Mutex
	held map[string]int
}

// newClientSlots keeps a quarter of the slots (at least one) out of any
// one client's reach, so others always have some; nil when the slots are
// unbounded. The share stays wide because one address may be a whole
// office behind NAT, and the map asks for several answers at once.
func newClientSlots(inflight int) *clientSlots {
	if inflight <= 0 {
		return nil
	}
	return &clientSlots{max: max(1, inflight-max(1, inflight/4)), held: map[string]int{}}
}

// take counts a slot against client, or refuses one past its share. The
// map holds only clients with a slot, so it is bounded by the slots.
func (c *clientSlots) take(client string) (release func(), err error) {
	if c == nil || client == "" {
		return func() {}, nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.held[client] >= c.max {
		return nil, &limitError{status: http.StatusTooManyRequests, retryAfter: 1,
			msg: fmt.Sprintf("this client already has %d analyses running (its share of the server): wait for one to finish", c.max)}
	}
	c.held[client]++
	return func() {
		c.mu.Lock()
		defer c.mu.Unlock()
		if c.held[client]--; c.held[client] <= 0 {
			delete(c.held, client)
		}
	}, nil
}

type clientKey struct{}

// withClient records who the rate limiter counts a request against (a
// key, or an address), for the analysis slots' shares.
func withClient(ctx context.Context, client string) context.Context {
	return context.WithValue(ctx, clientKey{}, client)
}

func clientOf(ctx context.Context) string {
	c, _ := ctx.Value(clientKey{}).(string)
	return c
}
