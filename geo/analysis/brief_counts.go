package analysis

import (
	"cmp"
	"context"
	"fmt"
	"slices"

	"github.com/leicester-csp/hotspot/geo"
	"github.com/leicester-csp/hotspot/geo/stats"
)

// briefCounts fills the ward's count, its 12-month trend, the changes on
// the previous period and on last year, and the crime types, from one
// monthly series and one tally.
func (a *Analyzer) briefCounts(ctx context.Context, b *Brief, r *Resolved) error {
	trend := geo.MonthRange{From: b.Period.To - BriefTrendMonths + 1, To: b.Period.To}
	prev := b.Period.Previous()
	year := geo.MonthRange{From: b.Period.From - 12, To: b.Period.To - 12}
	f := r.Filter()
	f.Months = geo.MonthRange{From: min(trend.From, prev.From, year.From), To: b.Period.To}
	series, err := a.store.Series(ctx, f, geo.SeriesKey{Ward: b.Ward.Code})
	if err != nil {
		return err
	}
	sum := func(mr geo.MonthRange) int {
		n := 0
		for m := mr.From; m <= mr.To; m++ {
			n += series[m]
		}
		return n
	}
	b.Count = sum(b.Period)
	for _, m := range trend.Months() {
		b.Trend = append(b.Trend, MonthCount{Month: m, Count: series[m]})
	}
	b.Previous = briefChange(b.Count, prev, sum, b.DataFrom)
	b.Year = briefChange(b.Count, year, sum, b.DataFrom)
	tallies, err := a.store.PointTallies(ctx, r.Filter())
	if err != nil {
		return err
	}
	types := map[string]int{}
	for _, t := range tallies {
		for c, n := range t.Categories {
			types[c] += n
		}
	}
	for c, n := range types {
		b.Types = append(b.Types, CategoryCount{Category: c, Count: n})
	}
	slices.SortFunc(b.Types, func(x, y CategoryCount) int {
		return cmp.Or(cmp.Compare(y.Count, x.Count), cmp.Compare(x.Category, y.Category))
	})
	return nil
}

// briefChange is count against a base period, which must lie wholly in
// the data: a base starting before the first month would count only part
// of it and overstate any rise.
func briefChange(count int, base geo.MonthRange, sum func(geo.MonthRange) int, first geo.Month) BriefChange {
	out := BriefChange{Period: base}
	if base.From < first {
		return out
	}
	prev := sum(base)
	out.Count = &prev
	out.ChangePct = changePct(count, prev)
	ch := newChanges(1, true)
	ch.add(0, count, prev)
	out.ChangeP, _ = ch.result(0)
	return out
}

// briefEmerging counts the ward's cells by emerging pattern over the
// trend's 12 months, or the months of it the data hold if at least
// MinEmergingMonths: the briefing's own window is usually too short for
// the test.
func (a *Analyzer) briefEmerging(ctx context.Context, b *Brief) error {
	e := &b.Emerging
	e.Period = geo.MonthRange{From: max(b.Period.To-BriefTrendMonths+1, b.DataFrom), To: b.Period.To}
	if e.Period.Len() < MinEmergingMonths {
		e.Note = fmt.Sprintf("Emerging patterns need at least %d months of data up to the briefing month; the data hold %d.", MinEmergingMonths, e.Period.Len())
		return nil
	}
	res, err := a.Emerging(ctx, b.Local.in(Query{Priority: b.Priority.ID, From: &e.Period.From, To: &e.Period.To, Res: BriefRes, K: BriefK}))
	if err != nil {
		return err
	}
	byPattern := map[string]int{}
	inWard := centredIn(b.Ward.Geometry)
	for _, c := range res.Cells {
		if inWard(c.Cell) {
			byPattern[c.Pattern]++
		}
	}
	e.Available = true
	for _, p := range stats.Patterns() {
		if byPattern[p] > 0 {
			e.Patterns = append(e.Patterns, PatternCount{Pattern: p, Cells: byPattern[p]})
		}
	}
	return nil
}
