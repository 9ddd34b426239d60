package policeuk

import (
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/leicester-csp/hotspot/geo"
)

// A row dated before 2010 or after the current month is a reject: one
// 9999-12 row would otherwise become every default view's latest month.
func TestMonthRange(t *testing.T) {
	const hdr = "Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,Crime type,Last outcome category,Context\n"
	row := func(month string) string {
		return "x" + month + "," + month + ",P,P,-1.13,52.63,On or near Here,E01,L,Robbery,,\n"
	}
	tests := []struct {
		month  string
		latest geo.Month
		ok     bool
	}{
		{"2024-10", geo.NewMonth(2026, 11), true},
		{"2026-11", geo.NewMonth(2026, 11), true},
		{"2026-12", geo.NewMonth(2026, 11), false},
		{"9999-12", geo.NewMonth(2026, 11), false},
		{"9999-12", 0, true}, // no latest: nothing checked above
		{"2010-01", 0, true},
		{"2009-12", 0, false},
		{"0001-01", geo.NewMonth(2026, 11), false},
	}
	for _, tc := range tests {
		r := NewReader(strings.NewReader(hdr+row(tc.month)), "in.csv")
		r.Latest = tc.latest
		_, err := r.Read()
		var pe *ParseError
		switch {
		case tc.ok && err != nil:
			t.Errorf("%s (latest %v): %v, want the row", tc.month, tc.latest, err)
		case !tc.ok && (!errors.As(err, &pe) || pe.Line != 2 || !strings.Contains(pe.Reason, tc.month)):
			t.Errorf("%s (latest %v): %v, want a reject at line 2 naming the month", tc.month, tc.latest, err)
		}
		if _, err := r.Read(); err != io.EOF {
			t.Errorf("%s: after the row: %v", tc.month, err)
		}
	}
}

func TestFieldTooLong(t *testing.T) {
	const hdr = "Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,Crime type,Last outcome category,Context\n"
	for _, n := range []int{MaxField, MaxField + 1} {
		r := NewReader(strings.NewReader(hdr+"x,2024-01,P,P,-1.13,52.63,On or near Here,E01,L,"+strings.Repeat("R", n)+",,\n"), "in.csv")
		_, err := r.Read()
		var pe *ParseError
		if ok := err == nil; ok != (n <= MaxField) {
			t.Errorf("a %d-byte crime type: %v", n, err)
		} else if !ok && (!errors.As(err, &pe) || !strings.Contains(pe.Reason, "Crime type")) {
			t.Errorf("a %d-byte crime type: %v, want a reject naming the column", n, err)
		}
	}
}

// A quote opened and never closed would swallow every later row into one
// field: the file is refused, naming the line where the quote opened.
func TestUnclosedQuoteRefusesTheFile(t *testing.T) {
	const hdr = "Crime ID,Month,Longitude,Latitude,Crime type\n"
	r := NewReader(strings.NewReader(hdr+"a,2024-01,1,2,Drugs\nb,\"2024-01,1,2,Drugs\nc,2024-01,1,2,Drugs\n"), "x.csv")
	if in, err := r.Read(); err != nil || in.ID != "a" {
		t.Fatalf("first row: %+v, %v", in, err)
	}
	_, err := r.Read()
	var pe *ParseError
	if err == nil || errors.As(err, &pe) || !errors.Is(err, geo.ErrInvalid) || !strings.Contains(err.Error(), "line 3") {
		t.Fatalf("got %v, want the file refused naming line 3", err)
	}
	if _, again := r.Read(); again != err {
		t.Errorf("the error does not stick: %v", again)
	}
}
