package analysis

import (
	"context"
	"strings"

	"github.com/leicester-csp/hotspot/geo"
)

// BriefLocal are a briefing's partner-record filters (DESIGN.md,
// "Partner records"), as given: empty strings for none.
type BriefLocal struct {
	Source, Flag, Days, Hours string
}

// in returns q with the filters set, so that every part of a brief
// counts the same records as its headline figure.
func (l BriefLocal) in(q Query) Query {
	q.Source, q.Flag, q.Days, q.Hours = l.Source, l.Flag, l.Days, l.Hours
	return q
}

// fixedBy returns the filters in force under priority p: those p fixes
// replace the request's (Resolve has already refused a different value).
func (l BriefLocal) fixedBy(p geo.Priority) BriefLocal {
	if p.Source != "" {
		l.Source = p.Source
	}
	if len(p.Flags) > 0 {
		l.Flag = strings.Join(p.Flags, ",")
	}
	if p.Days != "" {
		l.Days = p.Days
	}
	if p.Hours != "" {
		l.Hours = p.Hours
	}
	return l
}

// briefDayHour fills the ward's day × hour matrix over the brief's period
// when the brief counts a local source; the caller's suppression holds as
// on /api/v1/temporal.
func (a *Analyzer) briefDayHour(ctx context.Context, b *Brief, r *Resolved) error {
	if !r.Local() {
		return nil
	}
	q := b.Local.in(Query{Priority: b.Priority.ID, From: &b.Period.From, To: &b.Period.To})
	_, m, err := a.Temporal(ctx, q, geo.SeriesKey{Ward: b.Ward.Code})
	if err != nil {
		return err
	}
	b.DayHour = m
	return nil
}
