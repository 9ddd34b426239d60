package api

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/leicester-csp/hotspot/geo"
	"github.com/leicester-csp/hotspot/geo/access"
	"github.com/leicester-csp/hotspot/geo/analysis"
)

// nightFixture is partnerFixture with two priorities on its records: one
// fixing the council source and Friday–Saturday nights, one leaving the
// source to the request.
func nightFixture(t *testing.T) (*fixture, map[access.Role]string) {
	return partnerFixture(t, func(c *Config) {
		c.Analyzer = analysis.New(c.Store, append(geo.BuiltinPriorities(),
			geo.Priority{ID: "night", Name: "Night-time street drinking", Categories: []string{"Street drinking"}, Source: "council", Days: "fri,sat", Hours: "20-04"},
			geo.Priority{ID: "street", Name: "Street drinking", Categories: []string{"Street drinking"}}))
	})
}

// A brief that counts a local source carries the ward's day × hour grid;
// one on police.uk says nothing of hours, and a partner is refused the
// figures (they have no disclosure control) rather than shown a grid.
func TestBriefingDayHourGrid(t *testing.T) {
	f, tokens := nightFixture(t)
	analyst := bearer(tokens[access.Analyst])
	const base = "/briefings/wards/Castle?month=2024-03&months=1"
	for _, tc := range []struct {
		name, query string
		friday      int // Friday 20:00–23:59 in the grid
		knifeOnly   bool
	}{
		{"priority fixes the source", "&priority=night", 7, false},
		{"request names the source", "&priority=street&source=council&flag=knife", 2, true},
	} {
		res, body := f.get(t, base+tc.query+"&format=json", analyst...)
		if res.StatusCode != http.StatusOK {
			t.Fatalf("%s: %d %s", tc.name, res.StatusCode, body)
		}
		var c struct {
			Temporal *struct {
				Source string       `json:"source"`
				Flag   string       `json:"flag"`
				Rows   []string     `json:"rows"`
				Matrix [7][24]*int  `json:"matrix"`
				Supp   *[7][24]bool `json:"suppressed"`
			} `json:"temporal"`
		}
		if err := json.Unmarshal(body, &c); err != nil {
			t.Fatal(err)
		}
		tm := c.Temporal
		if tm == nil {
			t.Fatalf("%s: no temporal grid", tc.name)
		}
		if tm.Source != "council" || tm.Rows[0] != "mon" || tm.Supp != nil || (tc.knifeOnly && tm.Flag != "knife") {
			t.Errorf("%s: source %q, flag %q, rows %v, suppressed %v", tc.name, tm.Source, tm.Flag, tm.Rows, tm.Supp)
		}
		fri, all := 0, 0
		for d := range tm.Matrix {
			for h, n := range tm.Matrix[d] {
				if n == nil {
					t.Fatalf("%s: an analyst's count withheld", tc.name)
				}
				all += *n
				if d == 4 && h >= 20 {
					fri += *n
				}
			}
		}
		if fri != tc.friday || all != tc.friday {
			t.Errorf("%s: Friday night %d, all %d, want %d", tc.name, fri, all, tc.friday)
		}
		_, page := f.get(t, base+tc.query, analyst...)
		if got := strings.Count(string(page), `<rect class="cell"`); got != 7*24 {
			t.Errorf("%s: %d grid cells drawn, want 168", tc.name, got)
		}
		if !strings.Contains(string(page), "Fri 20:00–20:59: ") {
			t.Errorf("%s: the cells carry no counts in their titles", tc.name)
		}
		if !strings.Contains(string(page), "records of council") || !strings.Contains(string(page), "Counts of partner records (source council") {
			t.Errorf("%s: the page does not say it counts partner records", tc.name)
		}
	}

	res, body := f.get(t, base+"&priority=street&format=json", analyst...)
	if res.StatusCode != http.StatusOK || !strings.Contains(string(body), `"temporal":null`) {
		t.Errorf("police.uk brief: %d, temporal not null: %.300s", res.StatusCode, body)
	}
	if _, page := f.get(t, base+"&priority=street", analyst...); strings.Contains(string(page), "heat-grid") {
		t.Error("a police.uk brief drew a day and hour grid")
	}
	if res, _ := f.get(t, base+"&priority=night", bearer(tokens[access.Partner])...); res.StatusCode != http.StatusBadRequest {
		t.Errorf("a partner's local brief: %d, want 400 (figures without disclosure control)", res.StatusCode)
	}
	if res, _ := f.get(t, base+"&priority=street&source=council"); res.StatusCode != http.StatusForbidden {
		t.Errorf("a public local brief: %d, want 403", res.StatusCode)
	}
}
