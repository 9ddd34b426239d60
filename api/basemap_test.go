package api

import (
	"net/http"
	"testing"
)

// TestBasemap checks what the API does with a configured basemap: its
// handler answers below its prefix, meta names it (null without), and the
// ETags of meta differ, so a restart that adds a basemap is seen at once.
func TestBasemap(t *testing.T) {
	files := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/vnd.pmtiles")
		_, _ = w.Write([]byte("PMTiles"))
	})
	bm := &Basemap{Prefix: "/basemap/", Handler: files, Archive: "/basemap/basemap.pmtiles", Glyphs: "/basemap/fonts/{fontstack}/{range}.pbf", MaxZoom: 15, Bounds: [4]float64{-1.2, 52.6, -1.0, 52.7}}
	with := newFixture(t, func(c *Config) { c.Basemap = bm })
	without := newFixture(t)

	m := with.getJSON(t, "/api/v1/meta", http.StatusOK)
	want := map[string]any{"archive": bm.Archive, "glyphs": bm.Glyphs, "minzoom": 0, "maxzoom": 15, "bounds": bm.Bounds, "attribution": ""}
	if !equalJSON(m["basemap"], want) {
		t.Errorf("meta basemap %v, want %v", m["basemap"], want)
	}
	if m := without.getJSON(t, "/api/v1/meta", http.StatusOK); m["basemap"] != nil {
		t.Errorf("meta basemap %v without one, want null", m["basemap"])
	}
	resp, body := with.get(t, "/basemap/basemap.pmtiles")
	if resp.StatusCode != http.StatusOK || string(body) != "PMTiles" {
		t.Errorf("archive: %d %q, want the basemap handler's answer", resp.StatusCode, body)
	}
	if resp, _ := without.get(t, "/basemap/basemap.pmtiles"); resp.StatusCode != http.StatusNotFound {
		t.Errorf("archive without a basemap: %d, want 404", resp.StatusCode)
	}
	r1, _ := with.get(t, "/api/v1/meta")
	r2, _ := without.get(t, "/api/v1/meta")
	if r1.Header.Get("ETag") == "" || r1.Header.Get("ETag") == r2.Header.Get("ETag") {
		t.Errorf("meta ETags %q and %q: a basemap must change them", r1.Header.Get("ETag"), r2.Header.Get("ETag"))
	}
}
