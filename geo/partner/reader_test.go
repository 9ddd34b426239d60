package partner

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/leicester-csp/hotspot/geo"
)

// testKey is the synthetic pseudonym key of the tests.
var testKey = []byte("synthetic-test-key")

// outcome is what one Read gave: a record or a reject.
type outcome struct {
	rec *Record
	pe  *ParseError
}

// readAll reads every row, failing the test on a fatal error unless
// wantFatal; it returns the outcomes and the fatal error.
func readAll(t *testing.T, r *Reader) ([]outcome, error) {
	t.Helper()
	var out []outcome
	for {
		rec, err := r.Read()
		if err == io.EOF {
			return out, nil
		}
		var pe *ParseError
		switch {
		case errors.As(err, &pe):
			out = append(out, outcome{pe: pe})
		case err != nil:
			return out, err
		default:
			out = append(out, outcome{rec: rec})
		}
	}
}

func openFixture(t *testing.T, name string) *os.File {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

func designReader(t *testing.T) *Reader {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "design_mapping.json"))
	if err != nil {
		t.Fatal(err)
	}
	m, err := ParseMapping(b)
	if err != nil {
		t.Fatal(err)
	}
	r, err := NewReader(openFixture(t, "synthetic_bng.csv"), "synthetic_bng.csv", m, Options{Key: testKey, Latest: geo.NewMonth(2024, 12)})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// The fixture, line by line: DESIGN.md's mapping on a synthetic export with
// National Grid coordinates. Pseudonyms computed with OpenSSL:
//
//	printf '%s' 'ZZ-SYN-001' | openssl dgst -sha256 -hmac 'synthetic-test-key' → 0956e11807a1e776…
//	printf '%s' 'ZZ-SYN-002' | openssl dgst -sha256 -hmac 'synthetic-test-key' → 8814463656719afb…
func TestReadFixture(t *testing.T) {
	got, err := readAll(t, designReader(t))
	if err != nil {
		t.Fatal(err)
	}
	at := func(y int, mo time.Month, d, h, mi int) time.Time { return time.Date(y, mo, d, h, mi, 0, 0, time.UTC) }
	type want struct {
		line    int
		id      string
		utc     time.Time
		hour    int
		weekday time.Weekday
		clock   Clock
		flags   []string
		offend  string
		prem    string
		noLoc   bool
		field   string // for a reject: its field and a part of its reason
		reason  string
		rawNil  bool
	}
	wants := []want{
		{line: 2, id: "SYN-0001", utc: at(2024, 4, 5, 21, 15), hour: 22, weekday: time.Friday, flags: []string{"street_lifestyle"},
			offend: "0956e11807a1e776", prem: "PRM-001"},
		{line: 3, id: "SYN-0002", utc: at(2024, 10, 27, 0, 30), hour: 1, weekday: time.Sunday, clock: ClockRepeated, flags: []string{"vawg"}},
		// The same reference as line 2 in another case and with spaces:
		// the same pseudonym.
		{line: 4, id: "SYN-0003", utc: at(2024, 3, 31, 1, 30), hour: 2, weekday: time.Sunday, clock: ClockSkipped, offend: "0956e11807a1e776"},
		{line: 5, field: "Occurred", reason: `does not match the mapping's layout "02/01/2006 15:04"`},
		{line: 6, field: "VAWG", reason: `VAWG (flag vawg) is "maybe"`},
		{line: 7, field: "Occurred", reason: "2009-12, outside the months"},
		{line: 8, field: "Easting", reason: `Easting "800000" is out of range [0, 700000]`},
		{line: 9, field: "Ref", reason: "is empty"},
		{line: 10, id: "SYN-0008", utc: at(2024, 4, 7, 1, 10), hour: 2, weekday: time.Sunday, noLoc: true,
			flags: FlagNames(), offend: "8814463656719afb", prem: "PRM-002"},
		{line: 12, reason: "wrong number of fields: got 17, want 16", rawNil: true},
		{line: 13, id: "SYN-0010", utc: at(2024, 4, 8, 11, 0), hour: 12, weekday: time.Monday, prem: "PRM-001"},
	}
	if len(got) != len(wants) {
		t.Fatalf("read %d rows, want %d", len(got), len(wants))
	}
	for i, w := range wants {
		g := got[i]
		if w.id == "" {
			if g.pe == nil {
				t.Errorf("line %d: got record %+v, want a reject", w.line, g.rec)
				continue
			}
			pe := g.pe
			if pe.Line != w.line || pe.File != "synthetic_bng.csv" || pe.Field != w.field || !strings.Contains(pe.Reason, w.reason) || !errors.Is(pe, geo.ErrInvalid) {
				t.Errorf("line %d: reject %s:%d field %q reason %q; want field %q reason with %q", w.line, pe.File, pe.Line, pe.Field, pe.Reason, w.field, w.reason)
			}
			if w.rawNil != (pe.Raw == nil) {
				t.Errorf("line %d: Raw = %q", w.line, pe.Raw)
			}
			if pe.Raw != nil && pe.Raw[14] != "" {
				t.Errorf("line %d: Raw keeps the offender reference %q", w.line, pe.Raw[14])
			}
			continue
		}
		if g.pe != nil {
			t.Errorf("line %d: reject %v, want record %s", w.line, g.pe, w.id)
			continue
		}
		r := g.rec
		if r.ID != w.id || !r.Occurred.Equal(w.utc) || r.Occurred.Location() != London || r.Hour != w.hour || r.Weekday != w.weekday ||
			r.Clock != w.clock || r.Month != geo.NewMonth(w.utc.Year(), int(w.utc.Month())) {
			t.Errorf("line %d: %s at %s (hour %d, %v, %v, month %s); want %s at %s UTC (hour %d, %v, %v)", w.line,
				r.ID, r.Occurred.Format(time.RFC3339), r.Hour, r.Weekday, r.Clock, r.Month, w.id, w.utc.Format(time.RFC3339), w.hour, w.weekday, w.clock)
		}
		if strings.Join(r.Flags.Names(), ",") != strings.Join(w.flags, ",") || r.Offender != w.offend || r.Premises != w.prem {
			t.Errorf("line %d: flags %v offender %q premises %q; want %v %q %q", w.line, r.Flags.Names(), r.Offender, r.Premises, w.flags, w.offend, w.prem)
		}
		if r.HasLocation == w.noLoc {
			t.Errorf("line %d: HasLocation = %v", w.line, r.HasLocation)
		}
		// Every located row is in central Leicester (geo/osgb tests the
		// conversion itself against published points).
		if r.HasLocation && (r.Point.Lat() < 52.63 || r.Point.Lat() > 52.64 || r.Point.Lon() < -1.14 || r.Point.Lon() > -1.13) {
			t.Errorf("line %d: point %v is not in central Leicester", w.line, r.Point)
		}
	}
}

func TestRecordIncident(t *testing.T) {
	rec, pe := readOne(t, rowMapping, rowHeader+row("place", "Synthetic Street", "prem", "P1"))
	if pe != nil {
		t.Fatal(pe)
	}
	inc := rec.Incident()
	if inc.ID != "SYN-1" || inc.Month != geo.NewMonth(2024, 5) || !inc.HasLocation || inc.Point != rec.Point ||
		inc.Location != "Synthetic Street" || inc.Category != "Violence" || inc.Outcome != "" {
		t.Errorf("Incident() = %+v", inc)
	}
}
