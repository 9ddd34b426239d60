package policeuk

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"unsafe"

	"github.com/paulmach/orb"

	"github.com/leicester-csp/hotspot/geo"
	"github.com/leicester-csp/hotspot/geo/internal/csvin"
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

// TestBorrowedRowsKeepNothingBorrowed: a reader lends each row's strings
// out of its read buffer, so an incident or reject that kept one would
// change as later reads refill the buffer. Read to the end of a file many
// buffers long, the incidents and rejects must equal those of a reader
// that copies every row.
func TestBorrowedRowsKeepNothingBorrowed(t *testing.T) {
	var b strings.Builder
	b.WriteString("Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,Crime type,Last outcome category,Context\n")
	for i := range 6000 {
		id := fmt.Sprintf("%064x", i*7919)
		month, lon := "2024-03", fmt.Sprintf("-1.%04d", i%9973)
		switch i % 50 {
		case 7:
			id = "" // an ASB row: its ID is derived from its fields
		case 11:
			month = fmt.Sprintf("2024-%d", i+100) // a reject
		case 13:
			lon = "east" // a reject
		}
		fmt.Fprintf(&b, "%s,%s,Force %d,Force %d,%s,52.%04d,On or near Street %d,E0100%04d,Area %d,Kind %d,Outcome %d,\n",
			id, month, i%3, i%3, lon, i%9001, i%400, i%700, i%700, i%14, i%9)
	}
	b.WriteString("short,row\n")
	in := b.String()
	if len(in) < 10*64<<10 {
		t.Fatalf("the file is %d bytes; it should span many read buffers", len(in))
	}
	borrowed, err := readItems(NewReader(strings.NewReader(in), "f.csv"))
	if err != nil {
		t.Fatal(err)
	}
	copying := NewReader(strings.NewReader(in), "f.csv")
	copying.rows = csvin.New(strings.NewReader(in), "f.csv") // never borrows
	copied, err := readItems(copying)
	if err != nil {
		t.Fatal(err)
	}
	if len(borrowed) != len(copied) || len(copied) != 6001 {
		t.Fatalf("%d items borrowed, %d copied; want 6001", len(borrowed), len(copied))
	}
	rejects := 0
	for i := range copied {
		g, w := borrowed[i], copied[i]
		if g.line != w.line || (g.inc == nil) != (w.inc == nil) || (g.inc != nil && *g.inc != *w.inc) ||
			(g.pe != nil && (g.pe.Reason != w.pe.Reason || !slices.Equal(g.pe.Raw, w.pe.Raw))) {
			t.Fatalf("item %d:\n borrowed %+v %+v\n copied   %+v %+v", i, g.inc, g.pe, w.inc, w.pe)
		}
		if g.pe != nil {
			rejects++
		}
	}
	if rejects != 241 {
		t.Errorf("%d rejects, want 241 (two a fifty rows and the short row)", rejects)
	}
}
