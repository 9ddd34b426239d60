package api

import (
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"testing"
)

func TestTrustedProxies(t *testing.T) {
	f := newFixture(t, func(c *Config) {
		c.TrustedProxies = []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8"), netip.MustParsePrefix("2001:db8::/32")}
	})
	for _, c := range []struct {
		name, remote string
		headers      []string
		want         string // the landing page's self link
	}{
		{"no proxy", "192.0.2.1:1234", nil, "http://example.com/ogc"},
		{"trusted proxy", "10.1.2.3:1234",
			[]string{"X-Forwarded-Proto", "https", "X-Forwarded-Host", "maps.example.org", "X-Forwarded-Prefix", "/hotspot"},
			"https://maps.example.org/hotspot/ogc"},
		{"trusted IPv6 proxy", "[2001:db8::5]:1234", []string{"X-Forwarded-Host", "maps.example.org:8443"}, "http://maps.example.org:8443/ogc"},
		{"untrusted peer", "192.0.2.1:1234",
			[]string{"X-Forwarded-Proto", "https", "X-Forwarded-Host", "evil.example", "X-Forwarded-Prefix", "/x"},
			"http://example.com/ogc"},
		{"untrusted peer, IPv4-mapped", "[::ffff:192.0.2.1]:1234", []string{"X-Forwarded-Host", "evil.example"}, "http://example.com/ogc"},
		{"quotes and brackets", "10.1.2.3:1234", []string{"X-Forwarded-Host", `evil.example"><script>`}, "http://example.com/ogc"},
		{"space", "10.1.2.3:1234", []string{"X-Forwarded-Host", "a b"}, "http://example.com/ogc"},
		{"userinfo", "10.1.2.3:1234", []string{"X-Forwarded-Host", "good@evil.example"}, "http://example.com/ogc"},
		{"bad prefix", "10.1.2.3:1234", []string{"X-Forwarded-Prefix", `/a"b`}, "http://example.com/ogc"},
		{"first of a list", "10.1.2.3:1234", []string{"X-Forwarded-Host", "maps.example.org, inner.local"}, "http://maps.example.org/ogc"},
	} {
		t.Run(c.name, func(t *testing.T) {
			rec := f.doFrom(t, c.remote, "/ogc", c.headers...)
			if rec.Code != http.StatusOK {
				t.Fatalf("status %d: %s", rec.Code, rec.Body)
			}
			if !strings.Contains(rec.Body.String(), `"href":"`+c.want+`","rel":"self"`) {
				t.Errorf("want self link %s in %s", c.want, rec.Body)
			}
		})
	}
}

func TestClientIP(t *testing.T) {
	tp := trustedProxies{netip.MustParsePrefix("10.0.0.0/8")}
	for _, c := range []struct {
		name, remote, xff, want string
		proxies                 trustedProxies
	}{
		{"direct", "192.0.2.1:5", "", "192.0.2.1", tp},
		{"untrusted peer's XFF ignored", "192.0.2.1:5", "203.0.113.9", "192.0.2.1", tp},
		{"no proxies trusted", "10.0.0.1:5", "203.0.113.9", "10.0.0.1", nil},
		{"trusted peer", "10.0.0.1:5", "203.0.113.9", "203.0.113.9", tp},
		{"spoofed left entries", "10.0.0.1:5", "1.2.3.4, 203.0.113.9, 10.0.0.2", "203.0.113.9", tp},
		{"all trusted", "10.0.0.1:5", "10.0.0.3, 10.0.0.2", "10.0.0.3", tp},
		{"garbage hop", "10.0.0.1:5", "203.0.113.9, junk, 10.0.0.2", "10.0.0.2", tp},
		{"IPv4-mapped peer", "[::ffff:10.0.0.1]:5", "203.0.113.9", "203.0.113.9", tp},
		{"no port", "192.0.2.1", "", "192.0.2.1", tp},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := httptest.NewRequest(http.MethodGet, "/", nil)
			r.RemoteAddr = c.remote
			if c.xff != "" {
				r.Header.Set("X-Forwarded-For", c.xff)
			}
			got, ok := c.proxies.clientIP(r)
			if !ok || got.String() != c.want {
				t.Errorf("clientIP = %v %v, want %s", got, ok, c.want)
			}
		})
	}
}

// A client behind a trusted proxy is counted by its own address.
func TestRateLimitBehindProxy(t *testing.T) {
	f := newFixture(t, func(c *Config) {
		c.RateLimit, c.RateBurst = 1, 1
		c.TrustedProxies = []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8")}
	})
	for i, s := range []struct {
		xff  string
		want int
	}{
		{"203.0.113.1", http.StatusOK},
		{"203.0.113.1", http.StatusTooManyRequests},
		{"203.0.113.2", http.StatusOK},
		{"1.1.1.1, 203.0.113.1", http.StatusTooManyRequests}, // a forged left entry does not help
	} {
		if rec := f.doFrom(t, "10.0.0.1:80", "/api/v1/meta", "X-Forwarded-For", s.xff); rec.Code != s.want {
			t.Errorf("request %d: %d, want %d", i, rec.Code, s.want)
		}
	}
}
