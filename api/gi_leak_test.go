package api

import (
	"net/http"
	"testing"

	"github.com/leicester-csp/hotspot/geo/access"
)

// TestPartnerGetsNoExactLocalStatistics: every cell's gi_z (and so gi_p)
// is a linear function of its neighbourhood's counts, with x̄ and S shared
// by all cells; knowing the area's total (a series), a partner solved the
// whole linear system from one hex answer and had every suppressed count
// back exactly (131 of 131 cells on the synthetic city). A forecast's
// recency, kde and gi scores are linear in the counts likewise. So a
// partner's answers of a local source carry the bins and ranks, never
// the exact z, p or score; police.uk answers and analysts keep them.
func TestPartnerGetsNoExactLocalStatistics(t *testing.T) {
	f, tokens := partnerFixture(t)
	partner := bearer(tokens[access.Partner])
	analyst := bearer(tokens[access.Analyst])
	cases := []struct {
		target string
		fields []string
	}{
		{"/api/v1/hotspots/hex?source=council&res=10&from=2024-03&to=2024-03", []string{"gi_z", "gi_p"}},
		{"/api/v1/hotspots/forecast?source=council&res=10&method=kde&coverage=50", []string{"score"}},
		{"/api/v1/hotspots/forecast?source=council&res=10&method=recency&coverage=50", []string{"score"}},
	}
	for _, tc := range cases {
		resp, body := f.get(t, tc.target, partner...)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("partner %s: %d %s", tc.target, resp.StatusCode, body)
		}
		fs := features(t, body)
		if len(fs) == 0 {
			t.Fatalf("partner %s: no features", tc.target)
		}
		for _, p := range fs {
			for _, name := range tc.fields {
				if p[name] != nil {
					t.Fatalf("partner %s: %s %v reaches a partner: %v", tc.target, name, p[name], p)
				}
			}
		}
		// The analyst keeps them.
		_, body = f.get(t, tc.target, analyst...)
		shown := false
		for _, p := range features(t, body) {
			shown = shown || p[tc.fields[0]] != nil
		}
		if !shown {
			t.Errorf("analyst %s: no %s at all", tc.target, tc.fields[0])
		}
	}
	// police.uk figures are public: a partner keeps gi_z there.
	_, body := f.get(t, "/api/v1/hotspots/hex?from=2024-03&to=2024-03", partner...)
	shown := false
	for _, p := range features(t, body) {
		shown = shown || p["gi_z"] != nil
	}
	if !shown {
		t.Error("police.uk hex for a partner: gi_z withheld")
	}
}
