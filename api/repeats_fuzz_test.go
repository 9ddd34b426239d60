package api

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/leicester-csp/hotspot/geo/access"
)

// FuzzRepeatQuery throws arbitrary queries at the repeat lists and the
// premises layer as an analyst: never a 5xx, always a JSON body.
func FuzzRepeatQuery(f *testing.F) {
	paths := []string{"/api/v1/repeats/locations", "/api/v1/repeats/premises", "/api/v1/repeats/offenders", "/api/v1/premises", "/ogc/collections/premises/items"}
	for _, q := range []string{
		"", "source=council", "source=all&min=1", "kind=retail,licensed", "kind=", "kind=,", "kind=casino", "min=0", "min=99999999999",
		"source=council&flag=knife&days=fri&hours=20-04", "source=council&hours=25-01", "from=2024-02&to=2024-03&source=council",
		"bbox=-1.15,52.63,-1.13,52.64&source=council", "format=csv&source=council", "limit=2&offset=1&kind=retail",
	} {
		for i := range paths {
			f.Add(uint8(i), q)
		}
	}
	fx, auth, _ := embeddedRepeats(f)
	analyst := auth[access.Analyst]
	f.Fuzz(func(t *testing.T, which uint8, query string) {
		req := httptest.NewRequest(http.MethodGet, "/", nil)
		req.URL.Path = paths[int(which)%len(paths)]
		req.URL.RawQuery = query
		req.Header.Set(analyst[0], analyst[1])
		rec := httptest.NewRecorder()
		fx.srv.ServeHTTP(rec, req)
		switch rec.Code {
		case http.StatusOK, http.StatusBadRequest, http.StatusNotFound:
		default:
			t.Fatalf("GET %s?%s: status %d: %s", req.URL.Path, query, rec.Code, rec.Body)
		}
		if rec.Header().Get("Content-Type") != "text/csv; charset=utf-8" && !json.Valid(rec.Body.Bytes()) {
			t.Fatalf("GET %s?%s: body is not JSON: %.300s", req.URL.Path, query, rec.Body)
		}
	})
}
