package embedded

import (
	"context"
	"fmt"

	"github.com/leicester-csp/hotspot/geo"
)

// CellTallies counts the filter's incidents per cell at res with each
// cell's most frequent Location: PointTallies' rule, summed by cell
// without a tally per point.
func (s *Store) CellTallies(ctx context.Context, f geo.Filter, res int) ([]geo.CellTally, error) {
	if res < geo.MinRes || res > geo.MaxRes {
		return nil, fmt.Errorf("%w: resolution %d", geo.ErrInvalid, res)
	}
	sn := s.snap.Load()
	q := sn.resolve(f)
	cellOf, cells := sn.cellsAt(res - geo.MinRes)
	acc := cellAcc{counts: make([]uint32, len(cells)), locs: map[uint64]uint32{}}
	inArea := q.inArea()
	if q.uk {
		catOK := catSet(q.cats)
		for _, m := range q.months {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
			for _, i := range sn.byMonth[m] {
				pt, c := sn.pt[i], sn.fields[fCategory][i]
				if pt != 0 && int(c) < len(catOK) && catOK[c] && inArea(pt-1) {
					acc.add(cellOf[pt-1], sn.fields[fLocation][i])
				}
			}
		}
	}
	if q.part != nil {
		if err := q.partCells(ctx, inArea, func(pt, loc uint32) { acc.add(cellOf[pt], loc) }); err != nil {
			return nil, err
		}
	}
	return acc.tallies(cells, sn.strs), nil
}

// inArea is counted over the derived ward column, which a scan of many
// records reads far more cheaply than the points themselves.
func (q *query) inArea() func(pt uint32) bool {
	if q.inWard == nil {
		return func(uint32) bool { return true }
	}
	wards, in := q.sn.pointWards(), q.inWard
	return func(pt uint32) bool {
		w := wards[pt]
		return w >= 0 && in[w]
	}
}

// partCells calls fn with the point index and Location of every located
// partner record the query counts.
func (q *query) partCells(ctx context.Context, inArea func(uint32) bool, fn func(pt, loc uint32)) error {
	sn := q.sn
	pi := sn.partIdx()
	if pi == nil {
		return q.eachPart(ctx, func(_ geo.Month, i uint32) {
			if pt := sn.pt[i]; pt != 0 && inArea(pt-1) {
				fn(pt-1, sn.fields[fLocation][i])
			}
		})
	}
	af, ok := newAttrFilter(q.part, pi)
	if !ok {
		return nil
	}
	for _, m := range q.part.months {
		if err := ctx.Err(); err != nil {
			return err
		}
		pm := pi.months[m]
		for _, g := range af.groups {
			from, to := pm.from[g], pm.from[g+1]
			for k, a := range pm.attrs[from:to] {
				if !af.pass(a) {
					continue
				}
				sp := pm.spot[int(from)+k]
				if pt := uint32(sp >> 32); pt != 0 && inArea(pt-1) {
					fn(pt-1, uint32(sp))
				}
			}
		}
	}
	return nil
}

// cellAcc gathers counts and Location counts by cell number.
type cellAcc struct {
	counts []uint32
	locs   map[uint64]uint32 // cell number << 32 | Location's strs index
}

func (a *cellAcc) add(cell, loc uint32) {
	a.counts[cell]++
	a.locs[uint64(cell)<<32|uint64(loc)]++
}

// tallies are the cells with counts, in cell order, each with its most
// frequent Location (ties to the byte-wise first).
func (a *cellAcc) tallies(cells []geo.Cell, strs []string) []geo.CellTally {
	type top struct{ loc, n uint32 }
	best := make([]top, len(cells))
	for k, n := range a.locs {
		b, loc := &best[k>>32], uint32(k)
		if n > b.n || (n == b.n && strs[loc] < strs[b.loc]) {
			b.loc, b.n = loc, n
		}
	}
	var out []geo.CellTally
	for c, n := range a.counts {
		if n > 0 {
			out = append(out, geo.CellTally{Cell: cells[c], Count: int(n), TopLocation: strs[best[c].loc]})
		}
	}
	return out
}
