package analysis

import (
	"context"
	"slices"

	"github.com/leicester-csp/hotspot/geo"
)

// cellTallies sums point tallies into counts per cell at res and names
// each cell by its most frequent location.
func cellTallies(ts []geo.PointTally, res int) (map[geo.Cell]int, map[geo.Cell]string) {
	counts := map[geo.Cell]int{}
	locs := map[geo.Cell]map[string]int{}
	r := res - geo.MinRes
	for _, t := range ts {
		c := t.Cells[r]
		counts[c] += t.Count
		m := locs[c]
		if m == nil {
			m = map[string]int{}
			locs[c] = m
		}
		for l, n := range t.Locations {
			m[l] += n
		}
	}
	tops := make(map[geo.Cell]string, len(locs))
	for c, m := range locs {
		tops[c] = mostFrequent(m)
	}
	return counts, tops
}

// mostFrequent returns the text with the largest count, the byte-wise
// first of equals; "" for none.
func mostFrequent(m map[string]int) string {
	best, bestN := "", 0
	for s, n := range m {
		if n > bestN || (n == bestN && s < best) {
			best, bestN = s, n
		}
	}
	return best
}

// pointCells are the cells at the query's resolution holding a stored map
// point inside its area (any category, any month): where police.uk can
// record a crime.
func (a *Analyzer) pointCells(ctx context.Context, r *Resolved) ([]geo.Cell, error) {
	pts, err := a.store.MapPoints(ctx)
	if err != nil {
		return nil, err
	}
	wards, err := a.store.Areas(ctx, geo.KindWard)
	if err != nil {
		return nil, err
	}
	var out []geo.Cell
	for _, p := range pts {
		switch {
		case len(wards) > 0 && p.Ward == "":
			continue // outside the city
		case len(r.AreaWards) > 0 && !slices.Contains(r.AreaWards, p.Ward):
			continue
		}
		out = append(out, p.Cells[r.Res-geo.MinRes])
	}
	return out, nil
}
