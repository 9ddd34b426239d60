package main

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"sync"
	"time"
)

// The mixed workload: what the map, GIS clients and scripts ask for, in
// rough proportion — hot-spot hexes at several sizes, wards, incident
// pages, vector tiles across the city, series, OGC items.
type request struct {
	kind string
	path string
}

func mixedRequest(r *rand.Rand, m serverMeta) request {
	n := len(m.Months)
	to := r.IntN(n)
	from := max(0, to-r.IntN(12))
	period := "from=" + m.Months[from] + "&to=" + m.Months[to]
	prio := "priority=" + url.QueryEscape(m.Priorities[r.IntN(len(m.Priorities))])
	switch x := r.IntN(100); {
	case x < 30:
		return request{"hex", fmt.Sprintf("/api/v1/hotspots/hex?%s&%s&res=%d", prio, period, 7+r.IntN(3))}
	case x < 45:
		return request{"wards", "/api/v1/hotspots/wards?" + prio + "&" + period}
	case x < 60:
		return request{"incidents", fmt.Sprintf("/api/v1/incidents?%s&%s&limit=1000&offset=%d", prio, period, 1000*r.IntN(5))}
	case x < 85:
		// Tiles over Leicester at z12–14.
		z := 12 + r.IntN(3)
		x0, y0 := 2040<<(z-12), 1351<<(z-12)
		layer := []string{"hex", "wards", "incidents"}[r.IntN(3)]
		return request{"tile", fmt.Sprintf("/tiles/%s/%d/%d/%d.mvt?%s&%s", layer, z, x0+r.IntN(1<<(z-11)), y0+r.IntN(1<<(z-11)), prio, period)}
	case x < 93:
		return request{"series", "/api/v1/series?" + prio}
	default:
		return request{"ogc", "/ogc/collections/wards/items?limit=100"}
	}
}

// heavyRequest is one of the costliest answers: a 10,000-incident page
// or a fine hex layer over a year.
func heavyRequest(r *rand.Rand, m serverMeta) request {
	n := len(m.Months)
	period := "from=" + m.Months[max(0, n-12)] + "&to=" + m.Months[n-1]
	if r.IntN(2) == 0 {
		return request{"incidents", fmt.Sprintf("/api/v1/incidents?%s&limit=10000&offset=%d", period, 10000*r.IntN(10))}
	}
	return request{"hex", fmt.Sprintf("/api/v1/hotspots/hex?%s&res=10&k=%d", period, 1+r.IntN(3))}
}

type result struct {
	kind    string
	status  int // 0: failed
	elapsed time.Duration
}

// do asks one request as client number client.
func do(ctx context.Context, c *http.Client, o options, client int, q request) result {
	start := time.Now()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, o.url+q.path, nil)
	if err != nil {
		return result{kind: q.kind}
	}
	req.Header.Set("Accept-Encoding", "gzip")
	if o.key != "" {
		req.Header.Set("Authorization", "Bearer "+o.key)
	}
	if o.forwarded {
		// Each client its own address, as behind a proxy the server
		// trusts (--trusted-proxies): the per-address rate limit applies
		// per client rather than to the whole run.
		req.Header.Set("X-Forwarded-For", fmt.Sprintf("10.77.%d.%d", client/250, client%250+1))
	}
	resp, err := c.Do(req)
	if err != nil {
		return result{kind: q.kind, elapsed: time.Since(start)}
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return result{kind: q.kind, status: resp.StatusCode, elapsed: time.Since(start)}
}

func runMixed(ctx context.Context, c *http.Client, o options, m serverMeta) *report {
	ctx, cancel := context.WithTimeout(ctx, o.duration)
	defer cancel()
	results := make(chan result, 1024)
	var wg sync.WaitGroup
	for i := range o.clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := rand.New(rand.NewPCG(o.seed, uint64(i)))
			for ctx.Err() == nil {
				res := do(ctx, c, o, i, mixedRequest(r, m))
				if ctx.Err() != nil {
					return // cut off by the end of the run, not a failure
				}
				results <- res
			}
		}()
	}
	go func() { wg.Wait(); close(results) }()
	start := time.Now()
	rep := collect(results)
	rep.Mode, rep.Clients, rep.Seconds = "mixed", o.clients, time.Since(start).Seconds()
	rep.finish()
	return rep
}

func runBurst(ctx context.Context, c *http.Client, o options, m serverMeta) *report {
	results := make(chan result, o.burst)
	r := rand.New(rand.NewPCG(o.seed, 0))
	qs := make([]request, o.burst)
	for i := range qs {
		qs[i] = heavyRequest(r, m)
	}
	start := time.Now()
	var wg sync.WaitGroup
	for i, q := range qs {
		wg.Add(1)
		go func() { defer wg.Done(); results <- do(ctx, c, o, i, q) }()
	}
	go func() { wg.Wait(); close(results) }()
	rep := collect(results)
	rep.Mode, rep.Clients, rep.Seconds = "burst", o.burst, time.Since(start).Seconds()
	rep.finish()
	return rep
}

// report is what a run saw.
type report struct {
	Mode       string         `json:"mode"`
	Clients    int            `json:"clients"`
	Seconds    float64        `json:"seconds"`
	Requests   int            `json:"requests"`
	PerSecond  float64        `json:"requests_per_second"`
	P50ms      float64        `json:"p50_ms"`
	P95ms      float64        `json:"p95_ms"`
	P99ms      float64        `json:"p99_ms"`
	Statuses   map[string]int `json:"statuses"`
	ByKind     map[string]int `json:"by_kind"`
	Errors     int            `json:"errors"`
	PeakRSSMiB float64        `json:"server_peak_rss_mib,omitempty"`
	RSSMiB     float64        `json:"server_rss_mib,omitempty"`
	lat        []time.Duration
}

func collect(results <-chan result) *report {
	rep := &report{Statuses: map[string]int{}, ByKind: map[string]int{}}
	for res := range results {
		rep.Requests++
		rep.ByKind[res.kind]++
		rep.lat = append(rep.lat, res.elapsed)
		key := fmt.Sprint(res.status)
		if res.status == 0 {
			key = "failed"
		}
		rep.Statuses[key]++
		ok := res.status == 200 || res.status == 204 || res.status == 304 || res.status == 429 || res.status == 503
		if !ok {
			rep.Errors++
		}
	}
	return rep
}

func (rep *report) finish() {
	if rep.Seconds > 0 {
		rep.PerSecond = float64(rep.Requests) / rep.Seconds
	}
	slices.Sort(rep.lat)
	pct := func(p float64) float64 {
		if len(rep.lat) == 0 {
			return 0
		}
		i := min(len(rep.lat)-1, int(p*float64(len(rep.lat))))
		return float64(rep.lat[i].Microseconds()) / 1000
	}
	rep.P50ms, rep.P95ms, rep.P99ms = pct(0.50), pct(0.95), pct(0.99)
}

func (rep *report) print(w io.Writer) {
	fmt.Fprintf(w, "%s: %d clients, %.1f s, %d requests, %.0f req/s\n", rep.Mode, rep.Clients, rep.Seconds, rep.Requests, rep.PerSecond)
	fmt.Fprintf(w, "latency ms: p50 %.1f  p95 %.1f  p99 %.1f\n", rep.P50ms, rep.P95ms, rep.P99ms)
	fmt.Fprintf(w, "statuses: %s\n", sortedCounts(rep.Statuses))
	fmt.Fprintf(w, "requests: %s\n", sortedCounts(rep.ByKind))
	if rep.PeakRSSMiB != 0 {
		fmt.Fprintf(w, "server memory: peak %.0f MiB, now %.0f MiB\n", rep.PeakRSSMiB, rep.RSSMiB)
	}
	fmt.Fprintf(w, "errors: %d\n", rep.Errors)
}

func sortedCounts(m map[string]int) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	s := ""
	for _, k := range keys {
		s += fmt.Sprintf("%s=%d ", k, m[k])
	}
	return s
}
