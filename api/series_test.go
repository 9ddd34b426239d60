package api

import (
	"encoding/json"
	"net/http"
	"testing"

	"github.com/leicester-csp/hotspot/geo"
)

func TestSeries(t *testing.T) {
	f := newFixture(t)
	castleCell := "" // the res-9 cell of Castle's hotspot
	hexFC := f.getJSON(t, "/api/v1/hotspots/hex?bbox=-1.1352,52.6331,-1.1352,52.6331", http.StatusOK)
	for _, ft := range arr(t, hexFC["features"]) {
		castleCell = obj(t, obj(t, ft)["properties"])["h3"].(string)
	}
	if castleCell == "" {
		t.Fatal("no cell at Castle's hotspot")
	}
	tests := []struct {
		name, query string
		months      int
		key         func(l *geo.Located) bool
		want        expected
	}{
		{name: "whole area", months: 12, want: expected{from: "2023-04", to: "2024-03"}, key: func(*geo.Located) bool { return true }},
		{name: "ward", query: "ward=" + codeWestcotes + "&category=Burglary", months: 12, want: expected{from: "2023-04", to: "2024-03", cats: []string{"Burglary"}},
			key: func(l *geo.Located) bool { return wardOf(l.Point) == codeWestcotes }},
		{name: "cell", query: "h3=" + castleCell + "&from=2022-12", months: 16, want: expected{from: "2022-12", to: "2024-03"},
			key: func(l *geo.Located) bool {
				return l.Point == fixturePoints[0] || l.Point == fixturePoints[1] || l.Point == fixturePoints[2]
			}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			resp, body := f.get(t, "/api/v1/series?"+tc.query)
			if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "application/json" {
				t.Fatalf("status %d, type %q: %s", resp.StatusCode, resp.Header.Get("Content-Type"), body)
			}
			var ans struct {
				Series []struct {
					Month string
					Count int
				}
				Meta map[string]any
			}
			if err := json.Unmarshal(body, &ans); err != nil {
				t.Fatal(err)
			}
			want := map[string]int{}
			for _, l := range fixtureIncidents() {
				if tc.want.match(l) && tc.want.inArea(l) && tc.key(l) {
					want[l.Month.String()]++
				}
			}
			if len(ans.Series) != tc.months {
				t.Fatalf("%d months, want %d (zeros included)", len(ans.Series), tc.months)
			}
			zeros := 0
			for i, p := range ans.Series {
				if i > 0 && p.Month <= ans.Series[i-1].Month {
					t.Errorf("months out of order at %s", p.Month)
				}
				if p.Count != want[p.Month] {
					t.Errorf("%s: %d, want %d", p.Month, p.Count, want[p.Month])
				}
				if p.Count == 0 {
					zeros++
				}
			}
			if zeros == 0 {
				t.Error("no zero month: the fixture should have gaps")
			}
			if ans.Meta["from"] != tc.want.from {
				t.Errorf("meta from %v", ans.Meta["from"])
			}
		})
	}
}
