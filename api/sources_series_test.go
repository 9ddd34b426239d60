package api

import (
	"encoding/json"
	"testing"

	"github.com/leicester-csp/hotspot/geo"
	"github.com/leicester-csp/hotspot/geo/access"
	"github.com/leicester-csp/hotspot/geo/analysis"
)

// Monthly series and outcome breakdowns are aggregates a partner may see
// too, so they withhold small local counts like the ward answers do:
// Westcotes holds one council record in 2024-03.
func TestSuppressionSeriesAndOutcomes(t *testing.T) {
	f, tokens := partnerFixture(t)
	type point struct {
		Month      string `json:"month"`
		Outcome    string `json:"outcome"`
		Count      *int   `json:"count"`
		Suppressed bool   `json:"suppressed"`
	}
	get := func(role access.Role, target string) []point {
		t.Helper()
		resp, body := f.get(t, target, bearer(tokens[role])...)
		if resp.StatusCode != 200 {
			t.Fatalf("%s %s: %d %s", role, target, resp.StatusCode, body)
		}
		var ans struct{ Series, Outcomes []point }
		if err := json.Unmarshal(body, &ans); err != nil {
			t.Fatal(err)
		}
		return append(ans.Series, ans.Outcomes...)
	}
	show := func(ps []point) map[string]any {
		out := map[string]any{}
		for _, p := range ps {
			key := p.Month + p.Outcome
			switch {
			case p.Suppressed && p.Count == nil:
				out[key] = "suppressed"
			case p.Suppressed || p.Count == nil:
				t.Fatalf("inconsistent %+v", p)
			default:
				out[key] = *p.Count
			}
		}
		return out
	}
	const series = "/api/v1/series?source=council&from=2024-02&to=2024-04&ward="
	for _, tc := range []struct {
		role   access.Role
		target string
		want   map[string]any
	}{
		{access.Partner, series + "Westcotes", map[string]any{"2024-02": 0, "2024-03": "suppressed", "2024-04": 0}},
		{access.Analyst, series + "Westcotes", map[string]any{"2024-02": 0, "2024-03": 1, "2024-04": 0}},
		{access.Partner, series + "Castle", map[string]any{"2024-02": 0, "2024-03": 7, "2024-04": 0}},
		{access.Partner, "/api/v1/outcomes?source=council&from=2024-03&to=2024-03&ward=Westcotes", map[string]any{"No outcome recorded": "suppressed"}},
		{access.Analyst, "/api/v1/outcomes?source=council&from=2024-03&to=2024-03&ward=Westcotes", map[string]any{"No outcome recorded": 1}},
	} {
		got := show(get(tc.role, tc.target))
		if len(got) != len(tc.want) {
			t.Errorf("%s %s: %v, want %v", tc.role, tc.target, got, tc.want)
			continue
		}
		for k, v := range tc.want {
			if got[k] != v {
				t.Errorf("%s %s: %s = %v, want %v", tc.role, tc.target, k, got[k], v)
			}
		}
	}
}

// Briefs and the quarterly report answer any caller, so a priority that
// fixes a local source must not carry its counts to the public through
// them, nor small counts to a partner.
func TestLocalPriorityInPrinted(t *testing.T) {
	night := geo.Priority{ID: "night-drinking", Name: "Night-time street drinking", Categories: []string{"Street drinking"}, Source: "council", Hours: "20-04"}
	f, tokens := partnerFixture(t, func(c *Config) {
		c.Analyzer = analysis.New(c.Store, append(geo.BuiltinPriorities(), night))
	})
	const brief = "/briefings/wards/Castle?priority=night-drinking&month=2024-03&months=1&format=json"
	for _, role := range []access.Role{access.Public, access.Partner, access.Analyst} {
		var auth []string
		if role != access.Public {
			auth = bearer(tokens[role])
		}
		resp, body := f.get(t, brief, auth...)
		want := 400
		if role == access.Analyst {
			want = 200
		}
		if resp.StatusCode != want || (want == 400 && !contains(body, `"param":"source"`) && !contains(body, `"param":"priority"`)) {
			t.Errorf("%s: brief of a local priority: %d %s", role, resp.StatusCode, body)
		}
	}
	for _, role := range []access.Role{access.Public, access.Partner} {
		var auth []string
		if role != access.Public {
			auth = bearer(tokens[role])
		}
		_, body := f.get(t, "/reports/quarterly?quarter=2024Q1&format=json", auth...)
		if contains(body, night.ID) {
			t.Errorf("the %s quarterly report lists a local priority it cannot count: %s", role, body)
		}
	}
	// An analyst's report counts it, with no comparison before the
	// council's records began (2024-03): not a rise from nothing.
	_, body := f.get(t, "/reports/quarterly?quarter=2024Q1&format=json", bearer(tokens[access.Analyst])...)
	var rep struct {
		Rows []struct {
			ID       string
			Count    int
			Previous *int `json:"previous"`
			LastYear *int `json:"last_year"`
			OffTrack bool `json:"off_track"`
		}
	}
	if err := json.Unmarshal(body, &rep); err != nil {
		t.Fatal(err)
	}
	found := false
	for _, r := range rep.Rows {
		if r.ID == night.ID {
			found = true
			if r.Count != 7 || r.Previous != nil || r.LastYear != nil || r.OffTrack {
				t.Errorf("night-drinking row: count %d previous %v last year %v off track %v; want 7, null, null, false", r.Count, r.Previous, r.LastYear, r.OffTrack)
			}
		}
	}
	if !found {
		t.Errorf("the analyst's report leaves out the local priority: %s", body)
	}
}

// A partner cannot ask for every source at once: less the public police.uk
// answer, it would give back the local counts suppression withholds.
func TestPartnerSourceAll(t *testing.T) {
	f, tokens := partnerFixture(t)
	for _, target := range []string{
		"/api/v1/hotspots/wards?from=2024-03&to=2024-03&source=all",
		"/api/v1/hotspots/hex?from=2024-03&to=2024-03&source=all",
		"/api/v1/series?source=all&ward=Westcotes",
	} {
		if resp, body := f.get(t, target, bearer(tokens[access.Partner])...); resp.StatusCode != 403 {
			t.Errorf("partner %s: %d %s", target, resp.StatusCode, body)
		}
		if resp, body := f.get(t, target, bearer(tokens[access.Analyst])...); resp.StatusCode != 200 {
			t.Errorf("analyst %s: %d %s", target, resp.StatusCode, body)
		}
	}
}

// A local source that began after police.uk's first month has no base
// period before it: a rise from nothing there is not a significant change.
func TestLocalSourceBaseBeforeItBegan(t *testing.T) {
	f, tokens := partnerFixture(t)
	_, body := f.get(t, "/api/v1/hotspots/wards?from=2024-03&to=2024-03&source=council", bearer(tokens[access.Analyst])...)
	var ans struct {
		Hotspot struct {
			PreviousComplete *bool `json:"previous_complete"`
		} `json:"hotspot"`
	}
	if err := json.Unmarshal(body, &ans); err != nil || ans.Hotspot.PreviousComplete == nil || *ans.Hotspot.PreviousComplete {
		t.Fatalf("previous_complete %v (%v): %s", ans.Hotspot.PreviousComplete, err, body)
	}
	for _, p := range features(t, body) {
		if p["change_p"] != nil || p["change_bin"] != 0.0 {
			t.Errorf("%s: change_p %v change_bin %v from a base the source does not cover", p["code"], p["change_p"], p["change_bin"])
		}
	}
}
