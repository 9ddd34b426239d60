package shareddata

import (
	"testing"

	"github.com/leicester-csp/hotspot/internal/plainpass"
)

// ReadsMonths marks a test that loads the shared police.uk months (some
// 200,000 rows) as one for .ci/test's pass without the race detector
// (plainpass.Only: its name must carry "Shared") and returns the shared
// data folder, as Dir does.
func ReadsMonths(tb testing.TB) string {
	tb.Helper()
	plainpass.Only(tb)
	return Dir(tb)
}
