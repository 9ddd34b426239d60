package analysis

import (
	"errors"
	"strings"
	"testing"

	"github.com/leicester-csp/hotspot/geo"
)

func TestParseHours(t *testing.T) {
	tests := []struct {
		in    string
		hours []int
		shift int
		bad   bool
	}{
		{in: "20-04", hours: []int{20, 21, 22, 23, 0, 1, 2, 3}, shift: 4},
		{in: "09-17", hours: []int{9, 10, 11, 12, 13, 14, 15, 16}},
		{in: "00-24", hours: []int{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23}},
		{in: "23-00", hours: []int{23}, shift: 0},
		{in: "22-24", hours: []int{22, 23}},
		{in: "4-5", hours: []int{4}},
		{in: "04-04", bad: true},
		{in: "24-02", bad: true},
		{in: "20-25", bad: true},
		{in: "20", bad: true},
		{in: "-1-4", bad: true},
		{in: "020-04", bad: true},
		{in: "a-b", bad: true},
	}
	for _, tc := range tests {
		mask, shift, err := ParseHours(tc.in)
		if tc.bad {
			var fe *FieldError
			if !errors.As(err, &fe) || fe.Field != "hours" {
				t.Errorf("%q: err %v, want a 400 naming hours", tc.in, err)
			}
			continue
		}
		var want uint32
		for _, h := range tc.hours {
			want |= 1 << h
		}
		if err != nil || mask != want || shift != tc.shift {
			t.Errorf("%q = %024b, %d, %v; want %024b, %d", tc.in, mask, shift, err, want, tc.shift)
		}
	}
}

func TestParseDaysAndFlags(t *testing.T) {
	if d, err := ParseDays("fri,SAT"); err != nil || d != 1<<4|1<<5 {
		t.Errorf("fri,SAT = %b, %v", d, err)
	}
	if _, err := ParseDays("friday"); err == nil {
		t.Error("friday accepted")
	}
	if f, err := ParseFlags("knife,vawg"); err != nil || f != geo.Flags(0).With(geo.Knife).With(geo.VAWG) {
		t.Errorf("knife,vawg = %b, %v", f, err)
	}
	if _, err := ParseFlags("knives"); err == nil {
		t.Error("knives accepted")
	}
}

// The night rule: with hours wrapping midnight, an hour before the end
// belongs to the night before (Sat 02:00 with 20-04 is Friday night).
func TestWithinNights(t *testing.T) {
	mask, shift, _ := ParseHours("20-04")
	fri, _ := ParseDays("fri")
	w := geo.Within{Days: fri, Hours: mask, Shift: shift}
	for _, tc := range []struct {
		wd, h int
		want  bool
	}{{4, 21, true}, {5, 2, true}, {5, 21, false}, {4, 2, false}, {5, 4, false}, {4, 19, false}} {
		if got := w.Holds(tc.wd, tc.h); got != tc.want {
			t.Errorf("day %d hour %d: %v, want %v", tc.wd, tc.h, got, tc.want)
		}
	}
}

func FuzzParseHours(f *testing.F) {
	for _, s := range []string{"20-04", "00-24", "9-17", "", "-", "23-0", "99-99"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		mask, shift, err := ParseHours(s)
		if err != nil {
			return
		}
		if mask == 0 || mask >= 1<<24 || shift < 0 || shift > 23 {
			t.Fatalf("%q = %b, %d", s, mask, shift)
		}
	})
}

func FuzzParseDays(f *testing.F) {
	for _, s := range []string{"mon", "fri,sat", "", ",", "SUN, mon"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := ParseDays(s)
		if err == nil && (d == 0 || d >= 1<<7) {
			t.Fatalf("%q = %b", s, d)
		}
		fl, err := ParseFlags(s)
		if err == nil && (fl == 0 || fl >= 1<<geo.NumFlags) {
			t.Fatalf("flags %q = %b", s, fl)
		}
	})
}

// FuzzParseKinds: a list parses to distinct, trimmed, non-empty kinds of
// at most 64 bytes, or is refused naming kind.
func FuzzParseKinds(f *testing.F) {
	for _, s := range []string{"licensed", "licensed,retail", "", ",", " retail , retail", "knife-vape-seller"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		kinds, err := ParseKinds(s)
		if err != nil {
			var fe *FieldError
			if !errors.As(err, &fe) || fe.Field != "kind" {
				t.Fatalf("%q: %v, want a kind error", s, err)
			}
			return
		}
		seen := map[string]bool{}
		for _, k := range kinds {
			if k == "" || len(k) > 64 || strings.TrimSpace(k) != k || seen[k] {
				t.Fatalf("%q = %q", s, kinds)
			}
			seen[k] = true
		}
		if len(kinds) == 0 {
			t.Fatalf("%q: no kinds and no error", s)
		}
	})
}
