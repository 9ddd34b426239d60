package synth

import (
	"encoding/csv"
	"errors"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/leicester-csp/hotspot/geo"
)

func TestWriteCSVs(t *testing.T) {
	c := city(t, 2)
	dir := filepath.Join(t.TempDir(), "out")
	opt := Options{Seed: 5, From: geo.NewMonth(2023, 11), Months: 3, Rows: 30001, Force: "Synthetic Constabulary"}
	paths, err := c.WriteCSVs(dir, opt)
	if err != nil {
		t.Fatal(err)
	}
	wantNames := []string{"2023-11-synthetic-constabulary-street.csv", "2023-12-synthetic-constabulary-street.csv",
		"2024-01-synthetic-constabulary-street.csv"}
	var names []string
	for _, p := range paths {
		names = append(names, filepath.Base(p))
		if filepath.Dir(p) != dir {
			t.Errorf("%s not in %s", p, dir)
		}
	}
	if !slices.Equal(names, wantNames) {
		t.Fatalf("files %v, want %v", names, wantNames)
	}

	header := []string{"Crime ID", "Month", "Reported by", "Falls within", "Longitude", "Latitude", "Location",
		"LSOA code", "LSOA name", "Crime type", "Last outcome category", "Context"}
	idRe := regexp.MustCompile(`^[0-9a-f]{64}$`)
	coordRe := regexp.MustCompile(`^-?\d+\.\d{6}$`)
	lsoaRe := regexp.MustCompile(`^S01\d{6}$`)
	lsoaNameRe := regexp.MustCompile(`^.+ \d{3}[A-Z]+$`)
	outcomeOK := map[string]bool{}
	for _, o := range outcomes {
		outcomeOK[o] = true
	}
	rows := 0
	for i, p := range paths {
		f, err := os.Open(p)
		if err != nil {
			t.Fatal(err)
		}
		r := csv.NewReader(f)
		r.FieldsPerRecord = 12
		got, err := r.Read()
		if err != nil || !slices.Equal(got, header) {
			t.Fatalf("%s: header %q, %v", p, got, err)
		}
		month := (opt.From + geo.Month(i)).String()
		for {
			rec, err := r.Read()
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatalf("%s: %v", p, err)
			}
			rows++
			asb := rec[9] == "Anti-social behaviour"
			bad := func(why string) { t.Fatalf("%s row %d: %s: %q", p, rows, why, rec) }
			switch {
			case asb != (rec[0] == ""):
				bad("Crime ID must be empty exactly on ASB rows")
			case !asb && !idRe.MatchString(rec[0]):
				bad("Crime ID not 64 lowercase hex digits")
			case rec[1] != month:
				bad("month")
			case rec[2] != opt.Force || rec[3] != opt.Force:
				bad("force")
			case !geo.IsCategory(rec[9]):
				bad("crime type")
			case asb != (rec[10] == ""), !asb && !outcomeOK[rec[10]]:
				bad("outcome")
			case rec[11] != "":
				bad("context")
			}
			if rec[6] == "No Location" {
				if rec[4] != "" || rec[5] != "" || rec[7] != "" || rec[8] != "" || asb {
					bad("row without location")
				}
				continue
			}
			if !coordRe.MatchString(rec[4]) || !coordRe.MatchString(rec[5]) ||
				!strings.HasPrefix(rec[6], "On or near ") || !lsoaRe.MatchString(rec[7]) || !lsoaNameRe.MatchString(rec[8]) {
				bad("located row")
			}
		}
		f.Close()
	}
	if rows != opt.Rows {
		t.Errorf("%d rows written, want %d", rows, opt.Rows)
	}
}

func TestWriteCSVsQuotesForce(t *testing.T) {
	c := city(t, 1)
	paths, err := c.WriteCSVs(t.TempDir(), Options{Months: 1, Rows: 50, Force: `Vale, "Hills" & Shires`})
	if err != nil {
		t.Fatal(err)
	}
	if base := filepath.Base(paths[0]); base != "2024-01-vale-hills-shires-street.csv" {
		t.Errorf("file %s", base)
	}
	b, err := os.ReadFile(paths[0])
	if err != nil {
		t.Fatal(err)
	}
	r := csv.NewReader(strings.NewReader(string(b)))
	r.FieldsPerRecord = 12
	recs, err := r.ReadAll()
	if err != nil || len(recs) != 51 {
		t.Fatalf("%d records, %v", len(recs), err)
	}
	if recs[1][2] != `Vale, "Hills" & Shires` {
		t.Errorf("force read back as %q", recs[1][2])
	}
}

func TestWriteCSVsErrors(t *testing.T) {
	c := city(t, 1)
	for _, opt := range []Options{{Rows: -1}, {Months: -1, Rows: 10}, {Rows: 10, Force: "---"}} {
		if _, err := c.WriteCSVs(t.TempDir(), opt); !errors.Is(err, geo.ErrInvalid) {
			t.Errorf("%+v: error %v, want geo.ErrInvalid", opt, err)
		}
	}
	file := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(file, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := c.WriteCSVs(file, Options{Rows: 10}); err == nil {
		t.Error("writing into a file as directory: no error")
	}
}

func TestForceSlug(t *testing.T) {
	for in, want := range map[string]string{
		"Synthetic Constabulary": "synthetic-constabulary",
		"  Avon & Somerset ":     "avon-somerset",
		"City of London":         "city-of-london",
		"Met--Police2":           "met-police2",
	} {
		if got := forceSlug(in); got != want {
			t.Errorf("forceSlug(%q) = %q, want %q", in, got, want)
		}
	}
}

func BenchmarkWriteCSVs(b *testing.B) {
	c := NewCity(1)
	dir := b.TempDir()
	const rows = 1_000_000
	b.ResetTimer()
	for b.Loop() {
		if _, err := c.WriteCSVs(dir, Options{Rows: rows}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(rows)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
}
