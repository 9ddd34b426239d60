package policeuk

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/leicester-csp/hotspot/internal/shareddata"
)

// sharedDataDir returns the shared data folder, skipping when it is absent.
func sharedDataDir(tb testing.TB) string { return shareddata.Dir(tb) }

// streetFiles loads the police.uk street-level files of the shared data.
func streetFiles(tb testing.TB) (names []string, contents [][]byte) {
	tb.Helper()
	paths, err := filepath.Glob(filepath.Join(sharedDataDir(tb), "police_leicestershire_street", "*-street.csv"))
	if err != nil {
		tb.Fatal(err)
	}
	if len(paths) == 0 {
		tb.Skip("no police.uk street files in the shared data")
	}
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			tb.Fatal(err)
		}
		names = append(names, p)
		contents = append(contents, b)
	}
	return names, contents
}

// Figures from shared/data/SOURCES.md, section 1.
func TestSharedStreetFiles(t *testing.T) {
	if testing.Short() {
		t.Skip("reads 46 MB")
	}
	shareddata.ReadsMonths(t)
	names, contents := streetFiles(t)
	if len(names) != 22 {
		t.Fatalf("found %d street files, want 22", len(names))
	}
	var rows, noLoc, asb, rejects int
	ids := make(map[string]struct{}, 200775)
	categories := map[string]int{}
	for i, name := range names {
		r := NewReader(bytes.NewReader(contents[i]), name)
		for {
			inc, err := r.Read()
			if err == io.EOF {
				break
			}
			var pe *ParseError
			if errors.As(err, &pe) {
				rejects++
				if rejects <= 5 {
					t.Errorf("reject: %v", pe)
				}
				continue
			}
			if err != nil {
				t.Fatal(err)
			}
			rows++
			if !inc.HasLocation {
				noLoc++
			}
			if strings.HasPrefix(inc.ID, "asb-") {
				asb++
			}
			categories[inc.Category]++
			ids[inc.ID] = struct{}{}
		}
	}
	for _, c := range []struct {
		what      string
		got, want int
	}{
		{"rows", rows, 200775},
		{"rows without location", noLoc, 6419},
		{"rows with derived (ASB) IDs", asb, 17775},
		{"Anti-social behaviour rows", categories["Anti-social behaviour"], 17775},
		{"Violence and sexual offences rows", categories["Violence and sexual offences"], 75222},
		{"rejects", rejects, 0},
		{"distinct IDs", len(ids), 183000 + 17775},
	} {
		if c.got != c.want {
			t.Errorf("%s: got %d, want %d", c.what, c.got, c.want)
		}
	}
}

func benchmarkRead(b *testing.B, names []string, contents [][]byte) {
	var size int64
	for _, c := range contents {
		size += int64(len(c))
	}
	b.SetBytes(size)
	b.ReportAllocs()
	rows, iters := 0, 0
	for b.Loop() {
		iters++
		for i, c := range contents {
			r := NewReader(bytes.NewReader(c), names[i])
			for {
				_, err := r.Read()
				if err == io.EOF {
					break
				}
				if err != nil {
					b.Fatal(err)
				}
				rows++
			}
		}
	}
	b.ReportMetric(float64(rows)/b.Elapsed().Seconds(), "rows/s")
	b.ReportMetric(float64(rows/iters), "rows/op")
}

// BenchmarkReadAll reads the 22 shared police.uk files from memory, so that
// it measures parsing rather than the disk.
func BenchmarkReadAll(b *testing.B) {
	names, contents := streetFiles(b)
	benchmarkRead(b, names, contents)
}

// BenchmarkReadGenerated reads a generated file shaped like police.uk's
// (mostly crimes, some ASB and no-location rows), for machines without the
// shared data.
func BenchmarkReadGenerated(b *testing.B) {
	data := generate(50000)
	benchmarkRead(b, []string{"generated.csv"}, [][]byte{data})
}

func generate(n int) []byte {
	var buf bytes.Buffer
	buf.WriteString("Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,Crime type,Last outcome category,Context\n")
	types := []string{"Violence and sexual offences", "Public order", "Criminal damage and arson", "Other theft", "Shoplifting", "Vehicle crime"}
	outcomes := []string{"Investigation complete; no suspect identified", "Unable to prosecute suspect", "Under investigation", "Court result unavailable"}
	for i := range n {
		id, typ, outcome := fmt.Sprintf("%064x", uint64(i)*0x9e3779b97f4a7c15), types[i%len(types)], outcomes[i%len(outcomes)]
		if i%11 == 0 {
			id, typ, outcome = "", "Anti-social behaviour", ""
		}
		street, lsoa := i%3001, i%947
		lon, lat := fmt.Sprintf("%.6f", -1.3+float64(street)*0.0001), fmt.Sprintf("%.6f", 52.5+float64(street%977)*0.0002)
		loc := fmt.Sprintf("On or near Street %d", street)
		if i%31 == 0 {
			lon, lat, loc = "", "", "No Location"
		}
		fmt.Fprintf(&buf, "%s,2024-%02d,Leicestershire Police,Leicestershire Police,%s,%s,%s,E0%07d,Leicester %03dA,%s,%s,\n",
			id, i%12+1, lon, lat, loc, 1013000+lsoa, lsoa%50, typ, outcome)
	}
	return buf.Bytes()
}
