package api

import (
	"encoding/json"
	"math"
	"net/http"
	"slices"
	"testing"
)

func TestWards(t *testing.T) {
	f := newFixture(t)
	wardProps := []string{"code", "name", "count", "population", "rate_per_1000", "prev_count", "change_pct", "change_p", "change_bin", "suppressed", "from", "to"}
	tests := []struct {
		name, query string
		want, prev  expected
		wantCodes   []string
	}{
		{name: "defaults", want: expected{from: "2023-04", to: "2024-03"}, prev: expected{from: "2022-04", to: "2023-03"},
			wantCodes: []string{codeCastle, codeWestcotes, codeAbbey}},
		{name: "priority keeps every ward", query: "priority=city-centre-violence&from=2023-12&to=2024-03",
			want:      expected{from: "2023-12", to: "2024-03", cats: violence, wards: []string{codeCastle}},
			prev:      expected{from: "2023-08", to: "2023-11", cats: violence, wards: []string{codeCastle}},
			wantCodes: []string{codeCastle, codeWestcotes, codeAbbey}},
		{name: "bbox", query: "bbox=-1.149,52.631,-1.148,52.632", want: expected{from: "2023-04", to: "2024-03"},
			prev: expected{from: "2022-04", to: "2023-03"}, wantCodes: []string{codeWestcotes}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			resp, body := f.get(t, "/api/v1/hotspots/wards?"+tc.query)
			if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "application/geo+json" {
				t.Fatalf("status %d, type %q: %s", resp.StatusCode, resp.Header.Get("Content-Type"), body)
			}
			var fc map[string]any
			if err := json.Unmarshal(body, &fc); err != nil {
				t.Fatal(err)
			}
			feats, meta := checkCollection(t, fc, wardProps)
			_, cur := tc.want.counted()
			_, prev := tc.prev.counted()
			var codes []string
			for _, ft := range feats {
				ring(t, ft, "MultiPolygon")
				p := obj(t, ft["properties"])
				code := p["code"].(string)
				codes = append(codes, code)
				if int(num(t, p["count"])) != cur[code] || int(num(t, p["prev_count"])) != prev[code] {
					t.Errorf("%s: count %v prev %v, want %d, %d", code, p["count"], p["prev_count"], cur[code], prev[code])
				}
				pop, known := fixturePopulation()[code]
				switch {
				case !known && (p["population"] != nil || p["rate_per_1000"] != nil):
					t.Errorf("%s: population %v rate %v, want null", code, p["population"], p["rate_per_1000"])
				case known && math.Abs(num(t, p["rate_per_1000"])-float64(cur[code])*1000/float64(pop)) > 1e-12:
					t.Errorf("%s: rate %v", code, p["rate_per_1000"])
				}
				// The fixture starts in 2022-12: a previous period that
				// starts earlier is partial, which the meta says.
				complete := tc.prev.from >= fixtureMonths[0]
				if prev[code] == 0 && p["change_pct"] != nil {
					t.Errorf("%s: change_pct %v with prev_count 0, want null", code, p["change_pct"])
				}
				if prev[code] > 0 && math.Abs(num(t, p["change_pct"])-float64(cur[code]-prev[code])*100/float64(prev[code])) > 1e-9 {
					t.Errorf("%s: change_pct %v", code, p["change_pct"])
				}
				if meta["previous_complete"] != complete || meta["previous_from"] != tc.prev.from {
					t.Errorf("meta previous %v %v, want %v from %s", meta["previous_complete"], meta["previous_from"], complete, tc.prev.from)
				}
			}
			if !slices.Equal(codes, sorted(tc.wantCodes...)) {
				t.Errorf("wards %v, want %v", codes, tc.wantCodes)
			}
			if meta["from"] != tc.want.from || meta["to"] != tc.want.to {
				t.Errorf("meta from/to %v/%v", meta["from"], meta["to"])
			}
			for _, k := range []string{"res", "k", "cells"} {
				if _, ok := meta[k]; ok {
					t.Errorf("ward meta has hex member %s", k)
				}
			}
		})
	}
}
