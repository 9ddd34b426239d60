package api

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/leicester-csp/hotspot/geo/access"
)

// castleArea is a box round Castle's three clustered fixture points.
const castleGeom = `{"type":"Polygon","coordinates":[[[-1.1360,52.6320],[-1.1340,52.6320],[-1.1340,52.6340],[-1.1360,52.6340],[-1.1360,52.6320]]]}`

func areaBody(geom, name, start string) string {
	return `{"type":"Feature","geometry":` + geom + `,"properties":{"name":"` + name + `","priority":"asb","start":"` + start + `","actions":"patrols"}}`
}

func (f *fixture) send(tb testing.TB, method, target, body, token string) (int, []byte) {
	tb.Helper()
	req := httptest.NewRequestWithContext(tb.Context(), method, target, strings.NewReader(body))
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	rec := httptest.NewRecorder()
	f.srv.ServeHTTP(rec, req)
	b, _ := io.ReadAll(rec.Result().Body)
	return rec.Code, b
}

func createArea(t *testing.T, f *fixture, token, name string) string {
	t.Helper()
	code, body := f.send(t, http.MethodPost, "/api/v1/target-areas", areaBody(castleGeom, name, "2023-08"), token)
	if code != 201 {
		t.Fatalf("create: %d %s", code, body)
	}
	var v struct{ ID string }
	if err := json.Unmarshal(body, &v); err != nil || v.ID == "" {
		t.Fatalf("create answer %s: %v", body, err)
	}
	return v.ID
}

func TestTargetAreaAccess(t *testing.T) {
	f, tok := keyedFixture(t)
	other := addKey(t, f, access.Analyst)
	if code, _ := f.send(t, http.MethodGet, "/api/v1/target-areas", "", ""); code != 403 {
		t.Errorf("public list: %d; want 403", code)
	}
	if code, _ := f.send(t, http.MethodPost, "/api/v1/target-areas", areaBody(castleGeom, "x", "2023-08"), tok[access.Partner]); code != 403 {
		t.Errorf("partner create: %d; want 403", code)
	}
	id := createArea(t, f, tok[access.Analyst], "Clock Tower")
	if code, body := f.send(t, http.MethodGet, "/api/v1/target-areas", "", tok[access.Partner]); code != 200 || !strings.Contains(string(body), "Clock Tower") {
		t.Errorf("partner list: %d %s", code, body)
	}
	if code, _ := f.send(t, http.MethodGet, "/api/v1/target-areas/"+id+"/evaluation?control=Westcotes", "", ""); code != 403 {
		t.Errorf("public evaluation: %d; want 403", code)
	}
	if code, _ := f.send(t, http.MethodDelete, "/api/v1/target-areas/"+id, "", other); code != 403 {
		t.Errorf("another analyst's delete: %d; want 403", code)
	}
	if code, _ := f.send(t, http.MethodPut, "/api/v1/target-areas/"+id, areaBody(castleGeom, "Renamed", "2023-08"), other); code != 403 {
		t.Errorf("another analyst's change: %d; want 403", code)
	}
	if code, body := f.send(t, http.MethodPut, "/api/v1/target-areas/"+id, areaBody(castleGeom, "Renamed", "2023-08"), tok[access.Analyst]); code != 200 {
		t.Errorf("owner's change: %d %s", code, body)
	}
	if code, _ := f.send(t, http.MethodDelete, "/api/v1/target-areas/"+id, "", tok[access.Admin]); code != 204 {
		t.Errorf("admin's delete: %d; want 204", code)
	}
	if code, _ := f.send(t, http.MethodGet, "/api/v1/target-areas/"+id, "", tok[access.Partner]); code != 404 {
		t.Errorf("read after delete: %d; want 404", code)
	}
	log, err := f.store.AuditLog(t.Context(), time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	var writes []string
	for _, e := range log {
		if strings.HasPrefix(e.Path, "/api/v1/target-areas") {
			writes = append(writes, e.Method)
		}
	}
	if strings.Join(writes, " ") != "POST PUT DELETE" {
		t.Errorf("audited writes = %v; want POST PUT DELETE", writes)
	}
}

// TestTargetAreasNeverStale: an edit shows at once in the list, the
// feature and the OGC collection, whatever was read before.
func TestTargetAreasNeverStale(t *testing.T) {
	f, tok := keyedFixture(t)
	id := createArea(t, f, tok[access.Analyst], "Before")
	paths := []string{"/api/v1/target-areas", "/api/v1/target-areas/" + id, "/ogc/collections/target-areas/items", "/ogc/collections/target-areas/items/" + id}
	for _, p := range paths {
		if code, body := f.send(t, http.MethodGet, p, "", tok[access.Partner]); code != 200 || !strings.Contains(string(body), `"Before"`) {
			t.Fatalf("GET %s: %d %s", p, code, body)
		}
	}
	// Another process edits the area.
	ta, err := f.reopen(t).TargetArea(t.Context(), id)
	if err != nil {
		t.Fatal(err)
	}
	ta.Name = "After"
	if err := f.reopen(t).UpdateTargetArea(t.Context(), ta); err != nil {
		t.Fatal(err)
	}
	for _, p := range paths {
		if code, body := f.send(t, http.MethodGet, p, "", tok[access.Partner]); code != 200 || !strings.Contains(string(body), `"After"`) {
			t.Errorf("GET %s after the edit: %d %s", p, code, body)
		}
	}
	if code, _ := f.send(t, http.MethodGet, "/tiles/target-areas/14/8155/5405.mvt", "", tok[access.Partner]); code != 404 {
		t.Errorf("target areas are not tiled: %d; want 404", code)
	}
}

func TestTargetAreaBadInput(t *testing.T) {
	f, tok := keyedFixture(t)
	an := tok[access.Analyst]
	id := createArea(t, f, an, "Clock Tower")
	bowtie := `{"type":"Polygon","coordinates":[[[-1.136,52.632],[-1.134,52.634],[-1.134,52.632],[-1.136,52.634],[-1.136,52.632]]]}`
	ev := "/api/v1/target-areas/" + id + "/evaluation?"
	cases := []struct {
		name, method, target, body string
		status                     int
		param                      string
	}{
		{"self-intersecting", "POST", "/api/v1/target-areas", areaBody(bowtie, "x", "2023-08"), 400, "geometry"},
		{"a point", "POST", "/api/v1/target-areas", areaBody(`{"type":"Point","coordinates":[-1.135,52.633]}`, "x", "2023-08"), 400, "geometry"},
		{"start after the data", "POST", "/api/v1/target-areas", areaBody(castleGeom, "x", "2030-01"), 400, "start"},
		{"start at the first month", "POST", "/api/v1/target-areas", areaBody(castleGeom, "x", "2022-12"), 400, "start"},
		{"unknown priority", "POST", "/api/v1/target-areas", strings.Replace(areaBody(castleGeom, "x", "2023-08"), `"asb"`, `"nope"`, 1), 400, "priority"},
		{"not json", "POST", "/api/v1/target-areas", "{", 400, "body"},
		{"change unknown", "PUT", "/api/v1/target-areas/nope", areaBody(castleGeom, "x", "2023-08"), 404, ""},
		{"negative buffer", "GET", ev + "control=Westcotes&buffer=-1", "", 400, "buffer"},
		{"buffer too wide", "GET", ev + "control=Westcotes&buffer=2001", "", 400, "buffer"},
		{"buffer not a number", "GET", ev + "control=Westcotes&buffer=NaN", "", 400, "buffer"},
		{"no control", "GET", ev, "", 400, "control"},
		{"unknown ward", "GET", ev + "control=Nowhere", "", 400, "control"},
		{"before zero", "GET", ev + "control=Westcotes&before=0", "", 400, "before"},
		{"unknown parameter", "GET", ev + "control=Westcotes&months=3", "", 400, "months"},
		{"unknown area", "GET", "/api/v1/target-areas/nope/evaluation?control=Westcotes", "", 404, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			code, body := f.send(t, c.method, c.target, c.body, an)
			if code != c.status {
				t.Fatalf("%d %s; want %d", code, body, c.status)
			}
			if c.param != "" && !strings.Contains(string(body), `"param":"`+c.param+`"`) {
				t.Errorf("body %s does not name %s", body, c.param)
			}
		})
	}
}

func TestTargetAreaEvaluation(t *testing.T) {
	f, tok := keyedFixture(t)
	id := createArea(t, f, tok[access.Analyst], "Clock Tower")
	code, body := f.send(t, http.MethodGet, "/api/v1/target-areas/"+id+"/evaluation?control=Westcotes&before=6&after=6&buffer=250", "", tok[access.Partner])
	if code != 200 {
		t.Fatalf("%d %s", code, body)
	}
	var m map[string]any
	if err := json.Unmarshal(body, &m); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"t_before", "t_after", "d_before", "d_after", "c_before", "c_after", "wdq", "wdd", "wdd_se", "wdd_z", "wdd_p", "verdict"} {
		if _, ok := m[k]; !ok {
			t.Errorf("answer lacks %s: %s", k, body)
		}
	}
	t.Logf("%s", body)
	if obj(t, m["before"])["from"] != "2023-02" || obj(t, m["after"])["to"] != "2024-01" || obj(t, m["control"])["kind"] != "ward" {
		t.Errorf("windows or control: %s", body)
	}
	code, body = f.send(t, http.MethodGet, "/api/v1/target-areas/"+id+"/evaluation?control=Westcotes&buffer=0", "", tok[access.Partner])
	if code != 200 || !strings.Contains(string(body), `"d_before":0,"d_after":0`) || !strings.Contains(string(body), `"wdq":null`) {
		t.Errorf("buffer=0: %d %s", code, body)
	}
}
