package geo

import "testing"

func TestPublicVersion(t *testing.T) {
	tests := []struct{ in, want string }{
		{FormatVersion("ab12", 7, 5), "ab12.p5"},
		{FormatVersion("ab12", 0, 0), "ab12.p0"},
		{"ab12.7.5", "ab12.p5"},
		{"ab12.7", "ab12.7"}, // not ours: left alone
		{"", ""},
	}
	for _, tt := range tests {
		if got := PublicVersion(tt.in); got != tt.want {
			t.Errorf("PublicVersion(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	// A partner-only change moves the whole version, not the public one.
	before, after := FormatVersion("s", 3, 3), FormatVersion("s", 4, 3)
	if before == after || PublicVersion(before) != PublicVersion(after) {
		t.Errorf("partner-only change: %q → %q, public %q → %q", before, after, PublicVersion(before), PublicVersion(after))
	}
}
