package api

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/leicester-csp/hotspot/geo/access"
)

// TestPointsOfLocalSourcesAudited: the map points of a local source are
// each record's exact point with its location and crime types — the
// incident-level records a partner is refused — so an analyst's answer
// holding them is audited on every route (API, tiles, OGC), as the
// incident list is.
func TestPointsOfLocalSourcesAudited(t *testing.T) {
	f, tokens := partnerFixture(t)
	analyst := bearer(tokens[access.Analyst])
	period := "from=2024-03&to=2024-03"
	targets := []string{
		"/api/v1/points?source=council&" + period,
		tileURLPath("points", castleTile()) + "?source=council&" + period,
		"/ogc/collections/points/items?source=council",
	}
	for _, target := range targets {
		if resp, body := f.get(t, target, analyst...); resp.StatusCode != http.StatusOK {
			t.Fatalf("%s: %d %s", target, resp.StatusCode, body)
		}
	}
	log, err := f.store.AuditLog(t.Context(), time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, e := range log {
		seen[e.Path] = true
	}
	for _, target := range targets {
		if !seen[target] {
			t.Errorf("%s: not in the audit log %+v", target, log)
		}
	}
	for _, e := range log {
		if strings.Contains(e.Path, "points") && e.Rows < 1 {
			t.Errorf("entry %+v: want the points written", e)
		}
	}
}
