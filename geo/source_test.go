package geo

import (
	"errors"
	"testing"
)

func TestValidSourceName(t *testing.T) {
	for _, tc := range []struct {
		name string
		ok   bool
	}{
		{"council", true}, {"bid_2024", true}, {"asb-log", true}, {"x", true}, {"abcdefghijklmnopqrstuvwxyz012345", true},
		{"", false}, {"policeuk", false}, {"all", false}, {"Council", false}, {"a b", false}, {"café", false},
		{"abcdefghijklmnopqrstuvwxyz0123456", false}, {"a/b", false},
	} {
		err := ValidSourceName(tc.name)
		if (err == nil) != tc.ok || (err != nil && !errors.Is(err, ErrInvalid)) {
			t.Errorf("%q: %v, want ok %v", tc.name, err, tc.ok)
		}
	}
}

func FuzzValidSourceName(f *testing.F) {
	for _, s := range []string{"council", "", "all", "A", "a-b_c9"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if ValidSourceName(s) != nil {
			return
		}
		if len(s) < 1 || len(s) > 32 || s == SourceAll || s == SourcePoliceUK {
			t.Fatalf("%q accepted", s)
		}
		for _, c := range []byte(s) {
			if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_' || c == '-') {
				t.Fatalf("%q accepted", s)
			}
		}
	})
}

func TestWithinHolds(t *testing.T) {
	if !(Within{}).Holds(3, 12) || !(Within{}).Any() {
		t.Error("the zero Within must hold at every time")
	}
	w := Within{Days: 1 << 6} // sunday, calendar days
	if !w.Holds(6, 2) || w.Holds(5, 23) {
		t.Error("days without wrapping hours are calendar days")
	}
}
