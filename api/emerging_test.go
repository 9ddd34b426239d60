package api

import (
	"encoding/csv"
	"encoding/json"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/paulmach/orb/maptile"

	"github.com/leicester-csp/hotspot/geo/hex"
	"github.com/leicester-csp/hotspot/geo/stats"
)

// TestEmerging covers the emerging layer through every output over the
// fixture: GeoJSON (bins an array), CSV (bins "0,0,…"), a vector tile,
// the OGC collection per priority, and the 10-month minimum.
func TestEmerging(t *testing.T) {
	f := newFixture(t)
	props := []string{"h3", "count", "suppressed", "pattern", "trend_z", "trend_p", "months_hot", "months_cold", "bins", "from", "to"}
	const q = "/api/v1/hotspots/emerging?from=2023-01&to=2024-03&res=8"
	resp, body := f.get(t, q)
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "application/geo+json" {
		t.Fatalf("status %d, type %q: %s", resp.StatusCode, resp.Header.Get("Content-Type"), body)
	}
	var fc map[string]any
	if err := json.Unmarshal(body, &fc); err != nil {
		t.Fatal(err)
	}
	feats, meta := checkCollection(t, fc, props)
	if meta["from"] != "2023-01" || meta["to"] != "2024-03" || meta["res"] != float64(8) || meta["k"] != float64(1) {
		t.Errorf("hotspot member %v", meta)
	}
	// One feature per study-area cell: the hex layer's cells and counts.
	var hexFC map[string]any
	_, hexBody := f.get(t, "/api/v1/hotspots/hex?from=2023-01&to=2024-03&res=8")
	if err := json.Unmarshal(hexBody, &hexFC); err != nil {
		t.Fatal(err)
	}
	hexFeats := arr(t, hexFC["features"])
	if len(feats) == 0 || len(feats) != len(hexFeats) {
		t.Fatalf("%d features, hex layer %d", len(feats), len(hexFeats))
	}
	for i, ft := range feats {
		ring(t, ft, "Polygon")
		p := obj(t, ft["properties"])
		hp := obj(t, obj(t, hexFeats[i])["properties"])
		if p["h3"] != hp["h3"] || p["count"] != hp["count"] {
			t.Errorf("feature %d: %v %v, hex layer %v %v", i, p["h3"], p["count"], hp["h3"], hp["count"])
		}
		if !slices.Contains(stats.Patterns(), p["pattern"].(string)) {
			t.Errorf("pattern %v", p["pattern"])
		}
		bins := arr(t, p["bins"])
		hot := 0
		for _, b := range bins {
			if num(t, b) >= 2 {
				hot++
			}
		}
		if len(bins) != 15 || float64(hot) != num(t, p["months_hot"]) {
			t.Errorf("bins %v, months_hot %v", bins, p["months_hot"])
		}
	}

	// CSV: the bins as one text field, numbers joined by commas.
	resp, body = f.get(t, q+"&format=csv")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("csv: %d %s", resp.StatusCode, body)
	}
	recs, err := csv.NewReader(strings.NewReader(string(body))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(recs[0], ","); got != "h3,count,suppressed,pattern,trend_z,trend_p,months_hot,months_cold,bins,from,to,wkt" {
		t.Errorf("CSV header %s", got)
	}
	if len(recs) != len(feats)+1 {
		t.Fatalf("%d CSV rows, want %d", len(recs)-1, len(feats))
	}
	for i, rec := range recs[1:] {
		var want []string
		for _, b := range arr(t, obj(t, feats[i]["properties"])["bins"]) {
			want = append(want, strconv.Itoa(int(num(t, b))))
		}
		if rec[8] != strings.Join(want, ",") {
			t.Errorf("row %d bins %q, want %q", i, rec[8], strings.Join(want, ","))
		}
	}

	// A vector tile over a fixture cell carries the bins as text.
	c, _ := hex.Parse(obj(t, feats[0]["properties"])["h3"].(string))
	tile := maptile.At(hex.Center(c), 12)
	resp, body = f.get(t, tileURLPath("emerging", tile)+"?from=2023-01&to=2024-03&res=8")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("tile: %d %s", resp.StatusCode, body)
	}
	ls := decodeTile(t, body)
	if len(ls) != 1 || ls[0].Name != "emerging" || len(ls[0].Features) == 0 {
		t.Fatalf("tile layers %v", ls)
	}
	if b, ok := ls[0].Features[0].Properties["bins"].(string); !ok || strings.Count(b, ",") != 14 {
		t.Errorf("tile bins %v", ls[0].Features[0].Properties["bins"])
	}

	// OGC: one collection per priority, and a schema typing bins.
	items := f.getJSON(t, "/ogc/collections/emerging-asb/items?datetime=2023-01/2024-03", http.StatusOK)
	if len(arr(t, items["features"])) == 0 {
		t.Error("emerging-asb has no items")
	}
	if col := f.getJSON(t, "/ogc/collections/emerging-asb", http.StatusOK); col["title"] != "Emerging hot spots: Anti-social behaviour" {
		t.Errorf("collection title %v", col["title"])
	}
	sch := f.getJSON(t, "/ogc/collections/emerging-asb/schema", http.StatusOK)
	if bins := obj(t, obj(t, sch["properties"])["bins"]); bins["type"] != "array" || obj(t, bins["items"])["type"] != "integer" {
		t.Errorf("schema of bins %v", bins)
	}

	// Fewer than 10 months is a 400 naming from; so is k=auto, more than
	// MaxEmergingMonths, and a window reaching outside the data (2022-12
	// to 2024-03), whose missing months would count as zeros.
	for query, param := range map[string]string{"from=2023-07&to=2024-03": "from", "to=2024-03&from=2024-03": "from", "k=auto": "k", "study=points": "study", "ward=E05000001": "ward",
		"from=0001-01&to=9999-12": "from", "from=2022-11&to=2024-03": "from", "from=2023-01&to=2024-04": "to"} {
		var e struct{ Error, Param string }
		resp, body := f.get(t, "/api/v1/hotspots/emerging?"+query)
		_ = json.Unmarshal(body, &e)
		if resp.StatusCode != http.StatusBadRequest || e.Param != param {
			t.Errorf("?%s: %d %s, want 400 naming %s", query, resp.StatusCode, body, param)
		}
	}
}
