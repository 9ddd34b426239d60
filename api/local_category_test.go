package api

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/leicester-csp/hotspot/geo/access"
)

// A misspelt local record type is a 400 naming category, as a misspelt
// police.uk crime type is, instead of an empty map that reads as a quiet
// place; the source's own types and police.uk's are accepted.
func TestLocalCategory(t *testing.T) {
	f, auth, _ := embeddedRepeats(t)
	analyst := auth[access.Analyst]
	const period = "&from=2024-02&to=2024-03"
	tests := []struct {
		query string
		want  int
	}{
		{"source=council&category=" + url.QueryEscape("Street drinking"), http.StatusOK},
		{"source=all&category=" + url.QueryEscape("Street drinking"), http.StatusOK},
		{"source=council&category=Robbery", http.StatusOK},
		{"source=council&category=" + url.QueryEscape("Stret drinking"), http.StatusBadRequest},
		{"source=all&category=" + url.QueryEscape("Stret drinking"), http.StatusBadRequest},
	}
	for _, tc := range tests {
		for _, path := range []string{"/api/v1/hotspots/hex", "/api/v1/temporal", "/api/v1/repeats/locations"} {
			resp, body := f.get(t, path+"?"+tc.query+period, analyst...)
			if resp.StatusCode != tc.want {
				t.Errorf("%s?%s: %d %s, want %d", path, tc.query, resp.StatusCode, body, tc.want)
				continue
			}
			if tc.want == http.StatusBadRequest && (!strings.Contains(string(body), `"param":"category"`) || !strings.Contains(string(body), "Street drinking")) {
				t.Errorf("%s?%s: %s, want a 400 naming category and listing the source's types", path, tc.query, body)
			}
		}
	}
}
