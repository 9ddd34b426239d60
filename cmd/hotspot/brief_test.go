package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestReportCommand(t *testing.T) {
	dir := backtestData(t)
	env := map[string]string{"HOTSPOT_DATA_DIR": dir}
	// 2024-01…04: the latest complete quarter is 2024Q1, whose
	// comparison quarters lie before the data.
	code, out, errOut := runCmd(t, env, "report", "--format", "json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var rep struct {
		Quarter string           `json:"quarter"`
		Rows    []map[string]any `json:"rows"`
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil || rep.Quarter != "2024Q1" || len(rep.Rows) == 0 {
		t.Fatalf("%v: %s", err, out)
	}
	for _, r := range rep.Rows {
		if r["id"] == "retail-crime" && (r["count"] != float64(9) || r["previous"] != nil || r["last_year"] != nil) {
			t.Errorf("retail crime in 2024Q1: %v (want 9 and no comparisons)", r)
		}
	}
	file := filepath.Join(t.TempDir(), "q.csv")
	if code, _, errOut := runCmd(t, env, "report", "--quarter", "2024Q1", "-o", file); code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if b, err := os.ReadFile(file); err != nil || !strings.HasPrefix(string(b), "id,name,count,") {
		t.Errorf("CSV by extension: %v %.100s", err, b)
	}
	for _, args := range [][]string{{"report", "--quarter", "2024Q5"}, {"report", "--quarter", "2023Q4"}, {"report", "--format", "pdf"}} {
		if code, _, errOut := runCmd(t, env, args...); code != exitUsage || !strings.Contains(errOut, "--") {
			t.Errorf("%v: exit %d, %s", args, code, errOut)
		}
	}
}

func TestBriefCommandErrors(t *testing.T) {
	dir := backtestData(t)
	env := map[string]string{"HOTSPOT_DATA_DIR": dir}
	for _, tc := range []struct {
		args []string
		flag string
	}{
		{[]string{"brief", "--priority", "asb"}, "--ward"},
		{[]string{"brief", "--ward", "Castle", "--priority", "asb"}, "--ward"}, // no wards stored
		{[]string{"brief", "--ward", "Castle", "--priority", "asb", "--month", "2024-13"}, "--month"},
		{[]string{"brief", "--ward", "Castle", "--priority", "asb", "--months", "0"}, "--months"},
		{[]string{"brief", "--ward", "Castle", "--priority", "asb", "--format", "csv"}, "--format"},
	} {
		code, _, errOut := runCmd(t, env, tc.args...)
		if code != exitUsage || !strings.Contains(errOut, tc.flag) {
			t.Errorf("%v: exit %d, %s", tc.args, code, errOut)
		}
	}
}
