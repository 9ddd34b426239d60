package embedded

import (
	"cmp"
	"context"
	"slices"

	"github.com/leicester-csp/hotspot/geo"
)

var _ geo.RepeatCounter = (*Store)(nil)

// placeTally is one premises-and-point tally being counted.
type placeTally struct {
	premises, pt uint32
	n            int
	locs, cats   textCounts
}

// placeIndex finds a record's tally: unlinked records by their point,
// linked ones by their premises (one point nearly always; a premises
// seen at a second point goes to a map). Slices indexed by point and
// string beat a map keyed by both over a million records.
type placeIndex struct {
	byPoint    []int32 // point → tally + 1, unlinked records
	byPremises []int32 // premises string → tally + 1, at its first point
	more       map[[2]uint32]int32
	tallies    []placeTally
}

func (x *placeIndex) at(premises, pt uint32, linked bool) *placeTally {
	slot := &x.byPoint[pt]
	if linked {
		slot = &x.byPremises[premises]
		if *slot != 0 && x.tallies[*slot-1].pt != pt {
			if x.more == nil {
				x.more = map[[2]uint32]int32{}
			}
			k := [2]uint32{premises, pt}
			i, ok := x.more[k]
			if !ok {
				i = x.add(premises, pt)
				x.more[k] = i
			}
			return &x.tallies[i-1]
		}
	}
	if *slot == 0 {
		*slot = x.add(premises, pt)
	}
	return &x.tallies[*slot-1]
}

func (x *placeIndex) add(premises, pt uint32) int32 {
	x.tallies = append(x.tallies, placeTally{premises: premises, pt: pt})
	return int32(len(x.tallies))
}

// PlaceTallies tallies the filter's counted local records per premises
// and point, in one pass over the partner records of its months.
func (s *Store) PlaceTallies(ctx context.Context, f geo.Filter) ([]geo.PlaceTally, error) {
	q := s.snap.Load().resolve(f)
	if q.part == nil {
		return nil, nil
	}
	sn := q.sn
	x := &placeIndex{byPoint: make([]int32, len(sn.points)), byPremises: make([]int32, len(sn.strs))}
	err := q.eachPart(ctx, func(_ geo.Month, i uint32) {
		pt := sn.pt[i]
		if pt == 0 || !q.counted(pt-1) {
			return
		}
		prem := sn.part[sn.ext[i]-1].premises
		t := x.at(prem, pt-1, sn.strs[prem] != "")
		t.n++
		t.locs.add(sn.fields[fLocation][i])
		t.cats.add(sn.fields[fCategory][i])
	})
	if err != nil {
		return nil, err
	}
	out := make([]geo.PlaceTally, 0, len(x.tallies))
	for _, t := range x.tallies {
		out = append(out, geo.PlaceTally{Premises: sn.strs[t.premises], PointTally: geo.PointTally{
			MapPoint: sn.mapPoint(t.pt), Count: t.n, Locations: t.locs.texts(sn.strs), Categories: t.cats.texts(sn.strs)}})
	}
	slices.SortFunc(out, func(a, b geo.PlaceTally) int {
		return cmp.Or(cmpString(a.Premises, b.Premises), geo.ComparePoints(a.Point, b.Point))
	})
	return out, nil
}

// OffenderTallies tallies the filter's counted local records that name
// an offender, per pseudonym, in no order; tallies are found by the
// pseudonym's string index, as PlaceTallies finds premises.
func (s *Store) OffenderTallies(ctx context.Context, f geo.Filter) ([]geo.OffenderTally, error) {
	q := s.snap.Load().resolve(f)
	if q.part == nil {
		return nil, nil
	}
	sn := q.sn
	type tally struct {
		offender    uint32
		n           int
		first, last geo.Month
		premises    textCounts
	}
	var tallies []tally
	slot := make([]int32, len(sn.strs))
	err := q.eachPart(ctx, func(m geo.Month, i uint32) {
		p := &sn.part[sn.ext[i]-1]
		if sn.strs[p.offender] == "" {
			return
		}
		if pt := sn.pt[i]; pt == 0 || !q.counted(pt-1) {
			return
		}
		if slot[p.offender] == 0 {
			tallies = append(tallies, tally{offender: p.offender, first: m, last: m})
			slot[p.offender] = int32(len(tallies))
		}
		t := &tallies[slot[p.offender]-1]
		t.n++
		t.first, t.last = min(t.first, m), max(t.last, m)
		if sn.strs[p.premises] != "" {
			t.premises.add(p.premises)
		}
	})
	if err != nil {
		return nil, err
	}
	out := make([]geo.OffenderTally, 0, len(tallies))
	for _, t := range tallies {
		ot := geo.OffenderTally{Offender: sn.strs[t.offender], Count: t.n, First: t.first, Last: t.last}
		if len(t.premises) > 0 {
			ot.Premises = t.premises.texts(sn.strs)
		}
		out = append(out, ot)
	}
	return out, nil
}
