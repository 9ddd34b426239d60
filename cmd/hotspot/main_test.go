package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const csvHeader = "Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,Crime type,Last outcome category,Context\n"

// runCmd runs the CLI as main would, with only the given environment.
func runCmd(t *testing.T, env map[string]string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = run(t.Context(), args, &out, &errb, func(k string) string { return env[k] })
	return code, out.String(), errb.String()
}

func TestIngestCommand(t *testing.T) {
	in := t.TempDir()
	good := filepath.Join(in, "2024-01-test-street.csv")
	os.WriteFile(good, []byte(csvHeader+
		"a1,2024-01,P,P,-1.13,52.63,On or near A,E01,L 001A,Robbery,Under investigation,\n"+
		",2024-01,P,P,-1.13,52.63,On or near A,E01,L 001A,Anti-social behaviour,,\n"+
		"a2,2024-01,P,P,,,No Location,,,Drugs,,\n"+
		"a3,2024-13,P,P,-1.13,52.63,On or near A,E01,L 001A,Robbery,,\n"), 0o644)
	allBad := filepath.Join(in, "bad.csv")
	os.WriteFile(allBad, []byte(csvHeader+"b1,2024-1,P,P,-1.13,52.63,A,E01,L,Robbery,,\n"), 0o644)
	dataDir := t.TempDir()
	env := map[string]string{"HOTSPOT_DATA_DIR": dataDir}

	type counts struct {
		Read, Imported, Duplicates, Rejected int
		NoLocation                           int `json:"no_location"`
	}
	tests := []struct {
		name     string
		args     []string
		code     int
		want     *counts
		inStderr string
	}{
		{"first import", []string{"ingest", "--json", good}, 0, &counts{Read: 4, Imported: 3, Rejected: 1, NoLocation: 1}, ""},
		{"again: duplicates only succeed", []string{"ingest", "--json", good}, 0, &counts{Read: 4, Duplicates: 3, Rejected: 1, NoLocation: 1}, ""},
		{"every row rejected fails", []string{"ingest", "--json", allBad}, 1, &counts{Read: 1, Rejected: 1}, "every row was rejected"},
		{"unreadable input fails", []string{"ingest", filepath.Join(in, "missing.csv")}, 1, nil, "missing.csv"},
		{"nothing to do is a usage error", []string{"ingest"}, 2, nil, "nothing to import"},
		{"bad flag", []string{"ingest", "--kind", "county", good}, 2, nil, "--kind"},
		{"unknown command", []string{"frobnicate"}, 2, nil, "unknown command"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			code, out, errOut := runCmd(t, env, tc.args...)
			if code != tc.code {
				t.Fatalf("exit %d, want %d; stderr: %s", code, tc.code, errOut)
			}
			if !strings.Contains(errOut, tc.inStderr) {
				t.Errorf("stderr %q lacks %q", errOut, tc.inStderr)
			}
			if tc.want == nil {
				return
			}
			// Exactly one JSON object and nothing else on stdout.
			dec := json.NewDecoder(strings.NewReader(out))
			dec.DisallowUnknownFields()
			var got counts
			if err := dec.Decode(&got); err != nil {
				t.Fatalf("stdout %q: %v", out, err)
			}
			if dec.More() {
				t.Errorf("stdout holds more than one JSON value: %q", out)
			}
			if got != *tc.want {
				t.Errorf("got %+v, want %+v", got, *tc.want)
			}
		})
	}
	rejects, _ := filepath.Glob(filepath.Join(dataDir, "rejects", "*.csv"))
	if len(rejects) == 0 {
		t.Error("no rejects file written")
	} else if b, _ := os.ReadFile(rejects[0]); !strings.Contains(string(b), "2024-01-test-street.csv,5,") {
		t.Errorf("rejects file lacks file and line: %s", b)
	}
}

func TestIngestSummary(t *testing.T) {
	in := filepath.Join(t.TempDir(), "2024-01-x-street.csv")
	os.WriteFile(in, []byte(csvHeader+"a1,2024-01,P,P,-1.13,52.63,A,E01,L,Robbery,,\n"), 0o644)
	code, out, errOut := runCmd(t, map[string]string{"HOTSPOT_DATA_DIR": t.TempDir()}, "ingest", in)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	for _, want := range []string{"read         1 rows from 1 files", "imported     1", "duplicates   0", "rejected     0", "no location  0"} {
		if !strings.Contains(out, want) {
			t.Errorf("summary lacks %q:\n%s", want, out)
		}
	}
}
