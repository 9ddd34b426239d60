package api

import (
	"encoding/csv"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// FuzzQuery throws arbitrary query strings at the data and OGC items endpoints: no
// input may cause a 500 (or a panic), and every answer with a body is
// JSON, or CSV when CSV was asked for.
func FuzzQuery(f *testing.F) {
	paths := []string{"/api/v1/hotspots/hex", "/api/v1/hotspots/wards", "/api/v1/incidents", "/api/v1/series",
		"/ogc/collections/incidents/items", "/ogc/collections/wards/items", "/ogc/collections/hex-asb/items",
		"/ogc/collections/hex-asb/queryables", "/ogc/collections/incidents/schema", "/api/v1/repeats/locations", "/api/v1/outcomes",
		"/api/v1/temporal"}
	for _, q := range []string{
		"", "priority=asb", "category=Robbery&res=10&k=3", "from=2023-01&to=2024-03", "to=2023-06",
		"bbox=-1.15,52.63,-1.13,52.64", "bbox=-1.1500000000000000222,52.629999999999999005,-1.13,52.642",
		"limit=20000&offset=5", "h3=89195cb7597ffff", "ward=E05000001", "priority=city-centre-violence&from=2022-12",
		"res=%zz", "from=0000-01&to=9999-12", "to=0000-01", "bbox=1e308,1e308,1e308,1e308", "a=1;b=2",
		"category=", "h3=&ward=", "k=-0", "res=+9", "limit=0x10",
		"datetime=2024-01-01T00:00:00Z/..", "datetime=../2023-05-31", "datetime=2024-02", "gi_bin=-3&res=10",
		"code=E05010463", "f=json&limit=5&offset=3", "format=csv", "inference=permutation&permutations=99&seed=3", "k=auto&study=points", "min=3&kmax=4", "format=csv&limit=3&offset=2", "format=geojson&bbox=0,0,1,1",
		"after=1ANO9AQRhMDIwABLFPg8&limit=2", "after=garbage", "after=1AQ&order=newest",
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
		switch rec.Code {
		case http.StatusOK, http.StatusBadRequest, http.StatusNotFound:
		default:
			t.Fatalf("GET %s?%s: status %d: %s", req.URL.Path, query, rec.Code, rec.Body)
		}
		if strings.HasPrefix(rec.Header().Get("Content-Type"), "text/csv") {
			if _, err := csv.NewReader(rec.Body).ReadAll(); err != nil {
				t.Fatalf("GET %s?%s: body is not CSV: %v", req.URL.Path, query, err)
			}
			return
		}
		if !json.Valid(rec.Body.Bytes()) {
			t.Fatalf("GET %s?%s: body is not JSON: %.300s", req.URL.Path, query, rec.Body)
		}
	})
}
