package policeuk

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"unsafe"

	"github.com/paulmach/orb"

	"github.com/leicester-csp/hotspot/geo"
)

// item is one outcome of Read: an incident or a row-level reject.
type item struct {
	line int
	inc  *geo.Incident
	pe   *ParseError
}

// readItems reads r to the end; a fatal error is returned with what was
// read before it.
func readItems(r *Reader) ([]item, error) {
	var out []item
	for {
		inc, err := r.Read()
		if err == io.EOF {
			return out, nil
		}
		var pe *ParseError
		switch {
		case errors.As(err, &pe):
			out = append(out, item{line: r.Line(), pe: pe})
		case err != nil:
			return out, err
		default:
			out = append(out, item{line: r.Line(), inc: inc})
		}
	}
}

func openFixture(t *testing.T, name string) *Reader {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return NewReader(bytes.NewReader(data), name)
}

// wantASB computes a derived ID from the formula in the package doc,
// independently of the reader's code, so that the documented scheme is the
// one implemented. vals are the twelve columns in police.uk order.
func wantASB(vals [12]string, index uint64) string {
	var b []byte
	for _, v := range vals {
		b = binary.AppendUvarint(b, uint64(len(v)))
		b = append(b, v...)
	}
	b = binary.AppendUvarint(b, index)
	sum := sha256.Sum256(b)
	return "asb-" + hex.EncodeToString(sum[:16])
}

const lp = "Leicestershire Police"

// asbPacker is the ASB row at Packer Avenue that several fixtures repeat.
func asbPacker(month string) [12]string {
	return [12]string{"", month, lp, lp, "-1.209332", "52.626530", "On or near Packer Avenue",
		"E01025633", "Blaby 002C", "Anti-social behaviour", "", ""}
}

var (
	asbJan0       = wantASB(asbPacker("2024-01"), 0)
	asbJan1       = wantASB(asbPacker("2024-01"), 1)
	asbJan2       = wantASB(asbPacker("2024-01"), 2)
	asbMar0       = wantASB(asbPacker("2024-03"), 0)
	asbMar1       = wantASB(asbPacker("2024-03"), 1)
	asbBraunstone = wantASB([12]string{"", "2024-01", lp, lp, "-1.183079", "52.620185",
		"On or near Braunstone Lane", "E01025667", "Blaby 004B", "Anti-social behaviour", "", ""}, 0)
	asbNoLoc = wantASB([12]string{"", "2024-01", lp, lp, "", "", "No Location", "", "",
		"Anti-social behaviour", "", ""}, 0)
)

// want is the expected outcome at one line: an incident with id, or a
// reject on field (which may be "") whose reason contains reason.
type want struct {
	line   int
	id     string
	field  string
	reason string
}

func TestReadFixtures(t *testing.T) {
	tests := []struct {
		file string
		want []want
	}{
		{"good.csv", []want{
			{line: 2, id: "c0ffee01"},
			{line: 3, id: "c0ffee02"},
			{line: 4, id: asbJan0},
			{line: 5, id: asbBraunstone},
			{line: 6, id: asbJan1},
			{line: 7, id: "c0ffee03"},
			{line: 8, id: asbNoLoc},
			{line: 9, id: "c0ffee04"},
			// line 10 is blank
			{line: 11, id: "c0ffee05"},
			{line: 12, id: asbJan2},
		}},
		{"bom_reordered.csv", []want{
			{line: 2, id: "c0ffee10"},
			// Same content as good.csv line 4 in another column order and
			// without a Context column: same identity.
			{line: 3, id: asbJan0},
			{line: 4, id: "c0ffee11"},
		}},
		{"bad.csv", []want{
			{line: 2, id: "c0ffee20"},
			{line: 3, field: "Month", reason: `Month "2024-13" is not`},
			{line: 4, id: asbMar0},
			{line: 5, field: "Longitude", reason: `Longitude "abc" is not a number`},
			{line: 6, field: "Latitude", reason: `Latitude "95.5" is out of range`},
			{line: 7, field: "Latitude", reason: "only one of Longitude/Latitude"},
			{line: 8, reason: "wrong number of fields: got 13, want 12"},
			{line: 9, field: "Crime type", reason: "Crime type is empty"},
			{line: 10, reason: "bare \" in non-quoted-field"},
			// The rejected copy on line 8 does not count: this is the
			// second valid occurrence.
			{line: 11, id: asbMar1},
			{line: 12, id: "c0ffee27"},
			{line: 14, field: "Longitude", reason: `Longitude "NaN" is not a number`},
			{line: 15, field: "Longitude", reason: `Longitude "-181" is out of range [-180, 180]`},
			{line: 16, field: "Longitude", reason: "only one of Longitude/Latitude"},
			{line: 17, id: "c0ffee31"},
		}},
		{"header_only.csv", nil},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			got, err := readItems(openFixture(t, tt.file))
			if err != nil {
				t.Fatalf("fatal error: %v", err)
			}
			if len(got) != len(tt.want) {
				t.Fatalf("got %d items, want %d: %+v", len(got), len(tt.want), got)
			}
			for i, w := range tt.want {
				g := got[i]
				if g.line != w.line {
					t.Errorf("item %d: Line() = %d, want %d", i, g.line, w.line)
				}
				if w.id != "" {
					if g.pe != nil {
						t.Errorf("line %d: unexpected reject: %v", w.line, g.pe)
						continue
					}
					if g.inc.ID != w.id {
						t.Errorf("line %d: ID = %q, want %q", w.line, g.inc.ID, w.id)
					}
					checkValid(t, g.inc)
					continue
				}
				if g.pe == nil {
					t.Errorf("line %d: got incident %q, want reject %q", w.line, g.inc.ID, w.reason)
					continue
				}
				if g.pe.Line != w.line || g.pe.File != tt.file || g.pe.Field != w.field {
					t.Errorf("line %d: reject at %s:%d field %q, want %s:%d field %q",
						w.line, g.pe.File, g.pe.Line, g.pe.Field, tt.file, w.line, w.field)
				}
				if !strings.Contains(g.pe.Reason, w.reason) {
					t.Errorf("line %d: reason %q does not contain %q", w.line, g.pe.Reason, w.reason)
				}
				if !errors.Is(g.pe, geo.ErrInvalid) {
					t.Errorf("line %d: reject does not wrap geo.ErrInvalid: %v", w.line, g.pe)
				}
				if len(g.pe.Raw) == 0 {
					t.Errorf("line %d: reject keeps no raw fields", w.line)
				}
			}
		})
	}
}

func checkValid(t *testing.T, inc *geo.Incident) {
	t.Helper()
	if inc.ID == "" || inc.Category == "" {
		t.Errorf("incident %+v lacks ID or category", inc)
	}
	if inc.HasLocation {
		if inc.Point.Lon() < -180 || inc.Point.Lon() > 180 || inc.Point.Lat() < -90 || inc.Point.Lat() > 90 {
			t.Errorf("incident %s: point %v out of range", inc.ID, inc.Point)
		}
	} else if inc.Point != (orb.Point{}) {
		t.Errorf("incident %s: no location but point %v", inc.ID, inc.Point)
	}
	if _, err := geo.ParseMonth(inc.Month.String()); err != nil {
		t.Errorf("incident %s: month %v: %v", inc.ID, inc.Month, err)
	}
}

func TestFieldsKept(t *testing.T) {
	tests := []struct {
		name string
		file string
		line int
		want geo.Incident
	}{
		{"crime", "good.csv", 2, geo.Incident{
			ID: "c0ffee01", Month: geo.NewMonth(2024, 1), ReportedBy: lp, FallsWithin: lp,
			HasLocation: true, Point: orb.Point{-1.133467, 52.634932},
			Location: "On or near Gallowtree Gate", LSOACode: "E01013649", LSOAName: "Leicester 040C",
			Category: "Shoplifting", Outcome: "Investigation complete; no suspect identified",
		}},
		{"quoted location", "good.csv", 9, geo.Incident{
			ID: "c0ffee04", Month: geo.NewMonth(2024, 1), ReportedBy: lp, FallsWithin: lp,
			HasLocation: true, Point: orb.Point{-1.14, 52.63},
			Location: `On or near "The Corner", High Street`, LSOACode: "E01013649", LSOAName: "Leicester 040C",
			Category: "Public order", Outcome: "Under investigation",
		}},
		{"padded coordinates", "good.csv", 11, geo.Incident{
			ID: "c0ffee05", Month: geo.NewMonth(2024, 1), ReportedBy: lp, FallsWithin: lp,
			HasLocation: true, Point: orb.Point{-1.15, 52.64},
			Location: "On or near Belgrave Gate", LSOACode: "E01013650", LSOAName: "Leicester 040D",
			Category: "Drugs", Outcome: "Local resolution",
		}},
		{"no location", "good.csv", 7, geo.Incident{
			ID: "c0ffee03", Month: geo.NewMonth(2024, 1), ReportedBy: lp, FallsWithin: lp,
			Location: "No Location", Category: "Bicycle theft",
			Outcome: "Investigation complete; no suspect identified",
		}},
		{"reordered", "bom_reordered.csv", 2, geo.Incident{
			ID: "c0ffee10", Month: geo.NewMonth(2024, 2), ReportedBy: lp, FallsWithin: lp,
			HasLocation: true, Point: orb.Point{-1.111111, 52.611111},
			Location: "On or near Narborough Road", LSOACode: "E01013700", LSOAName: "Leicester 030B",
			Category: "Burglary", Outcome: "Under investigation",
		}},
		{"multi-line field", "bad.csv", 12, geo.Incident{
			ID: "c0ffee27", Month: geo.NewMonth(2024, 3), ReportedBy: lp, FallsWithin: lp,
			HasLocation: true, Point: orb.Point{-1.133467, 52.634932},
			Location: "On or near\nGallowtree Gate", LSOACode: "E01013649", LSOAName: "Leicester 040C",
			Category: "Shoplifting", Outcome: "Under investigation",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			items, err := readItems(openFixture(t, tt.file))
			if err != nil {
				t.Fatal(err)
			}
			for _, it := range items {
				if it.line != tt.line {
					continue
				}
				if it.inc == nil {
					t.Fatalf("line %d rejected: %v", tt.line, it.pe)
				}
				if *it.inc != tt.want {
					t.Errorf("got  %+v\nwant %+v", *it.inc, tt.want)
				}
				return
			}
			t.Fatalf("no record at line %d", tt.line)
		})
	}
}

func TestRereadGivesSameIDs(t *testing.T) {
	for _, file := range []string{"good.csv", "bad.csv", "bom_reordered.csv"} {
		t.Run(file, func(t *testing.T) {
			ids := func() []string {
				items, err := readItems(openFixture(t, file))
				if err != nil {
					t.Fatal(err)
				}
				var out []string
				for _, it := range items {
					if it.inc != nil {
						out = append(out, it.inc.ID)
					}
				}
				return out
			}
			first, second := ids(), ids()
			if !slices.Equal(first, second) {
				t.Errorf("IDs differ between reads:\n%v\n%v", first, second)
			}
			seen := map[string]bool{}
			for _, id := range first {
				if seen[id] {
					t.Errorf("ID %q given twice", id)
				}
				seen[id] = true
			}
		})
	}
}

func TestFatalErrors(t *testing.T) {
	const hdr = "Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,Crime type,Last outcome category,Context\n"
	tests := []struct {
		name     string
		input    string
		contains []string
	}{
		{"empty file", "", []string{"in.csv", "empty", "Crime ID, Month, Longitude, Latitude, Crime type"}},
		{"blank lines only", "\n\n\r\n", []string{"in.csv", "empty"}},
		{"BOM only", "\xef\xbb\xbf", []string{"in.csv", "empty"}},
		{"missing columns", "Crime ID,Month,Longitude,Location\nx,2024-01,-1,Here\n",
			[]string{"in.csv", "Latitude, Crime type"}},
		{"duplicate column", "Crime ID,Month,Longitude,Latitude,Crime type,Month\n",
			[]string{"in.csv", `"Month" twice`}},
		{"malformed header", "Crime ID,Mo\"nth,Longitude,Latitude,Crime type\n", []string{"in.csv", "header"}},
		{"case differs", strings.ToLower(hdr), []string{"in.csv", "Crime ID"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := NewReader(strings.NewReader(tt.input), "in.csv")
			inc, err := r.Read()
			if inc != nil || err == nil || err == io.EOF {
				t.Fatalf("Read = %v, %v; want fatal error", inc, err)
			}
			var pe *ParseError
			if errors.As(err, &pe) {
				t.Fatalf("fatal error is a *ParseError: %v", err)
			}
			if !errors.Is(err, geo.ErrInvalid) {
				t.Errorf("error does not wrap geo.ErrInvalid: %v", err)
			}
			for _, s := range tt.contains {
				if !strings.Contains(err.Error(), s) {
					t.Errorf("error %q does not contain %q", err, s)
				}
			}
			if _, again := r.Read(); again != err {
				t.Errorf("second Read = %v, want the same fatal error", again)
			}
		})
	}
	t.Run("fixtures", func(t *testing.T) {
		for _, f := range []string{"empty.csv", "missing_columns.csv"} {
			if _, err := readItems(openFixture(t, f)); err == nil || !errors.Is(err, geo.ErrInvalid) ||
				!strings.Contains(err.Error(), f) {
				t.Errorf("%s: err = %v, want fatal geo.ErrInvalid naming the file", f, err)
			}
		}
	})
}

// failingReader hands out data, then fails.
type failingReader struct {
	data []byte
	err  error
}

func (f *failingReader) Read(p []byte) (int, error) {
	if len(f.data) == 0 {
		return 0, f.err
	}
	n := copy(p, f.data)
	f.data = f.data[n:]
	return n, nil
}

func TestIOErrorIsFatal(t *testing.T) {
	good, err := os.ReadFile("testdata/good.csv")
	if err != nil {
		t.Fatal(err)
	}
	boom := errors.New("disk on fire")
	tests := []struct {
		name   string
		data   []byte
		before int // incidents read before the error
	}{
		{"in header", good[:20], 0},
		{"between rows", good[:bytes.Index(good, []byte("\n,2024-01"))+1], 2},
		{"inside quoted field", good[:bytes.Index(good, []byte("The Corner"))], 7},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := NewReader(&failingReader{data: tt.data, err: boom}, "f.csv")
			items, err := readItems(r)
			if !errors.Is(err, boom) {
				t.Fatalf("err = %v, want %v", err, boom)
			}
			var pe *ParseError
			if errors.As(err, &pe) {
				t.Errorf("I/O error reported as a row error: %v", err)
			}
			if !strings.Contains(err.Error(), "f.csv") {
				t.Errorf("error %q does not name the file", err)
			}
			if len(items) != tt.before {
				t.Errorf("read %d records before the error, want %d", len(items), tt.before)
			}
		})
	}
}

func TestRowErrors(t *testing.T) {
	const hdr = "Crime ID,Month,Longitude,Latitude,Crime type\n"
	tests := []struct {
		name  string
		input string
		want  []want
	}{
		{"unterminated quote at end", hdr + "a,2024-01,1,2,Drugs\nb,\"2024-01,1,2,Drugs\nc,2024-01,1,2,Drugs\n",
			[]want{{line: 2, id: "a"}, {line: 3, reason: "extraneous or missing \" in quoted-field"}}},
		{"quote after quoted field", hdr + "a,\"2024-01\"x,1,2,Drugs\nb,2024-01,1,2,Drugs\n",
			[]want{{line: 2, reason: "extraneous or missing"}, {line: 3, id: "b"}}},
		{"too few fields", hdr + "a,2024-01,1,2\nb,2024-01,1,2,Drugs\n",
			[]want{{line: 2, reason: "got 4, want 5"}, {line: 3, id: "b"}}},
		{"hex float", hdr + "a,2024-01,0x1p-2,2,Drugs\n",
			[]want{{line: 2, field: "Longitude", reason: "not a number"}}},
		{"infinity", hdr + "a,2024-01,1,Inf,Drugs\n",
			[]want{{line: 2, field: "Latitude", reason: "not a number"}}},
		{"huge exponent", hdr + "a,2024-01,1e999,2,Drugs\n",
			[]want{{line: 2, field: "Longitude", reason: "out of range"}}},
		{"bounds are inclusive", hdr + "a,2024-01,-180,90,Drugs\nb,2024-01,180,-90,Drugs\n",
			[]want{{line: 2, id: "a"}, {line: 3, id: "b"}}},
		{"month without dash", hdr + "a,202401,1,2,Drugs\n",
			[]want{{line: 2, field: "Month", reason: "not a YYYY-MM month"}}},
		{"padded ID and month", hdr + " a , 2024-01 ,1,2,Drugs\n",
			[]want{{line: 2, id: "a"}}},
		{"only latitude", hdr + "a,2024-01, ,2,Drugs\n",
			[]want{{line: 2, field: "Longitude", reason: "only one of Longitude/Latitude"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			items, err := readItems(NewReader(strings.NewReader(tt.input), "x.csv"))
			if err != nil {
				t.Fatal(err)
			}
			if len(items) != len(tt.want) {
				t.Fatalf("got %d items, want %d", len(items), len(tt.want))
			}
			for i, w := range tt.want {
				g := items[i]
				if g.line != w.line {
					t.Errorf("item %d: line %d, want %d", i, g.line, w.line)
				}
				switch {
				case w.id != "" && (g.inc == nil || g.inc.ID != w.id):
					t.Errorf("line %d: got %+v / %v, want ID %q", w.line, g.inc, g.pe, w.id)
				case w.id == "" && (g.pe == nil || g.pe.Field != w.field || !strings.Contains(g.pe.Reason, w.reason)):
					t.Errorf("line %d: got %+v / %v, want reject %q on %q", w.line, g.inc, g.pe, w.reason, w.field)
				}
			}
		})
	}
}

func TestParseErrorMethods(t *testing.T) {
	items, err := readItems(openFixture(t, "bad.csv"))
	if err != nil {
		t.Fatal(err)
	}
	var pe *ParseError
	for _, it := range items {
		if it.line == 5 {
			pe = it.pe
		}
	}
	if pe == nil {
		t.Fatal("no reject at line 5")
	}
	if got, want := pe.Error(), `bad.csv:5: Longitude "abc" is not a number`; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
	rj := pe.Reject()
	if rj.File != "bad.csv" || rj.Line != 5 || rj.Reason != `Longitude "abc" is not a number` {
		t.Errorf("Reject() = %+v", rj)
	}
	if len(rj.Raw) != 12 || rj.Raw[0] != "c0ffee22" || rj.Raw[4] != "abc" {
		t.Errorf("Reject().Raw = %q", rj.Raw)
	}
}

// Interning is what keeps a year of incidents small: values that repeat
// must share memory rather than each pin its own row.
func TestInterning(t *testing.T) {
	items, err := readItems(openFixture(t, "good.csv"))
	if err != nil {
		t.Fatal(err)
	}
	a, b := items[0].inc, items[1].inc
	if a.FallsWithin != b.FallsWithin || a.ReportedBy != a.FallsWithin {
		t.Fatal("fixture changed")
	}
	if !sameData(a.ReportedBy, b.ReportedBy) || !sameData(a.ReportedBy, b.FallsWithin) {
		t.Error("repeated values are not interned")
	}
}

func sameData(a, b string) bool {
	return a != "" && a == b && unsafe.StringData(a) == unsafe.StringData(b)
}

// Text PostgreSQL cannot hold is a rejected row, named by its column, and
// the rows around it still read.
func TestRejectsUnstorableText(t *testing.T) {
	tests := []struct {
		name, row, field string
	}{
		{"invalid UTF-8", "c1,2024-03,P,P,-1.1,52.6,Caf\xe9 Street,E01,L,Robbery,,", "Location"},
		{"NUL byte", "c1,2024-03,P,P,-1.1,52.6,A,E01,L,Robbery,Under\x00way,", "Last outcome category"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			in := "Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,Crime type,Last outcome category,Context\n" +
				tc.row + "\nc2,2024-03,P,P,-1.1,52.6,A,E01,L,Robbery,,\n"
			r := NewReader(strings.NewReader(in), "t.csv")
			_, err := r.Read()
			var pe *ParseError
			if !errors.As(err, &pe) || pe.Line != 2 || pe.Field != tc.field {
				t.Fatalf("first row: %v, want a reject of %s on line 2", err, tc.field)
			}
			if inc, err := r.Read(); err != nil || inc.ID != "c2" {
				t.Fatalf("next row: %v, %v", inc, err)
			}
		})
	}
}
