package main

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// buildBasemap makes a small Protomaps-schema archive of central Leicester
// as a real one is made: GDAL writes MBTiles, go-pmtiles converts it (see
// web/test/make-basemap.sh, which the browser test uses too).
func buildBasemap(t *testing.T) string {
	t.Helper()
	if _, err := exec.LookPath("ogr2ogr"); err != nil {
		t.Skip("ogr2ogr (gdal-bin) is not installed; .ci/test installs it")
	}
	out := filepath.Join(t.TempDir(), "leicester.pmtiles")
	cmd := exec.Command("bash", filepath.Join("..", "..", "web", "test", "make-basemap.sh"), out)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("make-basemap.sh: %v\n%s", err, stderr.Bytes())
	}
	return out
}

func getRange(t *testing.T, url string, from, to uint64) (*http.Response, []byte) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, url, nil)
	req.Header.Set("Range", fmt.Sprintf("bytes=%d-%d", from, to))
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, b
}

func TestServeBasemap(t *testing.T) {
	archive := buildBasemap(t)
	file, err := os.ReadFile(archive)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		env  map[string]string
		args []string
	}{
		{"flag", map[string]string{}, []string{"--basemap", archive}},
		{"env", map[string]string{"HOTSPOT_BASEMAP": archive}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tc.env["HOTSPOT_DATA_DIR"] = t.TempDir()
			base := startServe(t, tc.env, append(tc.args, "--no-demo", "--log-level", "warn")...)
			var meta struct {
				Basemap *struct {
					Archive, Glyphs  string
					MinZoom, MaxZoom int
					Bounds           [4]float64
				}
			}
			getJSON(t, base+"/api/v1/meta", &meta)
			b := meta.Basemap
			if b == nil || b.Archive != "/basemap/basemap.pmtiles" || b.Glyphs != "/basemap/fonts/{fontstack}/{range}.pbf" || b.MaxZoom != 14 {
				t.Fatalf("meta basemap %+v", b)
			}
			// As the browser's PMTiles reader does: the header, then the
			// root directory where the header says it is.
			resp, head := getRange(t, base+b.Archive, 0, 126)
			if resp.StatusCode != http.StatusPartialContent || resp.Header.Get("Content-Range") != fmt.Sprintf("bytes 0-126/%d", len(file)) {
				t.Fatalf("header range: %s, Content-Range %q", resp.Status, resp.Header.Get("Content-Range"))
			}
			if !bytes.HasPrefix(head, []byte("PMTiles\x03")) {
				t.Fatalf("header bytes %q", head[:8])
			}
			off, n := binary.LittleEndian.Uint64(head[8:]), binary.LittleEndian.Uint64(head[16:])
			resp, dir := getRange(t, base+b.Archive, off, off+n-1)
			if resp.StatusCode != http.StatusPartialContent || !bytes.Equal(dir, file[off:off+n]) {
				t.Errorf("root directory range: %s, %d bytes, want %d equal to the file's", resp.Status, len(dir), n)
			}
			glyphs := strings.NewReplacer("{fontstack}", "Noto%20Sans%20Regular", "{range}", "0-255").Replace(b.Glyphs)
			if resp, err := http.Get(base + glyphs); err != nil || resp.StatusCode != http.StatusOK {
				t.Errorf("glyphs %s: %v %v", glyphs, resp.Status, err)
			} else {
				resp.Body.Close()
			}
		})
	}
	t.Run("none", func(t *testing.T) {
		base := startServe(t, map[string]string{"HOTSPOT_DATA_DIR": t.TempDir()}, "--no-demo", "--log-level", "warn")
		var meta map[string]json.RawMessage
		getJSON(t, base+"/api/v1/meta", &meta)
		if string(meta["basemap"]) != "null" {
			t.Errorf("meta basemap %s without --basemap, want null", meta["basemap"])
		}
		if resp, err := http.Get(base + "/basemap/basemap.pmtiles"); err != nil || resp.StatusCode != http.StatusNotFound {
			t.Errorf("archive without --basemap: %v %v, want 404", resp.Status, err)
		}
	})
}

func TestServeRefusesBadBasemap(t *testing.T) {
	dir := t.TempDir()
	write := func(name string, b []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	for _, tc := range []struct {
		name, path, want string
	}{
		{"missing", filepath.Join(dir, "none.pmtiles"), "no such file"},
		{"directory", dir, "not a regular file"},
		{"mbtiles", write("a.mbtiles", append([]byte("SQLite format 3\x00"), make([]byte, 200)...)), "pmtiles convert"},
		{"geojson", write("a.pmtiles", []byte(strings.Repeat(`{"type":"FeatureCollection","features":[]}`, 5))), "not a PMTiles archive"},
		{"short", write("b.pmtiles", []byte("PMTiles\x03")), "shorter than the 127-byte header"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var stderr bytes.Buffer
			code := run(context.Background(), []string{"serve", "--addr", "127.0.0.1:0", "--data-dir", t.TempDir(), "--basemap", tc.path}, io.Discard, &stderr, func(string) string { return "" })
			if code != exitUsage || !strings.Contains(stderr.String(), "--basemap") || !strings.Contains(stderr.String(), tc.want) {
				t.Errorf("exit %d, stderr %q; want %d naming --basemap and saying %q", code, stderr.String(), exitUsage, tc.want)
			}
		})
	}
}
