package api

import (
	"bytes"
	"encoding/csv"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/leicester-csp/hotspot/geo/layer"
)

// The hex and ward layers answer every feature of the study area, never
// a page of them, however many there are.
func TestLayersAnswerWhole(t *testing.T) {
	f := newFixture(t)
	for _, target := range []string{"/api/v1/hotspots/hex?res=10&k=1&from=2022-01", "/api/v1/hotspots/wards"} {
		fc := f.getJSON(t, target, http.StatusOK)
		n := len(arr(t, fc["features"]))
		if meta := obj(t, fc["hotspot"]); meta["cells"] != nil && int(num(t, meta["cells"])) != n {
			t.Errorf("%s: %d features of %v cells", target, n, meta["cells"])
		}
		if _, paged := fc["numberMatched"]; paged {
			t.Errorf("%s: a whole layer carries numberMatched", target)
		}
	}
}

func TestCSVNegotiation(t *testing.T) {
	f := newFixture(t)
	tests := []struct {
		name, target string
		headers      []string
		wantCSV      bool
		wantStatus   int
	}{
		{"format=csv", "/api/v1/hotspots/wards?format=csv", nil, true, 200},
		{"Accept text/csv", "/api/v1/incidents", []string{"Accept", "text/csv"}, true, 200},
		{"GeoJSON first in Accept", "/api/v1/incidents", []string{"Accept", "application/geo+json, text/csv"}, false, 200},
		{"format=geojson beats nothing", "/api/v1/hotspots/hex?format=geojson", nil, false, 200},
		{"unknown format", "/api/v1/hotspots/hex?format=xlsx", nil, false, 400},
		{"series has no CSV", "/api/v1/series?format=csv", nil, false, 400},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			resp, body := f.get(t, tc.target, tc.headers...)
			if resp.StatusCode != tc.wantStatus {
				t.Fatalf("status %d, want %d: %s", resp.StatusCode, tc.wantStatus, body)
			}
			if tc.wantStatus != 200 {
				return
			}
			isCSV := strings.HasPrefix(resp.Header.Get("Content-Type"), "text/csv")
			if isCSV != tc.wantCSV || !strings.Contains(resp.Header.Get("Vary"), "Accept") {
				t.Fatalf("Content-Type %q Vary %q", resp.Header.Get("Content-Type"), resp.Header.Get("Vary"))
			}
			if isCSV {
				if _, err := csv.NewReader(bytes.NewReader(body)).ReadAll(); err != nil {
					t.Errorf("not CSV: %v", err)
				}
			}
		})
	}
	// The CSV and GeoJSON forms of one query are different answers.
	g, _ := f.get(t, "/api/v1/hotspots/wards")
	c, _ := f.get(t, "/api/v1/hotspots/wards?format=csv")
	if g.Header.Get("ETag") == c.Header.Get("ETag") {
		t.Error("CSV and GeoJSON share an ETag")
	}
}

// Queryables and schemas come from the layers' declarations.
func TestOGCQueryablesAndSchema(t *testing.T) {
	f := newFixture(t)
	tests := []struct {
		collection string
		queryables []string
		properties []string
		id         string
	}{
		{"incidents", []string{"category", "ward", "scope"}, []string{"id", "month", "category", "location", "ward", "ward_name", "outcome", "source", "occurred", "flags", "premises", "offender"}, "id"},
		{"wards", []string{"priority", "category", "compare", "code", "change_bin"}, []string{"code", "name", "count", "population", "rate_per_1000", "prev_count", "change_pct", "change_p", "change_bin", "suppressed", "from", "to"}, "code"},
		{"change-asb", []string{"res", "compare", "change_bin", "h3"}, []string{"h3", "count", "prev_count", "change_pct", "change_p", "change_bin", "suppressed", "from", "to"}, "h3"},
		{"hex-asb", []string{"res", "k", "study", "inference", "permutations", "seed", "gi_bin", "h3"}, []string{"h3", "count", "gi_z", "gi_p", "gi_bin", "top_location", "suppressed", "from", "to"}, "h3"},
	}
	for _, tc := range tests {
		tc.queryables = append(tc.queryables, layer.LocalFilters...)
		t.Run(tc.collection, func(t *testing.T) {
			base := "/ogc/collections/" + tc.collection
			resp, _ := f.get(t, base+"/queryables")
			if ct := resp.Header.Get("Content-Type"); ct != contentSchema {
				t.Errorf("queryables Content-Type %q", ct)
			}
			q := obj(t, f.getJSON(t, base+"/queryables", 200)["properties"])
			if len(q) != len(tc.queryables) {
				t.Errorf("queryables %v, want %v", q, tc.queryables)
			}
			for _, name := range tc.queryables {
				if obj(t, q[name])["type"] == nil {
					t.Errorf("queryable %s has no type", name)
				}
			}
			// Every queryable is accepted by items.
			sample := map[string]string{"inference": "permutation", "permutations": "99&inference=permutation", "seed": "7&inference=permutation", "study": "points", "res": "8", "k": "2", "gi_bin": "1", "change_bin": "-1", "compare": "year", "h3": "89195cb7597ffff", "category": "Robbery", "ward": codeCastle, "code": codeCastle, "scope": "area", "priority": "asb", "source": "all", "flag": "knife", "days": "fri&source=all", "hours": "20-04&source=all"}
			for _, name := range tc.queryables {
				want := 200
				if name == "days" || name == "hours" || name == "flag" {
					want = 400 // public: source=all is police.uk, which has no time of day and no flags
				}
				f.getJSON(t, base+"/items?"+name+"="+sample[name], want)
			}
			p := obj(t, f.getJSON(t, base+"/schema", 200)["properties"])
			if len(p) != len(tc.properties)+1 || p["geometry"] == nil {
				t.Errorf("schema properties %v", p)
			}
			if obj(t, p[tc.id])["x-ogc-role"] != "id" {
				t.Errorf("%s is not marked as the id", tc.id)
			}
		})
	}
	f.getJSON(t, "/ogc/collections/nope/queryables", 404)
	f.getJSON(t, "/ogc/collections/wards/schema?limit=3", 400)
}

// An error body says what to fix; the chain behind it stays in the log.
func TestErrorBodiesInUsersTerms(t *testing.T) {
	f := newFixture(t)
	tests := []struct {
		target, param string
		status        int
	}{
		{"/api/v1/hotspots/hex?from=2024-13", "from", 400},
		{"/api/v1/hotspots/hex?to=0000-03", "to", 400},
		{"/api/v1/hotspots/hex?priority=nope", "priority", 400},
		{"/api/v1/incidents?from=2024-05&to=2024-01", "from", 400},
		{"/tiles/lsoa/1/0/0.mvt", "", 404},
		{"/ogc/collections/hex-nope/items", "", 404},
	}
	for _, tc := range tests {
		v := f.getJSON(t, tc.target, tc.status)
		msg, _ := v["error"].(string)
		if msg == "" || strings.Contains(msg, "invalid:") || strings.Contains(msg, "not found:") || strings.Contains(msg, "parameter "+tc.param+":") {
			t.Errorf("%s: message %q carries the error chain", tc.target, msg)
		}
		if got, _ := v["param"].(string); got != tc.param {
			t.Errorf("%s: param %q, want %q", tc.target, got, tc.param)
		}
	}
}

// A CSV page says in headers how many rows match and where the next page
// is, the second time (from the cache) as the first.
func TestCSVPageHeaders(t *testing.T) {
	f := newFixture(t)
	all := f.getJSON(t, "/api/v1/incidents?from=2022-01&limit=10000", 200)
	total := int(num(t, all["numberMatched"]))
	if total < 3 {
		t.Fatalf("fixture has %d incidents", total)
	}
	for range 2 {
		resp, body := f.get(t, "/api/v1/incidents?from=2022-01&limit=2&format=csv")
		if got := resp.Header.Get("X-Total-Count"); got != strconv.Itoa(total) {
			t.Errorf("X-Total-Count %q, want %d", got, total)
		}
		link := resp.Header.Get("Link")
		next, ok := strings.CutPrefix(link, "<?")
		next, ok2 := strings.CutSuffix(next, `>; rel="next"`)
		q, err := url.ParseQuery(next)
		if !ok || !ok2 || err != nil || q.Get("after") == "" || q.Has("offset") || q.Get("limit") != "2" || q.Get("format") != "csv" {
			t.Errorf("Link %q, want the query continuing after this page's last row", link)
		}
		if rows := strings.Count(string(body), "\n"); rows != 3 {
			t.Errorf("%d lines, want a header and 2 rows", rows)
		}
	}
	last, _ := f.get(t, "/api/v1/incidents?from=2022-01&limit=2&format=csv&offset="+strconv.Itoa(total-1))
	if last.Header.Get("Link") != "" {
		t.Errorf("the last page links on: %q", last.Header.Get("Link"))
	}
}

func TestFormatChoice(t *testing.T) {
	f := newFixture(t)
	tests := []struct {
		target, accept string
		wantCSV        bool
	}{
		{"/api/v1/hotspots/wards?format=geojson", "text/csv", false},
		{"/api/v1/hotspots/wards?format=csv", "application/geo+json", true},
		{"/api/v1/hotspots/wards", "text/csv;q=0, application/geo+json", false},
		{"/api/v1/hotspots/wards", "text/csv;q=0.5, */*;q=0.1", true},
	}
	for _, tc := range tests {
		resp, _ := f.get(t, tc.target, "Accept", tc.accept)
		if isCSV := strings.HasPrefix(resp.Header.Get("Content-Type"), "text/csv"); isCSV != tc.wantCSV {
			t.Errorf("%s with Accept %q: Content-Type %q", tc.target, tc.accept, resp.Header.Get("Content-Type"))
		}
	}
}

// A bad query is refused even when the client claims to hold any answer.
func TestBadQueryBeforeConditional(t *testing.T) {
	f := newFixture(t)
	for _, target := range []string{"/api/v1/hotspots/wards?priority=nope", "/api/v1/hotspots/hex?from=2030-01&to=2029-01", "/api/v1/series?category=Piracy"} {
		if resp, _ := f.get(t, target, "If-None-Match", "*"); resp.StatusCode != http.StatusBadRequest {
			t.Errorf("%s with If-None-Match *: %d, want 400", target, resp.StatusCode)
		}
	}
}

// Repeat locations rank the map points; their counts and the outcome
// breakdown add up to what the other layers count.
func TestRepeatsAndOutcomes(t *testing.T) {
	f := newFixture(t)
	q := "from=2022-01&to=2024-12"
	wards := f.getJSON(t, "/api/v1/hotspots/wards?"+q, 200)
	total := 0
	for _, ft := range arr(t, wards["features"]) {
		total += int(num(t, obj(t, obj(t, ft)["properties"])["count"]))
	}
	reps := f.getJSON(t, "/api/v1/repeats/locations?min=1&"+q, 200)
	sum, last := 0, 1<<30
	for i, it := range arr(t, reps["locations"]) {
		p := obj(t, it)
		n := int(num(t, p["count"]))
		if int(num(t, p["rank"])) != i+1 || n > last || p["location"] == "" {
			t.Errorf("feature %d: %v", i, p)
		}
		sum, last = sum+n, n
	}
	if sum != total || total == 0 {
		t.Errorf("repeat counts (min 1) sum to %d, wards to %d", sum, total)
	}
	if int(num(t, obj(t, reps["meta"])["min"])) != 1 {
		t.Errorf("provenance %v", reps["meta"])
	}
	outs := f.getJSON(t, "/api/v1/outcomes?"+q, 200)
	sum = 0
	for _, o := range arr(t, outs["outcomes"]) {
		sum += int(num(t, obj(t, o)["count"]))
	}
	if sum != total {
		t.Errorf("outcomes sum to %d, wards to %d", sum, total)
	}
	f.getJSON(t, "/api/v1/repeats/locations?min=0", 400)
	f.getJSON(t, "/api/v1/outcomes?ward=E99999999", 400)
	f.getJSON(t, "/ogc/collections/repeats-asb/items?min=2", 200)
	if resp, _ := f.get(t, "/tiles/repeats/14/8140/5364.mvt?priority=asb"); resp.StatusCode != 200 {
		t.Errorf("repeat tile: %d", resp.StatusCode)
	}
}

// The inference, the scale run and k=auto, through the API.
func TestInferenceAndScale(t *testing.T) {
	f := newFixture(t)
	q := "/api/v1/hotspots/hex?from=2022-01&to=2024-12&res=10"
	normal := f.getJSON(t, q, 200)
	perm := f.getJSON(t, q+"&inference=permutation&permutations=999&seed=3", 200)
	again := f.getJSON(t, q+"&inference=permutation&permutations=999&seed=3", 200)
	meta := obj(t, perm["hotspot"])
	if meta["inference"] != "permutation" || num(t, meta["permutations"]) != 999 || num(t, meta["seed"]) != 3 || obj(t, normal["hotspot"])["inference"] != "normal" {
		t.Errorf("provenance %v / %v", meta, normal["hotspot"])
	}
	nf, pf, af := arr(t, normal["features"]), arr(t, perm["features"]), arr(t, again["features"])
	if len(nf) != len(pf) || len(pf) != len(af) {
		t.Fatalf("%d, %d and %d features", len(nf), len(pf), len(af))
	}
	for i := range pf {
		np, pp, ap := obj(t, obj(t, nf[i])["properties"]), obj(t, obj(t, pf[i])["properties"]), obj(t, obj(t, af[i])["properties"])
		if np["gi_z"] != pp["gi_z"] || pp["gi_p"] != ap["gi_p"] {
			t.Errorf("cell %v: z %v/%v, p %v/%v: z must stay analytical and a seed repeat", np["h3"], np["gi_z"], pp["gi_z"], pp["gi_p"], ap["gi_p"])
		}
		if p, ok := pp["gi_p"].(float64); ok && (p < 2.0/1000-1e-12 || p > 1) {
			t.Errorf("cell %v: permutation p %v out of (2/(P+1), 1]", np["h3"], p)
		}
	}
	for _, bad := range []string{"inference=bayes", "inference=permutation&permutations=10", "seed=0", "k=autos", "permutations=999", "seed=5", "inference=", "study="} {
		f.getJSON(t, q+"&"+bad, 400)
	}

	sc := f.getJSON(t, "/api/v1/scale?from=2022-01&to=2024-12&res=10&kmax=4", 200)
	rows := arr(t, sc["rows"])
	if len(rows) != 4 || num(t, sc["res"]) != 10 {
		t.Fatalf("scale %v", sc)
	}
	for i, r := range rows {
		if int(num(t, obj(t, r)["k"])) != i+1 || num(t, obj(t, r)["distance_m"]) <= 0 {
			t.Errorf("row %d: %v", i, r)
		}
	}
	f.getJSON(t, "/api/v1/scale?kmax=1", 400)
	auto := obj(t, f.getJSON(t, q+"&k=auto", 200)["hotspot"])
	full := f.getJSON(t, "/api/v1/scale?from=2022-01&to=2024-12&res=10&kmax=3", 200)
	if auto["k_auto"] != true || sc["peak_k"] == nil || full["peak_k"] == nil || auto["k"] != full["peak_k"] || auto["k_peaked"] != full["peaked"] {
		t.Errorf("k=auto chose %v (k_auto %v); the scale run's peak is %v", auto["k"], auto["k_auto"], full["peak_k"])
	}
}

// A wrong method on a known path is a 405 naming the methods; on an
// unknown path, a 404.
func TestWrongMethod(t *testing.T) {
	f := newFixture(t)
	for _, tc := range []struct {
		method, target string
		want           int
	}{
		{http.MethodPost, "/api/v1/meta", 405},
		{http.MethodDelete, "/api/v1/hotspots/hex?res=9", 405},
		{http.MethodPut, "/ogc/collections", 405},
		{http.MethodPost, "/tiles/hex/1/0/0.mvt", 405},
		{http.MethodPost, "/api/v1/nothing", 404},
	} {
		resp := f.do(t, tc.method, tc.target)
		if resp.StatusCode != tc.want || (tc.want == 405 && resp.Header.Get("Allow") != "GET, HEAD") {
			t.Errorf("%s %s: %d (Allow %q), want %d", tc.method, tc.target, resp.StatusCode, resp.Header.Get("Allow"), tc.want)
		}
	}
}
