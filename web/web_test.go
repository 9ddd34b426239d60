package web

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"testing/fstest"
)

func builtFS() fstest.MapFS {
	return fstest.MapFS{
		"index.html":                    {Data: []byte("<!doctype html><title>map</title>")},
		"app.js":                        {Data: []byte(strings.Repeat("export const x = 1;\n", 200))},
		"print.css":                     {Data: []byte("@media print { body { margin: 0 } }")},
		"vendor/maplibre-gl.mjs":        {Data: []byte("export default {};")},
		"vendor/maplibre-gl.css":        {Data: []byte(".maplibregl-map{}")},
		"vendor/maplibre-gl-worker.mjs": {Data: []byte("self.onmessage = () => {};")},
		"favicon.svg":                   {Data: []byte("<svg xmlns='http://www.w3.org/2000/svg'/>")},
		".gitkeep":                      {Data: nil},
	}
}

func get(t *testing.T, h http.Handler, target string, hdr map[string]string) *http.Response {
	t.Helper()
	req := httptest.NewRequest(http.MethodGet, target, nil)
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec.Result()
}

func body(t *testing.T, res *http.Response) string {
	t.Helper()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestNotBuilt(t *testing.T) {
	for name, fsys := range map[string]fstest.MapFS{
		"empty":            {},
		"only gitkeep":     {".gitkeep": {}},
		"index is dir":     {"index.html/x": {Data: []byte("x")}},
		"assets, no index": {"app.js": {Data: []byte("x")}},
	} {
		if h, ok := NewHandler(fsys); ok || h != nil {
			t.Errorf("%s: NewHandler = %v, %v; want nil, false", name, h, ok)
		}
	}
}

// The embedded dist is either the committed placeholder or a build; both
// must give a consistent answer.
func TestEmbedded(t *testing.T) {
	h, ok := Handler()
	if !ok {
		if h != nil {
			t.Fatal("not built but a handler was returned")
		}
		t.Log("dist is not built (no index.html): the API's fallback page will be used")
		return
	}
	res := get(t, h, "/", nil)
	if res.StatusCode != http.StatusOK || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/html") {
		t.Fatalf("GET / = %d %s", res.StatusCode, res.Header.Get("Content-Type"))
	}
}

func TestServesFiles(t *testing.T) {
	h, ok := NewHandler(builtFS())
	if !ok {
		t.Fatal("built FS reported as not built")
	}
	cases := []struct {
		path, ctype, cache, body string
	}{
		{"/", "text/html; charset=utf-8", "no-cache", "<!doctype html><title>map</title>"},
		{"/index.html", "text/html; charset=utf-8", "no-cache", "<!doctype html><title>map</title>"},
		{"/?priority=asb&from=2024-01", "text/html; charset=utf-8", "no-cache", "<!doctype html><title>map</title>"},
		{"/vendor/maplibre-gl.mjs", "text/javascript; charset=utf-8", "public, max-age=0, must-revalidate", "export default {};"},
		// MapLibre asks for its worker with a version query.
		{"/vendor/maplibre-gl-worker.mjs?v=6.17.0", "text/javascript; charset=utf-8", "public, max-age=0, must-revalidate", "self.onmessage = () => {};"},
		{"/vendor/maplibre-gl.css", "text/css; charset=utf-8", "public, max-age=0, must-revalidate", ".maplibregl-map{}"},
		{"/print.css", "text/css; charset=utf-8", "public, max-age=0, must-revalidate", "@media print { body { margin: 0 } }"},
		{"/favicon.svg", "image/svg+xml", "public, max-age=0, must-revalidate", "<svg xmlns='http://www.w3.org/2000/svg'/>"},
	}
	for _, c := range cases {
		res := get(t, h, c.path, nil)
		if res.StatusCode != http.StatusOK {
			t.Errorf("GET %s = %d", c.path, res.StatusCode)
			continue
		}
		if got := res.Header.Get("Content-Type"); got != c.ctype {
			t.Errorf("GET %s: Content-Type %q, want %q", c.path, got, c.ctype)
		}
		if got := res.Header.Get("Cache-Control"); got != c.cache {
			t.Errorf("GET %s: Cache-Control %q, want %q", c.path, got, c.cache)
		}
		if res.Header.Get("ETag") == "" {
			t.Errorf("GET %s: no ETag", c.path)
		}
		if got := body(t, res); got != c.body {
			t.Errorf("GET %s: body %q, want %q", c.path, got, c.body)
		}
	}
}

func TestNotFound(t *testing.T) {
	h, _ := NewHandler(builtFS())
	for _, p := range []string{"/nope.js", "/vendor", "/vendor/", "/../index.html/x", "/.gitkeep/x"} {
		if res := get(t, h, p, nil); res.StatusCode != http.StatusNotFound {
			t.Errorf("GET %s = %d, want 404", p, res.StatusCode)
		}
	}
	req := httptest.NewRequest(http.MethodPost, "/", nil)
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code != http.StatusMethodNotAllowed {
		t.Errorf("POST / = %d, want 405", rec.Code)
	}
}

func TestRevalidation(t *testing.T) {
	h, _ := NewHandler(builtFS())
	for _, p := range []string{"/", "/app.js"} {
		first := get(t, h, p, nil)
		etag := first.Header.Get("ETag")
		again := get(t, h, p, map[string]string{"If-None-Match": etag})
		if again.StatusCode != http.StatusNotModified {
			t.Errorf("GET %s with If-None-Match %s = %d, want 304", p, etag, again.StatusCode)
		}
	}
}

func TestGzip(t *testing.T) {
	h, _ := NewHandler(builtFS())
	plain := get(t, h, "/app.js", nil)
	want := body(t, plain)
	res := get(t, h, "/app.js", map[string]string{"Accept-Encoding": "br, gzip"})
	if res.Header.Get("Content-Encoding") != "gzip" {
		t.Fatalf("Content-Encoding %q, want gzip", res.Header.Get("Content-Encoding"))
	}
	if res.Header.Get("Vary") != "Accept-Encoding" {
		t.Errorf("Vary %q", res.Header.Get("Vary"))
	}
	if res.Header.Get("ETag") == plain.Header.Get("ETag") {
		t.Error("gzip and identity answers share an ETag")
	}
	zr, err := gzip.NewReader(bytes.NewReader([]byte(body(t, res))))
	if err != nil {
		t.Fatal(err)
	}
	got, _ := io.ReadAll(zr)
	if string(got) != want {
		t.Error("gzip body differs from the file")
	}
	if res := get(t, h, "/app.js", map[string]string{"Accept-Encoding": "gzip;q=0"}); res.Header.Get("Content-Encoding") != "" {
		t.Error("gzip sent although refused with q=0")
	}
	// Small files are not worth compressing.
	if res := get(t, h, "/print.css", map[string]string{"Accept-Encoding": "gzip"}); res.Header.Get("Content-Encoding") != "" {
		t.Error("tiny file compressed")
	}
}
