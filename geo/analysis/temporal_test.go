package analysis

import "testing"

// One withheld cell takes the smallest shown with it; two or more, or
// none, leave the rest shown; zeros are never withheld.
func TestDayHourSuppress(t *testing.T) {
	for _, tc := range []struct {
		name   string
		counts map[[2]int]int
		hidden [][2]int
	}{
		{"one withheld, next smallest too", map[[2]int]int{{0, 1}: 3, {4, 20}: 7, {5, 2}: 6, {6, 23}: 9}, [][2]int{{0, 1}, {5, 2}}},
		{"two withheld", map[[2]int]int{{0, 1}: 3, {1, 1}: 1, {4, 20}: 7}, [][2]int{{0, 1}, {1, 1}}},
		{"none withheld", map[[2]int]int{{4, 20}: 7, {5, 2}: 5}, nil},
		{"one withheld, nothing else", map[[2]int]int{{2, 2}: 4}, [][2]int{{2, 2}}},
	} {
		var m DayHour
		for k, n := range tc.counts {
			m.Counts[k[0]][k[1]] = n
		}
		m.suppress(5)
		var want [7][24]bool
		for _, k := range tc.hidden {
			want[k[0]][k[1]] = true
		}
		if m.Suppressed != want {
			t.Errorf("%s: suppressed cells differ from %v", tc.name, tc.hidden)
		}
		for d := range m.Counts {
			for h, n := range m.Counts[d] {
				if m.Suppressed[d][h] && n != 0 || !m.Suppressed[d][h] && n != tc.counts[[2]int{d, h}] {
					t.Errorf("%s: %d %d = %d", tc.name, d, h, n)
				}
			}
		}
	}
	var m DayHour
	m.Counts[0][0] = 1
	if m.suppress(0); m.Counts[0][0] != 1 || m.Suppressed[0][0] {
		t.Error("no threshold withheld a count")
	}
}
