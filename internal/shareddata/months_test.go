package shareddata

import (
	"os"
	"os/exec"
	"strings"
	"testing"
)

const childEnv = "HOTSPOT_SHAREDDATA_CHILD"

// TestChildWithoutTheWord and TestChildShared run only as children of
// TestReadsMonths, in a process of their own.
func TestChildWithoutTheWord(t *testing.T) {
	if os.Getenv(childEnv) != "1" {
		t.Skip("run by TestReadsMonths")
	}
	ReadsMonths(t)
}

func TestChildShared(t *testing.T) {
	if os.Getenv(childEnv) != "1" {
		t.Skip("run by TestReadsMonths")
	}
	ReadsMonths(t)
}

// TestReadsMonths checks the guard that keeps a test from falling
// between .ci/test's two passes, and the race pass's skip.
func TestReadsMonths(t *testing.T) {
	run := func(test string, env ...string) (string, error) {
		cmd := exec.Command(os.Args[0], "-test.run", "^"+test+"$", "-test.v")
		cmd.Env = append(append(os.Environ(), childEnv+"=1", "HOTSPOT_SHARED_DATA="+t.TempDir()), env...)
		out, err := cmd.CombinedOutput()
		return string(out), err
	}
	out, err := run("TestChildWithoutTheWord")
	if err == nil || !strings.Contains(out, `name lacks "Shared"`) {
		t.Errorf("a months test without Shared in its name: err %v, output\n%s", err, out)
	}
	out, err = run("TestChildShared", WithoutRaceEnv+"=1")
	if err != nil {
		t.Fatalf("TestChildShared failed: %v\n%s", err, out)
	}
	skipped := strings.Contains(out, "pass without the race detector")
	if skipped != raceDetector {
		t.Errorf("race build %v, skipped for the plain pass %v:\n%s", raceDetector, skipped, out)
	}
}
