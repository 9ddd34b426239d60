package api

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
)

func TestBadRequests(t *testing.T) {
	f := newFixture(t)
	const (
		hexURL   = "/api/v1/hotspots/hex"
		wardsURL = "/api/v1/hotspots/wards"
		incURL   = "/api/v1/incidents"
		serURL   = "/api/v1/series"
	)
	tests := []struct {
		name, target, param string
	}{
		{"unknown parameter", hexURL + "?foo=1", "foo"},
		{"malformed query", hexURL + "?res=%zz", ""},
		{"semicolon", wardsURL + "?a=1;b=2", ""},
		{"parameter of another endpoint", wardsURL + "?res=9", "res"},
		{"limit on hex", hexURL + "?limit=5", "limit"},
		{"bbox on series", serURL + "?bbox=0,0,1,1", "bbox"},
		{"parameter on meta", "/api/v1/meta?x=1", "x"},
		{"repeated parameter", hexURL + "?res=9&res=9", "res"},
		{"month not YYYY-MM", hexURL + "?from=2024-1", "from"},
		{"month 13", wardsURL + "?to=2024-13", "to"},
		{"empty month", hexURL + "?from=", "from"},
		{"from after to", hexURL + "?from=2024-02&to=2024-01", "from"},
		{"from after the data", hexURL + "?from=2030-01", "from"},
		{"to before year 0", serURL + "?to=0000-05", "to"},
		{"res too small", hexURL + "?res=5", "res"},
		{"res too big", hexURL + "?res=11", "res"},
		{"res not integer", hexURL + "?res=9.0", "res"},
		{"res empty", hexURL + "?res=", "res"},
		{"k zero", hexURL + "?k=0", "k"},
		{"k too big", hexURL + "?k=4", "k"},
		{"k not integer", hexURL + "?k=one", "k"},
		{"unknown priority", hexURL + "?priority=nope", "priority"},
		{"empty priority", wardsURL + "?priority=", "priority"},
		{"unknown category", incURL + "?category=Jaywalking", "category"},
		{"priority and category", hexURL + "?priority=asb&category=Robbery", "category"},
		{"bbox three numbers", hexURL + "?bbox=1,2,3", "bbox"},
		{"bbox five numbers", hexURL + "?bbox=1,2,3,4,5", "bbox"},
		{"bbox not a number", wardsURL + "?bbox=a,2,3,4", "bbox"},
		{"bbox NaN", incURL + "?bbox=NaN,0,1,1", "bbox"},
		{"bbox Inf", incURL + "?bbox=0,0,Inf,1", "bbox"},
		{"bbox min > max", hexURL + "?bbox=1,0,0,1", "bbox"},
		{"bbox lat out of range", hexURL + "?bbox=0,-91,1,1", "bbox"},
		{"bbox lon out of range", hexURL + "?bbox=-181,0,1,1", "bbox"},
		{"bbox empty", hexURL + "?bbox=", "bbox"},
		{"limit zero", incURL + "?limit=0", "limit"},
		{"limit negative", incURL + "?limit=-5", "limit"},
		{"limit not integer", incURL + "?limit=ten", "limit"},
		{"limit overflow negative", incURL + "?limit=-99999999999999999999999", "limit"},
		{"offset negative", incURL + "?offset=-1", "offset"},
		{"offset not integer", incURL + "?offset=1.5", "offset"},
		{"h3 malformed", serURL + "?h3=xyz", "h3"},
		{"h3 upper case", serURL + "?h3=89195CB7597FFFF", "h3"},
		{"h3 res 5", serURL + "?h3=" + cellText(5), "h3"},
		{"h3 res 11", serURL + "?h3=" + cellText(11), "h3"},
		{"h3 not a cell", serURL + "?h3=8f195cb7597ffff", "h3"},
		{"unknown ward", serURL + "?ward=E05999999", "ward"},
		{"h3 and ward", serURL + "?h3=" + cellText(9) + "&ward=" + codeCastle, "ward"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			resp, body := f.get(t, tc.target)
			if resp.StatusCode != http.StatusBadRequest {
				t.Fatalf("status %d, want 400: %s", resp.StatusCode, body)
			}
			if ct := resp.Header.Get("Content-Type"); ct != "application/json" {
				t.Errorf("Content-Type %q", ct)
			}
			var e errorBody
			if err := json.Unmarshal(body, &e); err != nil || e.Error == "" {
				t.Fatalf("body %s: %v", body, err)
			}
			if e.Param != tc.param {
				t.Errorf("param %q, want %q (%s)", e.Param, tc.param, e.Error)
			}
			t.Log(e.Error)
			if resp.Header.Get("ETag") != "" {
				t.Error("an error carries an ETag")
			}
		})
	}
	// The example of the brief, byte for byte.
	_, body := f.get(t, "/api/v1/hotspots/hex?foo=1")
	if got := strings.TrimSpace(string(body)); got != `{"error":"unknown parameter \"foo\"","param":"foo"}` {
		t.Errorf("unknown parameter body %s", got)
	}
}

func TestGoodEdgeCases(t *testing.T) {
	f := newFixture(t)
	for _, target := range []string{
		"/api/v1/hotspots/hex?bbox=-1.1500000000000000222,52.629999999999999005,-1.1299999999999998934,52.64200000000000357", // GDAL's %.18g
		"/api/v1/hotspots/hex?category=Drugs",                                      // a crime type with no incidents
		"/api/v1/hotspots/wards?from=2030-01&to=2030-12",                           // months without data
		"/api/v1/incidents?limit=10000&offset=999999999999",                        // far past the end
		"/api/v1/incidents?limit=99999999999999999999&offset=99999999999999999999", // clamped, past the end
		"/api/v1/series?from=1990-01",                                              // a long series
		"/api/v1/hotspots/hex?bbox=-180,-90,180,90&res=6&k=3&to=2024-03",           // the world
	} {
		resp, body := f.get(t, target)
		if resp.StatusCode != http.StatusOK || !json.Valid(body) {
			t.Errorf("GET %s: status %d: %.200s", target, resp.StatusCode, body)
		}
	}
	// Where every count is equal Gi* is undefined: null z and p, bin 0.
	fc := f.getJSON(t, "/api/v1/hotspots/hex?category=Drugs", http.StatusOK)
	feats := arr(t, fc["features"])
	if len(feats) == 0 {
		t.Fatal("no study area")
	}
	for _, ft := range feats {
		p := obj(t, obj(t, ft)["properties"])
		if p["gi_z"] != nil || p["gi_p"] != nil || p["gi_bin"] != 0.0 || p["count"] != 0.0 {
			t.Fatalf("undefined Gi*: %v", p)
		}
	}
}
