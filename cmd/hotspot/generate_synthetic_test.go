package main

import (
	"bytes"
	"encoding/csv"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/leicester-csp/hotspot/geo"
	"github.com/leicester-csp/hotspot/geo/ingest"
	"github.com/leicester-csp/hotspot/geo/osgb"
	"github.com/leicester-csp/hotspot/geo/store/embedded"
	"github.com/leicester-csp/hotspot/internal/plainpass"
)

// What `hotspot generate` writes, `hotspot ingest` keeps as synthetic:
// the police.uk-format CSVs by the marker beside them, the partner
// records by their mapping's "synthetic": true. The same CSVs without
// the marker, a real export's mapping, are not.
func TestGeneratedDataIngestsAsSynthetic(t *testing.T) {
	gen := t.TempDir()
	args := []string{"--rows", "3000", "--months", "2", "--from", "2024-01", "--seed", "5"}
	if code, _, errOut := runCmd(t, nil, append([]string{"generate", "--out", gen}, args...)...); code != 0 {
		t.Fatalf("generate: %s", errOut)
	}
	if _, err := os.Stat(filepath.Join(gen, ingest.SyntheticMarker)); err != nil {
		t.Fatalf("no marker beside the CSVs: %v", err)
	}
	pgen := t.TempDir()
	code, out, errOut := runCmd(t, nil, append([]string{"generate", "--out", pgen, "--source", "council"}, args...)...)
	if code != 0 {
		t.Fatalf("generate --source: %s", errOut)
	}
	// The command it prints: ingest and its arguments.
	_, line, _ := strings.Cut(out, "import with: hotspot ")
	partnerRun := strings.Fields(strings.SplitN(line, "\n", 2)[0])

	// A copy of the generated CSVs without the marker stands for real data.
	real := t.TempDir()
	csvs, _ := filepath.Glob(filepath.Join(gen, "*-street.csv"))
	for _, f := range csvs {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		os.WriteFile(filepath.Join(real, filepath.Base(f)), b, 0o644)
	}
	realMapping := filepath.Join(pgen, "real-mapping.json")
	m, _ := os.ReadFile(filepath.Join(pgen, "synthetic-council-mapping.json"))
	os.WriteFile(realMapping, bytes.Replace(m, []byte(`"synthetic": true,`), nil, 1), 0o644)
	realRun := slicesReplace(partnerRun, filepath.Join(pgen, "synthetic-council-mapping.json"), realMapping)

	wards := []string{"ingest", "--boundaries", filepath.Join(gen, "synthetic-wards.geojson")}
	tests := []struct {
		name string
		runs [][]string
		want []geo.SourceInfo
	}{
		{"generated", [][]string{append(wards, gen), partnerRun}, []geo.SourceInfo{{Name: "policeuk", Synthetic: true}, {Name: "council", Synthetic: true}}},
		{"real", [][]string{append(wards, real), realRun}, []geo.SourceInfo{{Name: "policeuk"}, {Name: "council"}}},
		{"real police.uk, generated partner records", [][]string{append(wards, real), partnerRun}, []geo.SourceInfo{{Name: "policeuk"}, {Name: "council", Synthetic: true}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			for _, run := range tc.runs {
				if code, _, errOut := runCmd(t, nil, append([]string{"ingest", "--no-progress", "--data-dir", dir}, run[1:]...)...); code != 0 {
					t.Fatalf("ingest %v: %s", run, errOut)
				}
			}
			st, err := embedded.Open(t.Context(), dir, embedded.Options{})
			if err != nil {
				t.Fatal(err)
			}
			defer st.Close()
			got, err := st.SourceInfos(t.Context())
			if err != nil {
				t.Fatal(err)
			}
			for i := range got {
				got[i].Categories = nil // the store suite checks them
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("sources %+v, want %+v", got, tc.want)
			}
		})
	}
}

// slicesReplace returns s with every old replaced by new.
func slicesReplace(s []string, old, new string) []string {
	out := make([]string, len(s))
	for i, v := range s {
		out[i] = strings.ReplaceAll(v, old, new)
	}
	return out
}

// --source with --shape national writes partner records across the
// synthetic nation, with the same mapping (synthetic, grid coordinates).
func TestGenerateNationalPartnerHeavy(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the full national layout (seconds)")
	}
	// The national layout is built on one goroutine, and one month is
	// written by one: the race detector would only make it slower.
	plainpass.Only(t)
	out := t.TempDir()
	code, stdout, errOut := runCmd(t, nil, "generate", "--shape", "national", "--source", "council", "--out", out, "--rows", "2000", "--months", "1", "--seed", "2")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if !strings.Contains(stdout, "--shape national --seed 2") {
		t.Errorf("stdout does not name the layout: %s", stdout)
	}
	m, err := os.ReadFile(filepath.Join(out, "synthetic-council-mapping.json"))
	if err != nil || !bytes.Contains(m, []byte(`"synthetic": true`)) {
		t.Fatalf("mapping %s, %v", m, err)
	}
	f, err := os.Open(filepath.Join(out, "synthetic-council-records.csv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 2001 {
		t.Fatalf("%d rows, want a header and 2,000 records", len(rows))
	}
	west, east := 180.0, -180.0
	for _, r := range rows[1:] {
		e, err1 := strconv.ParseFloat(r[2], 64)
		n, err2 := strconv.ParseFloat(r[3], 64)
		if err1 != nil || err2 != nil {
			continue // no location
		}
		lon, _, err := osgb.ToWGS84(e, n)
		if err != nil {
			t.Fatalf("row %v: %v", r, err)
		}
		west, east = min(west, lon), max(east, lon)
	}
	if east-west < 3 {
		t.Errorf("records span longitudes %.2f…%.2f, want the nation's breadth", west, east)
	}
}
