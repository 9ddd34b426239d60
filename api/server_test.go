package api

import (
	"encoding/json"
	"io"
	"net/http"
	"os"
	"strings"
	"testing"

	"github.com/gorilla/mux"

	"github.com/leicester-csp/hotspot/geo/access"
)

func TestRouting(t *testing.T) {
	f := newFixture(t, func(c *Config) {
		c.Mount = func(r *mux.Router) {
			r.HandleFunc("/tiles/boom", func(http.ResponseWriter, *http.Request) { panic("boom") })
		}
		c.MountRules = map[string]access.Role{"/tiles/boom": access.Public}
	})
	tests := []struct {
		name, method, target string
		status               int
		contentType          string
	}{
		{"unknown API path", "GET", "/api/v1/nope", 404, "application/json"},
		{"unknown path", "GET", "/nope", 404, "application/json"},
		{"trailing slash", "GET", "/api/v1/meta/", 404, "application/json"},
		{"wrong method", "POST", "/api/v1/hotspots/hex", 405, "application/json"},
		{"delete", "DELETE", "/api/v1/incidents", 405, "application/json"},
		{"root without web", "GET", "/", 200, "text/html; charset=utf-8"},
		{"healthz", "GET", "/healthz", 200, "application/json"},
		{"readyz", "GET", "/readyz", 200, "application/json"},
		{"panic in a mounted route", "GET", "/tiles/boom", 500, "application/json"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			resp := f.do(t, tc.method, tc.target)
			body, _ := io.ReadAll(resp.Body)
			if resp.StatusCode != tc.status || resp.Header.Get("Content-Type") != tc.contentType {
				t.Fatalf("status %d type %q, want %d %q: %s", resp.StatusCode, resp.Header.Get("Content-Type"), tc.status, tc.contentType, body)
			}
			if strings.HasPrefix(tc.contentType, "application/json") && !json.Valid(body) {
				t.Errorf("body is not JSON: %s", body)
			}
		})
	}
	if _, body := f.get(t, "/healthz"); strings.TrimSpace(string(body)) != `{"status":"ok"}` {
		t.Errorf("healthz body %s", body)
	}
	if !strings.Contains(f.logs.String(), `"panic":"boom"`) {
		t.Errorf("panic not logged:\n%s", f.logs)
	}
}

func TestReadyzUnavailable(t *testing.T) {
	f := newFixture(t)
	// Ready checks the data directory; take it away.
	if err := os.RemoveAll(f.store.Dir()); err != nil {
		t.Fatal(err)
	}
	resp, body := f.get(t, "/readyz")
	if resp.StatusCode != http.StatusServiceUnavailable || !json.Valid(body) {
		t.Fatalf("status %d: %s", resp.StatusCode, body)
	}
	if strings.Contains(string(body), f.store.Dir()) {
		t.Errorf("readyz leaks the cause: %s", body)
	}
	if resp, _ := f.get(t, "/healthz"); resp.StatusCode != http.StatusOK {
		t.Errorf("healthz %d", resp.StatusCode)
	}
}

func TestWebHandler(t *testing.T) {
	web := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "map "+r.URL.Path) })
	f := newFixture(t, func(c *Config) { c.Web = web })
	for target, want := range map[string]string{"/": "map /", "/app.js": "map /app.js"} {
		if _, body := f.get(t, target); string(body) != want {
			t.Errorf("GET %s = %q, want %q", target, body, want)
		}
	}
	for _, target := range []string{"/api/v1/nope", "/api", "/tiles/x", "/ogc/nope"} {
		resp, body := f.get(t, target)
		if resp.StatusCode != http.StatusNotFound || !json.Valid(body) {
			t.Errorf("GET %s: %d %s, want a JSON 404", target, resp.StatusCode, body)
		}
	}
}
