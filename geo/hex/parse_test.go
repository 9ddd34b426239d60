package hex

import (
	"errors"
	"testing"

	"github.com/leicester-csp/hotspot/geo"
	"github.com/paulmach/orb"
)

func TestParse(t *testing.T) {
	tests := []struct {
		name string
		in   string
		ok   bool
	}{
		{"known cell", knownCell, true},
		{"res 0 cell", "8001fffffffffff", true},
		{"res 15 cell", String(CellAt(orb.Point{-1.1335, 52.6346}, 15)), true},
		{"empty", "", false},
		{"garbage", "not a cell index", false},
		{"upper case", "8819434C17FFFFF", false},
		{"0x prefix", "0x8819434c17fffff", false},
		{"leading space", " 8819434c17fffff", false},
		{"trailing newline", "8819434c17fffff\n", false},
		{"one digit short", "8819434c17ffff", false},
		{"sign", "+819434c17fffff", false},
		{"all zero", "000000000000000", false},
		{"unused digit not 7", "8819434c17ffff0", false},
		{"bad base cell", "88f9434c17fffff", false},
		{"non-ASCII", "8819434c17ffff\u00e9", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c, err := Parse(tc.in)
			if !tc.ok {
				if err == nil {
					t.Fatalf("Parse(%q) = %s, want an error", tc.in, String(c))
				}
				if !errors.Is(err, geo.ErrInvalid) {
					t.Errorf("Parse(%q) error %v does not wrap geo.ErrInvalid", tc.in, err)
				}
				return
			}
			if err != nil {
				t.Fatalf("Parse(%q): %v", tc.in, err)
			}
			if s := String(c); s != tc.in {
				t.Errorf("String(Parse(%q)) = %q", tc.in, s)
			}
		})
	}
}

// TestStringRoundTrip checks that every cell CellsAt can produce prints as
// 15 digits and parses back.
func TestStringRoundTrip(t *testing.T) {
	for _, p := range randomPoints(2, 500, leicester) {
		for _, c := range CellsAt(p) {
			s := String(c)
			if len(s) != 15 {
				t.Fatalf("String(%d) = %q, want 15 digits", c, s)
			}
			got, err := Parse(s)
			if err != nil || got != c {
				t.Fatalf("Parse(String(%d)) = %d, %v", c, got, err)
			}
		}
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{knownCell, "8001fffffffffff", "", "0", "8819434C17FFFFF", "ffffffffffffffff", "000000000000000", "0x8819434c17ffff"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		c, err := Parse(s)
		if err != nil {
			if !errors.Is(err, geo.ErrInvalid) {
				t.Fatalf("Parse(%q) error %v does not wrap geo.ErrInvalid", s, err)
			}
			return
		}
		if String(c) != s {
			t.Fatalf("String(Parse(%q)) = %q", s, String(c))
		}
		if r := Res(c); r < 0 || r > 15 {
			t.Fatalf("Parse(%q) has res %d", s, r)
		}
		// A parsed cell must be usable without panics.
		_ = Polygon(c)
		_ = Disk(c, 1)
	})
}
