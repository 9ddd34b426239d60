package api

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestCanceledRequest(t *testing.T) {
	f := newFixture(t)
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	req := httptest.NewRequestWithContext(ctx, http.MethodGet, "/api/v1/hotspots/hex", nil)
	rec := httptest.NewRecorder()
	f.srv.ServeHTTP(rec, req)
	if rec.Body.Len() != 0 {
		t.Errorf("canceled request answered %q", rec.Body)
	}
	if !strings.Contains(f.logs.String(), `"status":499`) {
		t.Errorf("log does not record the client leaving:\n%s", f.logs)
	}
}

func TestRequestLog(t *testing.T) {
	f := newFixture(t)
	f.get(t, "/api/v1/hotspots/hex?res=8")
	f.get(t, "/nowhere")
	var lines []map[string]any
	for _, l := range strings.Split(strings.TrimSpace(f.logs.String()), "\n") {
		var m map[string]any
		if err := json.Unmarshal([]byte(l), &m); err != nil {
			t.Fatalf("log line %q: %v", l, err)
		}
		lines = append(lines, m)
	}
	if len(lines) != 2 {
		t.Fatalf("%d log lines, want 2", len(lines))
	}
	want := []map[string]any{
		{"method": "GET", "route": "/api/v1/hotspots/hex", "status": 200.0},
		{"method": "GET", "route": "(unmatched)", "status": 404.0},
	}
	for i, w := range want {
		for k, v := range w {
			if lines[i][k] != v {
				t.Errorf("line %d: %s = %v, want %v", i, k, lines[i][k], v)
			}
		}
		for _, k := range []string{"bytes", "duration_ms"} {
			if _, ok := lines[i][k].(float64); !ok {
				t.Errorf("line %d: no %s", i, k)
			}
		}
	}
}
