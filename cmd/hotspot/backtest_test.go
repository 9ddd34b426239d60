package main

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/leicester-csp/hotspot/api"
	"github.com/leicester-csp/hotspot/geo"
	"github.com/leicester-csp/hotspot/geo/analysis"
	"github.com/leicester-csp/hotspot/geo/store/embedded"
)

// backtestData ingests four months of shoplifting at five points 3.4 km
// apart (the toy of geo/analysis' backtest tests) into a data directory.
func backtestData(t *testing.T) string {
	t.Helper()
	table := [][4]int{{3, 0, 0, 1}, {0, 0, 2, 4}, {1, 1, 1, 0}, {0, 1, 0, 0}, {0, 0, 0, 1}}
	in := t.TempDir()
	for m := range 4 {
		var b strings.Builder
		b.WriteString(csvHeader)
		for p, row := range table {
			for k := range row[m] {
				fmt.Fprintf(&b, "c%d-%d-%d,2024-%02d,P,P,%.2f,52.60,On or near Street %c,E01,L,Shoplifting,,\n", p, m, k, m+1, -1.20+0.05*float64(p), 'A'+p)
			}
		}
		os.WriteFile(filepath.Join(in, fmt.Sprintf("2024-%02d-test-street.csv", m+1)), []byte(b.String()), 0o644)
	}
	dir := t.TempDir()
	if code, _, errOut := runCmd(t, map[string]string{"HOTSPOT_DATA_DIR": dir}, "ingest", in); code != 0 {
		t.Fatalf("ingest: %s", errOut)
	}
	return dir
}

func TestBacktestCommand(t *testing.T) {
	dir := backtestData(t)
	env := map[string]string{"HOTSPOT_DATA_DIR": dir}
	args := []string{"backtest", "--category", "Shoplifting", "--from", "2024-03", "--to", "2024-04", "--train", "2", "--coverage", "25,50"}

	code, table, errOut := runCmd(t, env, args...)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	lines := strings.Split(strings.TrimRight(table, "\n"), "\n")
	// A title, a blank line, the header and 2 months × 4 methods × 2
	// coverages, then the means: a title, a header and 8 rows.
	if len(lines) != 3+16+1+2+8 {
		t.Fatalf("%d lines:\n%s", len(lines), table)
	}
	rows := lines[2:19]
	for _, l := range rows {
		if len(l) != len(rows[0]) {
			t.Errorf("rows not aligned:\n%s", strings.Join(rows, "\n"))
			break
		}
	}
	if f := strings.Fields(rows[0]); strings.Join(f, " ") != "month method coverage cells selected incidents hits PAI PEI RRI" {
		t.Errorf("header %q", rows[0])
	}
	// The figures are worked by hand in geo/analysis' tests; here the
	// layout: rows first, the means last.
	if !strings.HasPrefix(lines[20], "Means") || !strings.Contains(lines[len(lines)-1], "kde") || !strings.Contains(lines[len(lines)-1], "50 %") {
		t.Errorf("means not last:\n%s", table)
	}

	if !strings.Contains(lines[0], "each ranked on the 2 months before;") {
		t.Errorf("title %q", lines[0])
	}
	// One month of training is "1 month", not "1 months".
	code, table, errOut = runCmd(t, env, "backtest", "--category", "Shoplifting", "--from", "2024-04", "--to", "2024-04", "--train", "1")
	if first, _, _ := strings.Cut(table, "\n"); code != 0 || !strings.Contains(first, "each ranked on the 1 month before;") {
		t.Errorf("--train 1: exit %d, title %q, stderr %q", code, first, errOut)
	}

	// --json prints exactly the API's object.
	code, js, errOut := runCmd(t, env, append(args, "--json")...)
	if code != 0 {
		t.Fatalf("--json: exit %d: %s", code, errOut)
	}
	st, err := embedded.Open(t.Context(), dir, embedded.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	srv := api.New(api.Config{Store: st, Analyzer: analysis.New(st, geo.BuiltinPriorities())})
	rec := httptest.NewRecorder()
	srv.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/api/v1/backtest?category=Shoplifting&from=2024-03&to=2024-04&train=2&coverage=25,50", nil))
	body, _ := io.ReadAll(rec.Body)
	if rec.Code != http.StatusOK || string(body) != js {
		t.Errorf("API %d:\n%s\nCLI:\n%s", rec.Code, body, js)
	}
}

func TestBacktestCommandErrors(t *testing.T) {
	dir := backtestData(t)
	env := map[string]string{"HOTSPOT_DATA_DIR": dir}
	base := []string{"backtest", "--category", "Shoplifting", "--from", "2024-03", "--to", "2024-04", "--train", "2"}
	tests := []struct {
		name  string
		extra []string
		flag  string
	}{
		{"unknown method", []string{"--method", "counts,magic"}, "--method"},
		{"coverage 0", []string{"--coverage", "0"}, "--coverage"},
		{"coverage over 100", []string{"--coverage", "101"}, "--coverage"},
		{"train 0", []string{"--train", "0"}, "--train"},
		{"window before the data", []string{"--train", "3"}, "--from"},
		{"test month after the data", []string{"--to", "2024-05"}, "--to"},
		{"too many coverages", []string{"--coverage", "1" + strings.Repeat(",2", analysis.MaxCoverages)}, "--coverage"},
		{"bandwidth absurd", []string{"--bandwidth", "1e9"}, "--bandwidth"},
		{"bandwidth 0", []string{"--bandwidth", "0"}, "--bandwidth"},
		{"bad month", []string{"--to", "2024-4"}, "--to"},
		{"unknown priority", []string{"--category", "", "--priority", "burglary"}, "--priority"},
	}
	for _, tc := range tests {
		code, _, errOut := runCmd(t, env, append(append([]string{}, base...), tc.extra...)...)
		if code != exitUsage || !strings.Contains(errOut, tc.flag) {
			t.Errorf("%s: exit %d, stderr %q; want a usage error naming %s", tc.name, code, errOut, tc.flag)
		}
	}
}

// TestExportForecast: the forecast layer exports as GeoJSON with the
// API's flags.
func TestExportForecast(t *testing.T) {
	dir := backtestData(t)
	env := map[string]string{"HOTSPOT_DATA_DIR": dir}
	code, out, errOut := runCmd(t, env, "export", "--layer", "forecast", "--category", "Shoplifting", "--train", "3", "--coverage", "50", "--format", "csv")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	// Recency (chosen: see geo/analysis' TestForecastToy) picks B, C,
	// then of A and E (a tie on 1) the smaller index, which here is E's.
	if len(lines) != 4 || !strings.HasPrefix(lines[0], "h3,rank,score,count,suppressed,top_location,wkt") ||
		!strings.Contains(lines[1], ",1,") || !strings.Contains(lines[1], "Street B") || !strings.Contains(lines[3], "Street E") {
		t.Errorf("export:\n%s", out)
	}
	if code, _, errOut := runCmd(t, env, "export", "--layer", "forecast", "--method", "magic"); code != exitUsage || !strings.Contains(errOut, "--method") {
		t.Errorf("bad method: exit %d, %s", code, errOut)
	}
	if code, _, errOut := runCmd(t, env, "export", "--layer", "hex", "--method", "counts"); code != exitUsage || !strings.Contains(errOut, "--method") {
		t.Errorf("method on hex: exit %d, %s", code, errOut)
	}
}
