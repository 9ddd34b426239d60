package api

import (
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/maptile"

	"github.com/leicester-csp/hotspot/geo"
	"github.com/leicester-csp/hotspot/geo/analysis"
	"github.com/leicester-csp/hotspot/geo/ingest"
	"github.com/leicester-csp/hotspot/geo/store/embedded"
	"github.com/leicester-csp/hotspot/internal/shareddata"
)

// reportPercentiles reports the median and the 95th percentile of times
// in ms (of 20 requests, the 95th is the slowest).
func reportPercentiles(b *testing.B, times []time.Duration) {
	slices.Sort(times)
	at := func(q int) float64 {
		return float64(times[min(len(times)-1, len(times)*q/100)].Microseconds()) / 1000
	}
	b.ReportMetric(at(50), "p50-ms")
	b.ReportMetric(at(95), "p95-ms")
}

// sinkWriter is a ResponseWriter that counts the body and keeps only its
// first bytes (for a failure's message).
type sinkWriter struct {
	header http.Header
	code   int
	n      int
	start  []byte
}

func (w *sinkWriter) Header() http.Header { return w.header }

func (w *sinkWriter) WriteHeader(code int) {
	if w.code == 0 {
		w.code = code
	}
}

func (w *sinkWriter) Write(p []byte) (int, error) {
	w.WriteHeader(http.StatusOK)
	if len(w.start) < 512 {
		w.start = append(w.start, p[:min(len(p), 512-len(w.start))]...)
	}
	w.n += len(p)
	return len(p), nil
}

// benchRequest serves target repeatedly and reports the 95th percentile
// latency in ms beside the mean, since a map user waits for the slow
// requests, not the average one.
func benchRequest(b *testing.B, srv http.Handler, target string, headers ...string) {
	b.Helper()
	req := httptest.NewRequest(http.MethodGet, target, nil)
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	var times []time.Duration
	var size int
	b.ReportAllocs()
	for b.Loop() {
		// A socket takes the body as it is written; a growing recorder
		// would add its own copies (a tenth of a 7.5 MB answer's time).
		rec := &sinkWriter{header: http.Header{}}
		start := time.Now()
		srv.ServeHTTP(rec, req)
		times = append(times, time.Since(start))
		if rec.code != http.StatusOK && rec.code != http.StatusNotModified {
			b.Fatalf("GET %s: %d %s", target, rec.code, rec.start)
		}
		size = rec.n
	}
	reportPercentiles(b, times)
	b.ReportMetric(float64(size), "bytes/answer")
}

// sharedStore imports the 22 shared months with the wards into a
// temporary embedded store, skipping without the shared data.
func sharedStore(b *testing.B) *embedded.Store {
	b.Helper()
	data := shareddata.Dir(b)
	st, err := embedded.Open(b.Context(), b.TempDir(), embedded.Options{})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { st.Close() })
	if _, err := ingest.Run(b.Context(), st, ingest.Options{
		Paths:      []string{filepath.Join(data, "police_leicestershire_street")},
		Boundaries: []string{filepath.Join(data, "boundaries_leicester", "leicester_wards_WD20_BGC.geojson")},
	}); err != nil {
		b.Fatal(err)
	}
	return st
}

// BenchmarkHex measures the hex layer over the small fixture with the
// body cache off, so each request does the work.
func BenchmarkHex(b *testing.B) {
	f := newFixture(b, func(c *Config) { c.CacheBytes = -1 })
	benchRequest(b, f.srv, "/api/v1/hotspots/hex?res=10&k=3&from=2022-12")
}

// BenchmarkShared measures the requests a map user makes over the real
// Leicestershire data (22 months of police.uk street-level crime with the
// city's wards). "cold" servers have no body cache, so the numbers are
// the work; the analyzer's per-version ward fills stay warm, as they do
// in a running server after its first request.
func BenchmarkShared(b *testing.B) {
	st := sharedStore(b)
	an := analysis.New(st, geo.BuiltinPriorities())
	cold := New(Config{Store: st, Analyzer: an, CacheBytes: -1})
	warm := New(Config{Store: st, Analyzer: an})

	const (
		hex9  = "/api/v1/hotspots/hex?priority=asb&res=9&k=1"
		hex10 = "/api/v1/hotspots/hex?priority=asb&res=10&k=3"
		wards = "/api/v1/hotspots/wards?priority=asb"
		incs  = "/api/v1/incidents?priority=asb&limit=10000"
		reps  = "/api/v1/repeats/locations?priority=retail-crime"
		outs  = "/api/v1/outcomes?priority=asb"
		pts9  = "/api/v1/hotspots/hex?priority=asb&res=9&k=1&study=points"
		perm9 = "/api/v1/hotspots/hex?priority=asb&res=9&inference=permutation"
		per10 = "/api/v1/hotspots/hex?priority=asb&res=10&inference=permutation"
		scl10 = "/api/v1/scale?priority=asb&res=10&kmax=6"
		// 24 months: the 22 shared ones and the two before them.
		em9  = "/api/v1/hotspots/emerging?priority=asb&from=2022-11&to=2024-10&res=9"
		em10 = "/api/v1/hotspots/emerging?priority=asb&from=2022-11&to=2024-10&res=10"
		e10k = "/api/v1/hotspots/emerging?priority=asb&from=2022-11&to=2024-10&res=10&k=3"
		// Map points, and the incidents at the busiest retail one.
		ptsA   = "/api/v1/points?priority=asb"
		ptsR   = "/api/v1/points?priority=retail-crime"
		ptsAll = "/api/v1/points"
		atPt   = "/api/v1/incidents?priority=retail-crime&scope=area&limit=1000&at=-1.1334,52.6352"
	)
	// The ETag a client would hold after its first request.
	rec := httptest.NewRecorder()
	warm.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, hex9, nil))
	tag := rec.Header().Get("ETag")

	tests := []struct {
		name    string
		srv     http.Handler
		target  string
		headers []string
	}{
		{"hex-asb-res9-k1/cold", cold, hex9, nil},
		{"hex-asb-res9-k1/cold-gzip", cold, hex9, []string{"Accept-Encoding", "gzip"}},
		{"hex-asb-res10-k3/cold", cold, hex10, nil},
		{"hex-asb-res10-k3/cold-gzip", cold, hex10, []string{"Accept-Encoding", "gzip"}},
		{"wards-asb/cold", cold, wards, nil},
		{"incidents-asb-10000/cold", cold, incs, nil},
		{"repeats-retail/cold", cold, reps, nil},
		{"outcomes-asb/cold", cold, outs, nil},
		{"hex-asb-res9-k1-points/cold", cold, pts9, nil},
		{"hex-asb-res9-permutation/cold", cold, perm9, nil},
		{"hex-asb-res10-permutation/cold", cold, per10, nil},
		{"scale-asb-res10-kmax6/cold", cold, scl10, nil},
		{"emerging-asb-24m-res9/cold", cold, em9, nil},
		{"emerging-asb-24m-res10/cold", cold, em10, nil},
		{"emerging-asb-24m-res10-k3/cold", cold, e10k, nil},
		{"points-asb/cold", cold, ptsA, nil},
		{"points-retail/cold", cold, ptsR, nil},
		{"points-every-category/cold", cold, ptsAll, nil},
		{"incidents-at-a-point/cold", cold, atPt, nil},
		{"hex-asb-res9-k1/cached", warm, hex9, []string{"Accept-Encoding", "gzip"}},
		{"hex-asb-res9-k1/if-none-match", warm, hex9, []string{"If-None-Match", tag}},
	}
	for _, tc := range tests {
		b.Run(tc.name, func(b *testing.B) { benchRequest(b, tc.srv, tc.target, tc.headers...) })
	}
}

// BenchmarkSharedTiles measures hex tiles over Leicester city centre
// with the 22 shared months loaded: warm (tile cached), and cold (a fresh
// server for every request, so the hex statistics, their preparation for
// tiling and the encoding all run), plus a bounded load of mixed z12–z15
// tiles from 32 concurrent clients on loopback.
func BenchmarkSharedTiles(b *testing.B) {
	st := sharedStore(b)
	centre := orb.Point{-1.1335, 52.6345} // Leicester clock tower
	z14 := tileURLPath("hex", maptile.At(centre, 14)) + "?priority=asb"

	b.Run("hex-z14/warm", func(b *testing.B) {
		srv := New(Config{Store: st, Analyzer: analysis.New(st, geo.BuiltinPriorities())})
		benchRequest(b, srv, z14, "Accept-Encoding", "gzip")
	})
	// The analyzer lives as long as the server: its ward fills survive
	// imports. Cold is a tile of a filter not asked for before.
	an := analysis.New(st, geo.BuiltinPriorities())
	b.Run("hex-z14/cold", func(b *testing.B) { benchColdTile(b, st, an, z14) })
	b.Run("mixed-z12-z15/32-clients", func(b *testing.B) {
		benchTileLoad(b, New(Config{Store: st, Analyzer: analysis.New(st, geo.BuiltinPriorities())}), centre)
	})
}

// benchColdTile serves target from a new server each time, so that the
// hex statistics, their preparation for tiling and the encoding all run;
// the analyzer (with its ward fills, which outlive imports) is shared.
func benchColdTile(b *testing.B, st geo.Store, an *analysis.Analyzer, target string) {
	var times []time.Duration
	for b.Loop() {
		srv := New(Config{Store: st, Analyzer: an})
		req := httptest.NewRequest(http.MethodGet, target, nil)
		req.Header.Set("Accept-Encoding", "gzip")
		rec := httptest.NewRecorder()
		start := time.Now()
		srv.ServeHTTP(rec, req)
		times = append(times, time.Since(start))
		if rec.Code != 200 {
			b.Fatalf("%d %s", rec.Code, rec.Body)
		}
	}
	reportPercentiles(b, times)
}

// benchTileLoad runs a bounded load on loopback: 32 clients fetching hex
// tiles of three priorities at z12–z15 around centre (5×5 tiles a zoom),
// reporting requests per second.
func benchTileLoad(b *testing.B, h http.Handler, centre orb.Point) {
	srv := httptest.NewServer(h)
	defer srv.Close()
	var urls []string
	for z := 12; z <= 15; z++ {
		c := maptile.At(centre, maptile.Zoom(z))
		for dx := -2; dx <= 2; dx++ {
			for dy := -2; dy <= 2; dy++ {
				for _, q := range []string{"priority=asb", "priority=retail-crime", "priority=city-centre-violence"} {
					t := maptile.New(uint32(int(c.X)+dx), uint32(int(c.Y)+dy), c.Z)
					urls = append(urls, srv.URL+tileURLPath("hex", t)+"?"+q)
				}
			}
		}
	}
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}}
	var next atomic.Int64
	var wg sync.WaitGroup
	b.ResetTimer()
	start := time.Now()
	for range 32 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := next.Add(1) - 1
				if i >= int64(b.N) {
					return
				}
				req, _ := http.NewRequest(http.MethodGet, urls[int(i)%len(urls)], nil)
				req.Header.Set("Accept-Encoding", "gzip")
				resp, err := client.Do(req)
				if err != nil {
					b.Error(err)
					return
				}
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if resp.StatusCode != 200 {
					b.Errorf("%s: %d", req.URL, resp.StatusCode)
					return
				}
			}
		}()
	}
	wg.Wait()
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "req/s")
}
