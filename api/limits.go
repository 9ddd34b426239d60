package api

import (
	"context"
	"fmt"
	"io"
	"math"
	"net/http"
	"net/netip"
	"strconv"
	"sync"
	"time"

	"github.com/leicester-csp/hotspot/geo/layer"
)

// Limits on what one server does at once and one client may ask for
// (DESIGN.md, "Access", Limits): analyses beyond MaxInflight are refused
// with a 503 rather than queued, and a client beyond its rate with a 429,
// both saying when to try again.

// limitError is a request refused for load, not for what it asks: the
// answer carries Retry-After.
type limitError struct {
	status     int
	retryAfter int // seconds
	msg        string
}

func (e *limitError) Error() string { return e.msg }

// writeLimitError answers a refusal for load.
func writeLimitError(w http.ResponseWriter, e *limitError) {
	w.Header().Set("Retry-After", strconv.Itoa(e.retryAfter))
	writeJSONError(w, e.status, errorBody{Error: e.msg})
}

// inflight bounds the analyses running at once: a slot is taken without
// waiting, or the request is refused. A nil inflight is no bound.
type inflight chan struct{}

func newInflight(n int) inflight {
	if n <= 0 {
		return nil
	}
	return make(inflight, n)
}

// acquire takes a slot; the caller calls the returned release once done.
func (sem inflight) acquire() (release func(), err error) {
	if sem == nil {
		return func() {}, nil
	}
	select {
	case sem <- struct{}{}:
		return func() { <-sem }, nil
	default:
		return nil, &limitError{status: http.StatusServiceUnavailable, retryAfter: 1,
			msg: fmt.Sprintf("the server is busy (%d analyses running): try again shortly", cap(sem))}
	}
}

// analysis wraps an answer's work so that it runs only in a slot. Cached
// answers and 304s never reach the work, so they are never refused.
func (s *Server) analysis(build bodyFunc) bodyFunc {
	return func(ctx context.Context, p *params, w io.Writer, h http.Header, src layer.Source) error {
		mine, err := s.clientSlots.take(clientOf(ctx))
		if err != nil {
			return err
		}
		defer mine()
		release, err := s.inflight.acquire()
		if err != nil {
			return err
		}
		defer release()
		return build(ctx, p, w, h, src)
	}
}

// Rate limiting: a token bucket per client address.

const (
	// maxClients caps the bucket table: beyond it an arbitrary client's
	// bucket is dropped (it starts again full, which only favours it).
	maxClients = 10000
)

type bucket struct {
	tokens float64
	last   time.Time
}

// rateLimiter holds one token bucket per client key. A bucket left idle
// long enough to refill is the same as a new one, so it is dropped.
type rateLimiter struct {
	rate  float64 // tokens a second
	burst float64
	max   int // buckets kept at most
	now   func() time.Time

	mu        sync.Mutex
	buckets   map[string]*bucket
	lastSweep time.Time
}

// newRateLimiter returns nil (no limit) for a rate of zero or less; a
// burst of zero or less is twice the rate (at least one).
func newRateLimiter(rate float64, burst int) *rateLimiter {
	if rate <= 0 || math.IsNaN(rate) || math.IsInf(rate, 0) {
		return nil
	}
	b := float64(burst)
	if burst <= 0 {
		b = math.Max(1, math.Ceil(2*rate))
	}
	return &rateLimiter{rate: rate, burst: b, max: maxClients, now: time.Now, buckets: map[string]*bucket{}}
}

// idle is how long a bucket takes to refill from empty.
func (l *rateLimiter) idle() time.Duration {
	return time.Duration(l.burst / l.rate * float64(time.Second))
}

// allow spends a token of key's bucket; when there is none it says how
// many whole seconds until there is.
func (l *rateLimiter) allow(key string) (ok bool, retryAfter int) {
	now := l.now()
	l.mu.Lock()
	defer l.mu.Unlock()
	b, found := l.buckets[key]
	if !found {
		l.makeRoom(now)
		b = &bucket{tokens: l.burst, last: now}
		l.buckets[key] = b
	}
	if d := now.Sub(b.last); d > 0 {
		b.tokens = math.Min(l.burst, b.tokens+d.Seconds()*l.rate)
	}
	b.last = now
	if b.tokens >= 1 {
		b.tokens--
		return true, 0
	}
	return false, max(1, int(math.Ceil((1-b.tokens)/l.rate)))
}

// makeRoom drops idle buckets (at most once per refill period, or when
// the table is full) and, if the table is still full, an arbitrary one.
func (l *rateLimiter) makeRoom(now time.Time) {
	idle := l.idle()
	if len(l.buckets) >= l.max || now.Sub(l.lastSweep) >= idle {
		l.lastSweep = now
		for k, b := range l.buckets {
			if now.Sub(b.last) >= idle {
				delete(l.buckets, k)
			}
		}
	}
	for k := range l.buckets {
		if len(l.buckets) < l.max {
			break
		}
		delete(l.buckets, k)
	}
}

// size is how many buckets are kept.
func (l *rateLimiter) size() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.buckets)
}

// rateKey is what a client is counted by: its address, or for IPv6 its
// /64, which one subscriber usually holds whole.
func rateKey(ip netip.Addr) string {
	ip = ip.Unmap()
	if ip.Is6() {
		p, _ := ip.Prefix(64)
		return p.String()
	}
	return ip.String()
}

// limitRate refuses a client's request beyond its rate with a 429.
// Health probes are never refused.
// The client is also noted in the context, for its share of the
// analysis slots (clientSlots).
func (s *Server) limitRate(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/healthz" || r.URL.Path == "/readyz" {
			next.ServeHTTP(w, r)
			return
		}
		// A valid key is its own client wherever it calls from; anyone
		// else, a bad key included, counts against their address.
		client, who := "", "this address"
		if c := callerOf(r.Context()); c.keyID != "" {
			client, who = "key:"+c.keyID, "this key"
		} else if ip, ok := s.proxies.clientIP(r); ok {
			client = rateKey(ip)
		} else {
			next.ServeHTTP(w, r) // no address to count by (not over TCP)
			return
		}
		r = r.WithContext(withClient(r.Context(), client))
		if s.rate == nil {
			next.ServeHTTP(w, r)
			return
		}
		if allowed, after := s.rate.allow(client); !allowed {
			writeLimitError(w, &limitError{status: http.StatusTooManyRequests, retryAfter: after,
				msg: "too many requests from " + who + ": slow down"})
			return
		}
		next.ServeHTTP(w, r)
	})
}
