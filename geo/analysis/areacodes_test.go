package analysis

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/leicester-csp/hotspot/geo"
)

func TestAreaCodes(t *testing.T) {
	wards := []geo.Area{
		{Code: "W3", Name: "Castle"}, {Code: "W1", Name: "Abbey"}, {Code: "W2", Name: "abbey"},
		{Code: "W4", Name: "Kelvin Street"}, {Code: "W5", Name: "Saint Mary"}, {Code: "Castle", Name: "Other"},
		{Code: "W6", Name: "\u212aing's Heath"},
	}
	for _, tc := range []struct {
		name string
		area []string
		want []string
		miss string
	}{
		{"codes", []string{"W3", "W1"}, []string{"W1", "W3"}, ""},
		{"a name names every ward of that name", []string{"ABBEY"}, []string{"W1", "W2"}, ""},
		{"code and name alike", []string{"Castle"}, []string{"Castle", "W3"}, ""},
		{"duplicates once", []string{"W1", "abbey", "Abbey"}, []string{"W1", "W2"}, ""},
		{"Kelvin sign folds to k", []string{"\u212aELVIN STREET"}, []string{"W4"}, ""},
		{"long s folds to s", []string{"\u017fAINT MARY"}, []string{"W5"}, ""},
		{"a ward's own non-ASCII name folds too", []string{"king's heath"}, []string{"W6"}, ""},
		{"codes are exact", []string{"w1"}, nil, "w1"},
		{"unknown", []string{"W1", "Nowhere"}, nil, "Nowhere"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := areaCodes(&geo.Priority{ID: "p", Area: tc.area}, wards)
			var ae *AreaError
			switch {
			case tc.miss != "":
				if !errors.As(err, &ae) || ae.Ward != tc.miss {
					t.Errorf("areaCodes(%q) = %v, %v; want an AreaError for %q", tc.area, got, err, tc.miss)
				}
			case err != nil || !slices.Equal(got, tc.want):
				t.Errorf("areaCodes(%q) = %v, %v; want %v", tc.area, got, err, tc.want)
			}
		})
	}
}

// foldKey must agree with strings.EqualFold, which areaCodes matched
// names with before.
func FuzzFoldKey(f *testing.F) {
	for _, s := range [][2]string{{"Abbey", "ABBEY"}, {"\u212a", "k"}, {"\u017f", "S"}, {"\xff", "\ufffd"}, {"ß", "SS"}, {"Σ", "ς"}} {
		f.Add(s[0], s[1])
	}
	f.Fuzz(func(t *testing.T, a, b string) {
		if got, want := foldKey(a) == foldKey(b), strings.EqualFold(a, b); got != want {
			t.Errorf("foldKey(%q) == foldKey(%q) is %v; EqualFold says %v", a, b, got, want)
		}
	})
}

// The ASCII shortcut folds every ASCII rune, and mixed strings, as the
// rune-by-rune fold does.
func TestFoldASCII(t *testing.T) {
	var all []byte
	for c := range 128 {
		all = append(all, byte(c))
		if got, want := foldKey(string(rune(c))), foldRunes(string(rune(c))); got != want {
			t.Errorf("foldKey(%q) = %q, want %q", rune(c), got, want)
		}
	}
	for _, s := range []string{string(all), "Westfield Central", "ABBEY", "st. mary's & all saints"} {
		if got, want := foldKey(s), foldRunes(s); got != want {
			t.Errorf("foldKey(%q) = %q, want %q", s, got, want)
		}
	}
	if _, ok := foldASCII("Saint \u017f"); ok {
		t.Error("a non-ASCII string took the ASCII shortcut")
	}
}
