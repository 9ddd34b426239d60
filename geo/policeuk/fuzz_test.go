package policeuk

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/leicester-csp/hotspot/geo"
)

func FuzzReader(f *testing.F) {
	paths, err := filepath.Glob(filepath.Join("testdata", "*.csv"))
	if err != nil {
		f.Fatal(err)
	}
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte("Crime ID,Month,Longitude,Latitude,Crime type\n,2024-01,,,ASB\n,2024-01,,,ASB\n"))
	f.Add([]byte("\xef\xbb\xbf\"Crime ID\",Month,Longitude,Latitude,Crime type\r\n\"a\",2024-01,\"1\",\"2\",\"x\"\r\n"))

	f.Fuzz(func(t *testing.T, data []byte) {
		first := fuzzRead(t, data)
		second := fuzzRead(t, data)
		if !slices.Equal(first, second) {
			t.Fatalf("reading twice gave different results:\n%q\n%q", first, second)
		}
	})
}

// fuzzRead checks every outcome of reading data and returns, per record,
// its ID or its reject line, so that two reads can be compared.
func fuzzRead(t *testing.T, data []byte) []string {
	r := NewReader(bytes.NewReader(data), "fuzz.csv")
	var out []string
	ids := map[string]bool{}
	lastLine := 0
	// Every Read consumes at least one line or ends the file.
	maxCalls := bytes.Count(data, []byte("\n")) + 2
	for calls := 0; ; calls++ {
		if calls > maxCalls {
			t.Fatalf("Read did not reach the end after %d calls", calls)
		}
		inc, err := r.Read()
		if err == io.EOF {
			if _, again := r.Read(); again != io.EOF {
				t.Fatalf("Read after EOF = %v", again)
			}
			return out
		}
		var pe *ParseError
		switch {
		case errors.As(err, &pe):
			if inc != nil {
				t.Fatalf("Read returned both an incident and %v", err)
			}
			if pe.Line <= 1 || pe.Line != r.Line() || pe.File != "fuzz.csv" {
				t.Fatalf("reject at %s:%d, Line() = %d", pe.File, pe.Line, r.Line())
			}
			if !errors.Is(err, geo.ErrInvalid) {
				t.Fatalf("reject does not wrap geo.ErrInvalid: %v", err)
			}
			out = append(out, "reject:"+pe.Error())
		case err != nil:
			// bytes.Reader cannot fail, so only the header, or a quote
			// left open to the end of the file, can be fatal.
			unclosed := strings.Contains(err.Error(), "is never closed")
			if !errors.Is(err, geo.ErrInvalid) || (lastLine != 0 && !unclosed) {
				t.Fatalf("fatal error after line %d: %v", lastLine, err)
			}
			if _, again := r.Read(); again != err {
				t.Fatalf("fatal error is not sticky: %v then %v", err, again)
			}
			return append(out, "fatal:"+err.Error())
		default:
			if inc == nil {
				t.Fatal("Read returned nil, nil")
			}
			if inc.ID == "" || inc.Category == "" {
				t.Fatalf("incident without ID or category: %+v", inc)
			}
			for _, f := range []string{inc.ID, inc.ReportedBy, inc.FallsWithin, inc.Location, inc.LSOACode, inc.LSOAName, inc.Category, inc.Outcome, inc.Context} {
				if !utf8.ValidString(f) || strings.IndexByte(f, 0) >= 0 {
					t.Fatalf("incident field %q is not storable text", f)
				}
			}
			// Only derived IDs must be unique: the reader passes on a Crime
			// ID that the file repeats, and the store de-duplicates.
			if !bytes.Contains(data, []byte(inc.ID)) {
				if ids[inc.ID] {
					t.Fatalf("derived ID %q given twice", inc.ID)
				}
				ids[inc.ID] = true
			}
			if _, err := geo.ParseMonth(inc.Month.String()); err != nil {
				t.Fatalf("incident month: %v", err)
			}
			if inc.HasLocation {
				if lon, lat := inc.Point.Lon(), inc.Point.Lat(); !(lon >= -180 && lon <= 180 && lat >= -90 && lat <= 90) {
					t.Fatalf("point out of range: %v", inc.Point)
				}
			} else if inc.Point.Lon() != 0 || inc.Point.Lat() != 0 {
				t.Fatalf("no location but point %v", inc.Point)
			}
			out = append(out, inc.ID)
		}
		if r.Line() <= lastLine || r.Line() < 2 {
			t.Fatalf("Line() = %d after line %d", r.Line(), lastLine)
		}
		lastLine = r.Line()
	}
}
