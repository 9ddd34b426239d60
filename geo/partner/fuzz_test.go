package partner

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/leicester-csp/hotspot/geo"
)

func FuzzParseMapping(f *testing.F) {
	for _, s := range []string{designMapping, minimal, rowMapping, `{}`, `{"flags": {"x": 1}}`, `[`, `{"occurred": {"layout": "2006"}}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := ParseMapping(data)
		if err != nil {
			var me *MappingError
			if !errors.As(err, &me) || !errors.Is(err, geo.ErrInvalid) || !strings.HasPrefix(err.Error(), "mapping: ") {
				t.Fatalf("error %v is not a *MappingError", err)
			}
			return
		}
		// A mapping that parses is complete and consistent.
		if m.ID == "" || m.Category == "" || m.Occurred.Column == "" || m.Location.X == "" || m.Location.Y == "" {
			t.Fatalf("incomplete mapping %+v", *m)
		}
		if m.Location.CRS != WGS84 && m.Location.CRS != BritishNationalGrid {
			t.Fatalf("crs %q", m.Location.CRS)
		}
		if err := checkLayout(m.Occurred.Layout); err != nil {
			t.Fatalf("layout accepted then refused: %v", err)
		}
		for _, c := range m.columns() {
			if c.name != strings.TrimSpace(c.name) || (c.key != "offender" && m.Offender != "" && c.name == m.Offender) {
				t.Fatalf("column %+v in %+v", c, *m)
			}
		}
	})
}

func FuzzReader(f *testing.F) {
	f.Add([]byte(rowHeader + row() + row("vawg", "maybe") + row("when", "2024-03-31 01:30")))
	f.Add([]byte(rowHeader + row("lon", "", "lat", "") + "a,\"b\n"))
	f.Add([]byte("\xef\xbb\xbf" + rowHeader + `"SYN-1","2024-05-10 21:30",1,2,c,p,y,n,,"` + secret + `",x` + "\r\n"))
	f.Add([]byte(rowHeader + "SYN-1,\"2024-05-10 21:30\"x,1,2,c,p,y,n,," + secret + ",x\n" + row()))
	f.Fuzz(func(t *testing.T, data []byte) {
		first := fuzzRead(t, data)
		if second := fuzzRead(t, data); !slices.Equal(first, second) {
			t.Fatalf("reading twice gave different results:\n%q\n%q", first, second)
		}
		if split := fuzzParseInto(t, data); !slices.Equal(first, split) {
			t.Fatalf("Read and ParseInto gave different results:\n%q\n%q", first, split)
		}
	})
}

// fuzzParseInto reads data as an import does, split by NextRaw and parsed
// by a Parser into one Record reused for every row, and returns one line
// per outcome as fuzzRead does: no field of a record may leak into the next.
func fuzzParseInto(t *testing.T, data []byte) []string {
	r := fuzzReader(t, data)
	var (
		out []string
		p   *Parser
		rec Record
	)
	maxCalls := bytes.Count(data, []byte("\n")) + 2
	for calls := 0; ; calls++ {
		if calls > maxCalls {
			t.Fatalf("NextRaw did not reach the end after %d calls", calls)
		}
		raw, err := r.NextRaw()
		if err == io.EOF {
			return out
		}
		if err == nil {
			if p == nil {
				if p, err = r.Parser(); err != nil {
					t.Fatal(err)
				}
			}
			err = p.ParseInto(raw, &rec)
		}
		var pe *ParseError
		switch {
		case errors.As(err, &pe):
			out = append(out, "reject:"+pe.Error())
		case err != nil:
			return append(out, "fatal:"+err.Error())
		default:
			checkRecord(t, &rec)
			out = append(out, fmt.Sprintf("%+v", rec))
		}
	}
}

// fuzzReader reads data with rowMapping, as both fuzz reads do.
func fuzzReader(t *testing.T, data []byte) *Reader {
	m, err := ParseMapping([]byte(rowMapping))
	if err != nil {
		t.Fatal(err)
	}
	r, err := NewReader(bytes.NewReader(data), "fuzz.csv", m, Options{Key: testKey, Latest: geo.NewMonth(2024, 6)})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// fuzzRead checks every outcome of reading data with rowMapping and returns
// one line per outcome, so that two reads can be compared.
func fuzzRead(t *testing.T, data []byte) []string {
	r := fuzzReader(t, data)
	var out []string
	lastLine := 0
	maxCalls := bytes.Count(data, []byte("\n")) + 2
	for calls := 0; ; calls++ {
		if calls > maxCalls {
			t.Fatalf("Read did not reach the end after %d calls", calls)
		}
		rec, err := r.Read()
		if err == io.EOF {
			if _, again := r.Read(); again != io.EOF {
				t.Fatalf("Read after EOF = %v", again)
			}
			return out
		}
		var pe *ParseError
		switch {
		case errors.As(err, &pe):
			if rec != nil || pe.Line <= 1 || pe.Line != r.Line() || pe.File != "fuzz.csv" || !errors.Is(err, geo.ErrInvalid) {
				t.Fatalf("reject %v at line %d (Line() %d), record %v", err, pe.Line, r.Line(), rec)
			}
			// The offender cell is blank in every kept row, and a row
			// whose cells cannot be told apart is not kept.
			if pe.Raw != nil && (len(pe.Raw) != r.nfields || pe.Raw[r.offender] != "") {
				t.Fatalf("reject keeps %q", pe.Raw)
			}
			out = append(out, "reject:"+pe.Error())
		case err != nil:
			unclosed := strings.Contains(err.Error(), "is never closed")
			if !errors.Is(err, geo.ErrInvalid) || (lastLine != 0 && !unclosed) {
				t.Fatalf("fatal error after line %d: %v", lastLine, err)
			}
			if _, again := r.Read(); again != err {
				t.Fatalf("fatal error is not sticky: %v then %v", err, again)
			}
			return append(out, "fatal:"+err.Error())
		default:
			checkRecord(t, rec)
			out = append(out, fmt.Sprintf("%+v", *rec))
		}
		if r.Line() <= lastLine || r.Line() < 2 {
			t.Fatalf("Line() = %d after line %d", r.Line(), lastLine)
		}
		lastLine = r.Line()
	}
}

func checkRecord(t *testing.T, rec *Record) {
	t.Helper()
	if rec == nil || rec.ID == "" || rec.Category == "" {
		t.Fatalf("record without id or category: %+v", rec)
	}
	for _, s := range []string{rec.ID, rec.Category, rec.Location, rec.Premises} {
		if !utf8.ValidString(s) || strings.IndexByte(s, 0) >= 0 || len(s) > 64<<10 || s != strings.TrimSpace(s) {
			t.Fatalf("record text %q is not storable", s)
		}
	}
	if rec.Month < Earliest || rec.Month > geo.NewMonth(2024, 6) || rec.Hour < 0 || rec.Hour > 23 || rec.Occurred.Location() != London ||
		geo.NewMonth(rec.Occurred.Year(), int(rec.Occurred.Month())) != rec.Month || rec.Occurred.Hour() != rec.Hour || rec.Occurred.Weekday() != rec.Weekday {
		t.Fatalf("record time %v month %s hour %d", rec.Occurred, rec.Month, rec.Hour)
	}
	if rec.Offender != "" && (len(rec.Offender) != 16 || strings.Trim(rec.Offender, "0123456789abcdef") != "") {
		t.Fatalf("offender %q is not a pseudonym", rec.Offender)
	}
	if lon, lat := rec.Point.Lon(), rec.Point.Lat(); rec.HasLocation && !(lon >= -180 && lon <= 180 && lat >= -90 && lat <= 90) ||
		!rec.HasLocation && (lon != 0 || lat != 0) {
		t.Fatalf("point %v (has location %v)", rec.Point, rec.HasLocation)
	}
}

// FuzzOffenderNeverLeaks writes well-formed CSV whose offender cell is
// off and whose other cells are fuzzed, then a fuzzed tail line, and checks
// that off (in any case) appears in no reject, error or record field other
// than as its pseudonym.
func FuzzOffenderNeverLeaks(f *testing.F) {
	f.Add("SYN-1", "2024-05-10 21:30", "-1.1", "52.6", "Violence", "maybe", "ZZ-SYN-SECRET", []byte("a,\"b"))
	f.Add("", "2009-01-01 00:00", "x", "", "", "", " zz-syn-secret ", []byte(""))
	f.Add("SYN-2", "bad", "200", "52.6", "c", "y", "REF\xff", []byte("\x00"))
	f.Fuzz(func(t *testing.T, id, when, lon, lat, cat, flag, off string, tail []byte) {
		needle := strings.ToUpper(strings.TrimSpace(off))
		if len(needle) < 4 {
			t.Skip("too short to tell from other text")
		}
		var buf bytes.Buffer
		w := csv.NewWriter(&buf)
		_ = w.Write(strings.Split(strings.TrimSpace(rowHeader), ","))
		_ = w.Write([]string{id, when, lon, lat, cat, "Synthetic Street", flag, "", "", off, "x"})
		_ = w.Write([]string{"SYN-9", "2024-05-10 21:30", "-1.1", "52.6", "c", "p", "", "", "", off, "x"})
		w.Flush()
		others := strings.ToUpper(strings.Join([]string{id, when, lon, lat, cat, flag, rowHeader, "Synthetic Street SYN-9 2024-05-10 21:30 -1.1 52.6 fuzz.csv", string(tail)}, "\x00"))
		if strings.Contains(others, needle) {
			t.Skip("the reference is also in another cell")
		}
		buf.Write(tail)
		m, err := ParseMapping([]byte(rowMapping))
		if err != nil {
			t.Fatal(err)
		}
		r, err := NewReader(&buf, "fuzz.csv", m, Options{Key: testKey, Latest: geo.NewMonth(2024, 6)})
		if err != nil {
			t.Fatal(err)
		}
		for i := 0; i < 10; i++ {
			rec, err := r.Read()
			if err == io.EOF {
				return
			}
			if err != nil {
				// Each text on its own: joined, their separators could
				// make up a reference that holds the separator.
				var pe *ParseError
				texts := []string{err.Error()}
				if errors.As(err, &pe) {
					texts = append(append(texts, pe.Raw...), pe.Field)
				}
				for _, text := range texts {
					if strings.Contains(strings.ToUpper(text), needle) {
						t.Fatalf("the reference %q shows in %v (raw %q)", off, err, rawOf(pe))
					}
				}
				continue
			}
			for _, s := range []string{rec.ID, rec.Category, rec.Location, rec.Premises, rec.Offender} {
				if strings.Contains(strings.ToUpper(s), needle) {
					t.Fatalf("the reference %q shows in record %+v", off, rec)
				}
			}
		}
	})
}

func rawOf(pe *ParseError) []string {
	if pe == nil {
		return nil
	}
	return pe.Raw
}

func FuzzPremisesReader(f *testing.F) {
	b, err := os.ReadFile(filepath.Join("testdata", "synthetic_premises.csv"))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(b)
	f.Add([]byte("id,name,kind,longitude,latitude\nP1,a,retail,-1,52\nP1,b,other,,\n"))
	f.Add([]byte("ID,Name,Kind,Easting,Northing\nP1,\"a\nb\",hostel,1,2\nP2,\"x,retail,1,2\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		r := NewPremisesReader(bytes.NewReader(data), "p.csv")
		seen := map[string]bool{}
		lastLine := 0
		for calls := 0; calls <= bytes.Count(data, []byte("\n"))+2; calls++ {
			p, err := r.Read()
			if err == io.EOF {
				return
			}
			var pe *ParseError
			switch {
			case errors.As(err, &pe):
				if p != nil || pe.Line <= 1 || pe.Line != r.Line() || !errors.Is(err, geo.ErrInvalid) {
					t.Fatalf("reject %v at line %d, Line() %d", err, pe.Line, r.Line())
				}
			case err != nil:
				if !errors.Is(err, geo.ErrInvalid) || (lastLine != 0 && !strings.Contains(err.Error(), "is never closed")) {
					t.Fatalf("fatal error after line %d: %v", lastLine, err)
				}
				return
			default:
				if p.ID == "" || seen[p.ID] || !slices.Contains(Kinds, p.Kind) || !utf8.ValidString(p.ID+p.Name) {
					t.Fatalf("premises %+v (seen %v)", p, seen[p.ID])
				}
				if lon, lat := p.Point.Lon(), p.Point.Lat(); p.HasLocation && !(lon >= -180 && lon <= 180 && lat >= -90 && lat <= 90) {
					t.Fatalf("point %v", p.Point)
				}
				seen[p.ID] = true
			}
			if r.Line() <= lastLine {
				t.Fatalf("Line() = %d after %d", r.Line(), lastLine)
			}
			lastLine = r.Line()
		}
		t.Fatal("Read did not reach the end")
	})
}
