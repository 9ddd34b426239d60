package analysis

import (
	"context"
	"fmt"
	"strings"

	"github.com/leicester-csp/hotspot/geo"
)

// QuarterRow is one priority's or measure's figures for a quarter.
// Previous and LastYear are nil when that quarter starts before the data
// (not 0: nothing is known of it); their change_p too, and when both
// counts are 0.
type QuarterRow struct {
	ID, Name string
	Measure  bool // a measure of the priorities file, not a priority
	Goal     string
	Count    int
	Previous *int
	LastYear *int
	// ChangePPrevious and ChangePYear are the exact conditional binomial
	// tests of Count against Previous and LastYear.
	ChangePPrevious *float64
	ChangePYear     *float64
	// OffTrack: the count rose on last year against a reduce goal, with
	// ChangePYear ≤ OffTrackAlpha.
	OffTrack bool
}

// OffTrackAlpha is the level at which a rise on last year is off track.
const OffTrackAlpha = 0.05

// QuarterReport is the quarterly report: every priority (whose goal is
// to reduce), then every measure.
type QuarterReport struct {
	Quarter, PreviousQuarter, LastYearQuarter geo.Quarter
	Rows                                      []QuarterRow
	DataFrom, DataTo                          geo.Month
}

// Quarterly reports a quarter (nil: the latest complete quarter in the
// data). A quarter not wholly inside the data is a FieldError naming
// "quarter".
func (a *Analyzer) Quarterly(ctx context.Context, quarter *geo.Quarter) (*QuarterReport, error) {
	months, err := a.store.Months(ctx)
	if err != nil {
		return nil, err
	}
	if len(months) == 0 {
		return nil, invalid("quarter", "the data hold no months yet: import police.uk data first")
	}
	rep := &QuarterReport{DataFrom: months[0], DataTo: months[len(months)-1]}
	q, err := pickQuarter(quarter, rep.DataFrom, rep.DataTo)
	if err != nil {
		return nil, err
	}
	rep.Quarter, rep.PreviousQuarter, rep.LastYearQuarter = q, q-1, q-4
	wards, err := a.store.Areas(ctx, geo.KindWard)
	if err != nil {
		return nil, err
	}
	// A priority counts what it fixes (source, flags, days, hours), as
	// everywhere else. One fixed to a local source is left out for a
	// caller below analyst (source=all too): the public may not see it at
	// all, and the report's counts are not suppressed for a partner.
	vis, _ := VisibilityOf(ctx)
	var ms []geo.Measure
	var bases []geo.Filter
	nprio := 0
	for _, p := range a.priorities {
		if p.Source != "" && p.Source != geo.SourcePoliceUK && vis != SeeEverything {
			continue
		}
		base, err := priorityBase(p)
		if err != nil {
			return nil, err
		}
		ms = append(ms, geo.Measure{ID: p.ID, Name: p.Name, Categories: p.Categories, Area: p.Area, Goal: geo.GoalReduce})
		bases = append(bases, base)
		nprio++
	}
	ms = append(ms, a.measures...)
	for range a.measures {
		bases = append(bases, geo.Filter{})
	}
	rep.Rows = make([]QuarterRow, len(ms))
	// One series read a row; on PostGIS they overlap.
	jobs := make([]func(context.Context) error, len(ms))
	for i, m := range ms {
		jobs[i] = func(ctx context.Context) error {
			row, err := a.quarterRow(ctx, rep, m, bases[i], wards)
			row.Measure = i >= nprio
			rep.Rows[i] = row
			return err
		}
	}
	if err := parallel(ctx, jobs...); err != nil {
		return nil, err
	}
	return rep, nil
}

// pickQuarter checks a quarter against the data's months, or finds the
// latest one they hold wholly.
func pickQuarter(quarter *geo.Quarter, first, last geo.Month) (geo.Quarter, error) {
	if quarter != nil {
		m := quarter.Months()
		if m.From < first || m.To > last {
			return 0, invalid("quarter", "quarter %s is not wholly inside the data, which run from %s to %s", *quarter, first, last)
		}
		return *quarter, nil
	}
	q := geo.QuarterOf(last)
	if q.Months().To > last {
		q--
	}
	if q.Months().From < first {
		return 0, invalid("quarter", "the data (%s to %s) hold no complete quarter", first, last)
	}
	return q, nil
}

// quarterRow counts one selection over the quarter and its two
// comparison quarters with one monthly series.
func (a *Analyzer) quarterRow(ctx context.Context, rep *QuarterReport, m geo.Measure, base geo.Filter, wards []geo.Area) (QuarterRow, error) {
	row := QuarterRow{ID: m.ID, Name: m.Name, Goal: m.Goal}
	f := base
	f.Categories = m.Categories
	if len(m.Area) > 0 && len(wards) > 0 {
		codes, err := areaCodes(&geo.Priority{ID: m.ID, Area: m.Area}, wards)
		if err != nil {
			return row, err
		}
		f.Wards = codes
	}
	q := rep.Quarter.Months()
	f.Months = geo.MonthRange{From: rep.LastYearQuarter.Months().From, To: q.To}
	series, err := a.store.Series(ctx, f, geo.SeriesKey{})
	if err != nil {
		return row, fmt.Errorf("quarterly report, %s: %w", m.ID, err)
	}
	sum := func(mr geo.MonthRange) int {
		n := 0
		for mo := mr.From; mo <= mr.To; mo++ {
			n += series[mo]
		}
		return n
	}
	row.Count = sum(q)
	// A comparison quarter before the data, or before a local source
	// began, has no count (0 would be a rise from nothing).
	first := rep.DataFrom
	if f.Source != "" && f.Source != geo.SourcePoliceUK {
		if first, err = a.coveredFrom(ctx, f.Source, []geo.Month{rep.DataFrom, rep.DataTo}); err != nil {
			return row, err
		}
		if first == 0 {
			first = q.To + 1 // the source holds nothing: no comparison
		}
	}
	prev := briefChange(row.Count, rep.PreviousQuarter.Months(), sum, first)
	year := briefChange(row.Count, rep.LastYearQuarter.Months(), sum, first)
	row.Previous, row.ChangePPrevious = prev.Count, prev.ChangeP
	row.LastYear, row.ChangePYear = year.Count, year.ChangeP
	row.OffTrack = m.Goal == geo.GoalReduce && year.Count != nil && row.Count > *year.Count &&
		year.ChangeP != nil && *year.ChangeP <= OffTrackAlpha
	return row, nil
}

// priorityBase is the source, flags and local times a priority fixes, as
// a filter to count its report row with.
func priorityBase(p geo.Priority) (geo.Filter, error) {
	f := geo.Filter{Source: p.Source}
	var err error
	if len(p.Flags) > 0 {
		if f.Flags, err = ParseFlags(strings.Join(p.Flags, ",")); err != nil {
			return f, err
		}
	}
	if p.Days != "" {
		if f.Within.Days, err = ParseDays(p.Days); err != nil {
			return f, err
		}
	}
	if p.Hours != "" {
		if f.Within.Hours, f.Within.Shift, err = ParseHours(p.Hours); err != nil {
			return f, err
		}
	}
	return f, nil
}
