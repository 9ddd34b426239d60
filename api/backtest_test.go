package api

import (
	"net/http"
	"reflect"
	"slices"
	"strings"
	"testing"
)

// The fixture's months run 2022-12 to 2024-03: with a 3-month training
// window the test months can start at 2023-03.

func TestBacktestEndpoint(t *testing.T) {
	f := newFixture(t)
	v := f.getJSON(t, "/api/v1/backtest?from=2023-03&to=2024-03&train=3", http.StatusOK)
	rows, means := arr(t, v["rows"]), arr(t, v["means"])
	// 13 test months × 4 methods × 3 coverages; means per method and
	// coverage.
	if len(rows) != 13*4*3 || len(means) != 4*3 {
		t.Fatalf("%d rows, %d means", len(rows), len(means))
	}
	want := []string{"month", "method", "coverage", "cells", "selected", "incidents", "hits", "pai", "pei", "rri"}
	for _, r := range rows {
		for _, k := range want {
			if _, ok := obj(t, r)[k]; !ok {
				t.Fatalf("row %v lacks %s", r, k)
			}
		}
	}
	first := obj(t, rows[0])
	if first["month"] != "2023-03" || first["method"] != "counts" || first["coverage"] != 1.0 {
		t.Errorf("first row %v: want 2023-03, counts, 1", first)
	}
	m := obj(t, means[len(means)-1])
	if m["method"] != "kde" || m["coverage"] != 10.0 {
		t.Errorf("last mean %v: want kde at 10", m)
	}
	h := obj(t, v["hotspot"])
	if h["from"] != "2023-03" || h["to"] != "2024-03" || h["train"] != 3.0 || h["bandwidth"] != 250.0 || h["res"] != 9.0 {
		t.Errorf("hotspot %v", h)
	}
	v = f.getJSON(t, "/api/v1/backtest?from=2024-03&to=2024-03&train=3&method=gi,counts&coverage=50", http.StatusOK)
	if rows := arr(t, v["rows"]); len(rows) != 2 || obj(t, rows[0])["method"] != "counts" || obj(t, rows[1])["method"] != "gi" {
		t.Errorf("method=gi,counts: rows %v", rows)
	}
}

func TestBacktestBadParams(t *testing.T) {
	f := newFixture(t)
	tests := []struct {
		query, param string
	}{
		{"from=2023-03&train=3&method=magic", "method"},
		{"from=2023-03&train=3&method=", "method"},
		{"from=2023-03&train=3&coverage=0", "coverage"},
		{"from=2023-03&train=3&coverage=1,101", "coverage"},
		{"from=2023-03&train=3&coverage=x", "coverage"},
		{"from=2023-03&train=3&coverage=1" + strings.Repeat(",2", 20), "coverage"},
		{"from=2023-03&to=2024-04&train=3", "to"},
		{"from=2023-03&train=0", "train"},
		{"from=2023-03&train=-2", "train"},
		{"from=2023-03&train=3&bandwidth=0", "bandwidth"},
		{"from=2023-03&train=3&bandwidth=1000000", "bandwidth"},
		{"from=2023-03&train=3&bandwidth=wide", "bandwidth"},
		{"from=2023-02&to=2024-03&train=3", "from"},
		// The default 12 test months end at 2024-03 and start at 2023-04;
		// a 12-month window then needs data from 2022-04.
		{"train=12", "from"},
		{"from=2023-03&train=3&k=auto", "k"},
		{"from=2023-03&train=3&study=points", "study"},
		{"from=2023-03&train=3&bbox=0,0,1,1", "bbox"},
	}
	for _, tc := range tests {
		v := f.getJSON(t, "/api/v1/backtest?"+tc.query, http.StatusBadRequest)
		if v["param"] != tc.param {
			t.Errorf("%s: param %v, want %s (%v)", tc.query, v["param"], tc.param, v["error"])
		}
	}
}

func TestForecastEndpoint(t *testing.T) {
	f := newFixture(t)
	v := f.getJSON(t, "/api/v1/hotspots/forecast?train=3&coverage=10", http.StatusOK)
	feats := arr(t, v["features"])
	h := obj(t, v["hotspot"])
	if len(feats) == 0 {
		t.Fatalf("no features: %v", v)
	}
	cells, scored := int(h["cells"].(float64)), int(num(t, h["scored_cells"]))
	if want := min((10*cells+99)/100, scored); len(feats) != want {
		t.Errorf("%d features of %d cells (%d scored above 0), want ⌈10 %%⌉ or the scored, %d", len(feats), cells, scored, want)
	}
	for i, ft := range feats {
		p := obj(t, obj(t, ft)["properties"])
		var keys []string
		for k := range p {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		if !slices.Equal(keys, []string{"count", "h3", "rank", "score", "suppressed", "top_location"}) || p["rank"] != float64(i+1) {
			t.Errorf("feature %d: %v", i, p)
		}
	}
	if !slices.Contains([]any{"counts", "recency", "gi", "kde"}, h["method"]) || h["method_auto"] != true || h["coverage"] != 10.0 || h["train"] != 3.0 {
		t.Errorf("hotspot %v", h)
	}
	for _, k := range []string{"pai", "pei", "rri", "backtest_from", "backtest_to"} {
		if _, ok := h[k]; !ok {
			t.Errorf("hotspot lacks %s: %v", k, h)
		}
	}
	if h["backtest_to"] != "2024-03" || h["backtest_from"] != "2023-10" || h["from"] != "2024-01" || h["to"] != "2024-03" {
		t.Errorf("months: %v", h)
	}
	v = f.getJSON(t, "/api/v1/hotspots/forecast?train=3&method=gi&priority=asb", http.StatusOK)
	if h := obj(t, v["hotspot"]); h["method"] != "gi" || h["method_auto"] != false || len(arr(t, h["candidates"])) != 1 {
		t.Errorf("method=gi: %v", h)
	}
	byCode := f.getJSON(t, "/api/v1/hotspots/forecast?train=3&ward="+codeCastle, http.StatusOK)
	// A ward by name, as everywhere a ward is asked for, in any case.
	if byName := f.getJSON(t, "/api/v1/hotspots/forecast?train=3&ward=castle", http.StatusOK); !reflect.DeepEqual(byName["features"], byCode["features"]) {
		t.Errorf("ward=castle answers differently from ward=%s", codeCastle)
	}
	for _, tc := range []struct{ query, param string }{
		{"method=magic", "method"},
		{"method=counts,gi", "method"},
		{"coverage=1,5", "coverage"},
		{"coverage=0", "coverage"},
		{"coverage=100.01", "coverage"},
		{"train=0", "train"},
		// The data run 2022-12 to 2024-03: 16 months.
		{"train=17", "train"},
		{"bandwidth=-3", "bandwidth"},
		{"from=2023-01", "from"},
		{"ward=E05999999", "ward"},
		{"k=auto", "k"},
	} {
		v := f.getJSON(t, "/api/v1/hotspots/forecast?"+tc.query, http.StatusBadRequest)
		if v["param"] != tc.param {
			t.Errorf("%s: param %v, want %s (%v)", tc.query, v["param"], tc.param, v["error"])
		}
	}
	// Tiles and OGC follow from the declaration.
	if resp, body := f.get(t, "/tiles/forecast/12/2035/1341.mvt?train=3"); resp.StatusCode != http.StatusOK {
		t.Errorf("tile: %d %s", resp.StatusCode, body)
	}
	// The fixture's ASB is all before 2024: trained on the latest three
	// months no cell scores above 0, so none is a target.
	items := f.getJSON(t, "/ogc/collections/forecast-asb/items?train=3&coverage=50", http.StatusOK)
	if n := len(arr(t, items["features"])); n != 0 || obj(t, items["hotspot"])["scored_cells"] != 0.0 {
		t.Errorf("OGC forecast-asb, train 3: %d features, hotspot %v; want none, scored_cells 0", n, items["hotspot"])
	}
	items = f.getJSON(t, "/ogc/collections/forecast-asb/items?train=12&coverage=50", http.StatusOK)
	if n := len(arr(t, items["features"])); n == 0 || float64(n) > num(t, obj(t, items["hotspot"])["scored_cells"]) {
		t.Errorf("OGC forecast-asb, train 12: %d features, hotspot %v", n, items["hotspot"])
	}
}
