package layer

import (
	"encoding/json"
	"math"
	"testing"

	"github.com/paulmach/orb"
)

// jsonOf is encoding/json's spelling with HTML escaping off: the
// independent reference the hand-written writer must match byte for byte.
func jsonOf(t testing.TB, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	var out []byte
	// json.Marshal escapes <, > and & as \u003c…; the answers do not.
	for i := 0; i < len(b); i++ {
		if b[i] == '\\' && i+5 < len(b) && string(b[i:i+4]) == `\u00` {
			switch string(b[i+4 : i+6]) {
			case "3c":
				out, i = append(out, '<'), i+5
				continue
			case "3e":
				out, i = append(out, '>'), i+5
				continue
			case "26":
				out, i = append(out, '&'), i+5
				continue
			}
		}
		out = append(out, b[i])
	}
	return string(out)
}

func TestAppendStringMatchesEncodingJSON(t *testing.T) {
	tests := []string{
		"", "On or near Granby Street", `quote " and back\slash`, "A & B <c>",
		"tab\tnewline\nreturn\rbell\a\b\f\x00\x1f\x7f", "Café ✓ 👍", "line\u2028para\u2029",
		"bad \xff utf-8 \xc3", "\xed\xa0\x80 surrogate half",
	}
	for _, s := range tests {
		if got, want := string(appendString(nil, s)), jsonOf(t, s); got != want {
			t.Errorf("%q: got %s, want %s", s, got, want)
		}
	}
}

func FuzzAppendString(f *testing.F) {
	for _, s := range []string{"", "a\"b", "\xff", "\u2028", "<&>", "\x00"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := string(appendString(nil, s)), jsonOf(t, s); got != want {
			t.Fatalf("%q: got %s, want %s", s, got, want)
		}
	})
}

func TestFormatFloatMatchesEncodingJSON(t *testing.T) {
	for _, f := range []float64{0, math.Copysign(0, -1), 1, -1.5, 0.1, 1e-6, 9.99e-7, 1e-7, 1e20, 1e21, 123456789.123, math.MaxFloat64, math.SmallestNonzeroFloat64, -2.5e-10} {
		if got, want := FormatFloat(f), jsonOf(t, f); got != want {
			t.Errorf("%g: got %s, want %s", f, got, want)
		}
	}
}

func FuzzFormatFloat(f *testing.F) {
	for _, v := range []float64{0, 1e-7, 1e21, -3.25} {
		f.Add(v)
	}
	f.Fuzz(func(t *testing.T, v float64) {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return // null: never formatted
		}
		if got, want := FormatFloat(v), jsonOf(t, v); got != want {
			t.Fatalf("%v: got %s, want %s", v, got, want)
		}
	})
}

func TestAppendGeometryMatchesEncodingJSON(t *testing.T) {
	type geom struct {
		Type        string `json:"type"`
		Coordinates any    `json:"coordinates"`
	}
	ring := orb.Ring{{-1.13, 52.63}, {-1.12, 52.63}, {-1.12, 52.64}, {-1.13, 52.63}}
	hole := orb.Ring{{-1.125, 52.632}, {-1.124, 52.632}, {-1.124, 52.633}, {-1.125, 52.632}}
	tests := []struct {
		name string
		g    orb.Geometry
		want any
	}{
		{"point", orb.Point{-1.1305, 52.6341}, geom{"Point", orb.Point{-1.1305, 52.6341}}},
		{"tiny coordinate", orb.Point{1e-7, math.Copysign(0, -1)}, geom{"Point", orb.Point{1e-7, math.Copysign(0, -1)}}},
		{"polygon with hole", orb.Polygon{ring, hole}, geom{"Polygon", orb.Polygon{ring, hole}}},
		{"multipolygon", orb.MultiPolygon{{ring}, {hole}}, geom{"MultiPolygon", orb.MultiPolygon{{ring}, {hole}}}},
		{"no location", nil, nil},
		{"nil polygon", orb.Polygon(nil), nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got, want := string(appendGeometry(nil, tc.g)), jsonOf(t, tc.want); got != want {
				t.Errorf("got %s, want %s", got, want)
			}
		})
	}
}
