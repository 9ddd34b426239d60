package api

import (
	"encoding/csv"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// FuzzPrintQuery throws arbitrary query strings at the briefing and the
// quarterly report: no input may cause a 500 or a panic; an error is JSON
// naming what to fix, a CSV answer parses, an HTML one is a page.
func FuzzPrintQuery(f *testing.F) {
	paths := []string{"/briefings/wards/Castle", "/briefings/wards/" + codeAbbey, "/reports/quarterly"}
	for _, q := range []string{
		"", "priority=asb", "priority=asb&format=json", "priority=city-centre-violence&month=2024-03&months=12",
		"priority=asb&month=2022-12&months=1", "priority=asb&months=99", "priority=asb&month=abcd-ef",
		"quarter=2023Q4", "quarter=2024q1&format=csv", "quarter=9999Q4", "quarter=0000Q1", "format=json", "quarter=%zz",
	} {
		for i := range paths {
			f.Add(uint8(i), q)
		}
	}
	fx := newFixture(f)
	f.Fuzz(func(t *testing.T, which uint8, query string) {
		req := httptest.NewRequest(http.MethodGet, "/", nil)
		req.URL.Path = paths[int(which)%len(paths)]
		req.URL.RawQuery = query
		rec := httptest.NewRecorder()
		fx.srv.ServeHTTP(rec, req)
		ct := rec.Header().Get("Content-Type")
		switch {
		case rec.Code == http.StatusOK && strings.HasPrefix(ct, "text/html"):
			if !strings.HasPrefix(rec.Body.String(), "<!DOCTYPE html>") {
				t.Fatalf("GET %s?%s: not a page: %.200s", req.URL.Path, query, rec.Body)
			}
		case rec.Code == http.StatusOK && strings.HasPrefix(ct, "text/csv"):
			if _, err := csv.NewReader(rec.Body).ReadAll(); err != nil {
				t.Fatalf("GET %s?%s: body is not CSV: %v", req.URL.Path, query, err)
			}
		case rec.Code == http.StatusOK || rec.Code == http.StatusBadRequest || rec.Code == http.StatusNotFound:
			if !json.Valid(rec.Body.Bytes()) {
				t.Fatalf("GET %s?%s: body is not JSON: %.300s", req.URL.Path, query, rec.Body)
			}
		default:
			t.Fatalf("GET %s?%s: status %d: %s", req.URL.Path, query, rec.Code, rec.Body)
		}
	})
}
