package embedded

import (
	"context"
	"slices"

	"github.com/leicester-csp/hotspot/geo"
)

// MapPoints lists every stored map point, by longitude then latitude.
func (s *Store) MapPoints(ctx context.Context) ([]geo.MapPoint, error) {
	sn := s.snap.Load()
	sn.sorted.once.Do(func() {
		// Points only partner records have are not police.uk's map points;
		// the aggregates (police.uk's alone) name the rest.
		uk := make([]bool, len(sn.points))
		for _, pcs := range sn.agg {
			for _, pc := range pcs {
				uk[pc.pt] = true
			}
		}
		var pts []geo.MapPoint
		for i := range sn.points {
			if uk[i] {
				pts = append(pts, sn.mapPoint(uint32(i)))
			}
		}
		slices.SortFunc(pts, func(a, b geo.MapPoint) int { return geo.ComparePoints(a.Point, b.Point) })
		sn.sorted.pts = pts
	})
	return slices.Clone(sn.sorted.pts), nil
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
	catOK := catSet(q.cats)
	// Few texts occur at one point (police.uk names most points by one
	// street), so short lists beat maps here.
	type tally struct {
		n               int
		locs, out, cats textCounts
	}
	byPoint := make([]*tally, len(sn.points))
	var counted []uint32
	add := func(i uint32) {
		pt := sn.pt[i]
		if c := sn.fields[fCategory][i]; pt == 0 || (sn.ext[i] == 0 && (int(c) >= len(catOK) || !catOK[c])) || !q.counted(pt-1) {
			return
		}
		t := byPoint[pt-1]
		if t == nil {
			t = &tally{}
			byPoint[pt-1] = t
			counted = append(counted, pt-1)
		}
		t.n++
		t.locs.add(sn.fields[fLocation][i])
		t.out.add(sn.fields[fOutcome][i])
		t.cats.add(sn.fields[fCategory][i])
	}
	// The rows are read straight from the month lists, not merged into
	// page order as monthRows does: a tally does not depend on the order
	// its rows come in, and the merge copied every selected row.
	for _, m := range q.pageMonths(false) {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		if q.uk {
			for _, i := range sn.byMonth[m] {
				add(i)
			}
		}
		if q.part != nil && slices.Contains(q.part.months, m) {
			for _, i := range sn.pByMonth[m] {
				if q.partOK(i) {
					add(i)
				}
			}
		}
	}
	// Sorting the point indices, not the answers: with a point per
	// partner record the answers' large structs made the sort a third of
	// the call. Stored points are distinct, so the order is the same.
	slices.SortFunc(counted, func(a, b uint32) int { return geo.ComparePoints(sn.points[a].P, sn.points[b].P) })
	out := make([]geo.PointTally, 0, len(counted))
	for _, pt := range counted {
		t := byPoint[pt]
		out = append(out, geo.PointTally{MapPoint: sn.mapPoint(pt), Count: t.n, Locations: t.locs.texts(sn.strs), Outcomes: t.out.texts(sn.strs), Categories: t.cats.texts(sn.strs)})
	}
	return out, nil
}

// catSet marks the wanted categories by string index: every row is
// tested, and indexing a slice costs a fraction of a map lookup.
func catSet(cats []uint32) []bool {
	n := 0
	for _, c := range cats {
		n = max(n, int(c)+1)
	}
	ok := make([]bool, n)
	for _, c := range cats {
		ok[c] = true
	}
	return ok
}

// textCounts counts interned strings in a short list.
type textCounts []struct{ s, n uint32 }

func (tc *textCounts) add(s uint32) {
	for i := range *tc {
		if (*tc)[i].s == s {
			(*tc)[i].n++
			return
		}
	}
	*tc = append(*tc, struct{ s, n uint32 }{s, 1})
}

// texts turns the counts into counts by text.
func (tc textCounts) texts(strs []string) map[string]int {
	out := make(map[string]int, len(tc))
	for _, c := range tc {
		out[strs[c.s]] += int(c.n)
	}
	return out
}
