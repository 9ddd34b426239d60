package storetest

import (
	"fmt"
	"testing"

	"github.com/paulmach/orb"

	"github.com/leicester-csp/hotspot/geo"
)

// testWindowCounts checks PointWindowCounts (evaluations' read) against
// PointTallies of each window, with the same points kept: those in the
// bound or assigned to the ward.
func testWindowCounts(t *testing.T, open Opener) {
	st, _ := loaded(t, open)
	wc, ok := st.(geo.WindowCounter)
	if !ok {
		t.Fatalf("%T has no PointWindowCounts", st)
	}
	ctx := t.Context()
	before, after := mr("2024-01", "2024-01"), mr("2024-02", "2024-03")
	world := orb.Bound{Min: orb.Point{-180, -90}, Max: orb.Point{180, 90}}
	nearWest := orb.Bound{Min: *pWest, Max: *pWest}
	cases := []struct {
		name string
		f    geo.Filter
		near orb.Bound
		ward string
	}{
		{"everything", geo.Filter{}, world, ""},
		{"violence in W1", geo.Filter{Categories: []string{"Violence and sexual offences"}, Wards: []string{"W1"}}, world, ""},
		{"one point's bound and ward W1", geo.Filter{}, nearWest, "W1"},
		{"nothing near, no ward", geo.Filter{}, orb.Bound{Min: orb.Point{5, 5}, Max: orb.Point{6, 6}}, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := wc.PointWindowCounts(ctx, c.f, before, after, c.near, c.ward)
			if err != nil {
				t.Fatal(err)
			}
			want := map[orb.Point][2]int{}
			for i, w := range []geo.MonthRange{before, after} {
				f := c.f
				f.Months = w
				tallies, err := st.PointTallies(ctx, f)
				if err != nil {
					t.Fatal(err)
				}
				for _, tl := range tallies {
					if c.near.Contains(tl.Point) || (c.ward != "" && tl.Ward == c.ward) {
						v := want[tl.Point]
						v[i] = tl.Count
						want[tl.Point] = v
					}
				}
			}
			gotm := map[orb.Point][2]int{}
			for i, p := range got {
				gotm[p.Point] = [2]int{p.Before, p.After}
				if i > 0 && geo.ComparePoints(got[i-1].Point, p.Point) >= 0 {
					t.Errorf("not ordered by longitude then latitude at %d", i)
				}
			}
			if fmt.Sprint(gotm) != fmt.Sprint(want) {
				t.Errorf("window counts = %v; want (from point tallies) %v", gotm, want)
			}
		})
	}
}
