package main

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestExportChange exports the change layer as CSV and GeoJSON (GDAL
// reads it unchanged where installed) and refuses a bad --compare.
func TestExportChange(t *testing.T) {
	in := filepath.Join(t.TempDir(), "2024-02-test-street.csv")
	var rows strings.Builder
	rows.WriteString(csvHeader)
	for i, month := range []string{"2024-01", "2024-02", "2024-02", "2024-02", "2024-03", "2024-03", "2024-03", "2024-03", "2024-03", "2024-03"} {
		rows.WriteString("c" + string(rune('a'+i)) + "," + month + ",P,P,-1.1352,52.6331,On or near A,E01,L 001A,Shoplifting,,\n")
	}
	if err := os.WriteFile(in, []byte(rows.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	env := map[string]string{"HOTSPOT_DATA_DIR": t.TempDir()}
	if code, _, errOut := runCmd(t, env, "ingest", in); code != 0 {
		t.Fatalf("ingest: %s", errOut)
	}
	code, out, errOut := runCmd(t, env, "export", "--layer", "change", "--from", "2024-03", "--to", "2024-03", "--compare", "previous", "--format", "csv")
	if code != 0 {
		t.Fatalf("export csv: %s", errOut)
	}
	// 6 against 3 in the one cell: p = 2·(1+9+36+84)/2^9 = 0.5078125.
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 2 || lines[0] != "h3,count,prev_count,change_pct,change_p,change_bin,suppressed,from,to,wkt" || !strings.Contains(lines[1], ",6,3,100,0.5078125,0,false,2024-03,2024-03,\"POLYGON((") {
		t.Errorf("csv:\n%s", out)
	}
	gj := filepath.Join(t.TempDir(), "change.geojson")
	if code, _, errOut := runCmd(t, env, "export", "--layer", "change", "--compare", "year", "-o", gj); code != 0 {
		t.Fatalf("export geojson: %s", errOut)
	}
	var fc struct {
		Features []struct{ Properties map[string]any }
		Hotspot  map[string]any
	}
	b, _ := os.ReadFile(gj)
	if err := json.Unmarshal(b, &fc); err != nil || len(fc.Features) != 1 || fc.Hotspot["compare"] != "year" {
		t.Fatalf("geojson %v: %s", err, b)
	}
	// The base a year earlier lies before the data: no test.
	if p := fc.Features[0].Properties; p["change_p"] != nil || p["change_bin"] != 0.0 {
		t.Errorf("properties %v, want change_p null", p)
	}
	if _, err := exec.LookPath("ogrinfo"); err == nil {
		info, err := exec.Command("ogrinfo", "-ro", "-so", "-al", gj).CombinedOutput()
		if err != nil || !strings.Contains(string(info), "Feature Count: 1") {
			t.Errorf("ogrinfo: %v\n%s", err, info)
		}
	}
	for _, args := range [][]string{
		{"export", "--layer", "change", "--compare", "month"},
		{"export", "--layer", "change", "--k", "2"},
		{"export", "--layer", "hex", "--compare", "year"},
	} {
		code, _, errOut := runCmd(t, env, args...)
		flag := args[3]
		if code != 2 || !strings.Contains(errOut, flag) {
			t.Errorf("%v: exit %d, stderr %q; want a usage error naming %s", args, code, errOut, flag)
		}
	}
}

// TestExportCSVTypes: a CSV export to a file comes with its .csvt, so
// that GDAL (and QGIS) read counts as integers and statistics as reals,
// not text, and the period columns travel with every feature.
func TestExportCSVTypes(t *testing.T) {
	in := filepath.Join(t.TempDir(), "2024-02-test-street.csv")
	var rows strings.Builder
	rows.WriteString(csvHeader)
	for i := range 12 {
		rows.WriteString("t" + string(rune('a'+i)) + ",2024-02,P,P,-1.1352,52.6331,On or near A,E01,L 001A,Robbery,,\n")
	}
	if err := os.WriteFile(in, []byte(rows.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	env := map[string]string{"HOTSPOT_DATA_DIR": t.TempDir()}
	if code, _, errOut := runCmd(t, env, "ingest", in); code != 0 {
		t.Fatalf("ingest: %s", errOut)
	}
	dir := t.TempDir()
	for _, tc := range []struct{ layer, want string }{
		{"hex", `"String","Integer","Real","Real","Integer","String","String","String","String","WKT"`},
		{"incidents", `"String","String","String","String","String","String","String","String","String","String","String","String","CoordX","CoordY"`},
	} {
		out := filepath.Join(dir, tc.layer+".csv")
		if code, _, errOut := runCmd(t, env, "export", "--layer", tc.layer, "--from", "2024-02", "--to", "2024-02", "--format", "csv", "-o", out); code != 0 {
			t.Fatalf("export %s: %s", tc.layer, errOut)
		}
		b, err := os.ReadFile(filepath.Join(dir, tc.layer+".csvt"))
		if err != nil || strings.TrimSpace(string(b)) != tc.want {
			t.Errorf("%s.csvt = %q, %v; want %s", tc.layer, b, err, tc.want)
		}
		if _, err := exec.LookPath("ogrinfo"); err != nil || tc.layer != "hex" {
			continue
		}
		info, err := exec.Command("ogrinfo", "-ro", "-al", "-so", out).CombinedOutput()
		for _, field := range []string{"count: Integer", "gi_z: Real", "from: String"} {
			if err != nil || !strings.Contains(string(info), field) {
				t.Errorf("ogrinfo %s: want %q: %v\n%s", out, field, err, info)
			}
		}
	}
}
