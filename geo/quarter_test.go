package geo

import "testing"

func TestParseQuarter(t *testing.T) {
	cases := []struct {
		in         string
		ok         bool
		from, to   string
		normalised string
	}{
		{"2025Q1", true, "2025-01", "2025-03", "2025Q1"},
		{"2025q4", true, "2025-10", "2025-12", "2025Q4"},
		{"0000Q2", true, "0000-04", "0000-06", "0000Q2"},
		{"2025Q0", false, "", "", ""},
		{"2025Q5", false, "", "", ""},
		{"2025-Q1", false, "", "", ""},
		{"25Q1", false, "", "", ""},
		{"2025X1", false, "", "", ""},
		{"20a5Q1", false, "", "", ""},
		{"", false, "", "", ""},
		{"+025Q1", false, "", "", ""},
	}
	for _, c := range cases {
		q, err := ParseQuarter(c.in)
		if (err == nil) != c.ok {
			t.Errorf("ParseQuarter(%q) error %v, want ok=%v", c.in, err, c.ok)
			continue
		}
		if !c.ok {
			continue
		}
		m := q.Months()
		if m.From.String() != c.from || m.To.String() != c.to || q.String() != c.normalised {
			t.Errorf("ParseQuarter(%q) = %s %s–%s, want %s %s–%s", c.in, q, m.From, m.To, c.normalised, c.from, c.to)
		}
	}
}

func TestQuarterOf(t *testing.T) {
	for m := NewMonth(2023, 1); m <= NewMonth(2025, 12); m++ {
		q := QuarterOf(m)
		if !q.Months().Contains(m) {
			t.Fatalf("QuarterOf(%s) = %s, which does not hold it", m, q)
		}
	}
}

func FuzzParseQuarter(f *testing.F) {
	for _, s := range []string{"2025Q1", "2024q4", "2025Q9", "", "abcdQ1", "2025Q1 "} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		q, err := ParseQuarter(s)
		if err != nil {
			return
		}
		// Whatever parses prints back to itself (Q in upper case) and
		// parses again to the same quarter.
		again, err := ParseQuarter(q.String())
		if err != nil || again != q {
			t.Fatalf("%q → %s → %v, %v", s, q, again, err)
		}
		if m := q.Months(); m.Len() != 3 || QuarterOf(m.From) != q || QuarterOf(m.To) != q {
			t.Fatalf("%s: months %s do not belong to it", q, m)
		}
	})
}
