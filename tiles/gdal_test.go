package tiles

import (
	"github.com/leicester-csp/hotspot/geo/layer"

	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/paulmach/orb/geojson"
	"github.com/paulmach/orb/maptile"

	"github.com/leicester-csp/hotspot/geo/hex"
)

// GDAL is what QGIS and the command-line tools read tiles with; its MVT
// driver is an independent decoder, so it checks what orb's own
// round-trip cannot: field types, winding and georeferencing.
func TestGDALReadsTiles(t *testing.T) {
	ogrinfo, err := exec.LookPath("ogrinfo")
	if err != nil {
		t.Skip("ogrinfo not installed")
	}
	tile := tileAt(centre(), 14)
	hexRes := hexFixture(t, box(centre(), 2), 10)

	tests := []struct {
		name     string
		layer    string
		encode   func() ([]byte, Stats, error)
		geometry string
		fields   []string // "name: Type" as ogrinfo prints them
	}{
		{
			name: "hex", layer: "hex", geometry: "Polygon",
			encode: func() ([]byte, Stats, error) { return Encode(layer.HexAnswer(hexRes), tile, Options{}) },
			fields: []string{"count: Integer", "gi_bin: Integer", "gi_p: Real", "gi_z: Real", "h3: String"},
		},
		{
			name: "wards", layer: "wards", geometry: "Multi Polygon",
			encode: func() ([]byte, Stats, error) { return Encode(layer.WardAnswer(wardsFixture()), tile, Options{}) },
			fields: []string{"change_pct: Real", "code: String", "count: Integer", "name: String",
				"population: Integer", "prev_count: Integer", "rate_per_1000: Real"},
		},
		{
			name: "incidents", layer: "incidents", geometry: "Point",
			encode: func() ([]byte, Stats, error) {
				return Encode(layer.IncidentAnswer(incidentsFixture()), tile, Options{})
			},
			fields: []string{"category: String", "id: String", "location: String", "month: String",
				"outcome: String", "ward: String", "ward_name: String"},
		},
		{
			name: "empty", layer: "hex", geometry: "Unknown (any)",
			encode: func() ([]byte, Stats, error) { return Encode(layer.HexAnswer(nil), tile, Options{}) },
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			b, st, err := tc.encode()
			if err != nil {
				t.Fatal(err)
			}
			path := writeTile(t, tile, b)
			out := run(t, ogrinfo, "-al", "-so", path)
			for _, want := range append([]string{
				"Layer name: " + tc.layer,
				"Geometry: " + tc.geometry,
				fmt.Sprintf("Feature Count: %d", st.Features),
				"Pseudo-Mercator",
			}, tc.fields...) {
				if !strings.Contains(out, want) {
					t.Errorf("ogrinfo lacks %q:\n%s", want, out)
				}
			}
			if strings.Contains(tc.geometry, "Polygon") {
				checkGDALValid(t, ogrinfo, path, tc.layer)
			}
		})
	}

	// GDAL places the tile by its file name; the cell at the tile's
	// centre must come back around its own centre.
	t.Run("georeferenced", func(t *testing.T) {
		ogr2ogr, err := exec.LookPath("ogr2ogr")
		if err != nil {
			t.Skip("ogr2ogr not installed")
		}
		b, _, err := Encode(layer.HexAnswer(hexRes), tile, Options{})
		if err != nil {
			t.Fatal(err)
		}
		path := writeTile(t, tile, b)
		out := run(t, ogr2ogr, "-f", "GeoJSON", "-t_srs", "EPSG:4326", "/vsistdout/", path)
		var fc geojson.FeatureCollection
		if err := json.Unmarshal([]byte(out), &fc); err != nil {
			t.Fatalf("ogr2ogr output: %v", err)
		}
		cell := hex.CellAt(tile.Center(), 10)
		for _, f := range fc.Features {
			if f.Properties["h3"] != hex.String(cell) {
				continue
			}
			got := f.Geometry.Bound()
			want := hex.Polygon(cell).Bound()
			// A tile unit at z14 is about 2.4 m, 3e-5° of longitude.
			const tol = 1e-4
			if !got.Pad(tol).Contains(want.Min) || !got.Pad(tol).Contains(want.Max) || !want.Pad(tol).Contains(got.Min) || !want.Pad(tol).Contains(got.Max) {
				t.Errorf("cell %s read back at %v, want %v", hex.String(cell), got, want)
			}
			return
		}
		t.Errorf("cell %s at the tile centre not read back", hex.String(cell))
	})
}

// checkGDALValid asks GDAL's SQLite dialect (GEOS underneath) whether every
// polygon is valid: correct winding and rings that do not cross.
func checkGDALValid(t *testing.T, ogrinfo, path, layer string) {
	t.Helper()
	cmd := exec.Command(ogrinfo, "-q", "-dialect", "sqlite", "-sql",
		"SELECT COUNT(*) AS invalid FROM "+layer+" WHERE NOT ST_IsValid(geometry)", path)
	out, err := cmd.CombinedOutput()
	m := regexp.MustCompile(`invalid \(Integer\) = (\d+)`).FindStringSubmatch(string(out))
	if err != nil || m == nil {
		t.Logf("GDAL cannot check validity here (%v): %s", err, out)
		return
	}
	if m[1] != "0" {
		t.Errorf("GDAL finds %s invalid %s geometries", m[1], layer)
	}
}

// writeTile writes b where GDAL's MVT driver reads z, x and y from the
// name, which it needs to georeference a lone tile.
func writeTile(t *testing.T, tile maptile.Tile, b []byte) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), fmt.Sprintf("%d-%d-%d.mvt", tile.Z, tile.X, tile.Y))
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func run(t *testing.T, name string, args ...string) string {
	t.Helper()
	out, err := exec.Command(name, args...).Output()
	if err != nil {
		var stderr []byte
		if ee, ok := err.(*exec.ExitError); ok {
			stderr = ee.Stderr
		}
		t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, stderr)
	}
	return string(out)
}
