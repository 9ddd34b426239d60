package storetest

import (
	"testing"

	"github.com/leicester-csp/hotspot/geo"
)

// temporalFixture: council records around both 2024 clock changes and
// one whose UTC day is not its local day, so that only local weekday and
// hour give the expected cells.
func temporalFixture() []*geo.Located {
	return []*geo.Located{
		local("council", "d1", "2024-03-31 00:30", "Begging", pWest, 1),                   // Sun 00 (GMT)
		local("council", "d2", "2024-03-31 02:30", "Begging", pWest, 1),                   // Sun 02 (BST; 01:xx never happened)
		local("council", "d3", "2024-10-27 01:30", "Begging", pEast, 2),                   // Sun 01 (either 01:30)
		local("council", "d4", "2024-07-01 00:30", "Begging", pEast, 2, geo.Homelessness), // Mon 00 local, Sun 23:30 UTC
		local("council", "d5", "2024-07-01 00:45", "Begging", pOut, 3),                    // outside every ward
		local("council", "d6", "2024-07-05 22:10", "Street drinking", nil, 0),             // no location
	}
}

// testDayHours checks DayHourCounts: local weekday and hour across the
// clock changes, the filter's flags and time, keys, and police.uk left out.
func testDayHours(t *testing.T, open Opener) {
	st, _ := loaded(t, open)
	tc, ok := st.(geo.TemporalCounter)
	if !ok {
		t.Fatalf("%T has no DayHourCounts", st)
	}
	mustImport(t, st, geo.ImportInput{Rows: rowsOf(temporalFixture())})
	ctx := t.Context()
	cell := func(d, h int) geo.DayHourCounts {
		var m geo.DayHourCounts
		m[d][h] = 1
		return m
	}
	var every geo.DayHourCounts
	every[6][0], every[6][2], every[6][1], every[0][0] = 1, 1, 1, 1
	council := geo.Filter{Months: all(), Source: "council"}
	cases := []struct {
		name string
		f    geo.Filter
		key  geo.SeriesKey
		want geo.DayHourCounts
	}{
		{"council, in the area", council, geo.SeriesKey{}, every},
		{"all sources", geo.Filter{Months: all(), Source: "all"}, geo.SeriesKey{}, every},
		{"police.uk has no time", geo.Filter{Months: all()}, geo.SeriesKey{}, geo.DayHourCounts{}},
		{"flag", geo.Filter{Months: all(), Source: "council", Flags: geo.Flags(0).With(geo.Homelessness)}, geo.SeriesKey{}, cell(0, 0)},
		{"sunday night", geo.Filter{Months: all(), Source: "council", Within: geo.Within{Days: 1 << 6, Hours: hoursMask(22, 2), Shift: 2}}, geo.SeriesKey{}, cell(0, 0)},
		{"march", geo.Filter{Months: mr("2024-03", "2024-03"), Source: "council"}, geo.SeriesKey{}, add(cell(6, 0), cell(6, 2))},
		{"one cell", council, geo.SeriesKey{Cell: cells(2)[1], Res: geo.MinRes + 1}, add(cell(6, 1), cell(0, 0))},
		{"unknown source", geo.Filter{Months: all(), Source: "nobody"}, geo.SeriesKey{}, geo.DayHourCounts{}},
	}
	for _, c := range cases {
		got, err := tc.DayHourCounts(ctx, c.f, c.key)
		if err != nil || got != c.want {
			t.Errorf("%s: %v, %v; want %v", c.name, nonZero(got), err, nonZero(c.want))
		}
	}
	wards, err := st.WardCounts(ctx, council)
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range []string{"W1", "W2"} {
		got, err := tc.DayHourCounts(ctx, council, geo.SeriesKey{Ward: w})
		if n := sum(got); err != nil || n != wards[w] {
			t.Errorf("ward %s: %d records, %v; ward counts say %d", w, n, err, wards[w])
		}
	}
	if _, err := tc.DayHourCounts(ctx, council, geo.SeriesKey{Ward: "W9"}); err == nil {
		t.Error("unknown ward: no error")
	}
	checkDayHoursFollow(t, st, tc)
}

// checkDayHoursFollow: the whole area's matrix counts a later run's
// records beside the stored ones in the same hour, and follows new
// boundaries (the east ward gone, its records no longer counted).
func checkDayHoursFollow(t *testing.T, st geo.Store, tc geo.TemporalCounter) {
	t.Helper()
	council := geo.Filter{Months: all(), Source: "council"}
	mustImport(t, st, geo.ImportInput{Rows: rowsOf([]*geo.Located{local("council", "d7", "2024-03-31 00:50", "Begging", pWest, 1)})})
	var want geo.DayHourCounts
	want[6][0], want[6][2], want[6][1], want[0][0] = 2, 1, 1, 1
	if got, err := tc.DayHourCounts(t.Context(), council, geo.SeriesKey{}); err != nil || got != want {
		t.Errorf("after a second run: %v, %v; want %v", nonZero(got), err, nonZero(want))
	}
	mustImport(t, st, geo.ImportInput{Areas: []geo.Area{west}})
	want[6][1], want[0][0] = 0, 0
	if got, err := tc.DayHourCounts(t.Context(), council, geo.SeriesKey{}); err != nil || got != want {
		t.Errorf("after new boundaries: %v, %v; want %v", nonZero(got), err, nonZero(want))
	}
}

func add(a, b geo.DayHourCounts) geo.DayHourCounts {
	for d := range a {
		for h := range a[d] {
			a[d][h] += b[d][h]
		}
	}
	return a
}

func sum(m geo.DayHourCounts) (n int) {
	for _, row := range m {
		for _, c := range row {
			n += c
		}
	}
	return n
}

// nonZero lists a matrix's non-zero cells as [day, hour, count].
func nonZero(m geo.DayHourCounts) [][3]int {
	var out [][3]int
	for d, row := range m {
		for h, c := range row {
			if c != 0 {
				out = append(out, [3]int{d, h, c})
			}
		}
	}
	return out
}
