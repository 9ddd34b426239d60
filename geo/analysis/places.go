package analysis

import (
	"cmp"
	"context"
	"slices"

	"github.com/leicester-csp/hotspot/geo"
	"github.com/leicester-csp/hotspot/geo/hex"
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

// RepeatLocation is a map point where counted incidents repeat.
type RepeatLocation struct {
	geo.MapPoint
	Count int
	// Location is the point's most frequent police.uk Location (ties by
	// byte order); TopOutcome likewise of its outcomes ("" for none
	// recorded).
	Location, TopOutcome string
	// Categories counts the point's incidents by category.
	Categories map[string]int
	// Premises is the register id local records of this place are
	// linked to ("" for a map point): RepeatLocations counts a linked
	// record at its premises, the rest at their exact point.
	// PremisesName and PremisesKind are the register's ("" when the id is
	// not in it).
	Premises, PremisesName, PremisesKind string
}

// RepeatResult is the repeat locations of a query, ranked.
type RepeatResult struct {
	Query *Resolved
	Min   int
	Rows  []RepeatLocation // by count (most first), then longitude, then latitude, then premises
	// Shown is the least count a row may have for the caller: min, or
	// for a partner asking for a local source at least --suppress-below
	// (a place with fewer records is left out, not shown without a
	// count: its presence alone would place them).
	Shown int
}

// Repeats lists every map point with at least min counted incidents
// (DESIGN.md, "Honest hot spots"): where crime repeats, which a hex layer
// spreads over cells.
func (a *Analyzer) Repeats(ctx context.Context, q Query, min int) (*RepeatResult, error) {
	if min < 1 {
		return nil, invalid("min", "min %d must be at least 1", min)
	}
	r, err := a.Resolve(ctx, q)
	if err != nil {
		return nil, err
	}
	out := &RepeatResult{Query: r, Min: min, Shown: min}
	if r.NoData {
		return out, nil
	}
	ts, err := a.store.PointTallies(ctx, r.Filter())
	if err != nil {
		return nil, err
	}
	for _, t := range ts {
		if t.Count >= min {
			out.Rows = append(out.Rows, RepeatLocation{MapPoint: t.MapPoint, Count: t.Count,
				Location: mostFrequent(t.Locations), TopOutcome: mostFrequent(t.Outcomes), Categories: t.Categories})
		}
	}
	slices.SortStableFunc(out.Rows, func(a, b RepeatLocation) int {
		return cmp.Or(cmp.Compare(b.Count, a.Count), geo.ComparePoints(a.Point, b.Point))
	})
	return out, nil
}

// OutcomeCount is how many counted incidents have one outcome.
type OutcomeCount struct {
	Outcome string // "No outcome recorded" for an empty one
	Count   int
	// Suppressed: a small count of a local source a partner may not see
	// (Count is then 0 and must not be shown).
	Suppressed bool
}

// NoOutcome names an incident without a recorded outcome.
const NoOutcome = "No outcome recorded"

// Outcomes counts the query's incidents by police.uk last outcome, for
// one cell, one ward or (zero key) the whole area, ranked by count, then
// name.
func (a *Analyzer) Outcomes(ctx context.Context, q Query, key geo.SeriesKey) (*Resolved, []OutcomeCount, error) {
	r, err := a.Resolve(ctx, q)
	if err != nil || r.NoData {
		return r, nil, err
	}
	ts, err := a.store.PointTallies(ctx, r.Filter())
	if err != nil {
		return nil, nil, err
	}
	byOutcome := map[string]int{}
	for _, t := range ts {
		switch {
		case key.Cell != 0 && t.Cells[hex.Res(key.Cell)-geo.MinRes] != key.Cell:
			continue
		case key.Ward != "" && t.Ward != key.Ward:
			continue
		}
		for o, n := range t.Outcomes {
			if o == "" {
				o = NoOutcome
			}
			byOutcome[o] += n
		}
	}
	below := smallShown(ctx, r.Filter())
	out := make([]OutcomeCount, 0, len(byOutcome))
	for o, n := range byOutcome {
		oc := OutcomeCount{Outcome: o, Count: n}
		oc.Suppressed = withheld(n, below)
		out = append(out, oc)
	}
	withholdOutcomes(out)
	slices.SortFunc(out, func(a, b OutcomeCount) int {
		return cmp.Or(cmp.Compare(b.Count, a.Count), cmp.Compare(a.Outcome, b.Outcome))
	})
	return r, out, nil
}

// withholdOutcomes zeroes the suppressed counts and, since the outcomes sum
// to the place's count (shown elsewhere), withholds the smallest shown one
// too when only one is withheld. Zeroing comes before the sort, so the
// order says nothing of a withheld count.
func withholdOutcomes(out []OutcomeCount) {
	hidden, next := 0, -1
	for i, oc := range out {
		switch {
		case oc.Suppressed:
			hidden++
		case next < 0 || oc.Count < out[next].Count || (oc.Count == out[next].Count && oc.Outcome > out[next].Outcome):
			next = i
		}
	}
	if hidden == 1 && next >= 0 {
		out[next].Suppressed = true
	}
	for i := range out {
		if out[i].Suppressed {
			out[i].Count = 0
		}
	}
}
