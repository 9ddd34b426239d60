package geo

import "context"

// DayHourCounts counts partner records by local (Europe/London) weekday,
// Monday = 0, and hour.
type DayHourCounts [7][24]int

// TemporalCounter is an optional Store method, for the day × hour matrix:
// the filter's local records inside the area (as Series counts them, for
// one cell, one ward or the whole area) by their local weekday and hour
// (calendar day: Within's night shift decides only which records pass).
// police.uk incidents have no time of day and never count. It is optional
// so that a store without partner records need not answer; one that
// cannot returns errors.ErrUnsupported.
type TemporalCounter interface {
	DayHourCounts(ctx context.Context, f Filter, key SeriesKey) (DayHourCounts, error)
}
