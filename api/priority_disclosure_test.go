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

// TestPublicGetsNoLocalPriorityCollection: /ogc/collections hides a local
// priority's collections from the public, and each of them is a 404 to
// it too (the collection page used to describe it: name, categories,
// extent).
func TestPublicGetsNoLocalPriorityCollection(t *testing.T) {
	night := geo.Priority{ID: "night-drinking", Name: "Night-time street drinking", Categories: []string{"Street drinking"}, Source: "council", Hours: "20-04"}
	f, tokens := partnerFixture(t, func(c *Config) {
		c.Analyzer = analysis.New(c.Store, append(geo.BuiltinPriorities(), night))
	})
	for _, suffix := range []string{"", "/items", "/queryables", "/schema"} {
		target := "/ogc/collections/hex-night-drinking" + suffix
		resp, body := f.get(t, target)
		if resp.StatusCode != 404 || contains(body, "Night-time") || contains(body, "Street drinking") {
			t.Errorf("public %s: %d %s, want a 404 saying nothing of it", target, resp.StatusCode, body)
		}
		if resp, body := f.get(t, target, bearer(tokens[access.Analyst])...); resp.StatusCode != 200 {
			t.Errorf("analyst %s: %d %s", target, resp.StatusCode, body)
		}
	}
}
