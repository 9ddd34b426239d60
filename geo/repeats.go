package geo

import "context"

// PlaceTally is what a filter's counted local records say about one
// place and point: the premises they are linked to ("" for none) and the
// map point they were recorded at. Records at one premises may carry
// more than one point; each is a tally of its own.
type PlaceTally struct {
	PointTally
	Premises string
}

// OffenderTally is what a filter's counted local records say about one
// offender pseudonym: how many, in which months, at which premises.
type OffenderTally struct {
	Offender    string
	Count       int
	First, Last Month
	// Premises counts the offender's records by linked premises id;
	// records linked to none are left out (nil when none is linked).
	Premises map[string]int
}

// RepeatCounter is an optional Store method set, for the repeat lists
// (DESIGN.md, "Partner records"): local records counted as the counting
// methods count (inside the area; police.uk incidents never, as they
// carry no premises or offender). Optional, as TemporalCounter is, so
// that a store without partner records need not answer; one that cannot
// returns errors.ErrUnsupported.
type RepeatCounter interface {
	// PlaceTallies tallies the filter's local records per premises and
	// point, by premises then longitude then latitude.
	PlaceTallies(ctx context.Context, f Filter) ([]PlaceTally, error)
	// OffenderTallies tallies the filter's local records that name an
	// offender, per pseudonym, in no order: the analysis ranks them, and
	// sorting tens of thousands of pseudonyms here too would be paid
	// twice.
	OffenderTallies(ctx context.Context, f Filter) ([]OffenderTally, error)
}
