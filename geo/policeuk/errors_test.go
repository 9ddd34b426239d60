package policeuk

import (
	"bytes"
	"errors"
	"io"
	"os"
	"strings"
	"testing"

	"github.com/leicester-csp/hotspot/geo"
)

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
