// Package storetest is the behavioural suite every geo.Store must pass.
// The embedded and PostGIS stores both run it, so "the same behaviour, one
// implementation" is checked rather than hoped for.
package storetest

import (
	"testing"

	"github.com/leicester-csp/hotspot/geo"
)

// Opener opens a fresh, empty store for one test. Reopen opens the same
// data again as a new instance (another process, a restart).
type Opener func(t *testing.T) (st geo.Store, reopen func() geo.Store)

// Run runs the whole suite. Each test opens a store of its own (a fresh
// folder, a fresh PostgreSQL schema), so they run two at a time: on
// PostGIS most of a test is the database's work (a schema's migrations,
// their commits), which the other test's Go work overlaps.
func Run(t *testing.T, open Opener) { run(t, open, false) }

// RunWrites runs the tests that check what an import writes: counts,
// cells, partner records, re-imports that add nothing, failed imports
// that leave the store as it was, readers during an import, boundaries
// after incidents. A store with a second way of writing (PostGIS's
// bulk path) runs them on it.
func RunWrites(t *testing.T, open Opener) {
	run(t, open, true)
}

// run runs the suite, or with writesOnly the tests RunWrites names.
func run(t *testing.T, open Opener, writesOnly bool) {
	const writes = true
	for _, c := range []struct {
		name   string
		test   func(*testing.T, Opener)
		writes bool
	}{
		{"Empty", testEmpty, false},
		{"CountsByCellAndWard", testCounts, writes},
		{"CountsByCellAndMonth", testCellMonths, false},
		{"ReimportAddsNothing", testReimport, writes},
		{"FailedImportLeavesStore", testAtomic, writes},
		{"Rejects", testRejects, false},
		{"BoundariesAfterIncidents", testReassign, writes},
		{"IncidentPages", testPages, false},
		{"KeysetPages", testKeysetPages, false},
		{"Series", testSeries, false},
		{"MapPointsAndTallies", testPoints, false},
		{"CellTallies", testCellTallies, writes},
		{"Reopen", testReopen, false},
		{"ReadersSeeWholeImports", testWholeImports, writes},
		{"PartnerRecords", testPartner, writes},
		{"PartnerImportAtomic", testPartnerAtomic, writes},
		{"PartnerReusedRows", testPartnerReusedRows, writes},
		{"KeysAndAudit", testKeyring, false},
		{"TargetAreas", testTargetAreas, false},
		{"PointWindowCounts", testWindowCounts, false},
		{"DayHourCounts", testDayHours, writes},
		{"RepeatTallies", testRepeats, false},
		{"SourceInfos", testSourceInfos, false},
		{"PublicVersion", testPublicVersion, writes},
	} {
		if writesOnly && !c.writes {
			continue
		}
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			c.test(t, open)
		})
	}
}
