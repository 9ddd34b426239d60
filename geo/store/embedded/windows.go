package embedded

import (
	"context"
	"slices"

	"github.com/paulmach/orb"

	"github.com/leicester-csp/hotspot/geo"
)

var _ geo.WindowCounter = (*Store)(nil)

// PointWindowCounts counts the filter's incidents per point in two
// windows, from the aggregates (no incident is read).
func (s *Store) PointWindowCounts(ctx context.Context, f geo.Filter, before, after geo.MonthRange, near orb.Bound, ward string) ([]geo.PointPair, error) {
	f.Months = geo.MonthRange{From: min(before.From, after.From), To: max(before.To, after.To)}
	q := s.snap.Load().resolve(f)
	sn := q.sn
	// Point index → its place in out, or -2 when it is not wanted.
	at := make(map[uint32]int)
	var out []geo.PointPair
	err := q.each(ctx, func(m geo.Month, pt uint32, n uint32) {
		inB, inA := before.Contains(m), after.Contains(m)
		if !inB && !inA {
			return
		}
		i, seen := at[pt]
		if !seen {
			mp := sn.mapPoint(pt)
			i = -2
			if near.Contains(mp.Point) || (ward != "" && mp.Ward == ward) {
				i = len(out)
				out = append(out, geo.PointPair{Point: mp.Point, Ward: mp.Ward})
			}
			at[pt] = i
		}
		if i < 0 {
			return
		}
		if inB {
			out[i].Before += int(n)
		}
		if inA {
			out[i].After += int(n)
		}
	})
	if err != nil {
		return nil, err
	}
	slices.SortFunc(out, func(a, b geo.PointPair) int { return geo.ComparePoints(a.Point, b.Point) })
	return out, nil
}
