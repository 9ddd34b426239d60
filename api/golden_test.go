package api

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"github.com/leicester-csp/hotspot/geo"
	"math"
	"net/http"
	"os"
	"path/filepath"
	"testing"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden.json from the current answers")

// TestGolden pins whole answers over the fixture. The store version is
// random per store, so it is masked; numbers compare to 1e-9 (relative)
// because Gi* may differ in the last bits where the compiler fuses
// multiply-adds (arm64).
func TestGolden(t *testing.T) {
	f := newFixture(t)
	version, err := f.store.Version(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	version = geo.PublicVersion(version) // what a caller without a key is shown
	tests := []struct{ name, target string }{
		{"hex", "/api/v1/hotspots/hex?priority=asb&from=2023-01&to=2024-03"},
		{"wards", "/api/v1/hotspots/wards?from=2023-08&to=2024-03"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			resp, body := f.get(t, tc.target)
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("status %d: %s", resp.StatusCode, body)
			}
			body = bytes.ReplaceAll(body, []byte(`"version":"`+version+`"`), []byte(`"version":"<version>"`))
			got := bytes.NewBuffer(featurePerLine(body))
			path := filepath.Join("testdata", tc.name+".golden.json")
			if *update {
				if err := os.WriteFile(path, got.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test ./api -update to create it)", err)
			}
			if bytes.Equal(got.Bytes(), want) {
				return
			}
			var g, w any
			if err := json.Unmarshal(got.Bytes(), &g); err != nil {
				t.Fatal(err)
			}
			if err := json.Unmarshal(want, &w); err != nil {
				t.Fatal(err)
			}
			if diff := jsonDiff("$", g, w); diff != "" {
				t.Errorf("%s differs from %s: %s (run go test ./api -update after checking)", tc.target, path, diff)
			}
		})
	}
}

// featurePerLine breaks a FeatureCollection's body before each feature
// and its foreign members, so that a golden file reads one cell or ward
// to a line.
func featurePerLine(body []byte) []byte {
	body = bytes.ReplaceAll(body, []byte(`{"type":"Feature",`), []byte("\n"+`{"type":"Feature",`))
	return bytes.ReplaceAll(body, []byte(`],"hotspot":`), []byte("\n"+`],"hotspot":`))
}

// jsonDiff returns the first difference between two decoded JSON values,
// comparing numbers with a relative tolerance.
func jsonDiff(path string, got, want any) string {
	switch w := want.(type) {
	case map[string]any:
		g, ok := got.(map[string]any)
		if !ok || len(g) != len(w) {
			return fmt.Sprintf("%s: got %v, want %v", path, got, want)
		}
		for k := range w {
			if d := jsonDiff(path+"."+k, g[k], w[k]); d != "" {
				return d
			}
		}
	case []any:
		g, ok := got.([]any)
		if !ok || len(g) != len(w) {
			return fmt.Sprintf("%s: got %d items, want %d", path, len(g), len(w))
		}
		for i := range w {
			if d := jsonDiff(fmt.Sprintf("%s[%d]", path, i), g[i], w[i]); d != "" {
				return d
			}
		}
	case float64:
		g, ok := got.(float64)
		if !ok || math.Abs(g-w) > 1e-9*math.Max(1, math.Abs(w)) {
			return fmt.Sprintf("%s: got %v, want %v", path, got, want)
		}
	default:
		if got != want {
			return fmt.Sprintf("%s: got %v, want %v", path, got, want)
		}
	}
	return ""
}
