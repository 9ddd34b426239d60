package analysis

import (
	"context"
	"errors"
	"fmt"

	"github.com/leicester-csp/hotspot/geo"
	"github.com/leicester-csp/hotspot/geo/hex"
)

// DayHour is the day × hour matrix of a query's local records: counts by
// local weekday (Monday first) and hour. A count a partner caller may not
// see is 0 with its Suppressed cell true.
type DayHour struct {
	Counts     geo.DayHourCounts
	Suppressed [7][24]bool
	// Below is the smallest count shown when counts were withheld from
	// 1 to Below−1 (0: none were to be), for the words that explain them.
	Below int
}

// Temporal counts the query's local records in one cell, one ward or the
// whole area by local weekday and hour. police.uk records carry a month
// only, so a query that resolves to police.uk (the default source, or
// source=all for a public caller) is a 400 naming source; source=all
// counts every local source.
func (a *Analyzer) Temporal(ctx context.Context, q Query, key geo.SeriesKey) (*Resolved, *DayHour, error) {
	r, err := a.Resolve(ctx, q)
	if err != nil {
		return nil, nil, err
	}
	if !r.Local() {
		return nil, nil, invalid("source", "police.uk records have no time of day; choose a local source (source=NAME, or source=all for every local source)")
	}
	out := &DayHour{}
	if r.NoData {
		return r, out, nil
	}
	tc, ok := a.store.(geo.TemporalCounter)
	if !ok {
		return nil, nil, fmt.Errorf("day × hour counts: %w", errors.ErrUnsupported)
	}
	if key.Cell != 0 {
		key.Res = hex.Res(key.Cell)
	}
	if out.Counts, err = tc.DayHourCounts(ctx, r.Filter(), key); err != nil {
		return nil, nil, err
	}
	out.suppress(smallShown(ctx, r.Filter()))
	return r, out, nil
}

// suppress withholds counts from 1 to below−1 and, as Series does, the
// next-smallest shown count when exactly one is withheld: the matrix's
// total is the area's count for the period, shown elsewhere, so one
// withheld cell alone would come back by subtraction.
func (m *DayHour) suppress(below int) {
	if below <= 0 {
		return
	}
	m.Below = below
	hidden, nd, nh := 0, -1, -1
	for d := range m.Counts {
		for h, n := range m.Counts[d] {
			switch {
			case withheld(n, below):
				m.Counts[d][h], m.Suppressed[d][h] = 0, true
				hidden++
			case n > 0 && (nd < 0 || n < m.Counts[nd][nh]):
				nd, nh = d, h
			}
		}
	}
	if hidden == 1 && nd >= 0 {
		m.Counts[nd][nh], m.Suppressed[nd][nh] = 0, true
	}
}
