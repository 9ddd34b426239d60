// Command loadtest drives a running hotspot server with a mixed workload
// from many clients at once and reports what it saw: requests a second,
// latency percentiles, statuses, and the server's peak memory. It is a
// measuring tool run by hand (see .ci/load and docs/benchmarks.md), not a
// test: the figures depend on the machine.
//
//	loadtest --url http://127.0.0.1:8080 --clients 32 --duration 30s --pid PID
//	loadtest --url … --burst 400 --pid PID    # 400 heavy requests at once
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"time"
)

type options struct {
	url      string
	clients  int
	duration time.Duration
	burst    int
	pid      int
	key      string
	seed     uint64
	asJSON   bool
	// forwarded gives each client its own X-Forwarded-For address.
	forwarded bool
}

func main() {
	var o options
	flag.StringVar(&o.url, "url", "http://127.0.0.1:8080", "the server's root URL")
	flag.IntVar(&o.clients, "clients", 32, "concurrent clients of the mixed workload")
	flag.DurationVar(&o.duration, "duration", 30*time.Second, "how long the mixed workload runs")
	flag.IntVar(&o.burst, "burst", 0, "instead of the mixed workload: this many heavy requests (incident pages of 10,000, fine hexes) at once")
	flag.IntVar(&o.pid, "pid", 0, "the server's process id, to read its peak memory (VmHWM) from /proc")
	flag.StringVar(&o.key, "key", "", "an API key to send (default: none, the public)")
	flag.Uint64Var(&o.seed, "seed", 1, "seed of the request mix")
	flag.BoolVar(&o.asJSON, "json", false, "print the report as JSON")
	flag.BoolVar(&o.forwarded, "forwarded", false, "send each client's own X-Forwarded-For address (serve with --trusted-proxies 127.0.0.1/32)")
	flag.Parse()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, o, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "loadtest:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, o options, out io.Writer) error {
	o.url = strings.TrimRight(o.url, "/")
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: max(o.clients, o.burst)}, Timeout: 2 * time.Minute}
	meta, err := readMeta(ctx, client, o.url)
	if err != nil {
		return err
	}
	var rep *report
	if o.burst > 0 {
		rep = runBurst(ctx, client, o, meta)
	} else {
		rep = runMixed(ctx, client, o, meta)
	}
	if o.pid > 0 {
		rep.PeakRSSMiB, rep.RSSMiB = memoryOf(o.pid)
	}
	if o.asJSON {
		enc := json.NewEncoder(out)
		enc.SetIndent("", "  ")
		return enc.Encode(rep)
	}
	rep.print(out)
	if rep.Errors > 0 {
		return fmt.Errorf("%d errors (statuses other than 2xx, 304, 429 and 503, or failed requests)", rep.Errors)
	}
	return nil
}

// serverMeta is what the workload needs to ask sensible questions.
type serverMeta struct {
	Months     []string
	Priorities []string
}

func readMeta(ctx context.Context, c *http.Client, base string) (serverMeta, error) {
	var m struct {
		Months []string `json:"months"`
	}
	var p struct {
		Priorities []struct {
			ID string `json:"id"`
		} `json:"priorities"`
	}
	if err := getJSON(ctx, c, base+"/api/v1/meta", &m); err != nil {
		return serverMeta{}, err
	}
	if err := getJSON(ctx, c, base+"/api/v1/priorities", &p); err != nil {
		return serverMeta{}, err
	}
	if len(m.Months) == 0 {
		return serverMeta{}, errors.New("the server holds no months: import data first")
	}
	out := serverMeta{Months: m.Months}
	for _, x := range p.Priorities {
		out.Priorities = append(out.Priorities, x.ID)
	}
	return out, nil
}

func getJSON(ctx context.Context, c *http.Client, u string, v any) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return err
	}
	resp, err := c.Do(req)
	if err != nil {
		return fmt.Errorf("GET %s: %w", u, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("GET %s: HTTP %d", u, resp.StatusCode)
	}
	return json.NewDecoder(resp.Body).Decode(v)
}

// memoryOf reads the process's peak and current resident memory.
func memoryOf(pid int) (peak, now float64) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return -1, -1
	}
	for _, line := range strings.Split(string(b), "\n") {
		var kb float64
		if _, err := fmt.Sscanf(line, "VmHWM: %f kB", &kb); err == nil {
			peak = kb / 1024
		}
		if _, err := fmt.Sscanf(line, "VmRSS: %f kB", &kb); err == nil {
			now = kb / 1024
		}
	}
	return peak, now
}
