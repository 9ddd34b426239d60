package embedded

import (
	"cmp"
	"context"
	"slices"

	"github.com/leicester-csp/hotspot/geo"
)

var _ geo.RepeatCounter = (*Store)(nil)

// PlaceTallies tallies the filter's counted local records per premises
// and point, in one pass over the partner records of its months.
func (s *Store) PlaceTallies(ctx context.Context, f geo.Filter) ([]geo.PlaceTally, error) {
	q := s.snap.Load().resolve(f)
	if q.part == nil {
		return nil, nil
	}
	sn := q.sn
	type key struct{ premises, pt uint32 }
	type tally struct {
		n          int
		locs, cats textCounts
	}
	byPlace := map[key]*tally{}
	err := q.eachPart(ctx, func(_ geo.Month, i uint32) {
		pt := sn.pt[i]
		if pt == 0 || !q.counted(pt-1) {
			return
		}
		k := key{sn.part[sn.ext[i]-1].premises, pt - 1}
		t := byPlace[k]
		if t == nil {
			t = &tally{}
			byPlace[k] = t
		}
		t.n++
		t.locs.add(sn.fields[fLocation][i])
		t.cats.add(sn.fields[fCategory][i])
	})
	if err != nil {
		return nil, err
	}
	out := make([]geo.PlaceTally, 0, len(byPlace))
	for k, t := range byPlace {
		out = append(out, geo.PlaceTally{Premises: sn.strs[k.premises], PointTally: geo.PointTally{
			MapPoint: sn.mapPoint(k.pt), Count: t.n, Locations: t.locs.texts(sn.strs), Categories: t.cats.texts(sn.strs)}})
	}
	slices.SortFunc(out, func(a, b geo.PlaceTally) int {
		return cmp.Or(cmpString(a.Premises, b.Premises), geo.ComparePoints(a.Point, b.Point))
	})
	return out, nil
}

// OffenderTallies tallies the filter's counted local records that name
// an offender, per pseudonym.
func (s *Store) OffenderTallies(ctx context.Context, f geo.Filter) ([]geo.OffenderTally, error) {
	q := s.snap.Load().resolve(f)
	if q.part == nil {
		return nil, nil
	}
	sn := q.sn
	type tally struct {
		n           int
		first, last geo.Month
		premises    textCounts
	}
	byOffender := map[uint32]*tally{}
	err := q.eachPart(ctx, func(m geo.Month, i uint32) {
		p := &sn.part[sn.ext[i]-1]
		if sn.strs[p.offender] == "" {
			return
		}
		if pt := sn.pt[i]; pt == 0 || !q.counted(pt-1) {
			return
		}
		t := byOffender[p.offender]
		if t == nil {
			t = &tally{first: m, last: m}
			byOffender[p.offender] = t
		}
		t.n++
		t.first, t.last = min(t.first, m), max(t.last, m)
		if sn.strs[p.premises] != "" {
			t.premises.add(p.premises)
		}
	})
	if err != nil {
		return nil, err
	}
	out := make([]geo.OffenderTally, 0, len(byOffender))
	for o, t := range byOffender {
		out = append(out, geo.OffenderTally{Offender: sn.strs[o], Count: t.n, First: t.first, Last: t.last, Premises: t.premises.texts(sn.strs)})
	}
	slices.SortFunc(out, func(a, b geo.OffenderTally) int { return cmpString(a.Offender, b.Offender) })
	return out, nil
}
