package shareddata

import (
	"os"
	"strings"
	"testing"
)

// WithoutRaceEnv names the environment variable with which .ci/test's
// pass under the race detector leaves the tests that load the shared
// police.uk months to its second pass, which runs them without it.
const WithoutRaceEnv = "HOTSPOT_SHARED_MONTHS_WITHOUT_RACE"

// ReadsMonths marks a test that loads the shared police.uk months (some
// 200,000 rows) and returns the shared data folder, as Dir does. Such a
// test exercises the same code as the small fixtures do, over real
// data: under the race detector it costs five to ten times its plain
// run and finds nothing the fixtures' runs would not, and it made the
// suite overrun its five minutes. So with WithoutRaceEnv set, a race
// build skips it, and .ci/test runs every test named …Shared… again in
// a plain build. A test that calls this must therefore carry "Shared"
// in its name, or it would run in neither pass: that is a failure here.
func ReadsMonths(tb testing.TB) string {
	tb.Helper()
	name, _, _ := strings.Cut(tb.Name(), "/")
	if !strings.Contains(name, "Shared") {
		tb.Fatalf("%s loads the shared months but its name lacks \"Shared\": .ci/test's plain pass (go test -run Shared) would never run it", name)
	}
	if raceDetector && os.Getenv(WithoutRaceEnv) == "1" {
		tb.Skipf("the shared months run in .ci/test's pass without the race detector (%s=1)", WithoutRaceEnv)
	}
	return Dir(tb)
}
