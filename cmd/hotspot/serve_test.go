package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"

	"github.com/leicester-csp/hotspot/geo/boundary"
	"github.com/leicester-csp/hotspot/geo/stats"
	"github.com/leicester-csp/hotspot/internal/shareddata"
)

// startServe runs `hotspot serve` in-process on a free port and returns
// its base URL; the server stops when the test ends. What serve wrote to
// stderr is shown if it fails to come up or to stop cleanly.
func startServe(t *testing.T, env map[string]string, args ...string) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan int, 1)
	errOut := &lockedBuffer{}
	go func() {
		done <- run(ctx, append([]string{"serve", "--addr", addr}, args...), io.Discard, errOut, func(k string) string { return env[k] })
	}()
	exited := false
	t.Cleanup(func() {
		cancel()
		if exited {
			return
		}
		select {
		case code := <-done:
			if code != 0 {
				t.Errorf("serve exited %d after SIGTERM-like cancel: %s", code, errOut)
			}
		case <-time.After(15 * time.Second):
			t.Error("serve did not shut down")
		}
	})
	return waitHealthy(t, "http://"+addr, done, &exited, errOut)
}

// waitHealthy polls base until it answers. The deadline is generous
// because a loaded CI machine may take long to build the demo city; it
// is not a speed check, and a serve that exits fails at once.
func waitHealthy(t *testing.T, base string, done <-chan int, exited *bool, errOut fmt.Stringer) string {
	t.Helper()
	deadline := time.Now().Add(120 * time.Second)
	for {
		resp, err := http.Get(base + "/healthz")
		if err == nil {
			resp.Body.Close()
			return base
		}
		select {
		case code := <-done:
			*exited = true
			t.Fatalf("serve exited %d before answering: %s", code, errOut)
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("server did not come up: %v; stderr: %s", err, errOut)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// lockedBuffer collects serve's stderr while the test reads it.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func getJSON(t *testing.T, url string, into any) int {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if err := json.NewDecoder(resp.Body).Decode(into); err != nil {
		t.Fatalf("%s: %v", url, err)
	}
	return resp.StatusCode
}

type featureCollection struct {
	Type     string `json:"type"`
	Features []struct {
		Geometry   json.RawMessage `json:"geometry"`
		Properties map[string]any  `json:"properties"`
	} `json:"features"`
	Hotspot        map[string]any `json:"hotspot"`
	NumberMatched  int            `json:"numberMatched"`
	NumberReturned int            `json:"numberReturned"`
}

// TestServeDemoCity: a fresh data directory serves the synthetic city,
// labelled as such, with hotspots for every priority.
func TestServeDemoCity(t *testing.T) {
	base := startServe(t, map[string]string{"HOTSPOT_DATA_DIR": t.TempDir()})
	for _, p := range []string{"city-centre-violence", "asb", "retail-crime"} {
		var fc featureCollection
		if code := getJSON(t, base+"/api/v1/hotspots/hex?priority="+p, &fc); code != 200 {
			t.Fatalf("%s: status %d", p, code)
		}
		if fc.Hotspot["synthetic"] != true {
			t.Errorf("%s: demo answer not labelled synthetic: %v", p, fc.Hotspot)
		}
		hot := 0
		for _, f := range fc.Features {
			if b, _ := f.Properties["gi_bin"].(float64); b >= 2 {
				hot++
			}
		}
		if hot == 0 {
			t.Errorf("%s: the demo city shows no significant hotspot among %d cells", p, len(fc.Features))
		}
	}
}

// TestServeSharedData imports real months and checks known answers
// over HTTP against figures computed here independently of the store.
func TestServeSharedData(t *testing.T) {
	data := shareddata.ReadsMonths(t)
	if testing.Short() {
		t.Skip("imports 200,775 rows")
	}
	dir := t.TempDir()
	env := map[string]string{"HOTSPOT_DATA_DIR": dir}
	wardsFile := filepath.Join(data, "boundaries_leicester", "leicester_wards_WD20_BGC.geojson")
	// The ten months of 2024 the checks ask about: the whole 22 would
	// double this test's time under the race detector and test nothing more.
	args := []string{"ingest", "--json", "--boundaries", wardsFile,
		"--population", filepath.Join(data, "leicester_city_council", "leicester_ward_population_2022.csv")}
	for m := 1; m <= 10; m++ {
		args = append(args, filepath.Join(data, "police_leicestershire_street", fmt.Sprintf("2024-%02d-leicestershire-street.csv", m)))
	}
	code, _, errOut := runCmd(t, env, args...)
	if code != 0 {
		t.Fatalf("ingest: %s", errOut)
	}
	base := startServe(t, env, "--log-level", "warn")

	// Independent count: ASB rows of 2024-01…06 whose point lies in a ward,
	// by orb's planar containment straight from the CSVs.
	wards, err := boundary.ReadFile(wardsFile, boundary.Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := 0
	for m := 1; m <= 6; m++ {
		f, err := os.Open(filepath.Join(data, "police_leicestershire_street", fmt.Sprintf("2024-%02d-leicestershire-street.csv", m)))
		if err != nil {
			t.Fatal(err)
		}
		recs, err := csv.NewReader(f).ReadAll()
		f.Close()
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range recs[1:] {
			if r[9] != "Anti-social behaviour" || r[4] == "" {
				continue
			}
			lon, _ := strconv.ParseFloat(r[4], 64)
			lat, _ := strconv.ParseFloat(r[5], 64)
			for _, w := range wards {
				if planar.MultiPolygonContains(w.Geometry, orb.Point{lon, lat}) {
					want++
					break
				}
			}
		}
	}

	var hexFC, wardFC featureCollection
	getJSON(t, base+"/api/v1/hotspots/hex?priority=asb&from=2024-01&to=2024-06&res=9", &hexFC)
	getJSON(t, base+"/api/v1/hotspots/wards?priority=asb&from=2024-01&to=2024-06", &wardFC)
	sum := func(fc featureCollection) int {
		n := 0
		for _, f := range fc.Features {
			n += int(f.Properties["count"].(float64))
		}
		return n
	}
	if got := sum(hexFC); got != want {
		t.Errorf("ASB hex counts 2024-01…06 sum to %d, want %d ASB incidents inside the city", got, want)
	}
	if got := sum(wardFC); got != want {
		t.Errorf("ASB ward counts 2024-01…06 sum to %d, want %d", got, want)
	}
	if hexFC.Hotspot["synthetic"] != false || hexFC.Hotspot["from"] != "2024-01" || hexFC.Hotspot["res"] != float64(9) {
		t.Errorf("hex meta = %v", hexFC.Hotspot)
	}

	// Castle holds 1,027 of October 2024's points (SOURCES.md).
	var oct featureCollection
	getJSON(t, base+"/api/v1/hotspots/wards?from=2024-10&to=2024-10", &oct)
	for _, f := range oct.Features {
		if f.Properties["name"] == "Castle" && f.Properties["count"] != float64(1027) {
			t.Errorf("Castle 2024-10 = %v, want 1027", f.Properties["count"])
		}
	}

	// Incidents page through everything in the month, located or not.
	var page featureCollection
	getJSON(t, base+"/api/v1/incidents?from=2024-09&to=2024-10&limit=20000", &page)
	if page.NumberMatched != 9155+9172 || page.NumberReturned != 10000 {
		t.Errorf("incidents 2024-09…10: matched %d returned %d, want 18327 and 10000 (clamped)", page.NumberMatched, page.NumberReturned)
	}

	// Bad input is a 400 naming the parameter, never a 500.
	for q, param := range map[string]string{"from=2024-13": "from", "res=11": "res", "k=0": "k", "bbox=1,2,3": "bbox", "priority=nope": "priority", "colour=red": "colour"} {
		var e struct{ Error, Param string }
		if code := getJSON(t, base+"/api/v1/hotspots/hex?"+q, &e); code != 400 || e.Param != param {
			t.Errorf("?%s: %d %+v, want 400 naming %s", q, code, e, param)
		}
	}

	t.Run("export opens in GDAL", func(t *testing.T) {
		if _, err := exec.LookPath("ogrinfo"); err != nil {
			t.Skip("ogrinfo (gdal-bin) not installed")
		}
		out := filepath.Join(t.TempDir(), "asb.geojson")
		if code, _, errOut := runCmd(t, env, "export", "--layer", "hex", "--priority", "asb", "--from", "2024-01", "--to", "2024-06", "-o", out); code != 0 {
			t.Fatalf("export: %s", errOut)
		}
		info, err := exec.Command("ogrinfo", "-ro", "-so", "-al", out).CombinedOutput()
		if err != nil {
			t.Fatalf("ogrinfo: %v\n%s", err, info)
		}
		if want := fmt.Sprintf("Feature Count: %d", len(hexFC.Features)); !strings.Contains(string(info), want) {
			t.Errorf("ogrinfo does not report %q:\n%s", want, info)
		}
		csvOut := filepath.Join(t.TempDir(), "wards.csv")
		if code, _, errOut := runCmd(t, env, "export", "--layer", "wards", "--priority", "asb", "--format", "csv", "-o", csvOut); code != 0 {
			t.Fatalf("export csv: %s", errOut)
		}
		b, _ := os.ReadFile(csvOut)
		if lines := strings.Count(string(b), "\n"); lines != 22 {
			t.Errorf("wards CSV has %d lines, want a header and 21 wards", lines)
		}
	})

	t.Run("emerging hot spots", func(t *testing.T) { checkSharedEmerging(t, env, base) })
}

// checkSharedEmerging asks for emerging retail crime over the ten months
// loaded: one feature per study-area cell, the window's counts, only the
// seventeen patterns and some of them not no_pattern; a short window, or
// one reaching outside the data, is a 400 naming from (or to); the
// export opens in GDAL as GeoJSON and as CSV.
func checkSharedEmerging(t *testing.T, env map[string]string, base string) {
	const window = "priority=retail-crime&from=2024-01&to=2024-10&res=9"
	var em, hx featureCollection
	if code := getJSON(t, base+"/api/v1/hotspots/emerging?"+window, &em); code != 200 {
		t.Fatalf("emerging: %d", code)
	}
	getJSON(t, base+"/api/v1/hotspots/hex?"+window, &hx)
	if len(em.Features) == 0 || len(em.Features) != len(hx.Features) {
		t.Fatalf("%d emerging features, %d hex cells", len(em.Features), len(hx.Features))
	}
	known := map[string]bool{}
	for _, p := range stats.Patterns() {
		known[p] = true
	}
	patterns := map[string]int{}
	for i, f := range em.Features {
		p := f.Properties
		pat, _ := p["pattern"].(string)
		patterns[pat]++
		if !known[pat] {
			t.Errorf("pattern %q", pat)
		}
		if p["h3"] != hx.Features[i].Properties["h3"] || p["count"] != hx.Features[i].Properties["count"] {
			t.Errorf("feature %d: %v/%v, hex %v/%v", i, p["h3"], p["count"], hx.Features[i].Properties["h3"], hx.Features[i].Properties["count"])
		}
		bins, _ := p["bins"].([]any)
		if len(bins) != 10 {
			t.Fatalf("bins %v: want 10", bins)
		}
	}
	t.Logf("retail crime, 10 months, res 9: %v", patterns)
	if patterns["no_pattern"] == len(em.Features) {
		t.Error("every cell is no_pattern")
	}
	for q, param := range map[string]string{"priority=asb&from=2024-02&to=2024-10": "from", "priority=asb&to=2024-10&from=2024-10": "from",
		"priority=asb&from=2023-12&to=2024-10": "from", "priority=asb&from=2024-01&to=2024-11": "to"} {
		var e struct{ Error, Param string }
		if code := getJSON(t, base+"/api/v1/hotspots/emerging?"+q, &e); code != 400 || e.Param != param {
			t.Errorf("?%s: %d %+v, want 400 naming %s", q, code, e, param)
		}
	}

	if _, err := exec.LookPath("ogrinfo"); err != nil {
		t.Skip("ogrinfo (gdal-bin) not installed")
	}
	dir := t.TempDir()
	for _, tc := range []struct{ format, file, field string }{
		{"geojson", "emerging.geojson", "bins: IntegerList"},
		{"csv", "emerging.csv", "bins: String"},
	} {
		out := filepath.Join(dir, tc.file)
		if code, _, errOut := runCmd(t, env, "export", "--layer", "emerging", "--priority", "retail-crime", "--from", "2024-01", "--to", "2024-10", "--format", tc.format, "-o", out); code != 0 {
			t.Fatalf("export %s: %s", tc.format, errOut)
		}
		info, err := exec.Command("ogrinfo", "-ro", "-so", "-al", out).CombinedOutput()
		if err != nil {
			t.Fatalf("ogrinfo %s: %v\n%s", tc.file, err, info)
		}
		for _, want := range []string{fmt.Sprintf("Feature Count: %d", len(em.Features)), tc.field, "pattern: String"} {
			if !strings.Contains(string(info), want) {
				t.Errorf("ogrinfo %s does not report %q:\n%s", tc.file, want, info)
			}
		}
		if tc.format == "csv" && !strings.Contains(string(info), "Geometry: Polygon") && !strings.Contains(string(info), "Geometry: Unknown") {
			t.Errorf("ogrinfo reads no geometry from the CSV:\n%s", info)
		}
	}
}
