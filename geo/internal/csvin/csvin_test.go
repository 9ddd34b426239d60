package csvin

import (
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/leicester-csp/hotspot/geo"
)

func TestStorable(t *testing.T) {
	tests := []struct {
		s      string
		ok     bool
		reason string
	}{
		{"", true, ""},
		{"Café", true, ""},
		{strings.Repeat("a", MaxField), true, ""},
		{strings.Repeat("a", MaxField+1), false, "is 65537 bytes, over the 65536"},
		{"a\x00b", false, "not UTF-8"},
		{"\xff", false, "not UTF-8"},
	}
	for _, tt := range tests {
		ok, why := Storable(tt.s)
		if ok != tt.ok || !strings.Contains(why, tt.reason) || (len(tt.s) < 10 && tt.s != "" && strings.Contains(why, tt.s)) {
			t.Errorf("Storable(%.12q) = %v, %q", tt.s, ok, why)
		}
	}
}

func TestIsDecimal(t *testing.T) {
	for s, want := range map[string]bool{"1": true, "-1.5": true, "1e3": true, "+0.5": true, "": false, "NaN": false, "Inf": false, "0x1p3": false, "1,5": false, " 1": false} {
		if got := IsDecimal(s); got != want {
			t.Errorf("IsDecimal(%q) = %v", s, got)
		}
	}
}

// One file through every outcome: BOM, a good row, a bad quote, a row,
// then a quote left open.
func TestRows(t *testing.T) {
	data := "\xef\xbb\xbf\"a\",b\n1,2\n3,x\"y\n4,5\n6,\"open\n7,8\n"
	r := New(strings.NewReader(data), "f.csv")
	hdr, err := r.Header()
	if err != nil || strings.Join(hdr, "|") != "a|b" || r.Line() != 1 {
		t.Fatalf("Header = %q, %v (line %d)", hdr, err, r.Line())
	}
	if rec, err := r.Next(); err != nil || strings.Join(rec, "|") != "1|2" || r.Line() != 2 {
		t.Fatalf("Next = %q, %v", rec, err)
	}
	var me *Malformed
	if _, err := r.Next(); !errors.As(err, &me) || me.Line != 3 || !errors.Is(err, geo.ErrInvalid) || !strings.Contains(me.Reason, "line 3") {
		t.Fatalf("Next = %v, want a malformed row on line 3", err)
	}
	if rec, err := r.Next(); err != nil || rec[0] != "4" || r.Line() != 4 {
		t.Fatalf("Next = %q, %v", rec, err)
	}
	if _, err := r.Next(); err == nil || errors.As(err, &me) || !strings.Contains(err.Error(), "f.csv: invalid: the quoted field opened on line 5 is never closed") {
		t.Fatalf("Next = %v, want the file refused", err)
	}
	if _, err := New(strings.NewReader(""), "e.csv").Header(); err != io.EOF {
		t.Errorf("empty file: %v, want io.EOF", err)
	}
}
