package api

import (
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/leicester-csp/hotspot/geo"
	"github.com/leicester-csp/hotspot/geo/access"
	"github.com/leicester-csp/hotspot/geo/hex"
)

// A partner's export may end before police.uk's latest month. A change
// whose current period runs past the source's last month compares
// months it holds with months it does not: every place would read as a
// significant fall. Such a change has no test, as a base before the
// source's first month has none.
func TestChangePastASourcesLastMonth(t *testing.T) {
	f, tokens := keyedFixture(t)
	importOutreach(t, f)
	analyst := bearer(tokens[access.Analyst])
	for _, tc := range []struct {
		query    string
		complete bool
	}{
		// Base 2023-12, current 2024-01: both held.
		{"from=2024-01&to=2024-01", true},
		// Current 2024-02…03 lies past the source's last month.
		{"from=2024-02&to=2024-03", false},
		// Base 2023-10 lies before its first month.
		{"from=2023-11&to=2023-11", false},
	} {
		for _, path := range []string{"/api/v1/hotspots/wards", "/api/v1/hotspots/change"} {
			target := path + "?source=outreach&" + tc.query
			resp, body := f.get(t, target, analyst...)
			if resp.StatusCode != 200 {
				t.Fatalf("%s: %d %s", target, resp.StatusCode, body)
			}
			h := decodeHotspot(t, body)
			if h["previous_complete"] != tc.complete {
				t.Errorf("%s: previous_complete %v, want %v", target, h["previous_complete"], tc.complete)
			}
			tested := 0
			for _, p := range features(t, body) {
				if p["change_p"] != nil {
					tested++
				}
			}
			if tc.complete != (tested > 0) {
				t.Errorf("%s: %d places with a change_p; want some only when complete", target, tested)
			}
		}
	}
}

// A brief of a source that ends early is drawn up within its months:
// by default it ends at the source's last month, and a month past it is
// a 400 naming month.
func TestBriefWithinASourcesMonths(t *testing.T) {
	f, tokens := keyedFixture(t)
	importOutreach(t, f)
	analyst := bearer(tokens[access.Analyst])
	base := "/briefings/wards/" + codeCastle + "?priority=asb&source=outreach&format=json&months=1"
	resp, body := f.get(t, base, analyst...)
	if resp.StatusCode != 200 {
		t.Fatalf("%d %s", resp.StatusCode, body)
	}
	var b struct {
		From, To string
		Data     struct{ From, To string }
	}
	if err := json.Unmarshal(body, &b); err != nil {
		t.Fatal(err)
	}
	if b.To != "2024-01" || b.Data.From != "2023-11" || b.Data.To != "2024-01" {
		t.Errorf("brief %s to %s, data %+v; want to 2024-01 within 2023-11 to 2024-01", b.From, b.To, b.Data)
	}
	if resp, body := f.get(t, base+"&month=2024-03", analyst...); resp.StatusCode != 400 || !contains(body, `"param":"month"`) {
		t.Errorf("a month past the source's last: %d %s", resp.StatusCode, body)
	}
}

// decodeHotspot is an answer's hotspot member.
func decodeHotspot(t *testing.T, body []byte) map[string]any {
	t.Helper()
	var fc struct {
		Hotspot map[string]any `json:"hotspot"`
	}
	if err := json.Unmarshal(body, &fc); err != nil {
		t.Fatalf("%v: %s", err, body)
	}
	return fc.Hotspot
}

// importOutreach adds a local source, "outreach", to the fixture: records
// in Castle's hot cell from 2023-11 to 2024-01 only, while the fixture's
// police.uk months run to 2024-03.
func importOutreach(t *testing.T, f *fixture) {
	t.Helper()
	var rows []geo.Row
	for i, month := range []int{11, 12, 1} {
		year := 2023
		if month == 1 {
			year = 2024
		}
		for j := range 6 + 3*i {
			at := time.Date(year, time.Month(month), 2+j, 21, 0, 0, 0, geo.London)
			p := fixturePoints[0]
			rows = append(rows, geo.Row{Incident: &geo.Located{Incident: geo.Incident{
				ID: fmt.Sprintf("o%d-%d", month, j), Month: geo.NewMonth(year, month), Category: "Street drinking",
				Location: "Clock Tower", HasLocation: true, Point: p, Source: "outreach", Occurred: at,
			}, Cells: hex.CellsAt(p)}})
		}
	}
	seq := func(yield func(geo.Row, error) bool) {
		for _, r := range rows {
			if !yield(r, nil) {
				return
			}
		}
	}
	if _, err := f.store.Import(t.Context(), geo.ImportInput{Rows: seq}); err != nil {
		t.Fatal(err)
	}
}

// Source and flag names are taken in any case, as days are and as the
// access check compares them: a public source=ALL is police.uk, not a
// "needs a key" error after the access check has let it through.
func TestSourceAndFlagInAnyCase(t *testing.T) {
	f, tokens := partnerFixture(t)
	analyst := bearer(tokens[access.Analyst])
	for _, tc := range []struct {
		target string
		auth   []string
	}{
		{"/api/v1/hotspots/wards?source=ALL&from=2024-03&to=2024-03", nil},
		{"/api/v1/hotspots/wards?source=PoliceUK&from=2024-03&to=2024-03", nil},
		{"/api/v1/hotspots/wards?source=Council&flag=KNIFE&from=2024-03&to=2024-03", analyst},
	} {
		if resp, body := f.get(t, tc.target, tc.auth...); resp.StatusCode != 200 {
			t.Errorf("%s: %d %s", tc.target, resp.StatusCode, body)
		}
	}
	_, lower := f.get(t, "/api/v1/hotspots/wards?source=council&flag=knife&from=2024-03&to=2024-03", analyst...)
	_, upper := f.get(t, "/api/v1/hotspots/wards?source=COUNCIL&flag=Knife&from=2024-03&to=2024-03", analyst...)
	if fmt.Sprint(features(t, lower)) != fmt.Sprint(features(t, upper)) {
		t.Error("upper-case source and flag answer differently")
	}
}
