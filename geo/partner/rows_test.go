package partner

import (
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/leicester-csp/hotspot/geo"
)

// rowMapping reads rowHeader: longitude/latitude, two flags, an offender.
const rowMapping = `{"id": "id", "occurred": {"column": "when", "layout": "2006-01-02 15:04"},
 "location": {"x": "lon", "y": "lat", "crs": "EPSG:4326"}, "category": "cat",
 "location_name": "place", "flags": {"vawg": "vawg", "knife": "knife"},
 "premises": "prem", "offender": "off"}`

const rowHeader = "id,when,lon,lat,cat,place,vawg,knife,prem,off,extra\n"

// secret is the offender reference of every test row; it must never be
// seen again.
const secret = "ZZ-SYN-SECRET"

// row builds a data row from the defaults with some columns changed.
func row(changes ...string) string {
	cols := map[string]string{"id": "SYN-1", "when": "2024-05-10 21:30", "lon": "-1.1331", "lat": "52.6362",
		"cat": "Violence", "place": "Synthetic Street", "vawg": "", "knife": "", "prem": "", "off": secret, "extra": "x"}
	for i := 0; i+1 < len(changes); i += 2 {
		cols[changes[i]] = changes[i+1]
	}
	var out []string
	for _, name := range strings.Split(strings.TrimSpace(rowHeader), ",") {
		out = append(out, cols[name])
	}
	return strings.Join(out, ",") + "\n"
}

func rowReader(t *testing.T, mapping, data string) *Reader {
	t.Helper()
	m, err := ParseMapping([]byte(mapping))
	if err != nil {
		t.Fatal(err)
	}
	r, err := NewReader(strings.NewReader(data), "in.csv", m, Options{Key: testKey, Latest: geo.NewMonth(2024, 6)})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// readOne reads the single data row of data.
func readOne(t *testing.T, mapping, data string) (*Record, *ParseError) {
	t.Helper()
	r := rowReader(t, mapping, data)
	rec, err := r.Read()
	var pe *ParseError
	if errors.As(err, &pe) {
		if pe.Line != 2 || r.Line() != 2 {
			t.Errorf("reject on line %d (Line() %d), want 2", pe.Line, r.Line())
		}
		checkNoSecret(t, pe)
		return nil, pe
	}
	if err != nil {
		t.Fatalf("Read: %v", err)
	}
	if _, err := r.Read(); err != io.EOF {
		t.Fatalf("second Read = %v, want EOF", err)
	}
	return rec, nil
}

func checkNoSecret(t *testing.T, pe *ParseError) {
	t.Helper()
	if strings.Contains(strings.ToUpper(pe.Error()+strings.Join(pe.Raw, "\x00")), secret) {
		t.Errorf("reject shows the offender reference: %v %q", pe, pe.Raw)
	}
}

func TestRows(t *testing.T) {
	big := strings.Repeat("a", 64<<10)
	tests := []struct {
		name   string
		data   string
		field  string // "" = a record
		reason string
		check  func(*Record) bool
	}{
		{"defaults", row(), "", "", func(r *Record) bool { return r.ID == "SYN-1" && r.Hour == 21 && r.Offender != "" && r.HasLocation }},
		{"id trimmed", row("id", "  SYN-1 \t"), "", "", func(r *Record) bool { return r.ID == "SYN-1" }},
		{"id blank", row("id", "   "), "id", "is empty", nil},
		{"category blank", row("cat", " "), "cat", "is empty", nil},
		{"time trimmed", row("when", " 2024-05-10 21:30 "), "", "", func(r *Record) bool { return r.Hour == 21 }},
		{"time empty", row("when", ""), "when", "does not match", nil},
		{"time bad", row("when", "2024-13-10 21:30"), "when", "does not match", nil},
		{"time in other layout", row("when", "10/05/2024 21:30"), "when", "does not match", nil},
		{"first month allowed", row("when", "2010-01-01 00:00"), "", "", func(r *Record) bool { return r.Month == Earliest }},
		{"last minute before 2010", row("when", "2009-12-31 23:59"), "when", "2009-12, outside the months a record may carry (2010-01 to 2024-06)", nil},
		{"last minute of the latest month", row("when", "2024-06-30 23:59"), "", "", func(r *Record) bool { return r.Month == geo.NewMonth(2024, 6) }},
		{"first minute after it", row("when", "2024-07-01 00:00"), "when", "2024-07, outside the months", nil},
		{"lon/lat edges", row("lon", "-180", "lat", "90"), "", "", func(r *Record) bool { return r.Point.Lon() == -180 && r.Point.Lat() == 90 }},
		{"lon out of range", row("lon", "180.0001"), "lon", "out of range", nil},
		{"lat out of range", row("lat", "-90.5"), "lat", "out of range", nil},
		{"lon not a number", row("lon", "1,5"), "", "wrong number of fields", nil},
		{"lon NaN", row("lon", "NaN"), "lon", "is not a number", nil},
		{"lon hex", row("lon", "0x1p-2"), "lon", "is not a number", nil},
		{"lat words", row("lat", "fifty-two"), "lat", "is not a number", nil},
		{"no location", row("lon", "", "lat", " "), "", "", func(r *Record) bool { return !r.HasLocation && r.Point.Lon() == 0 }},
		{"half a location", row("lat", ""), "lat", "only one of lon/lat is set (lat is empty)", nil},
		{"offender blank", row("off", "  "), "", "", func(r *Record) bool { return r.Offender == "" }},
		{"premises and place trimmed", row("prem", " P1 ", "place", " Synthetic Street "), "", "",
			func(r *Record) bool { return r.Premises == "P1" && r.Location == "Synthetic Street" }},
		{"field of 64 KiB", row("extra", big), "", "", func(r *Record) bool { return true }},
		{"field over 64 KiB, unmapped column", row("extra", big+"a"), "extra", "is 65537 bytes, over the 65536", nil},
		{"offender over 64 KiB", row("off", secret+big), "off", "over the 65536", nil},
		{"offender not UTF-8", row("off", secret+"\xff"), "off", "not UTF-8", nil},
		{"NUL in a place", row("place", "a\x00b"), "place", "not UTF-8", nil},
		{"too few fields", "SYN-1,2024-05-10 21:30," + secret + "\n", "", "wrong number of fields: got 3, want 11", nil},
		{"bare quote", row("place", `Synthetic "Street"`), "", "malformed CSV", nil},
		{"quote error mid-file", row("place", `"Synthetic" Street`) + row(), "", "malformed CSV", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec, pe := readOne(t, rowMapping, rowHeader+tt.data)
			if tt.check != nil {
				if pe != nil {
					t.Fatalf("reject %v", pe)
				}
				if !tt.check(rec) {
					t.Errorf("record %+v", rec)
				}
				return
			}
			if pe == nil {
				t.Fatalf("record %+v, want a reject", rec)
			}
			if pe.Field != tt.field || !strings.Contains(pe.Reason, tt.reason) {
				t.Errorf("reject field %q reason %q; want %q, %q", pe.Field, pe.Reason, tt.field, tt.reason)
			}
			if pe.Raw != nil && pe.Raw[9] != "" {
				t.Errorf("Raw keeps the offender cell: %q", pe.Raw[9])
			}
		})
	}
}

func TestFlagCells(t *testing.T) {
	for _, s := range []string{"y", "Y", "yes", "YES", "Yes", "true", "TRUE", "True", "1", " y ", "\tyes"} {
		rec, pe := readOne(t, rowMapping, rowHeader+row("vawg", s))
		if pe != nil || !rec.Flags.Has(VAWG) || rec.Flags.Has(Knife) {
			t.Errorf("flag cell %q: %+v %v, want vawg true", s, rec, pe)
		}
	}
	for _, s := range []string{"", " ", "n", "N", "no", "NO", "false", "False", "0"} {
		rec, pe := readOne(t, rowMapping, rowHeader+row("vawg", s))
		if pe != nil || rec.Flags != 0 {
			t.Errorf("flag cell %q: %+v %v, want no flags", s, rec, pe)
		}
	}
	for _, s := range []string{"maybe", "2", "-1", "ye", "nope", "t", "f", "yes please", "✓"} {
		_, pe := readOne(t, rowMapping, rowHeader+row("knife", s))
		if pe == nil || pe.Field != "knife" || !strings.Contains(pe.Reason, "flag knife") {
			t.Errorf("flag cell %q: reject %v, want one naming flag knife", s, pe)
		}
	}
}

func TestBNGRows(t *testing.T) {
	mapping := strings.Replace(rowMapping, `"EPSG:4326"`, `"EPSG:27700"`, 1)
	tests := []struct {
		name, e, n    string
		field, reason string
	}{
		{"Clock Tower", "458765", "304626", "", ""},
		{"grid origin", "0", "0", "", ""},
		{"far corner", "700000", "1300000", "", ""},
		{"decimals", "458765.25", "304626.5", "", ""},
		{"negative easting", "-1", "304626", "lon", "out of range [0, 700000]"},
		{"northing past the grid", "458765", "1300000.01", "lat", "out of range [0, 1.3e+06]"},
		{"easting not a number", "SK587046", "304626", "lon", "is not a number"},
		{"northing Inf", "458765", "Inf", "lat", "is not a number"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec, pe := readOne(t, mapping, rowHeader+row("lon", tt.e, "lat", tt.n))
			if tt.field == "" {
				if pe != nil || !rec.HasLocation {
					t.Fatalf("%+v %v", rec, pe)
				}
				return
			}
			if pe == nil || pe.Field != tt.field || !strings.Contains(pe.Reason, tt.reason) {
				t.Errorf("reject %v (field %q), want field %q with %q", pe, fieldOf(pe), tt.field, tt.reason)
			}
		})
	}
}

func fieldOf(pe *ParseError) string {
	if pe == nil {
		return ""
	}
	return pe.Field
}

// Fatal outcomes: the file, not a row, is at fault.
func TestFileRefused(t *testing.T) {
	tests := []struct {
		name, data string
		want       []string
	}{
		{"empty file", "", []string{"in.csv", "empty file", `"id"`}},
		{"missing mapped column", strings.Replace(rowHeader, ",knife,", ",blade,", 1) + row(),
			[]string{"in.csv", `lacks the mapped column(s) "knife" (flags.knife)`}},
		{"two missing", "id,when\n", []string{`"lon" (location.x)`, `"off" (offender)`}},
		{"mapped column twice", strings.Replace(rowHeader, "extra", "cat", 1), []string{`column "cat" (category) twice`}},
		{"malformed header", `id,wh"en` + "\n", []string{"in.csv", "header"}},
		{"quote open to the end", rowHeader + row() + row() + `SYN-3,"2024-05-10 21:30,` + "\n" + row() + row(),
			[]string{"in.csv", "quoted field opened on line 4 is never closed"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := rowReader(t, rowMapping, tt.data)
			var err error
			for err == nil {
				_, err = r.Read()
			}
			var pe *ParseError
			if err == io.EOF || errors.As(err, &pe) {
				t.Fatalf("Read = %v, want a fatal error", err)
			}
			if !errors.Is(err, geo.ErrInvalid) {
				t.Errorf("error does not wrap geo.ErrInvalid: %v", err)
			}
			for _, s := range tt.want {
				if !strings.Contains(err.Error(), s) {
					t.Errorf("error %q does not contain %q", err, s)
				}
			}
			if strings.Contains(err.Error(), secret) {
				t.Errorf("error shows the offender reference: %v", err)
			}
			if _, again := r.Read(); again != err {
				t.Errorf("fatal error not sticky: %v", again)
			}
		})
	}
}

func TestNoKeyRefused(t *testing.T) {
	m, err := ParseMapping([]byte(rowMapping))
	if err != nil {
		t.Fatal(err)
	}
	for _, key := range [][]byte{nil, {}, KeyFromFile([]byte("\n"))} {
		if _, err := NewReader(strings.NewReader(rowHeader), "in.csv", m, Options{Key: key}); !errors.Is(err, ErrNoKey) ||
			!strings.Contains(err.Error(), `"off"`) {
			t.Errorf("NewReader with key %q: %v, want ErrNoKey naming the column", key, err)
		}
	}
	// Without an offender column no key is needed.
	noOff := strings.Replace(rowMapping, `, "offender": "off"`, "", 1)
	m, err = ParseMapping([]byte(noOff))
	if err != nil {
		t.Fatal(err)
	}
	r, err := NewReader(strings.NewReader(rowHeader+row()), "in.csv", m, Options{Latest: geo.NewMonth(2024, 6)})
	if err != nil {
		t.Fatal(err)
	}
	rec, err := r.Read()
	if err != nil || rec.Offender != "" {
		t.Errorf("Read = %+v, %v", rec, err)
	}
}

// Without Latest the current month is the limit: a row dated next month
// is rejected, one dated this month is kept.
func TestLatestDefaultsToNow(t *testing.T) {
	m, err := ParseMapping([]byte(rowMapping))
	if err != nil {
		t.Fatal(err)
	}
	now := nowLondon()
	next := now.AddDate(0, 1, -now.Day()+1)
	for _, tt := range []struct {
		when string
		ok   bool
	}{
		{now.Format("2006-01-02") + " 00:00", true},
		{next.Format("2006-01-02") + " 12:00", false},
	} {
		r, err := NewReader(strings.NewReader(rowHeader+row("when", tt.when)), "in.csv", m, Options{Key: testKey})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := r.Read(); (err == nil) != tt.ok {
			t.Errorf("%s: Read error = %v, want ok %v", tt.when, err, tt.ok)
		}
	}
}
