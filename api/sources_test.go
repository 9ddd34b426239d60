package api

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/leicester-csp/hotspot/geo"
	"github.com/leicester-csp/hotspot/geo/access"
	"github.com/leicester-csp/hotspot/geo/analysis"
	"github.com/leicester-csp/hotspot/geo/hex"
)

// partnerFixture is the keyed fixture with a local source, "council":
// seven records in Castle's hot cell on Friday nights of 2024-03, two
// with the knife flag, and one in Westcotes on a Tuesday afternoon.
func partnerFixture(t *testing.T, mod ...func(*Config)) (*fixture, map[access.Role]string) {
	t.Helper()
	f, tokens := keyedFixture(t, mod...)
	var recs []*geo.Located
	add := func(id, when string, pt int, flags geo.Flags) {
		at, err := time.ParseInLocation("2006-01-02 15:04", when, geo.London)
		if err != nil {
			t.Fatal(err)
		}
		p := fixturePoints[pt]
		recs = append(recs, &geo.Located{Incident: geo.Incident{
			ID: id, Month: geo.NewMonth(at.Year(), int(at.Month())), Category: "Street drinking", Location: "Clock Tower",
			HasLocation: true, Point: p, Source: "council", Occurred: at, Flags: flags, Offender: "00112233aabbccdd",
		}, Cells: hex.CellsAt(p)})
	}
	for i := range 7 {
		fl := geo.Flags(0)
		if i < 2 {
			fl = fl.With(geo.Knife)
		}
		add(fmt.Sprintf("r%d", i), fmt.Sprintf("2024-03-%02d 2%d:00", 1+7*(i%3), i%4), 0, fl) // Fridays 1, 8, 15 March
	}
	add("w1", "2024-03-05 14:00", 5, 0) // a Tuesday, Westcotes
	rows := func(yield func(geo.Row, error) bool) {
		for _, r := range recs {
			if !yield(geo.Row{Incident: r}, nil) {
				return
			}
		}
	}
	if _, err := f.store.Import(t.Context(), geo.ImportInput{Rows: rows}); err != nil {
		t.Fatal(err)
	}
	return f, tokens
}

func TestSourceFilters(t *testing.T) {
	f, tokens := partnerFixture(t)
	analyst := bearer(tokens[access.Analyst])
	partner := bearer(tokens[access.Partner])
	month := "&from=2024-03&to=2024-03"
	tests := []struct {
		name   string
		target string
		auth   []string
		status int
		param  string
	}{
		{"days with police.uk", "/api/v1/hotspots/hex?days=fri", analyst, 400, "days"},
		{"hours with police.uk", "/api/v1/hotspots/hex?hours=20-04&source=policeuk", analyst, 400, "hours"},
		{"bad hours", "/api/v1/hotspots/hex?hours=25-04&source=council", analyst, 400, "hours"},
		{"unknown flag", "/api/v1/hotspots/hex?flag=knives&source=council", analyst, 400, "flag"},
		{"unknown day", "/api/v1/hotspots/wards?days=friday&source=council", analyst, 400, "days"},
		{"unknown source", "/api/v1/hotspots/hex?source=nobody", analyst, 400, "source"},
		{"public names a source", "/api/v1/hotspots/hex?source=council", nil, 403, "source"},
		{"public all is police.uk", "/api/v1/hotspots/hex?source=all" + month, nil, 200, ""},
		{"partner aggregates", "/api/v1/hotspots/hex?source=council&hours=20-04&days=fri" + month, partner, 200, ""},
		{"partner records", "/api/v1/incidents?source=council", partner, 403, "source"},
		{"partner records, all", "/api/v1/incidents?source=all", partner, 403, "source"},
		{"partner OGC records", "/ogc/collections/incidents/items?source=council", partner, 403, "source"},
		{"partner police.uk records", "/api/v1/incidents?source=policeuk", partner, 200, ""},
		{"analyst records", "/api/v1/incidents?source=council", analyst, 200, ""},
		{"analyst tiles", "/tiles/hex/12/2039/1353.mvt?source=council&flag=knife", analyst, 200, ""},
		{"analyst OGC", "/ogc/collections/wards/items?source=council&days=fri&hours=20-04", analyst, 200, ""},
	}
	for _, tc := range tests {
		resp, body := f.get(t, tc.target, tc.auth...)
		if resp.StatusCode != tc.status && !(tc.status == 200 && resp.StatusCode == http.StatusNoContent) {
			t.Errorf("%s: %s: status %d, want %d; %s", tc.name, tc.target, resp.StatusCode, tc.status, body)
			continue
		}
		if tc.param != "" && !contains(body, `"param":"`+tc.param+`"`) {
			t.Errorf("%s: body %s does not name %s", tc.name, body, tc.param)
		}
	}
}

// Counts follow source, flag, days and hours (analyst: unsuppressed).
func TestSourceCounts(t *testing.T) {
	f, tokens := partnerFixture(t)
	analyst := bearer(tokens[access.Analyst])
	count := func(query string) int {
		t.Helper()
		_, body := f.get(t, "/api/v1/hotspots/wards?from=2024-03&to=2024-03&"+query, analyst...)
		n := 0
		for _, ft := range features(t, body) {
			if c, ok := ft["count"].(float64); ok {
				n += int(c)
			}
		}
		return n
	}
	police := count("")
	for _, tc := range []struct {
		query string
		want  int
	}{
		{"source=council", 8},
		{"source=council&flag=knife", 2},
		{"source=council&days=fri&hours=20-04", 7},
		{"source=council&days=tue", 1},
		{"source=council&days=sat&hours=20-04", 0},
		{"source=all", police + 8},
	} {
		if got := count(tc.query); got != tc.want {
			t.Errorf("%s: %d, want %d", tc.query, got, tc.want)
		}
	}
}

func features(t *testing.T, body []byte) []map[string]any {
	t.Helper()
	var fc struct {
		Features []struct {
			Properties map[string]any `json:"properties"`
		} `json:"features"`
	}
	if err := json.Unmarshal(body, &fc); err != nil {
		t.Fatalf("%v: %s", err, body)
	}
	out := make([]map[string]any, len(fc.Features))
	for i, f := range fc.Features {
		out[i] = f.Properties
	}
	return out
}

func contains(b []byte, s string) bool { return bytes.Contains(b, []byte(s)) }

// Disclosure control, as each role: the council's ward counts in 2024-03
// are Castle 7 and Westcotes 1. A partner sees Westcotes' 1 suppressed
// and, since it is the only one, Castle's 7 as well (the next-smallest),
// so neither is had from a known total; an analyst sees both; the public
// cannot ask.
func TestSuppression(t *testing.T) {
	f, tokens := partnerFixture(t)
	target := "/api/v1/hotspots/wards?from=2024-03&to=2024-03&source=council"
	for _, tc := range []struct {
		role   access.Role
		status int
		want   map[string]any // ward code → count (nil: suppressed)
	}{
		{access.Partner, 200, map[string]any{codeCastle: nil, codeWestcotes: nil}},
		{access.Analyst, 200, map[string]any{codeCastle: 7.0, codeWestcotes: 1.0}},
		{access.Public, 403, nil},
	} {
		var auth []string
		if tc.role != access.Public {
			auth = bearer(tokens[tc.role])
		}
		resp, body := f.get(t, target, auth...)
		if resp.StatusCode != tc.status {
			t.Fatalf("%s: status %d, want %d: %s", tc.role, resp.StatusCode, tc.status, body)
		}
		if tc.status != 200 {
			continue
		}
		for _, p := range features(t, body) {
			code := p["code"].(string)
			want, ok := tc.want[code]
			if !ok {
				if c, _ := p["count"].(float64); c != 0 || p["suppressed"] != false {
					t.Errorf("%s: %s count %v suppressed %v, want 0 shown", tc.role, code, p["count"], p["suppressed"])
				}
				continue
			}
			if p["count"] != want || p["suppressed"] != (want == nil) {
				t.Errorf("%s: %s count %v suppressed %v, want %v", tc.role, code, p["count"], p["suppressed"], want)
			}
			if want == nil && (p["rate_per_1000"] != nil || p["change_pct"] != nil || p["change_p"] != nil) {
				t.Errorf("%s: %s keeps figures derived from a suppressed count: %v", tc.role, code, p)
			}
		}
	}
	// The cell layers withhold small counts and say so; a null count is
	// always a suppressed one, never a missing zero.
	for _, target := range []string{"/api/v1/hotspots/emerging?source=council&res=10",
		"/api/v1/hotspots/forecast?source=council&res=10&method=counts",
		"/api/v1/hotspots/change?source=council&from=2024-03&to=2024-03"} {
		resp, body := f.get(t, target, bearer(tokens[access.Partner])...)
		if resp.StatusCode != 200 {
			t.Fatalf("%s: %d %s", target, resp.StatusCode, body)
		}
		withheld := 0
		for _, p := range features(t, body) {
			if c, ok := p["count"].(float64); ok && c >= 1 && c < 5 {
				t.Errorf("%s: a count of %v reaches a partner: %v", target, c, p)
			}
			if (p["count"] == nil) != (p["suppressed"] == true) {
				t.Errorf("%s: count %v with suppressed %v", target, p["count"], p["suppressed"])
			}
			if p["suppressed"] == true {
				withheld++
			}
		}
		if withheld == 0 {
			t.Errorf("%s: no count withheld; the fixture should have small ones", target)
		}
	}
	// Police.uk counts are never suppressed, whoever asks.
	_, body := f.get(t, "/api/v1/hotspots/hex?from=2024-03&to=2024-03", bearer(tokens[access.Partner])...)
	for _, p := range features(t, body) {
		if p["suppressed"] != false || p["count"] == nil {
			t.Fatalf("police.uk cell suppressed: %v", p)
		}
	}
}

// A priority may fix the source and the hours; the public neither sees
// it listed nor can ask for it.
func TestLocalPriority(t *testing.T) {
	night := geo.Priority{ID: "night-drinking", Name: "Night-time street drinking", Categories: []string{"Street drinking"}, Source: "council", Hours: "20-04"}
	f, tokens := partnerFixture(t, func(c *Config) {
		c.Analyzer = analysis.New(c.Store, append(geo.BuiltinPriorities(), night))
	})
	analyst := bearer(tokens[access.Analyst])
	if _, body := f.get(t, "/api/v1/priorities"); contains(body, night.ID) {
		t.Errorf("the public sees a local priority: %s", body)
	}
	if _, body := f.get(t, "/api/v1/priorities", analyst...); !contains(body, night.ID) {
		t.Errorf("an analyst does not see the local priority: %s", body)
	}
	if _, body := f.get(t, "/ogc/collections"); contains(body, "hex-"+night.ID) {
		t.Errorf("the public sees a local priority's collections")
	}
	if _, body := f.get(t, "/ogc/collections", analyst...); !contains(body, "hex-"+night.ID) {
		t.Errorf("an analyst does not see the local priority's collections")
	}
	if resp, body := f.get(t, "/api/v1/hotspots/wards?priority=night-drinking&from=2024-03&to=2024-03"); resp.StatusCode != 400 || !contains(body, `"param":"priority"`) || contains(body, "council") {
		// Unknown to the public, as in /api/v1/priorities; its source is not named.
		t.Errorf("public asks for a local priority: %d %s", resp.StatusCode, body)
	}
	_, body := f.get(t, "/api/v1/hotspots/wards?priority=night-drinking&from=2024-03&to=2024-03", analyst...)
	n := 0
	for _, p := range features(t, body) {
		c, _ := p["count"].(float64)
		n += int(c)
	}
	if n != 7 {
		t.Errorf("night-drinking priority counts %d, want the 7 night records", n)
	}
	if resp, body := f.get(t, "/api/v1/incidents?priority=night-drinking", bearer(tokens[access.Partner])...); resp.StatusCode != 400 || !contains(body, `"param":"source"`) {
		t.Errorf("partner asks for local records through a priority: %d %s", resp.StatusCode, body)
	}
	if resp, body := f.get(t, "/api/v1/hotspots/wards?priority=night-drinking&hours=10-12", analyst...); resp.StatusCode != 400 || !contains(body, `"param":"hours"`) {
		t.Errorf("overriding a priority's hours: %d %s", resp.StatusCode, body)
	}
}

// Answers without disclosure control refuse a partner a local source,
// even when a priority fixes it: the backtest and briefing of
// night-drinking would show Castle's 7 records cell by cell, unsuppressed.
// (Series and outcomes withhold small counts instead: see
// TestSuppressionSeriesAndOutcomes.)
func TestPartnerUnsuppressedAnswersRefused(t *testing.T) {
	night := geo.Priority{ID: "night-drinking", Name: "Night-time street drinking", Categories: []string{"Street drinking"}, Source: "council", Hours: "20-04"}
	f, tokens := partnerFixture(t, func(c *Config) {
		c.Analyzer = analysis.New(c.Store, append(geo.BuiltinPriorities(), night))
	})
	partner, analyst := bearer(tokens[access.Partner]), bearer(tokens[access.Analyst])
	for _, target := range []string{
		"/api/v1/concentration?priority=night-drinking&from=2024-03&to=2024-03",
		"/api/v1/backtest?priority=night-drinking&from=2024-03&to=2024-03&train=1",
		"/briefings/wards/Castle?priority=night-drinking&month=2024-03&format=json",
	} {
		if resp, body := f.get(t, target, partner...); resp.StatusCode != 400 || !contains(body, `"param":"source"`) {
			t.Errorf("partner %s: %d %s", target, resp.StatusCode, body)
		}
		if resp, body := f.get(t, target, analyst...); resp.StatusCode == 400 && contains(body, `"param":"source"`) {
			t.Errorf("analyst %s refused: %s", target, body)
		}
	}
}
