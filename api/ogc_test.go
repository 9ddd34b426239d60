package api

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

func TestOGCResources(t *testing.T) {
	f := newFixture(t)
	land := f.getJSON(t, "/ogc", http.StatusOK)
	rels := map[string]string{}
	for _, l := range arr(t, land["links"]) {
		m := obj(t, l)
		rels[m["rel"].(string)] = m["href"].(string)
	}
	for _, rel := range []string{"self", "service-desc", "conformance", "data"} {
		if !strings.HasPrefix(rels[rel], "http://example.com/ogc") {
			t.Errorf("landing link %s = %q, want an absolute href", rel, rels[rel])
		}
	}
	conf := f.getJSON(t, "/ogc/conformance", http.StatusOK)
	if len(arr(t, conf["conformsTo"])) != 3 {
		t.Errorf("conformance = %v", conf)
	}
	cols := f.getJSON(t, "/ogc/collections", http.StatusOK)
	var ids []string
	for _, c := range arr(t, cols["collections"]) {
		ids = append(ids, obj(t, c)["id"].(string))
	}
	if got := strings.Join(ids, ","); got != "incidents,wards,hex-city-centre-violence,hex-asb,hex-retail-crime,change-city-centre-violence,change-asb,change-retail-crime,repeats-city-centre-violence,repeats-asb,repeats-retail-crime,points,emerging-city-centre-violence,emerging-asb,emerging-retail-crime,forecast-city-centre-violence,forecast-asb,forecast-retail-crime" {
		t.Errorf("collections = %s", got)
	}
	api := f.getJSON(t, "/ogc/api", http.StatusOK)
	if api["openapi"] != "3.0.3" || obj(t, api["paths"])["/collections/incidents/items"] == nil {
		t.Errorf("OpenAPI document lacks the items paths")
	}
	// Behind a trusted proxy, hrefs follow the forwarded scheme, host
	// and prefix (httptest's peer is 192.0.2.1).
	f = newFixture(t, func(c *Config) { c.TrustedProxies = []netip.Prefix{netip.MustParsePrefix("192.0.2.0/24")} })
	resp, body := f.get(t, "/ogc", "X-Forwarded-Proto", "https", "X-Forwarded-Host", "maps.example.org", "X-Forwarded-Prefix", "/hotspot")
	if resp.StatusCode != 200 || !strings.Contains(string(body), `"https://maps.example.org/hotspot/ogc/collections"`) {
		t.Errorf("forwarded hrefs: %s", body)
	}
}

func TestOGCItems(t *testing.T) {
	f := newFixture(t)
	all := f.getJSON(t, "/ogc/collections/incidents/items?limit=1000", http.StatusOK)
	total := int(num(t, all["numberMatched"]))
	if total != len(fixtureIncidents()) || int(num(t, all["numberReturned"])) != total {
		t.Fatalf("incidents: matched %v returned %v, want %d", all["numberMatched"], all["numberReturned"], len(fixtureIncidents()))
	}
	// Paging: follow next links and collect every id exactly once.
	seen := map[string]bool{}
	next := "/ogc/collections/incidents/items?limit=7"
	pages := 0
	for next != "" {
		resp, body := f.get(t, next)
		if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != contentGeoJSON {
			t.Fatalf("GET %s: %d %s", next, resp.StatusCode, resp.Header.Get("Content-Type"))
		}
		var page struct {
			Features []struct {
				ID string `json:"id"`
			} `json:"features"`
			NumberMatched int `json:"numberMatched"`
			Links         []link
			TimeStamp     string `json:"timeStamp"`
		}
		if err := json.Unmarshal(body, &page); err != nil {
			t.Fatal(err)
		}
		if page.NumberMatched != total || page.TimeStamp == "" {
			t.Fatalf("page %s: numberMatched %d timeStamp %q", next, page.NumberMatched, page.TimeStamp)
		}
		for _, ft := range page.Features {
			if seen[ft.ID] {
				t.Fatalf("feature %s on two pages", ft.ID)
			}
			seen[ft.ID] = true
		}
		next = ""
		for _, l := range page.Links {
			if l.Rel == "next" {
				if l.Type != contentGeoJSON {
					t.Errorf("next link type %q", l.Type)
				}
				next = strings.TrimPrefix(l.Href, "http://example.com")
			}
		}
		if pages++; pages > 20 {
			t.Fatal("paging does not end")
		}
	}
	if len(seen) != total {
		t.Errorf("paging saw %d features, want %d", len(seen), total)
	}

	tests := []struct {
		target string
		want   func(n int) bool
	}{
		{"/ogc/collections/incidents/items?datetime=2024-01-15T00:00:00Z", func(n int) bool { return n > 0 && n < total }},
		{"/ogc/collections/incidents/items?datetime=2023-01-01T00:00:00Z/..&limit=1000", func(n int) bool { return n > 0 && n < total }},
		{"/ogc/collections/incidents/items?category=Robbery&limit=1000", func(n int) bool { return n > 0 && n < total }},
		{"/ogc/collections/incidents/items?bbox=-1.140000000000000124,52.62999999999999901,-1.12999999999999989,52.6360000000000027&limit=1000", func(n int) bool { return n > 0 && n < total }},
		{"/ogc/collections/wards/items", func(n int) bool { return n == 3 }},
		{"/ogc/collections/wards/items?code=" + codeCastle, func(n int) bool { return n == 1 }},
		{"/ogc/collections/hex-asb/items?limit=10000", func(n int) bool { return n > 0 }},
		{"/ogc/collections/hex-asb/items?res=10&k=2&limit=10000", func(n int) bool { return n > 0 }},
	}
	for _, tc := range tests {
		t.Run(tc.target, func(t *testing.T) {
			v := f.getJSON(t, tc.target, http.StatusOK)
			if n := int(num(t, v["numberMatched"])); !tc.want(n) {
				t.Errorf("numberMatched = %d", n)
			}
		})
	}

	one := f.getJSON(t, "/ogc/collections/wards/items/"+codeCastle, http.StatusOK)
	if one["id"] != codeCastle || obj(t, one["properties"])["name"] != "Castle" {
		t.Errorf("ward item = %v", one)
	}
	inc := arr(t, all["features"])[0]
	id := obj(t, inc)["id"].(string)
	if got := f.getJSON(t, "/ogc/collections/incidents/items/"+id, http.StatusOK); got["id"] != id {
		t.Errorf("incident item = %v", got)
	}
	hexes := f.getJSON(t, "/ogc/collections/hex-asb/items?limit=1", http.StatusOK)
	h := obj(t, arr(t, hexes["features"])[0])["id"].(string)
	if got := f.getJSON(t, "/ogc/collections/hex-asb/items/"+h, http.StatusOK); got["id"] != h {
		t.Errorf("hex item = %v", got)
	}
}

func TestOGCBadRequests(t *testing.T) {
	f := newFixture(t)
	tests := []struct {
		target string
		status int
		param  string
	}{
		{"/ogc/collections/incidents/items?limit=0", 400, "limit"},
		{"/ogc/collections/incidents/items?limit=-5", 400, "limit"},
		{"/ogc/collections/incidents/items?limit=ten", 400, "limit"},
		{"/ogc/collections/incidents/items?offset=-1", 400, "offset"},
		{"/ogc/collections/incidents/items?colour=red", 400, "colour"},
		{"/ogc/collections/incidents/items?datetime=yesterday", 400, "datetime"},
		{"/ogc/collections/incidents/items?datetime=2024-05-01T00:00:00Z/2024-01-01T00:00:00Z", 400, "datetime"},
		{"/ogc/collections/incidents/items?bbox=1,2,3", 400, "bbox"},
		{"/ogc/collections/incidents/items?category=Piracy", 400, "category"},
		{"/ogc/collections/hex-asb/items?res=12", 400, "res"},
		{"/ogc/collections/hex-asb/items?gi_bin=9", 400, "gi_bin"},
		{"/ogc/collections/hex-asb/items?f=html", 400, "f"},
		{"/ogc/collections?limit=3", 400, "limit"},
		{"/ogc/collections/nope", 404, ""},
		{"/ogc/collections/nope/items", 404, ""},
		{"/ogc/collections/wards/items/XX", 404, ""},
		{"/ogc/collections/hex-asb/items/zz", 404, ""},
		{"/ogc/collections/incidents/items/%FF", 404, ""},
		{"/ogc/collections/incidents/items/a%00b", 404, ""},
		{"/ogc/collections/incidents/items?ward=%FF", 400, "ward"},
		{"/ogc/collections/incidents/items?category=Rob%00bery", 400, "category"},
	}
	for _, tc := range tests {
		t.Run(tc.target, func(t *testing.T) {
			v := f.getJSON(t, tc.target, tc.status)
			if p, _ := v["param"].(string); p != tc.param {
				t.Errorf("param = %q, want %q (%v)", p, tc.param, v)
			}
		})
	}
	// Clamped, not refused.
	v := f.getJSON(t, "/ogc/collections/incidents/items?limit=50000", http.StatusOK)
	if v["numberReturned"] == nil {
		t.Error("a limit above the maximum was refused")
	}
}

// TestOGCWithGDAL points GDAL's OAPIF driver — what QGIS uses too — at a
// live server: it must list the collections and copy one into a
// GeoPackage with the feature count the API reports.
func TestOGCWithGDAL(t *testing.T) {
	for _, tool := range []string{"ogrinfo", "ogr2ogr"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s (gdal-bin) not installed", tool)
		}
	}
	f := newFixture(t)
	srv := httptest.NewServer(f.srv)
	defer srv.Close()

	out, err := exec.Command("ogrinfo", "-ro", "OAPIF:"+srv.URL+"/ogc").CombinedOutput()
	if err != nil {
		t.Fatalf("ogrinfo: %v\n%s", err, out)
	}
	for _, id := range []string{"incidents", "wards", "hex-asb", "hex-retail-crime", "hex-city-centre-violence"} {
		if !regexp.MustCompile(`(?m)^\d+: ` + regexp.QuoteMeta(id) + `\b`).Match(out) {
			t.Errorf("ogrinfo does not list %s:\n%s", id, out)
		}
	}
	for _, tc := range []struct{ layer, count string }{
		{"incidents", "/ogc/collections/incidents/items?limit=1"},
		{"hex-asb", "/ogc/collections/hex-asb/items?limit=1"},
		{"wards", "/ogc/collections/wards/items?limit=1"},
	} {
		want := int(num(t, f.getJSON(t, tc.count, 200)["numberMatched"]))
		gpkg := filepath.Join(t.TempDir(), tc.layer+".gpkg")
		// A small page size makes GDAL follow next links.
		cmd := exec.Command("ogr2ogr", "-f", "GPKG", gpkg, "OAPIF:"+srv.URL+"/ogc", tc.layer, "-oo", "PAGE_SIZE=5")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("ogr2ogr %s: %v\n%s", tc.layer, err, out)
		}
		info, err := exec.Command("ogrinfo", "-ro", "-so", gpkg, tc.layer).CombinedOutput()
		if err != nil {
			t.Fatalf("ogrinfo %s: %v\n%s", gpkg, err, info)
		}
		m := regexp.MustCompile(`Feature Count: (\d+)`).FindSubmatch(info)
		if m == nil || string(m[1]) != itoa(want) {
			t.Errorf("%s: GeoPackage holds %s features, the API reports %d\n%s", tc.layer, m, want, info)
		}
	}
}

func itoa(n int) string { b, _ := json.Marshal(n); return string(b) }
