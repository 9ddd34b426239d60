package api

import (
	"encoding/json"
	"net/http"
	"testing"

	"github.com/leicester-csp/hotspot/geo"
	"github.com/leicester-csp/hotspot/geo/access"
	"github.com/leicester-csp/hotspot/geo/analysis"
)

// The map builds its source picker from meta: the public is never told a
// local source exists, a partner learns the suppression threshold it
// must explain, and priorities say which filters they fix.
func TestMetaSourcesByRole(t *testing.T) {
	f, tokens := partnerFixture(t, func(c *Config) {
		c.Analyzer = analysis.New(c.Store, append(geo.BuiltinPriorities(), geo.Priority{
			ID: "night", Name: "Night-time ASB", Categories: []string{"Street drinking"}, Source: "council", Flags: []string{"knife"}, Days: "fri,sat", Hours: "20-04",
		}))
	})
	type meta struct {
		Sources       []string `json:"sources"`
		Flags         []string `json:"flags"`
		SuppressBelow *int     `json:"suppress_below"`
	}
	for _, tc := range []struct {
		role    access.Role
		auth    []string
		sources []string
		below   int
	}{
		{access.Public, nil, []string{"policeuk"}, 0},
		{access.Partner, bearer(tokens[access.Partner]), []string{"policeuk", "council"}, 5},
		{access.Analyst, bearer(tokens[access.Analyst]), []string{"policeuk", "council"}, 0},
	} {
		res, body := f.get(t, "/api/v1/meta", tc.auth...)
		if res.StatusCode != http.StatusOK {
			t.Fatalf("%s: meta %d %s", tc.role, res.StatusCode, body)
		}
		var m meta
		if err := json.Unmarshal(body, &m); err != nil {
			t.Fatal(err)
		}
		if !equalJSON(m.Sources, tc.sources) {
			t.Errorf("%s: sources %v, want %v", tc.role, m.Sources, tc.sources)
		}
		if len(m.Flags) != int(geo.NumFlags) || m.Flags[0] != "homelessness" {
			t.Errorf("%s: flags %v", tc.role, m.Flags)
		}
		switch {
		case tc.below == 0 && m.SuppressBelow != nil:
			t.Errorf("%s: suppress_below %d, want null", tc.role, *m.SuppressBelow)
		case tc.below != 0 && (m.SuppressBelow == nil || *m.SuppressBelow != tc.below):
			t.Errorf("%s: suppress_below %v, want %d", tc.role, m.SuppressBelow, tc.below)
		}
	}
	_, body := f.get(t, "/api/v1/priorities", bearer(tokens[access.Analyst])...)
	var pr struct {
		Priorities []map[string]any `json:"priorities"`
	}
	if err := json.Unmarshal(body, &pr); err != nil {
		t.Fatal(err)
	}
	var night map[string]any
	for _, p := range pr.Priorities {
		if p["id"] == "night" {
			night = p
		}
	}
	if night == nil || night["source"] != "council" || night["days"] != "fri,sat" || night["hours"] != "20-04" || !equalJSON(night["flags"], []string{"knife"}) {
		t.Errorf("the night priority's fixed filters: %v", night)
	}
}

// A shared link to the map naming a partner source opens for anyone: the
// page's navigation cannot carry the key, and the page asks the API (with
// the key, checked there) for its data. The API itself still refuses.
func TestMapPageTakesAPartnerLink(t *testing.T) {
	f, _ := partnerFixture(t)
	if res, body := f.get(t, "/?source=council&flag=knife&layer=count"); res.StatusCode == http.StatusForbidden {
		t.Errorf("the map page refused a partner link: %s", body)
	}
	if res, _ := f.get(t, "/api/v1/hotspots/hex?source=council"); res.StatusCode != http.StatusForbidden {
		t.Errorf("public hex of a partner source: %d, want 403", res.StatusCode)
	}
}
