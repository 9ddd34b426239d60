package main

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"runtime"
	"testing"

	"github.com/leicester-csp/hotspot/api"
)

func TestLimitFlags(t *testing.T) {
	cores := 4 * runtime.NumCPU()
	for _, c := range []struct {
		name     string
		args     []string
		env      map[string]string
		inflight int
		rate     float64
		proxies  string // fmt of the prefixes
		bad      bool
	}{
		{name: "defaults", inflight: cores, rate: 50, proxies: "[]"},
		{name: "env", env: map[string]string{"HOTSPOT_MAX_INFLIGHT": "3", "HOTSPOT_RATE_LIMIT": "0", "HOTSPOT_TRUSTED_PROXIES": "10.0.0.0/8, 192.0.2.7"},
			inflight: 3, rate: 0, proxies: "[10.0.0.0/8 192.0.2.7/32]"},
		{name: "flags beat env", args: []string{"--max-inflight", "7", "--rate-limit", "2.5", "--trusted-proxies", "2001:db8::1/32"},
			env:      map[string]string{"HOTSPOT_MAX_INFLIGHT": "3", "HOTSPOT_RATE_LIMIT": "9", "HOTSPOT_TRUSTED_PROXIES": "10.0.0.0/8"},
			inflight: 7, rate: 2.5, proxies: "[2001:db8::/32]"},
		{name: "mapped", args: []string{"--trusted-proxies", "::ffff:10.0.0.0/104"}, inflight: cores, rate: 50, proxies: "[10.0.0.0/8]"},
		{name: "zero inflight", args: []string{"--max-inflight", "0"}, bad: true},
		{name: "bad env inflight", env: map[string]string{"HOTSPOT_MAX_INFLIGHT": "many"}, bad: true},
		{name: "negative rate", args: []string{"--rate-limit", "-1"}, bad: true},
		{name: "bad env rate", env: map[string]string{"HOTSPOT_RATE_LIMIT": "fast"}, bad: true},
		{name: "bad CIDR", args: []string{"--trusted-proxies", "10.0.0.0/33"}, bad: true},
		{name: "bad env CIDR", env: map[string]string{"HOTSPOT_TRUSTED_PROXIES": "proxy.local"}, bad: true},
	} {
		t.Run(c.name, func(t *testing.T) {
			fs := newFlagSet("serve", "serve", io.Discard)
			var lf limitFlags
			lf.register(fs)
			if err := fs.Parse(c.args); err != nil {
				t.Fatal(err)
			}
			var cfg api.Config
			err := lf.apply(fs, func(k string) string { return c.env[k] }, &cfg)
			if c.bad {
				var ue usageError
				if !errors.As(err, &ue) {
					t.Fatalf("err = %v, want a usage error", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if cfg.MaxInflight != c.inflight || cfg.RateLimit != c.rate || fmt.Sprint(cfg.TrustedProxies) != c.proxies {
				t.Errorf("got inflight %d rate %v proxies %v; want %d %v %s", cfg.MaxInflight, cfg.RateLimit, cfg.TrustedProxies, c.inflight, c.rate, c.proxies)
			}
		})
	}
}

// The limits reach the running server: beyond the burst a 429, while
// the health probe still answers.
func TestServeRateLimit(t *testing.T) {
	base := startServe(t, map[string]string{"HOTSPOT_DATA_DIR": t.TempDir()}, "--rate-limit", "1", "--no-demo")
	codes := map[int]int{}
	for range 5 {
		resp, err := http.Get(base + "/api/v1/meta")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		codes[resp.StatusCode]++
		if resp.StatusCode == http.StatusTooManyRequests && resp.Header.Get("Retry-After") == "" {
			t.Error("429 without Retry-After")
		}
	}
	if codes[http.StatusOK] < 2 || codes[http.StatusTooManyRequests] == 0 {
		t.Errorf("statuses %v: want the burst of 2 answered, then 429s", codes)
	}
	if resp, err := http.Get(base + "/healthz"); err != nil || resp.StatusCode != http.StatusOK {
		t.Errorf("healthz while limited: %v %v", resp, err)
	} else {
		resp.Body.Close()
	}
}
