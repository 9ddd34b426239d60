package postgis

import (
	"testing"

	"github.com/leicester-csp/hotspot/internal/storetest"
)

// TestStoreBulk runs the shared suite's tests of what imports write with
// every write that may drop its table's indexes doing so (bulkWrite),
// however few rows it adds: the answers, the all-or-nothing imports and
// the re-imports that add nothing must be the same as with the indexes
// kept row by row.
func TestStoreBulk(t *testing.T) {
	testURL(t)
	old := bulkRows
	bulkRows = 1
	t.Cleanup(func() { bulkRows = old })
	storetest.RunWrites(t, opener)
}
