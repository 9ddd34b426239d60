package embedded

import (
	"context"
	"slices"

	"github.com/leicester-csp/hotspot/geo"
)

// MapPoints lists every stored map point, by longitude then latitude.
func (s *Store) MapPoints(ctx context.Context) ([]geo.MapPoint, error) {
	sn := s.snap.Load()
	out := make([]geo.MapPoint, len(sn.points))
	for i := range sn.points {
		out[i] = sn.mapPoint(uint32(i))
	}
	slices.SortFunc(out, func(a, b geo.MapPoint) int { return geo.ComparePoints(a.Point, b.Point) })
	return out, nil
}

func (sn *snapshot) mapPoint(pt uint32) geo.MapPoint {
	p := &sn.points[pt]
	mp := geo.MapPoint{Point: p.P, Cells: p.Cells}
	if p.Ward >= 0 && int(p.Ward) < sn.wards.Len() {
		mp.Ward = sn.wards.Area(int(p.Ward)).Code
	}
	return mp
}

// PointTallies tallies the counted incidents per map point. The
// aggregates hold no text, so this reads the incidents of the filter's
// months.
func (s *Store) PointTallies(ctx context.Context, f geo.Filter) ([]geo.PointTally, error) {
	q := s.snap.Load().resolve(f)
	sn := q.sn
	catOK := make(map[uint32]bool, len(q.cats))
	for _, c := range q.cats {
		catOK[c] = true
	}
	type tally struct {
		n         int
		locs, out map[uint32]int
	}
	byPoint := map[uint32]*tally{}
	for _, m := range q.months {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		for _, i := range sn.byMonth[m] {
			pt := sn.pt[i]
			if pt == 0 || !catOK[sn.fields[fCategory][i]] || !q.counted(pt-1) {
				continue
			}
			t := byPoint[pt-1]
			if t == nil {
				t = &tally{locs: map[uint32]int{}, out: map[uint32]int{}}
				byPoint[pt-1] = t
			}
			t.n++
			t.locs[sn.fields[fLocation][i]]++
			t.out[sn.fields[fOutcome][i]]++
		}
	}
	out := make([]geo.PointTally, 0, len(byPoint))
	for pt, t := range byPoint {
		out = append(out, geo.PointTally{MapPoint: sn.mapPoint(pt), Count: t.n, Locations: sn.texts(t.locs), Outcomes: sn.texts(t.out)})
	}
	slices.SortFunc(out, func(a, b geo.PointTally) int { return geo.ComparePoints(a.Point, b.Point) })
	return out, nil
}

// texts turns counts by interned string into counts by text.
func (sn *snapshot) texts(m map[uint32]int) map[string]int {
	out := make(map[string]int, len(m))
	for k, n := range m {
		out[sn.strs[k]] += n
	}
	return out
}
