package api

import (
	"strings"
	"testing"

	"github.com/leicester-csp/hotspot/geo"
	"github.com/leicester-csp/hotspot/geo/access"
	"github.com/leicester-csp/hotspot/geo/analysis"
)

// TestPublicLearnsNothingOfLocalPriorities: a priority fixing a local
// source is not listed to the public (/api/v1/priorities), so no error
// may list it or name its source either: "unknown priority" used to list
// every id, and asking for the hidden one answered `source "council"
// needs a key` — the partner source's name. Long values are clipped in
// the echo.
func TestPublicLearnsNothingOfLocalPriorities(t *testing.T) {
	night := geo.Priority{ID: "night-drinking", Name: "Night-time street drinking", Categories: []string{"Street drinking"}, Source: "council", Hours: "20-04"}
	f, tokens := partnerFixture(t, func(c *Config) {
		c.Analyzer = analysis.New(c.Store, append(geo.BuiltinPriorities(), night))
	})
	for _, target := range []string{
		"/api/v1/hotspots/wards?priority=no-such",
		"/api/v1/hotspots/wards?priority=night-drinking",
		"/api/v1/incidents?priority=night-drinking",
		"/api/v1/hotspots/hex?priority=night-drinking",
	} {
		resp, body := f.get(t, target)
		if resp.StatusCode != 400 || !contains(body, `"param":"priority"`) {
			t.Errorf("public %s: %d %s, want 400 on priority", target, resp.StatusCode, body)
		}
		if contains(body, "night-drinking") && !strings.Contains(target, "night-drinking") || contains(body, "council") {
			t.Errorf("public %s: the answer names the local priority or source: %s", target, body)
		}
	}
	// An analyst still lists it, and may use it.
	if _, body := f.get(t, "/api/v1/hotspots/wards?priority=no-such", bearer(tokens[access.Analyst])...); !contains(body, "night-drinking") {
		t.Errorf("analyst: unknown priority does not list the local one: %s", body)
	}
	long := strings.Repeat("A", 5000)
	for _, p := range []string{"priority", "category", "ward"} {
		target := "/api/v1/series?" + p + "=" + long
		if resp, body := f.get(t, target); resp.StatusCode != 400 || len(body) > 1500 {
			t.Errorf("%s of 5,000 bytes: %d, %d bytes echoed", p, resp.StatusCode, len(body))
		}
	}
}
