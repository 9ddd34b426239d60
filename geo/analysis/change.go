package analysis

import (
	"context"
	"fmt"
	"math"

	"github.com/leicester-csp/hotspot/geo"
	"github.com/leicester-csp/hotspot/geo/stats"
)

// ChangeCell is one study-area cell's change against the base period.
type ChangeCell struct {
	Cell             geo.Cell
	Count, PrevCount int
	// ChangePct is nil where PrevCount is 0; ChangeP nil where both
	// counts are 0 or the base period is not wholly in the data.
	ChangePct *float64
	ChangeP   *float64
	// Bin is the FDR bin (−3…3) over every study-area cell with a
	// ChangeP, signed as the change.
	Bin int
}

// ChangeResult is the change layer for a query.
type ChangeResult struct {
	Query *Resolved
	// Previous is the base period; PreviousComplete says the data cover
	// all of it (otherwise no cell has a ChangeP).
	Previous         geo.MonthRange
	PreviousComplete bool
	Cells            []ChangeCell // every study-area cell, ascending by index
}

// Change compares each cell's count over the window with its count over
// the base period, over the window's study area (the hex layer's) and
// every cell the base period counted incidents in: a fall to none is a
// change too.
func (a *Analyzer) Change(ctx context.Context, q Query) (*ChangeResult, error) {
	r, err := a.Resolve(ctx, q)
	if err != nil {
		return nil, err
	}
	out := &ChangeResult{Query: r}
	if r.NoData {
		return out, nil
	}
	if out.Previous, out.PreviousComplete, err = a.base(ctx, r); err != nil {
		return nil, err
	}
	counts, err := a.store.CellCounts(ctx, r.Filter(), r.Res)
	if err != nil {
		return nil, err
	}
	pf := r.Filter()
	pf.Months = out.Previous
	prev, err := a.store.CellCounts(ctx, pf, r.Res)
	if err != nil {
		return nil, err
	}
	either := make(map[geo.Cell]int, len(counts)+len(prev))
	for c, n := range prev {
		either[c] += n
	}
	for c, n := range counts {
		either[c] += n
	}
	cells, err := a.studyCells(ctx, r, either)
	if err != nil {
		return nil, err
	}
	out.Cells = make([]ChangeCell, len(cells))
	ch := newChanges(len(cells), out.PreviousComplete)
	for i, c := range cells {
		cc := ChangeCell{Cell: c, Count: counts[c], PrevCount: prev[c]}
		cc.ChangePct = changePct(cc.Count, cc.PrevCount)
		ch.add(i, cc.Count, cc.PrevCount)
		out.Cells[i] = cc
	}
	for i := range out.Cells {
		out.Cells[i].ChangeP, out.Cells[i].Bin = ch.result(i)
	}
	return out, nil
}

// base is a query's base period and whether the comparison is sound: the
// months the query's sources hold cover the base period (it does not
// start before a source's first month) and the current period (it does
// not run past a local source's last month, as when a partner's export
// ends before police.uk's latest month: a current period of missing
// months would read as a fall everywhere).
func (a *Analyzer) base(ctx context.Context, r *Resolved) (geo.MonthRange, bool, error) {
	b := r.Base()
	months, err := a.store.Months(ctx)
	if err != nil {
		return b, false, err
	}
	if len(months) == 0 {
		return b, false, nil
	}
	span, err := a.covered(ctx, r.Source, months)
	return b, span.From != 0 && b.From >= span.From && r.Months.To <= span.To, err
}

// coveredFrom is the first month from which every source a query counts
// holds records (0: one holds none).
func (a *Analyzer) coveredFrom(ctx context.Context, source string, months []geo.Month) (geo.Month, error) {
	span, err := a.covered(ctx, source, months)
	return span.From, err
}

// covered is the months every source a query counts holds records in:
// from the latest first month to the earliest last month of its sources
// (From 0: one holds none). police.uk is taken to cover every stored
// month, as it did when they were imported.
func (a *Analyzer) covered(ctx context.Context, source string, months []geo.Month) (geo.MonthRange, error) {
	if len(months) == 0 {
		return geo.MonthRange{}, nil
	}
	span := geo.MonthRange{From: months[0], To: months[len(months)-1]}
	if source == "" || source == geo.SourcePoliceUK {
		return span, nil
	}
	srcs := []string{source}
	if source == geo.SourceAll {
		var err error
		if srcs, err = a.store.Sources(ctx); err != nil {
			return geo.MonthRange{}, err
		}
	}
	for _, src := range srcs {
		s, err := a.monthsOf(ctx, src, months[len(months)-1])
		if err != nil || s.From == 0 {
			return geo.MonthRange{}, err
		}
		span.From, span.To = max(span.From, s.From), min(span.To, s.To)
	}
	return span, nil
}

// monthsOf is the first and last month in which a local source holds a
// record (From 0: none up to last).
func (a *Analyzer) monthsOf(ctx context.Context, src string, last geo.Month) (geo.MonthRange, error) {
	f := geo.Filter{Source: src, Months: geo.MonthRange{From: geo.NewMonth(2010, 1), To: last}}
	series, err := a.store.Series(ctx, f, geo.SeriesKey{})
	if err != nil {
		return geo.MonthRange{}, fmt.Errorf("months of source %s: %w", src, err)
	}
	var span geo.MonthRange
	for m, n := range series {
		if n <= 0 {
			continue
		}
		if span.From == 0 || m < span.From {
			span.From = m
		}
		span.To = max(span.To, m)
	}
	return span, nil
}

func changePct(count, prev int) *float64 {
	if prev <= 0 {
		return nil
	}
	ch := float64(count-prev) * 100 / float64(prev)
	return &ch
}

// changes gathers the tests of a set of places (the wards, or the study
// area's cells) so that the FDR adjustment runs over all of them at once,
// before any bbox chooses which are shown.
type changes struct {
	complete bool
	p        []float64 // NaN: no test
	delta    []int
	bins     []int
}

func newChanges(n int, complete bool) *changes {
	return &changes{complete: complete, p: make([]float64, n), delta: make([]int, n)}
}

func (c *changes) add(i, count, prev int) {
	c.p[i], c.delta[i] = math.NaN(), count-prev
	if c.complete {
		c.p[i] = stats.ChangeP(count, prev)
	}
}

// result is place i's p-value (nil for none) and FDR bin.
func (c *changes) result(i int) (*float64, int) {
	if c.bins == nil {
		c.bins = stats.ChangeBins(c.p, c.delta)
	}
	if math.IsNaN(c.p[i]) {
		return nil, 0
	}
	p := c.p[i]
	return &p, c.bins[i]
}
