package storetest

import (
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/paulmach/orb"

	"github.com/leicester-csp/hotspot/geo"
)

// repeatFixture: council records linked to premises P1 at two points,
// two at pWest linked to none, one without location and one outside
// every ward (neither counts); a bid record at P2.
func repeatFixture() []*geo.Located {
	rec := func(src, id, when, cat string, p *orb.Point, cell uint64, premises, offender string, flags ...geo.Flag) *geo.Located {
		l := local(src, id, when, cat, p, cell, flags...)
		l.Premises, l.Offender = premises, offender
		return l
	}
	return []*geo.Located{
		rec("council", "a1", "2024-02-02 21:00", "Street drinking", pWest, 1, "P1", "aa", geo.StreetLifestyle),
		rec("council", "a2", "2024-02-09 21:00", "Begging", pWest, 1, "P1", "aa"),
		rec("council", "a3", "2024-03-01 10:00", "Begging", pEast, 2, "P1", "bb"),
		rec("council", "a4", "2024-03-02 22:00", "Begging", pWest, 1, "", "bb"),
		rec("council", "a5", "2024-03-03 10:00", "Begging", pWest, 1, "", ""),
		rec("council", "a6", "2024-03-04 10:00", "Begging", nil, 0, "P1", "aa"),
		rec("council", "a7", "2024-03-05 10:00", "Begging", pOut, 3, "P2", "aa"),
		rec("bid", "b1", "2024-02-05 12:00", "Shop theft", pEast, 2, "P2", "cc"),
	}
}

// testRepeats checks PlaceTallies and OffenderTallies against counts
// worked by hand from repeatFixture.
func testRepeats(t *testing.T, open Opener) {
	st, _ := loaded(t, open)
	rc, ok := st.(geo.RepeatCounter)
	if !ok {
		t.Fatalf("%T has no PlaceTallies", st)
	}
	mustImport(t, st, geo.ImportInput{Rows: rowsOf(repeatFixture())})
	mp := func(p *orb.Point, cell uint64, ward string) geo.MapPoint {
		return geo.MapPoint{Point: *p, Cells: cells(cell), Ward: ward}
	}
	west, east := mp(pWest, 1, "W2"), mp(pEast, 2, "W1")
	place := func(premises string, at geo.MapPoint, cats map[string]int) geo.PlaceTally {
		n := 0
		for _, c := range cats {
			n += c
		}
		return geo.PlaceTally{Premises: premises, PointTally: geo.PointTally{MapPoint: at, Count: n,
			Locations: map[string]int{"Clock Tower": n}, Categories: cats}}
	}
	month := func(s string) geo.Month { m, _ := geo.ParseMonth(s); return m }
	lifestyle := geo.Flags(0).With(geo.StreetLifestyle)
	cases := []struct {
		name      string
		f         geo.Filter
		places    []geo.PlaceTally
		offenders []geo.OffenderTally
	}{
		{"council", geo.Filter{Months: all(), Source: "council"},
			[]geo.PlaceTally{place("", west, map[string]int{"Begging": 2}), place("P1", west, map[string]int{"Street drinking": 1, "Begging": 1}), place("P1", east, map[string]int{"Begging": 1})},
			[]geo.OffenderTally{{Offender: "aa", Count: 2, First: month("2024-02"), Last: month("2024-02"), Premises: map[string]int{"P1": 2}},
				{Offender: "bb", Count: 2, First: month("2024-03"), Last: month("2024-03"), Premises: map[string]int{"P1": 1}}}},
		{"all sources, one flag", geo.Filter{Months: all(), Source: "all", Flags: lifestyle},
			[]geo.PlaceTally{place("P1", west, map[string]int{"Street drinking": 1})},
			[]geo.OffenderTally{{Offender: "aa", Count: 1, First: month("2024-02"), Last: month("2024-02"), Premises: map[string]int{"P1": 1}}}},
		{"all sources, one category", geo.Filter{Months: all(), Source: "all", Categories: []string{"Shop theft"}},
			[]geo.PlaceTally{place("P2", east, map[string]int{"Shop theft": 1})},
			[]geo.OffenderTally{{Offender: "cc", Count: 1, First: month("2024-02"), Last: month("2024-02"), Premises: map[string]int{"P2": 1}}}},
		{"one ward, march", geo.Filter{Months: mr("2024-03", "2024-03"), Source: "council", Wards: []string{"W2"}},
			[]geo.PlaceTally{place("", west, map[string]int{"Begging": 2})},
			[]geo.OffenderTally{{Offender: "bb", Count: 1, First: month("2024-03"), Last: month("2024-03")}}},
		{"police.uk has neither", geo.Filter{Months: all()}, nil, nil},
		{"unknown source", geo.Filter{Months: all(), Source: "nobody"}, nil, nil},
	}
	for _, c := range cases {
		places, err := rc.PlaceTallies(t.Context(), c.f)
		if err != nil || fmt.Sprint(places) != fmt.Sprint(c.places) || len(places) != len(c.places) {
			t.Errorf("%s: places %+v, %v; want %+v", c.name, places, err, c.places)
		}
		offenders, err := rc.OffenderTallies(t.Context(), c.f)
		slices.SortFunc(offenders, func(a, b geo.OffenderTally) int { return strings.Compare(a.Offender, b.Offender) })
		if err != nil || len(offenders) != len(c.offenders) || (len(offenders) > 0 && !reflect.DeepEqual(offenders, c.offenders)) {
			t.Errorf("%s: offenders %+v, %v; want %+v", c.name, offenders, err, c.offenders)
		}
	}
}
