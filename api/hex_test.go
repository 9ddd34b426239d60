package api

import (
	"github.com/leicester-csp/hotspot/geo/layer"

	"encoding/json"
	"math"
	"net/http"
	"testing"

	"github.com/leicester-csp/hotspot/geo"
)

func TestHex(t *testing.T) {
	f := newFixture(t)
	hexProps := []string{"h3", "count", "gi_z", "gi_p", "gi_bin", "top_location", "suppressed", "from", "to"}
	tests := []struct {
		name, query string
		want        expected
		priority    any // id or nil
		res, k      float64
		area        any
	}{
		{name: "defaults", query: "", want: expected{from: "2023-04", to: "2024-03"}, res: 9, k: 1},
		{name: "category res k", query: "category=Robbery&res=8&k=2", want: expected{from: "2023-04", to: "2024-03", cats: []string{"Robbery"}}, res: 8, k: 2},
		{name: "priority with area", query: "priority=city-centre-violence", want: expected{from: "2023-04", to: "2024-03", cats: violence, wards: []string{codeCastle}},
			priority: "city-centre-violence", res: 9, k: 1, area: []any{codeCastle}},
		{name: "priority asb", query: "priority=asb&res=10&k=3", want: expected{from: "2023-04", to: "2024-03", cats: asbCats}, priority: "asb", res: 10, k: 3},
		{name: "from and to", query: "from=2023-01&to=2023-12", want: expected{from: "2023-01", to: "2023-12"}, res: 9, k: 1},
		{name: "to alone", query: "to=2023-06", want: expected{from: "2022-07", to: "2023-06"}, res: 9, k: 1},
		{name: "from alone", query: "from=2023-10", want: expected{from: "2023-10", to: "2024-03"}, res: 6, k: 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			q := tc.query
			if tc.res == 6 {
				q += "&res=6"
			}
			resp, body := f.get(t, "/api/v1/hotspots/hex?"+q)
			if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "application/geo+json" {
				t.Fatalf("status %d, type %q: %s", resp.StatusCode, resp.Header.Get("Content-Type"), body)
			}
			var fc map[string]any
			if err := json.Unmarshal(body, &fc); err != nil {
				t.Fatal(err)
			}
			feats, meta := checkCollection(t, fc, hexProps)
			sum := 0.0
			for _, ft := range feats {
				ring(t, ft, "Polygon")
				p := obj(t, ft["properties"])
				sum += num(t, p["count"])
				if (p["gi_z"] == nil) != (p["gi_p"] == nil) {
					t.Errorf("gi_z %v and gi_p %v: both or neither null", p["gi_z"], p["gi_p"])
				}
				if b := num(t, p["gi_bin"]); b < -3 || b > 3 || b != math.Trunc(b) {
					t.Errorf("gi_bin %v", b)
				}
			}
			n, _ := tc.want.counted()
			if int(sum) != n {
				t.Errorf("counts sum to %v, want %d counted incidents", sum, n)
			}
			if n == 0 {
				t.Fatalf("test case counts nothing; pick a better one")
			}
			checks := map[string]any{
				"from": tc.want.from, "to": tc.want.to, "res": tc.res, "k": tc.k,
				"priority": tc.priority, "area": tc.area, "cells": float64(len(feats)),
				"synthetic": false, "generated_from": layer.SourcePoliceUK,
			}
			for k, want := range checks {
				if got := meta[k]; !equalJSON(got, want) {
					t.Errorf("meta %s = %v, want %v", k, got, want)
				}
			}
			from, _ := geo.ParseMonth(tc.want.from)
			to, _ := geo.ParseMonth(tc.want.to)
			if got := num(t, meta["months"]); int(got) != int(to-from)+1 {
				t.Errorf("meta months %v", got)
			}
			if v, _ := meta["version"].(string); v == "" {
				t.Errorf("meta version empty")
			}
		})
	}
}

func TestHexBBoxOnlyFilters(t *testing.T) {
	f := newFixture(t)
	all := f.getJSON(t, "/api/v1/hotspots/hex", http.StatusOK)
	byCell := map[string]map[string]any{}
	for _, ft := range arr(t, all["features"]) {
		p := obj(t, obj(t, ft)["properties"])
		byCell[p["h3"].(string)] = p
	}
	// A box over Castle's hotspot only.
	part := f.getJSON(t, "/api/v1/hotspots/hex?bbox=-1.1360,52.6325,-1.1345,52.6335", http.StatusOK)
	feats := arr(t, part["features"])
	if len(feats) == 0 || len(feats) >= len(byCell) {
		t.Fatalf("bbox kept %d of %d cells", len(feats), len(byCell))
	}
	for _, ft := range feats {
		p := obj(t, obj(t, ft)["properties"])
		if whole := byCell[p["h3"].(string)]; !equalJSON(p, whole) {
			t.Errorf("bbox changed a cell's figures: %v, without bbox %v", p, whole)
		}
	}
	if a, b := obj(t, all["hotspot"])["cells"], obj(t, part["hotspot"])["cells"]; a != b {
		t.Errorf("meta cells %v with bbox, %v without: the study area must not change", b, a)
	}
	none := f.getJSON(t, "/api/v1/hotspots/hex?bbox=10,10,11,11", http.StatusOK)
	if n := len(arr(t, none["features"])); n != 0 {
		t.Errorf("far bbox kept %d cells", n)
	}
}
