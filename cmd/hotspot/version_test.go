package main

import (
	"context"
	"testing"

	"github.com/leicester-csp/hotspot/geo"
)

// versionOnly answers Version and nothing else.
type versionOnly struct {
	geo.Store
	v string
}

func (s versionOnly) Version(context.Context) (string, error) { return s.v, nil }

func TestShownVersion(t *testing.T) {
	st := versionOnly{v: geo.FormatVersion("ab", 9, 4)}
	prios := []geo.Priority{{ID: "asb"}, {ID: "night", Source: "council"}}
	tests := []struct {
		source, priority, want string
	}{
		{"", "", "ab.p4"},
		{"policeuk", "asb", "ab.p4"},
		{"council", "", "ab.9.4"},
		{"", "night", "ab.9.4"}, // the priority fixes a local source
		{"", "other", "ab.p4"},  // an unknown priority fixes nothing
	}
	for _, tt := range tests {
		got, err := shownVersion(t.Context(), st, tt.source, tt.priority, prios)
		if err != nil || got != tt.want {
			t.Errorf("shownVersion(%q, %q) = %q, %v; want %q", tt.source, tt.priority, got, err, tt.want)
		}
	}
}
