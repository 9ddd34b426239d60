package api

import (
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/leicester-csp/hotspot/geo/access"
)

// Who sees which repeat list (DESIGN.md, "Access"): the public none of
// the local ones, a partner places and premises of at least
// --suppress-below (5) records and never a pseudonym, an analyst all.
func TestRepeatAccess(t *testing.T) {
	f, auth, _ := embeddedRepeats(t)
	period := "&from=2024-02&to=2024-03"
	tests := []struct {
		name   string
		target string
		auth   []string
		status int
	}{
		{"public names a source", "/api/v1/repeats/locations?source=council" + period, nil, 403},
		{"public police.uk locations", "/api/v1/repeats/locations?source=policeuk" + period, nil, 200},
		{"public premises list", "/api/v1/repeats/premises" + strings.Replace(period, "&", "?", 1), nil, 403},
		{"public premises layer", "/api/v1/premises", nil, 403},
		{"public premises collection", "/ogc/collections/premises/items", nil, 403},
		{"public premises tile", "/tiles/premises/14/8155/5405.mvt", nil, 403},
		{"public offenders", "/api/v1/repeats/offenders?source=council", nil, 403},
		{"partner offenders", "/api/v1/repeats/offenders?source=council", auth[access.Partner], 403},
		{"partner offenders of police.uk", "/api/v1/repeats/offenders", auth[access.Partner], 403},
		{"partner all sources", "/api/v1/repeats/locations?source=all" + period, auth[access.Partner], 403},
		{"partner locations", "/api/v1/repeats/locations?source=council" + period, auth[access.Partner], 200},
		{"partner premises tile", "/tiles/premises/14/8155/5405.mvt?source=council", auth[access.Partner], 200},
		{"admin offenders", "/api/v1/repeats/offenders?source=council", auth[access.Admin], 200},
		{"unknown kind", "/api/v1/repeats/premises?kind=casino", auth[access.Analyst], 400},
		{"empty kind", "/api/v1/premises?kind=", auth[access.Analyst], 400},
		{"min 0", "/api/v1/repeats/offenders?source=council&min=0", auth[access.Analyst], 400},
		{"premises takes no min", "/api/v1/repeats/premises?min=2", auth[access.Analyst], 400},
	}
	for _, tc := range tests {
		resp, body := f.get(t, tc.target, tc.auth...)
		if resp.StatusCode != tc.status && !(tc.status == 200 && resp.StatusCode == http.StatusNoContent) {
			t.Errorf("%s: %s: %d, want %d; %s", tc.name, tc.target, resp.StatusCode, tc.status, body)
		}
	}
	partner := auth[access.Partner]
	// min=1 still shows a partner no place of fewer than 5 records: P1's 6.
	locs := rowsOf(t, getAs(t, f, "/api/v1/repeats/locations?source=council&min=1"+period, 200, partner)["locations"], "id", "count")
	if !slices.Equal(locs, []string{"premises:P1/6"}) {
		t.Errorf("partner locations %q, want P1's 6 alone", locs)
	}
	// P2's 3 is withheld and, as the only one, P1's 6 with it; withheld
	// counts are zero before ranking, so the order is by id.
	prem := getAs(t, f, "/api/v1/repeats/premises?source=council"+period, 200, partner)
	want := []string{"P1/-/true", "P2/-/true", "P3/0/false", "P4/0/false"}
	if got := rowsOf(t, prem["premises"], "id", "count", "suppressed"); !slices.Equal(got, want) {
		t.Errorf("partner premises %q, want %q", got, want)
	}
	if got := obj(t, prem["meta"])["suppress_below"]; got != 5.0 {
		t.Errorf("partner premises meta suppress_below %v, want 5", got)
	}
	layer := getAs(t, f, "/api/v1/premises?source=council"+period, 200, partner)
	if got := rowsOf(t, layer["features"], "id", "count", "suppressed"); !slices.Equal(got, want) {
		t.Errorf("partner premises layer %q, want %q", got, want)
	}
	// No pseudonym reaches a partner, whatever it asks.
	for _, target := range []string{
		"/api/v1/repeats/locations?source=council&min=1" + period, "/api/v1/repeats/premises?source=council" + period,
		"/api/v1/premises?source=council" + period, "/ogc/collections/premises/items?source=council", "/ogc/collections/repeats-asb/items?source=council",
	} {
		resp, body := f.get(t, target, partner...)
		for _, off := range []string{offA, offB, offC} {
			if strings.Contains(string(body), off) {
				t.Errorf("%s (%d) gives a partner pseudonym %s", target, resp.StatusCode, off)
			}
		}
	}
}

// Answers with offender pseudonyms or local repeat places are audited
// with their rows; the premises list (counts) is not.
func TestRepeatAudit(t *testing.T) {
	f, auth, ring := embeddedRepeats(t)
	analyst := auth[access.Analyst]
	period := "&from=2024-02&to=2024-03"
	want := map[string]int{
		"/api/v1/repeats/offenders?source=council" + period:       3,
		"/api/v1/repeats/locations?source=council&min=1" + period: 4,
	}
	for target, n := range want {
		if resp, body := f.get(t, target, analyst...); resp.StatusCode != 200 || resp.Header.Get(rowsHeader) != strconv.Itoa(n) {
			t.Fatalf("%s: %d, %s %q, want %d; %s", target, resp.StatusCode, rowsHeader, resp.Header.Get(rowsHeader), n, body)
		}
	}
	f.get(t, "/api/v1/repeats/premises?source=council"+period, analyst...)
	log, err := ring.AuditLog(t.Context(), time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	if len(log) != len(want) {
		t.Fatalf("audit log %+v; want the %d answers with records", log, len(want))
	}
	for _, e := range log {
		if n, ok := want[e.Path]; !ok || e.Rows != n || e.KeyID == "" {
			t.Errorf("entry %+v: want rows %d and the key", e, n)
		}
	}
}

// source=all: a council record linked to no premises joins police.uk's
// count at the same map point; linked ones are counted at their premises.
func TestRepeatAllSources(t *testing.T) {
	f, auth, _ := embeddedRepeats(t)
	analyst := auth[access.Analyst]
	period := "&from=2024-02&to=2024-06&min=1"
	count := func(source, id string) int {
		t.Helper()
		list := getAs(t, f, "/api/v1/repeats/locations?source="+source+period, 200, analyst)
		for _, it := range arr(t, list["locations"]) {
			p := obj(t, it)
			if p["id"] == id {
				return int(num(t, p["count"]))
			}
		}
		return 0
	}
	p0 := "p:-1.1352,52.6331"
	uk := count("policeuk", p0)
	if uk == 0 {
		t.Fatal("fixture: no police.uk incident at point 0 in 2024-02…06")
	}
	if got := count("all", p0); got != uk+2 {
		t.Errorf("all sources at point 0: %d, want police.uk's %d + 2 unlinked council records", got, uk)
	}
	if got := count("all", "premises:P1"); got != 6 {
		t.Errorf("all sources at P1: %d, want 6", got)
	}
}
