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
func Run(t *testing.T, open Opener) { run(t, open, nil) }

// RunWrites runs the tests that check what an import writes: counts,
// cells, partner records, re-imports that add nothing, failed imports
// that leave the store as it was, readers during an import, boundaries
// after incidents. A store with a second way of writing (PostGIS's
// bulk path) runs them on it.
func RunWrites(t *testing.T, open Opener) {
	run(t, open, map[string]bool{"CountsByCellAndWard": true, "ReimportAddsNothing": true, "FailedImportLeavesStore": true,
		"BoundariesAfterIncidents": true, "CellTallies": true, "ReadersSeeWholeImports": true, "PartnerRecords": true, "PartnerImportAtomic": true})
}

func run(t *testing.T, open Opener, only map[string]bool) {
	for _, c := range []struct {
		name string
		test func(*testing.T, Opener)
	}{
		{"Empty", testEmpty},
		{"CountsByCellAndWard", testCounts},
		{"CountsByCellAndMonth", testCellMonths},
		{"ReimportAddsNothing", testReimport},
		{"FailedImportLeavesStore", testAtomic},
		{"Rejects", testRejects},
		{"BoundariesAfterIncidents", testReassign},
		{"IncidentPages", testPages},
		{"KeysetPages", testKeysetPages},
		{"Series", testSeries},
		{"MapPointsAndTallies", testPoints},
		{"CellTallies", testCellTallies},
		{"Reopen", testReopen},
		{"ReadersSeeWholeImports", testWholeImports},
		{"PartnerRecords", testPartner},
		{"PartnerImportAtomic", testPartnerAtomic},
		{"KeysAndAudit", testKeyring},
		{"TargetAreas", testTargetAreas},
		{"PointWindowCounts", testWindowCounts},
		{"DayHourCounts", testDayHours},
		{"RepeatTallies", testRepeats},
		{"SourceInfos", testSourceInfos},
	} {
		if only != nil && !only[c.name] {
			continue
		}
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			c.test(t, open)
		})
	}
}
