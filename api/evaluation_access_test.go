package api

import (
	"net/http"
	"strings"
	"testing"

	"github.com/leicester-csp/hotspot/geo"
	"github.com/leicester-csp/hotspot/geo/access"
	"github.com/leicester-csp/hotspot/geo/analysis"
)

// TestPartnerGetsNoLocalEvaluation: a target area of a priority that
// fixes a local source is evaluated on that source's records; its T, D
// and C counts are unsuppressed (1 to 4 among them), so a partner may not
// have the evaluation — neither from the evaluation route nor from a
// ward brief listing the area — while an analyst may.
func TestPartnerGetsNoLocalEvaluation(t *testing.T) {
	night := geo.Priority{ID: "night-drinking", Name: "Night-time street drinking", Categories: []string{"Street drinking"}, Source: "council", Hours: "20-04"}
	f, tok := partnerFixture(t, func(c *Config) {
		c.Analyzer = analysis.New(c.Store, append(geo.BuiltinPriorities(), night))
		if ts, ok := c.Store.(geo.TargetAreaStore); ok {
			c.Analyzer.WithTargetAreas(ts)
		}
		c.TargetAreas = c.Analyzer.AreaSummaries
	})
	body := strings.Replace(areaBody(castleGeom, "Night area", "2024-03"), `"priority":"asb"`, `"priority":"night-drinking"`, 1)
	code, b := f.send(t, http.MethodPost, "/api/v1/target-areas", body, tok[access.Analyst])
	if code != 201 {
		t.Fatalf("create: %d %s", code, b)
	}
	id := strings.Split(string(b), `"`)[3]
	target := "/api/v1/target-areas/" + id + "/evaluation?control=Westcotes&before=1&after=1"
	if code, b := f.send(t, http.MethodGet, target, "", tok[access.Partner]); code != 400 || !strings.Contains(string(b), `"param":"source"`) {
		t.Errorf("partner %s: %d %s, want a 400 on source", target, code, b)
	}
	if code, b := f.send(t, http.MethodGet, target, "", tok[access.Analyst]); code != 200 || !strings.Contains(string(b), `"t_after":`) {
		t.Errorf("analyst %s: %d %s", target, code, b)
	}
	brief := "/briefings/wards/" + codeCastle + "?priority=asb&month=2024-03&format=json"
	code, b = f.send(t, http.MethodGet, brief, "", tok[access.Partner])
	if code != 200 {
		t.Fatalf("partner brief: %d %s", code, b)
	}
	if !strings.Contains(string(b), "Night area") {
		t.Fatalf("partner brief lists no target area: %s", b)
	}
	if strings.Contains(string(b), `"t_after"`) {
		t.Errorf("partner brief holds a local area's evaluation: %s", b)
	}
	if _, b := f.get(t, brief, bearer(tok[access.Analyst])...); !strings.Contains(string(b), `"t_after"`) {
		t.Errorf("analyst brief lacks the evaluation: %s", b)
	}
}
