package api

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/leicester-csp/hotspot/geo/layer"
)

func TestCaching(t *testing.T) {
	f := newFixture(t)
	const target = "/api/v1/hotspots/hex?priority=asb&res=8"
	first, body := f.get(t, target)
	tag := first.Header.Get("ETag")
	if !strings.HasPrefix(tag, `"`) || !strings.HasSuffix(tag, `"`) || strings.HasPrefix(tag, "W/") {
		t.Fatalf("ETag %q is not a strong quoted tag", tag)
	}
	for h, want := range map[string]string{"Cache-Control": "no-cache", "Vary": "Accept, Accept-Encoding", "Access-Control-Allow-Origin": "*"} {
		if got := first.Header.Get(h); got != want {
			t.Errorf("%s = %q, want %q", h, got, want)
		}
	}

	tests := []struct {
		name, target, ifNoneMatch string
		status                    int
	}{
		{"match", target, tag, http.StatusNotModified},
		{"match among others", target, `"other", ` + tag, http.StatusNotModified},
		{"weak form matches", target, "W/" + tag, http.StatusNotModified},
		{"star", target, "*", http.StatusNotModified},
		{"stale tag", target, `"stale"`, http.StatusOK},
		{"parameter order is canonical", "/api/v1/hotspots/hex?res=8&priority=asb", tag, http.StatusNotModified},
		{"other query", "/api/v1/hotspots/hex?priority=asb&res=7", tag, http.StatusOK},
		{"other route", "/api/v1/hotspots/wards?priority=asb", tag, http.StatusOK},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			resp, b := f.get(t, tc.target, "If-None-Match", tc.ifNoneMatch)
			if resp.StatusCode != tc.status {
				t.Fatalf("status %d, want %d", resp.StatusCode, tc.status)
			}
			if tc.status == http.StatusNotModified && (len(b) != 0 || resp.Header.Get("ETag") != tag) {
				t.Errorf("304 with body %q, ETag %q", b, resp.Header.Get("ETag"))
			}
		})
	}

	// A repeat without If-None-Match comes from the body cache: same bytes.
	if _, again := f.get(t, target); !bytes.Equal(again, body) {
		t.Error("repeated answer differs")
	}

	// An import changes the version, hence the ETag.
	if _, err := f.store.Import(t.Context(), populationOnly()); err != nil {
		t.Fatal(err)
	}
	if resp, _ := f.get(t, target, "If-None-Match", tag); resp.StatusCode != http.StatusOK || resp.Header.Get("ETag") == tag {
		t.Errorf("after an import: status %d ETag %q, want 200 and a new ETag", resp.StatusCode, resp.Header.Get("ETag"))
	}

	// The synthetic flag is part of the answer, so of the ETag.
	synth := newFixture(t, func(c *Config) { c.Synthetic = func(context.Context) bool { return true } })
	resp, b := synth.get(t, "/api/v1/hotspots/wards")
	var fc struct{ Hotspot layer.Provenance }
	if err := json.Unmarshal(b, &fc); err != nil || !fc.Hotspot.Synthetic || fc.Hotspot.GeneratedFrom != layer.SourceSynthetic {
		t.Errorf("synthetic meta %+v (%v)", fc.Hotspot, err)
	}
	if resp.Header.Get("ETag") == "" {
		t.Error("no ETag")
	}
}

func TestGzipAndHead(t *testing.T) {
	for _, cacheBytes := range []int64{0, -1} {
		f := newFixture(t, func(c *Config) { c.CacheBytes = cacheBytes })
		for _, target := range []string{"/api/v1/hotspots/hex", "/api/v1/hotspots/wards", "/api/v1/incidents", "/api/v1/series", "/api/v1/meta", "/api/v1/priorities"} {
			plain, identity := f.get(t, target)
			if plain.Header.Get("Content-Encoding") != "" {
				t.Fatalf("%s: encoded without Accept-Encoding", target)
			}
			// Twice: the second answer may come from the cache.
			for range 2 {
				zresp, zbody := f.get(t, target, "Accept-Encoding", "br;q=1.0, gzip;q=0.8")
				if zresp.Header.Get("Content-Encoding") != "gzip" || !strings.HasSuffix(zresp.Header.Get("Vary"), "Accept-Encoding") {
					t.Fatalf("%s: Content-Encoding %q Vary %q", target, zresp.Header.Get("Content-Encoding"), zresp.Header.Get("Vary"))
				}
				if zresp.Header.Get("ETag") == plain.Header.Get("ETag") {
					t.Errorf("%s: gzip and identity bytes share a strong ETag", target)
				}
				zr, err := gzip.NewReader(bytes.NewReader(zbody))
				if err != nil {
					t.Fatal(err)
				}
				got, err := io.ReadAll(zr)
				if err != nil || !bytes.Equal(got, identity) {
					t.Fatalf("%s: gunzipped answer differs from identity (%v)", target, err)
				}
				// Only the tag of the encoding being sent revalidates: a
				// client holding the identity bytes gets the gzip bytes.
				if r, _ := f.get(t, target, "If-None-Match", plain.Header.Get("ETag"), "Accept-Encoding", "gzip"); r.StatusCode != http.StatusOK {
					t.Errorf("%s: identity ETag with gzip: %d, want 200", target, r.StatusCode)
				}
				if r, _ := f.get(t, target, "If-None-Match", zresp.Header.Get("ETag"), "Accept-Encoding", "gzip"); r.StatusCode != http.StatusNotModified {
					t.Errorf("%s: gzip ETag with gzip: %d, want 304", target, r.StatusCode)
				}
			}
			if r, _ := f.get(t, target, "Accept-Encoding", "gzip;q=0, identity"); r.Header.Get("Content-Encoding") != "" {
				t.Errorf("%s: gzip;q=0 answered gzip", target)
			}

			head := f.do(t, http.MethodHead, target)
			hb, _ := io.ReadAll(head.Body)
			if head.StatusCode != http.StatusOK || len(hb) != 0 {
				t.Errorf("HEAD %s: %d with %d bytes", target, head.StatusCode, len(hb))
			}
			for _, h := range []string{"Content-Type", "ETag", "Content-Length"} {
				if head.Header.Get(h) != plain.Header.Get(h) {
					t.Errorf("HEAD %s: %s %q, GET has %q", target, h, head.Header.Get(h), plain.Header.Get(h))
				}
			}
		}
	}
}

// TestEncodingStopsWithItsClient: an answer being encoded for a client
// that has gone fails at the next write instead of running to the end.
func TestEncodingStopsWithItsClient(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	var buf bytes.Buffer
	w := ctxWriter{ctx, &buf}
	if _, err := w.Write([]byte("first")); err != nil {
		t.Fatal(err)
	}
	cancel()
	if n, err := w.Write([]byte("second")); !errors.Is(err, context.Canceled) || n != 0 {
		t.Errorf("write after the client left: %d, %v; want 0, context.Canceled", n, err)
	}
	if buf.String() != "first" {
		t.Errorf("buffer %q", buf.String())
	}
}

// An entry keeps its body and headers whether the body's buffer had room
// for the headers (kept in place) or not (copied), and one with far more
// room than it needs is copied so that the cache holds no spare megabytes.
func TestAnswerCacheEntry(t *testing.T) {
	c := newAnswerCache(1 << 20)
	h := http.Header{"X-Total-Count": {"12"}, "Link": {`<?after=x>; rel="next"`}}
	roomy := make([]byte, 0, 200)
	for name, b := range map[string][]byte{
		"exact":  []byte(`{"a":1}`),
		"roomy":  append(roomy, `{"b":2}`...),
		"sparse": append(make([]byte, 0, 64<<10), `{"c":3}`...),
	} {
		want := string(b)
		c.put(name, b, h)
		got, gh, ok := c.get(name)
		if !ok || string(got) != want || gh.Get("X-Total-Count") != "12" || gh.Get("Link") != h.Get("Link") {
			t.Errorf("%s: got %q %v %v", name, got, gh, ok)
		}
		if e, _ := c.lru.Get(name); name == "sparse" && cap(e) > 1024 {
			t.Errorf("sparse entry kept %d bytes of room", cap(e))
		}
	}
	c.put("bare", []byte("x"), nil)
	if got, gh, ok := c.get("bare"); !ok || string(got) != "x" || gh != nil {
		t.Errorf("bare: got %q %v %v", got, gh, ok)
	}
	// The next buffer of a route is made at about its latest answer.
	c.sized("hex", 100_000)
	if b := c.newBuffer("hex"); b.Cap() < 100_000 {
		t.Errorf("buffer of %d bytes for a 100,000-byte route", b.Cap())
	}
}

// Answers are built in buffers recycled from earlier answers that the
// cache did not keep. An answer the cache holds must never be built over,
// and no answer may carry bytes of another: the same requests, over and
// over from several clients at once, give the same bytes each time, with
// the cache holding answers in place, copying them (too little room), or
// holding none.
func TestRecycledAnswerBuffers(t *testing.T) {
	targets := []string{
		"/api/v1/hotspots/hex?priority=asb&res=8",
		"/api/v1/hotspots/hex?priority=asb&res=9",
		"/api/v1/hotspots/wards?priority=asb",
		"/api/v1/hotspots/hex?priority=retail-crime&res=7",
		"/api/v1/hotspots/wards?priority=retail-crime&format=csv",
	}
	for name, budget := range map[string]int64{"a cache": 0, "a small cache": 64 << 10, "no cache": -1} {
		t.Run(name, func(t *testing.T) {
			f := newFixture(t, func(c *Config) { c.CacheBytes = budget })
			want := map[string]string{}
			for _, tg := range targets {
				resp, b := f.get(t, tg)
				if resp.StatusCode != http.StatusOK {
					t.Fatalf("%s: %d %s", tg, resp.StatusCode, b)
				}
				want[tg] = string(b)
			}
			var wg sync.WaitGroup
			for client := range 4 {
				wg.Go(func() {
					for round := range 6 {
						tg := targets[(client+round)%len(targets)]
						w := httptest.NewRecorder()
						r := httptest.NewRequest(http.MethodGet, tg, nil)
						if round%2 == 1 {
							r.Header.Set("Accept-Encoding", "gzip")
						}
						f.srv.ServeHTTP(w, r)
						got := w.Body.String()
						if w.Header().Get("Content-Encoding") == "gzip" {
							got = gunzip(t, w.Body.Bytes())
						}
						if got != want[tg] {
							t.Errorf("%s, round %d: the answer differs from the first (%d bytes, want %d)", tg, round, len(got), len(want[tg]))
						}
					}
				})
			}
			wg.Wait()
		})
	}
}

func gunzip(t *testing.T, b []byte) string {
	zr, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		t.Error(err)
		return ""
	}
	out, err := io.ReadAll(zr)
	if err != nil {
		t.Error(err)
	}
	return string(out)
}
