package api

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/paulmach/orb/encoding/mvt"
	"github.com/paulmach/orb/maptile"

	"github.com/leicester-csp/hotspot/tiles"
)

// castleTile is the z14 tile over the fixture's Castle ward.
func castleTile() maptile.Tile { return maptile.At(fixturePoints[0], 14) }

func decodeTile(t *testing.T, body []byte) mvt.Layers {
	t.Helper()
	ls, err := mvt.Unmarshal(body)
	if err != nil {
		t.Fatalf("not an MVT: %v", err)
	}
	return ls
}

func TestTiles(t *testing.T) {
	f := newFixture(t)
	ct := castleTile()
	for _, tc := range []struct {
		layer, query string
		props        []string
	}{
		{"hex", "priority=asb&from=2023-01&to=2024-03", []string{"h3", "count", "gi_bin"}},
		{"hex", "category=Robbery&res=9&k=2", []string{"h3", "count", "gi_bin"}},
		{"wards", "priority=retail-crime", []string{"code", "name", "count", "prev_count"}},
		{"incidents", "from=2022-12&to=2024-03", []string{"id", "month", "category", "location", "outcome"}},
	} {
		t.Run(tc.layer+"?"+tc.query, func(t *testing.T) {
			resp, body := f.get(t, tileURLPath(tc.layer, ct)+"?"+tc.query)
			if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != contentMVT || resp.Header.Get("ETag") == "" {
				t.Fatalf("status %d, type %q, etag %q: %s", resp.StatusCode, resp.Header.Get("Content-Type"), resp.Header.Get("ETag"), body)
			}
			ls := decodeTile(t, body)
			if len(ls) != 1 || ls[0].Name != tc.layer {
				t.Fatalf("layers %v, want one named %s", ls, tc.layer)
			}
			if len(ls[0].Features) == 0 {
				t.Fatalf("no features in the tile over Castle")
			}
			for _, p := range tc.props {
				if _, ok := ls[0].Features[0].Properties[p]; !ok {
					t.Errorf("feature lacks %s: %v", p, ls[0].Features[0].Properties)
				}
			}
			// gzip when accepted, the same tile inside.
			zresp, zbody := f.get(t, tileURLPath(tc.layer, ct)+"?"+tc.query, "Accept-Encoding", "gzip")
			if zresp.Header.Get("Content-Encoding") != "gzip" {
				t.Fatalf("no gzip: %v", zresp.Header)
			}
			zr, err := gzip.NewReader(bytes.NewReader(zbody))
			if err != nil {
				t.Fatal(err)
			}
			plain, _ := io.ReadAll(zr)
			if !bytes.Equal(plain, body) {
				t.Error("gzip tile differs from the identity tile")
			}
			// A repeated request with the ETag costs nothing.
			nm := f.do(t, http.MethodGet, tileURLPath(tc.layer, ct)+"?"+tc.query, "If-None-Match", resp.Header.Get("ETag"))
			if nm.StatusCode != http.StatusNotModified {
				t.Errorf("If-None-Match: %d", nm.StatusCode)
			}
		})
	}
	// A tile far away is empty but valid.
	resp, body := f.get(t, tileURLPath("hex", maptile.New(0, 0, 14)))
	if resp.StatusCode != 200 || len(decodeTile(t, body)) > 0 && len(decodeTile(t, body)[0].Features) != 0 {
		t.Errorf("far tile: %d, %d bytes", resp.StatusCode, len(body))
	}
	// An import invalidates cached tiles: the ETag changes.
	first := f.do(t, http.MethodGet, tileURLPath("hex", ct))
	if _, err := f.store.Import(t.Context(), populationOnly()); err != nil {
		t.Fatal(err)
	}
	second := f.do(t, http.MethodGet, tileURLPath("hex", ct))
	if first.Header.Get("ETag") == second.Header.Get("ETag") {
		t.Error("tile ETag unchanged after an import")
	}
}

func TestTileErrors(t *testing.T) {
	f := newFixture(t)
	tests := []struct {
		target string
		status int
		param  string
	}{
		{"/tiles/hex/19/0/0.mvt", 400, "z"},
		{"/tiles/hex/-1/0/0.mvt", 400, "z"},
		{"/tiles/hex/abc/0/0.mvt", 400, "z"},
		{"/tiles/hex/2/4/0.mvt", 400, "x"},
		{"/tiles/hex/2/0/4.mvt", 400, "y"},
		{"/tiles/hex/2/0/1e3.mvt", 400, "y"},
		{"/tiles/roads/2/0/0.mvt", 404, ""},
		{"/tiles/roads.json", 404, ""},
		{"/tiles/hex/14/8140/5424.mvt?priority=nope", 400, "priority"},
		{"/tiles/hex/14/8140/5424.mvt?bbox=1,2,3,4", 400, "bbox"},
		{"/tiles/wards/14/8140/5424.mvt?res=9", 400, "res"},
		{"/tiles/hex/14/8140/5424.mvt?from=2024-13", 400, "from"},
		{"/tiles/hex.json?k=5", 400, "k"},
	}
	for _, tc := range tests {
		t.Run(tc.target, func(t *testing.T) {
			v := f.getJSON(t, tc.target, tc.status)
			if p, _ := v["param"].(string); p != tc.param {
				t.Errorf("param %q, want %q: %v", p, tc.param, v)
			}
		})
	}
}

func TestTileJSON(t *testing.T) {
	f := newFixture(t)
	v := f.getJSON(t, "/tiles/hex.json?priority=asb&res=9", http.StatusOK)
	urls := arr(t, v["tiles"])
	if len(urls) != 1 || !strings.Contains(urls[0].(string), "/tiles/hex/{z}/{x}/{y}.mvt?") || !strings.Contains(urls[0].(string), "priority=asb") {
		t.Errorf("tiles = %v", urls)
	}
	layers := arr(t, v["vector_layers"])
	if obj(t, layers[0])["id"] != "hex" {
		t.Errorf("vector_layers = %v", layers)
	}
}

// TestTileWithGDAL opens a downloaded tile with GDAL's MVT driver.
func TestTileWithGDAL(t *testing.T) {
	if _, err := exec.LookPath("ogrinfo"); err != nil {
		t.Skip("ogrinfo (gdal-bin) not installed")
	}
	f := newFixture(t)
	ct := castleTile()
	for _, tc := range []struct {
		layer  string
		fields []string
	}{
		{"hex", []string{"h3: String", "count: Integer", "gi_bin: Integer"}},
		{"wards", []string{"code: String", "name: String", "count: Integer"}},
		{"incidents", []string{"id: String", "category: String"}},
	} {
		_, body := f.get(t, tileURLPath(tc.layer, ct)+"?from=2022-12&to=2024-03")
		dir := filepath.Join(t.TempDir(), fmt.Sprint(ct.Z), fmt.Sprint(ct.X))
		os.MkdirAll(dir, 0o755)
		path := filepath.Join(dir, fmt.Sprintf("%d.mvt", ct.Y))
		if err := os.WriteFile(path, body, 0o644); err != nil {
			t.Fatal(err)
		}
		out, err := exec.Command("ogrinfo", "-ro", "-al", "-so", path).CombinedOutput()
		if err != nil {
			t.Fatalf("ogrinfo %s: %v\n%s", tc.layer, err, out)
		}
		s := string(out)
		if !strings.Contains(s, "Layer name: "+tc.layer) {
			t.Errorf("%s: GDAL does not see the layer:\n%s", tc.layer, s)
		}
		for _, fld := range tc.fields {
			if !strings.Contains(s, fld) {
				t.Errorf("%s: GDAL lacks field %q:\n%s", tc.layer, fld, s)
			}
		}
	}
}

func FuzzParseTile(f *testing.F) {
	for _, s := range [][3]string{{"0", "0", "0"}, {"14", "8140", "5424"}, {"18", "262143", "0"}, {"19", "0", "0"}, {"-1", "0", "0"}, {"3", "8", "1"}, {"01", "+1", " 2"}} {
		f.Add(s[0], s[1], s[2])
	}
	f.Fuzz(func(t *testing.T, z, x, y string) {
		tile, err := ParseTile(z, x, y)
		if err != nil {
			return
		}
		if tile.Z > tiles.MaxZoom || tile.X >= 1<<tile.Z || tile.Y >= 1<<tile.Z {
			t.Fatalf("accepted %s/%s/%s as %v", z, x, y, tile)
		}
	})
}

// tileURLPath is the path of a tile of layer.
func tileURLPath(layer string, t maptile.Tile) string {
	return fmt.Sprintf("/tiles/%s/%d/%d/%d.mvt", layer, t.Z, t.X, t.Y)
}
