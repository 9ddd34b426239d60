package api

import (
	"cmp"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/maptile"

	"github.com/leicester-csp/hotspot/geo"
	"github.com/leicester-csp/hotspot/geo/analysis"
)

// BenchmarkScalePages measures incident pages and incident tiles over the
// store BenchmarkScale reads (docs/benchmarks.md, "Keyset pages"): a page
// of 100 of every incident at depth 0, 1 M and 9 M by after= (and 1 M by
// offset, for comparison), and the z14 incident tile over the densest
// map point, cold (nothing cached) and warm.
func BenchmarkScalePages(b *testing.B) {
	ctx := b.Context()
	st, _ := scaleStore(b)
	ms, err := st.Months(ctx)
	if err != nil || len(ms) == 0 {
		b.Fatalf("months %v, %v", ms, err)
	}
	all := geo.Filter{Months: geo.MonthRange{From: ms[0], To: ms[len(ms)-1]}}
	list := "/api/v1/incidents?limit=100&from=" + ms[0].String() + "&to=" + ms[len(ms)-1].String()
	an := analysis.New(st, geo.BuiltinPriorities())
	cold := New(Config{Store: st, Analyzer: an, CacheBytes: -1})
	b.Run("page-depth-0/counted", func(b *testing.B) {
		// A fresh analyzer each time: the total is counted every time.
		var srvs []http.Handler
		for range 64 {
			srvs = append(srvs, New(Config{Store: st, Analyzer: analysis.New(st, geo.BuiltinPriorities()), CacheBytes: -1}))
		}
		i := 0
		benchEach(b, func() http.Handler { i++; return srvs[i%len(srvs)] }, list)
	})
	b.Run("page-depth-0/cold", func(b *testing.B) { benchRequest(b, cold, list) })
	for _, depth := range []int{1_000_000, 9_000_000} {
		p, err := st.Incidents(ctx, all, geo.PageRequest{Limit: 1, Offset: depth - 1, NoTotal: true})
		if err != nil {
			b.Fatalf("the incident at depth %d: %v", depth, err)
		}
		if len(p.Items) == 0 { // a smaller store (national shape, one year: 6 M)
			b.Logf("no incident at depth %d", depth)
			continue
		}
		after := encodeCursor(geo.KeyOf(&p.Items[0]), false)
		b.Run("page-after-"+millions(depth)+"/cold", func(b *testing.B) { benchRequest(b, cold, list+"&after="+after) })
	}
	b.Run("page-offset-1M/cold", func(b *testing.B) { benchRequest(b, cold, list+"&offset=1000000") })

	// HOTSPOT_BENCH_DENSE ("lon,lat") names the point instead: finding it
	// tallies every point of the store, which at national shape on a busy
	// machine outlasts the statement timeout.
	var dense orb.Point
	if c := os.Getenv("HOTSPOT_BENCH_DENSE"); c != "" {
		var bb orb.Bound
		bb, err = ParseBBox(c + "," + c)
		dense = bb.Min
	} else {
		dense, err = densest(ctx, st, geo.Filter{Months: geo.MonthRange{From: ms[max(0, len(ms)-12)], To: ms[len(ms)-1]}})
	}
	if err != nil {
		b.Fatal(err)
	}
	tile := tileURLPath("incidents", maptile.At(dense, 14))
	b.Run("tile-incidents-z14-dense/cold", func(b *testing.B) { benchColdTile(b, st, an, tile) })
	warm := New(Config{Store: st, Analyzer: an})
	b.Run("tile-incidents-z14-dense/warm", func(b *testing.B) {
		// Built once before the clock starts: warm is a cache hit.
		warm.ServeHTTP(httptest.NewRecorder(), gzipRequest(tile))
		benchRequest(b, warm, tile, "Accept-Encoding", "gzip")
	})
}

// benchEach is benchRequest with a server per request.
func benchEach(b *testing.B, next func() http.Handler, target string) {
	b.Helper()
	var times []time.Duration
	for b.Loop() {
		srv := next()
		rec := httptest.NewRecorder()
		start := time.Now()
		srv.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, target, nil))
		times = append(times, time.Since(start))
		if rec.Code != http.StatusOK {
			b.Fatalf("GET %s: %d %s", target, rec.Code, rec.Body)
		}
	}
	reportPercentiles(b, times)
}

func millions(n int) string { return strconv.Itoa(n/1_000_000) + "M" }

// densest is the map point holding the most of the filter's incidents.
func densest(ctx context.Context, st geo.Store, f geo.Filter) (orb.Point, error) {
	ts, err := st.PointTallies(ctx, f)
	if err != nil || len(ts) == 0 {
		return orb.Point{}, fmt.Errorf("point tallies: %d, %v", len(ts), err)
	}
	best := slices.MaxFunc(ts, func(a, b geo.PointTally) int { return cmp.Compare(a.Count, b.Count) })
	return best.Point, nil
}

func gzipRequest(target string) *http.Request {
	req := httptest.NewRequest(http.MethodGet, target, nil)
	req.Header.Set("Accept-Encoding", "gzip")
	return req
}
