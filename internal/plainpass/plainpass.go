// Package plainpass marks the tests that .ci/test runs once without the
// race detector instead of under it: tests whose cost is data (the
// shared police.uk months, large generated samples) and whose code runs
// on one goroutine, so that the race detector multiplies their time five
// to ten times and can find nothing in them. The race pass skips them;
// the plain pass selects them by name.
package plainpass

import (
	"os"
	"regexp"
	"strings"
	"testing"
)

// Env is set to 1 in .ci/test's race pass, which then skips the marked
// tests.
const Env = "HOTSPOT_PLAIN_PASS_TESTS_SKIPPED"

// Names is what .ci/test's plain pass gives `go test -run`: a marked
// test's name must match it, or the test would run in neither pass.
var Names = regexp.MustCompile(`Shared|Heavy`)

// Only marks tb's test as one for the plain pass (see the package
// comment). A test whose name does not match Names fails here.
func Only(tb testing.TB) {
	tb.Helper()
	name, _, _ := strings.Cut(tb.Name(), "/")
	if !Names.MatchString(name) {
		tb.Fatalf("%s runs in .ci/test's plain pass but its name does not match %q: go test -run would never select it there", name, Names)
	}
	if raceDetector && os.Getenv(Env) == "1" {
		tb.Skipf("run in .ci/test's pass without the race detector (%s=1)", Env)
	}
}
