package api

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"
	"time"
)

// doFrom runs one GET from the given peer address.
func (f *fixture) doFrom(tb testing.TB, remote, target string, headers ...string) *httptest.ResponseRecorder {
	tb.Helper()
	req := httptest.NewRequestWithContext(tb.Context(), http.MethodGet, target, nil)
	req.RemoteAddr = remote
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	rec := httptest.NewRecorder()
	f.srv.ServeHTTP(rec, req)
	return rec
}

// checkRefusal checks a refusal for load: the status, a Retry-After of
// whole seconds, and the usual JSON error body.
func checkRefusal(t *testing.T, rec *httptest.ResponseRecorder, status int) {
	t.Helper()
	if rec.Code != status {
		t.Fatalf("status %d, want %d: %s", rec.Code, status, rec.Body)
	}
	if n, err := strconv.Atoi(rec.Header().Get("Retry-After")); err != nil || n < 1 {
		t.Errorf("Retry-After %q, want whole seconds", rec.Header().Get("Retry-After"))
	}
	var body errorBody
	if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil || body.Error == "" || body.Param != "" {
		t.Errorf("body %s: want {\"error\": …}", rec.Body)
	}
	if ct := rec.Header().Get("Content-Type"); ct != contentJSON {
		t.Errorf("Content-Type %q", ct)
	}
}

func TestMaxInflight(t *testing.T) {
	web := http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write([]byte("<html></html>")) })
	f := newFixture(t, func(c *Config) { c.MaxInflight = 2; c.Web = web })
	const peer = "192.0.2.7:4000"
	// Answers computed while the server is idle: cached from now on.
	warm := f.doFrom(t, peer, "/api/v1/hotspots/hex?res=9")
	if warm.Code != http.StatusOK {
		t.Fatalf("hex: %d %s", warm.Code, warm.Body)
	}
	etag := warm.Header().Get("ETag")
	if rec := f.doFrom(t, peer, "/tiles/hex/14/8140/5390.mvt"); rec.Code != http.StatusOK {
		t.Fatalf("tile: %d %s", rec.Code, rec.Body)
	}
	// Every slot taken.
	for range cap(f.srv.inflight) {
		f.srv.inflight <- struct{}{}
	}
	defer func() {
		for range cap(f.srv.inflight) {
			<-f.srv.inflight
		}
	}()
	for _, target := range []string{
		"/api/v1/hotspots/hex?res=8",
		"/api/v1/hotspots/wards",
		"/api/v1/incidents?limit=3",
		"/api/v1/series?ward=" + codeCastle,
		"/api/v1/outcomes",
		"/tiles/hex/14/8141/5390.mvt",
		"/ogc/collections/incidents/items?limit=2",
		"/ogc/collections/wards/items/" + codeCastle,
	} {
		t.Run("refused "+target, func(t *testing.T) {
			checkRefusal(t, f.doFrom(t, peer, target), http.StatusServiceUnavailable)
		})
	}
	for _, c := range []struct {
		target  string
		headers []string
		want    int
	}{
		{"/healthz", nil, http.StatusOK},
		{"/readyz", nil, http.StatusOK},
		{"/api/v1/meta", nil, http.StatusOK},
		{"/api/v1/priorities", nil, http.StatusOK},
		{"/api/v1/hotspots/hex?res=9", nil, http.StatusOK},                                      // cached
		{"/api/v1/hotspots/hex?res=9", []string{"If-None-Match", etag}, http.StatusNotModified}, // 304
		{"/tiles/hex/14/8140/5390.mvt", nil, http.StatusOK},                                     // cached tile
		{"/tiles/hex.json", nil, http.StatusOK},
		{"/ogc/collections", nil, http.StatusOK},
		{"/", nil, http.StatusOK}, // web assets
		{"/app.js", nil, http.StatusOK},
		{"/api/v1/hotspots/hex?res=99", nil, http.StatusBadRequest}, // refused before any work
	} {
		t.Run("served "+c.target, func(t *testing.T) {
			if rec := f.doFrom(t, peer, c.target, c.headers...); rec.Code != c.want {
				t.Errorf("status %d, want %d: %.200s", rec.Code, c.want, rec.Body)
			}
		})
	}
}

func TestInflightReleases(t *testing.T) {
	f := newFixture(t, func(c *Config) { c.MaxInflight = 1 })
	// One slot, used and given back by each answer in turn.
	for i := range 4 {
		target := fmt.Sprintf("/api/v1/incidents?limit=%d", i+1)
		if rec := f.doFrom(t, "192.0.2.7:4000", target); rec.Code != http.StatusOK {
			t.Fatalf("%s: %d %s", target, rec.Code, rec.Body)
		}
	}
	if n := len(f.srv.inflight); n != 0 {
		t.Errorf("%d slots still held", n)
	}
}

func TestRateLimit(t *testing.T) {
	f := newFixture(t, func(c *Config) { c.RateLimit = 1; c.RateBurst = 3 })
	steps := []struct {
		remote, target string
		want           int
	}{
		{"192.0.2.1:1000", "/api/v1/meta", http.StatusOK},
		{"192.0.2.1:1001", "/api/v1/meta", http.StatusOK}, // another port, same client
		{"192.0.2.1:1002", "/api/v1/priorities", http.StatusOK},
		{"192.0.2.1:1003", "/api/v1/meta", http.StatusTooManyRequests},
		{"192.0.2.1:1003", "/no/such/path", http.StatusTooManyRequests},
		{"192.0.2.1:1003", "/healthz", http.StatusOK}, // probes exempt
		{"192.0.2.1:1003", "/readyz", http.StatusOK},
		{"192.0.2.2:1000", "/api/v1/meta", http.StatusOK}, // another client unaffected
		{"[2001:db8::1]:1000", "/api/v1/meta", http.StatusOK},
		{"[2001:db8::2]:1000", "/api/v1/meta", http.StatusOK},
		{"[2001:db8::3]:1000", "/api/v1/meta", http.StatusOK},
		{"[2001:db8::4]:1000", "/api/v1/meta", http.StatusTooManyRequests}, // one /64
		{"[2001:db8:0:1::1]:1000", "/api/v1/meta", http.StatusOK},
	}
	for i, s := range steps {
		rec := f.doFrom(t, s.remote, s.target)
		if s.want == http.StatusTooManyRequests {
			checkRefusal(t, rec, s.want)
		} else if rec.Code != s.want {
			t.Errorf("step %d: %s from %s: %d, want %d", i, s.target, s.remote, rec.Code, s.want)
		}
	}
}

func TestRateLimiterBuckets(t *testing.T) {
	clock := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	l := newRateLimiter(10, 20)
	l.now = func() time.Time { return clock }
	l.max = 100
	// A flood of distinct addresses never holds more than the cap.
	for i := range 1000 {
		if ok, _ := l.allow(fmt.Sprintf("198.51.100.%d/%d", i%256, i)); !ok {
			t.Fatalf("new client %d refused", i)
		}
		if n := l.size(); n > l.max {
			t.Fatalf("after %d clients the table holds %d, over %d", i+1, n, l.max)
		}
	}
	// A client that spends its burst waits, and is told how long.
	for range 20 {
		l.allow("a")
	}
	if ok, after := l.allow("a"); ok || after != 1 {
		t.Errorf("after the burst: ok %v retry after %d, want refused, 1", ok, after)
	}
	clock = clock.Add(200 * time.Millisecond) // two tokens back
	for i, want := range []bool{true, true, false} {
		if ok, _ := l.allow("a"); ok != want {
			t.Errorf("refill request %d: %v, want %v", i, ok, want)
		}
	}
	// Once every bucket is idle long enough to refill, a sweep drops them.
	clock = clock.Add(l.idle())
	l.allow("b")
	if n := l.size(); n != 1 {
		t.Errorf("after idling the table holds %d, want 1", n)
	}
	if newRateLimiter(0, 100) != nil || newRateLimiter(-1, 0) != nil {
		t.Error("a rate of 0 or less must disable the limit")
	}
	if l := newRateLimiter(50, 0); l.burst != 100 {
		t.Errorf("default burst %v, want 100", l.burst)
	}
}

// One client cannot hold every analysis slot: past its share it gets a
// 429, while another client still finds a slot.
func TestClientShareOfInflight(t *testing.T) {
	for _, tc := range []struct{ inflight, share int }{{1, 1}, {2, 1}, {4, 3}, {8, 6}, {16, 12}} {
		if got := newClientSlots(tc.inflight).max; got != tc.share {
			t.Errorf("max-inflight %d: share %d, want %d", tc.inflight, got, tc.share)
		}
	}
	if newClientSlots(0) != nil {
		t.Error("unbounded slots have a share")
	}
	f := newFixture(t, func(c *Config) { c.MaxInflight = 4 })
	greedy, other := "192.0.2.7:4000", "198.51.100.9:4000"
	// The greedy client holds its whole share (3 of 4 slots).
	var releases []func()
	for range 3 {
		r, err := f.srv.clientSlots.take("192.0.2.7")
		if err != nil {
			t.Fatal(err)
		}
		releases = append(releases, r)
	}
	checkRefusal(t, f.doFrom(t, greedy, "/api/v1/hotspots/hex?res=8"), http.StatusTooManyRequests)
	if rec := f.doFrom(t, other, "/api/v1/hotspots/hex?res=8"); rec.Code != http.StatusOK {
		t.Errorf("another client: %d %s", rec.Code, rec.Body)
	}
	for _, r := range releases {
		r()
	}
	if rec := f.doFrom(t, greedy, "/api/v1/hotspots/hex?res=7"); rec.Code != http.StatusOK {
		t.Errorf("the greedy client once its slots are back: %d %s", rec.Code, rec.Body)
	}
	if n := len(f.srv.clientSlots.held); n != 0 {
		t.Errorf("%d clients still hold slots", n)
	}
}
