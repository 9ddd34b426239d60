package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestTargetAreasCommands adds an area from a file, lists it, evaluates
// it and removes it, against a data directory made by ingest.
func TestTargetAreasCommands(t *testing.T) {
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	csv := filepath.Join(dir, "2024-01-leicestershire-street.csv")
	var rows strings.Builder
	rows.WriteString("Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,Crime type,Last outcome category,Context\n")
	for _, m := range []string{"2024-01", "2024-02", "2024-03", "2024-04"} {
		rows.WriteString("," + m + ",P,P,-1.135,52.633,On or near X,E01,L,Anti-social behaviour,,\n")
	}
	if err := os.WriteFile(csv, []byte(rows.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	wards := filepath.Join(dir, "wards.geojson")
	if err := os.WriteFile(wards, []byte(`{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"WD23CD":"E05000001","WD23NM":"Castle"},"geometry":{"type":"Polygon","coordinates":[[[-1.14,52.63],[-1.13,52.63],[-1.13,52.64],[-1.14,52.64],[-1.14,52.63]]]}}]}`), 0o644); err != nil {
		t.Fatal(err)
	}
	area := filepath.Join(dir, "area.geojson")
	if err := os.WriteFile(area, []byte(`{"type":"Feature","geometry":{"type":"Polygon","coordinates":[[[-1.136,52.632],[-1.134,52.632],[-1.134,52.634],[-1.136,52.634],[-1.136,52.632]]]},"properties":{"name":"Clock Tower","priority":"asb","start":"2024-03","actions":"patrols"}}`), 0o644); err != nil {
		t.Fatal(err)
	}
	env := func(string) string { return "" }
	sh := func(args ...string) (int, string, string) {
		var out, errb bytes.Buffer
		code := run(context.Background(), args, &out, &errb, env)
		return code, out.String(), errb.String()
	}
	if code, _, e := sh("ingest", "--data-dir", data, "--boundaries", wards, csv); code != 0 {
		t.Fatalf("ingest: %d %s", code, e)
	}
	code, out, e := sh("target-areas", "add", "--data-dir", data, "--json", area)
	if code != 0 {
		t.Fatalf("add: %d %s", code, e)
	}
	var added struct{ ID string }
	if err := json.Unmarshal([]byte(out), &added); err != nil || added.ID == "" {
		t.Fatalf("add printed %q", out)
	}
	if code, out, _ := sh("target-areas", "list", "--data-dir", data); code != 0 || !strings.Contains(out, "Clock Tower") {
		t.Errorf("list: %d %s", code, out)
	}
	if code, _, e := sh("target-areas", "evaluate", "--data-dir", data, added.ID); code != 2 || !strings.Contains(e, "--control") {
		t.Errorf("evaluate without a control: %d %s; want a usage error naming --control", code, e)
	}
	code, out, e = sh("target-areas", "evaluate", "--data-dir", data, "--control", "Castle", "--before", "2", "--after", "2", "--json", added.ID)
	if code != 0 || !strings.Contains(out, `"t_before":2,"t_after":2`) {
		t.Errorf("evaluate: %d %s %s", code, out, e)
	}
	if code, _, e := sh("target-areas", "rm", "--data-dir", data, added.ID); code != 0 {
		t.Errorf("rm: %d %s", code, e)
	}
	if code, _, _ := sh("target-areas", "rm", "--data-dir", data, added.ID); code != 1 {
		t.Errorf("second rm: %d; want 1", code)
	}
}
