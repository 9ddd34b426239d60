package geo

import "testing"

// TestMonthString: months are named "YYYY-MM" inside the table of names
// made once and outside it, and a name reads back as its month.
func TestMonthString(t *testing.T) {
	for _, tc := range []struct {
		m    Month
		want string
	}{
		{NewMonth(1899, 12), "1899-12"},
		{NewMonth(1900, 1), "1900-01"},
		{NewMonth(2024, 10), "2024-10"},
		{NewMonth(2199, 12), "2199-12"},
		{NewMonth(2200, 1), "2200-01"},
		{NewMonth(0, 1), "0000-01"},
		{NewMonth(9999, 12), "9999-12"},
	} {
		if got := tc.m.String(); got != tc.want {
			t.Errorf("%d: %q, want %q", int(tc.m), got, tc.want)
		}
	}
	for m := NewMonth(1890, 1); m <= NewMonth(2210, 12); m++ {
		back, err := ParseMonth(m.String())
		if err != nil || back != m {
			t.Fatalf("%d named %q reads back as %d, %v", int(m), m.String(), int(back), err)
		}
	}
}
