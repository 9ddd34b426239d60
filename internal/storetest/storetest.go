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

// Run runs the whole suite.
func Run(t *testing.T, open Opener) {
	t.Run("Empty", func(t *testing.T) { testEmpty(t, open) })
	t.Run("CountsByCellAndWard", func(t *testing.T) { testCounts(t, open) })
	t.Run("CountsByCellAndMonth", func(t *testing.T) { testCellMonths(t, open) })
	t.Run("ReimportAddsNothing", func(t *testing.T) { testReimport(t, open) })
	t.Run("FailedImportLeavesStore", func(t *testing.T) { testAtomic(t, open) })
	t.Run("Rejects", func(t *testing.T) { testRejects(t, open) })
	t.Run("BoundariesAfterIncidents", func(t *testing.T) { testReassign(t, open) })
	t.Run("IncidentPages", func(t *testing.T) { testPages(t, open) })
	t.Run("KeysetPages", func(t *testing.T) { testKeysetPages(t, open) })
	t.Run("Series", func(t *testing.T) { testSeries(t, open) })
	t.Run("MapPointsAndTallies", func(t *testing.T) { testPoints(t, open) })
	t.Run("CellTallies", func(t *testing.T) { testCellTallies(t, open) })
	t.Run("Reopen", func(t *testing.T) { testReopen(t, open) })
	t.Run("ReadersSeeWholeImports", func(t *testing.T) { testWholeImports(t, open) })
	t.Run("PartnerRecords", func(t *testing.T) { testPartner(t, open) })
	t.Run("PartnerImportAtomic", func(t *testing.T) { testPartnerAtomic(t, open) })
	t.Run("KeysAndAudit", func(t *testing.T) { testKeyring(t, open) })
	t.Run("TargetAreas", func(t *testing.T) { testTargetAreas(t, open) })
	t.Run("PointWindowCounts", func(t *testing.T) { testWindowCounts(t, open) })
	t.Run("DayHourCounts", func(t *testing.T) { testDayHours(t, open) })
	t.Run("RepeatTallies", func(t *testing.T) { testRepeats(t, open) })
	t.Run("SourceInfos", func(t *testing.T) { testSourceInfos(t, open) })
}
