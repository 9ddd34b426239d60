package plainpass

import (
	"os"
	"os/exec"
	"strings"
	"testing"
)

const childEnv = "HOTSPOT_PLAINPASS_CHILD"

// TestChildWithoutTheWord and TestChildShared run only as children of
// TestOnly, in a process of their own.
func TestChildWithoutTheWord(t *testing.T) {
	if os.Getenv(childEnv) != "1" {
		t.Skip("run by TestOnly")
	}
	Only(t)
}

func TestChildShared(t *testing.T) {
	if os.Getenv(childEnv) != "1" {
		t.Skip("run by TestOnly")
	}
	Only(t)
}

// TestOnly checks the guard that keeps a test from falling
// between .ci/test's two passes, and the race pass's skip.
func TestOnly(t *testing.T) {
	run := func(test string, env ...string) (string, error) {
		cmd := exec.Command(os.Args[0], "-test.run", "^"+test+"$", "-test.v")
		cmd.Env = append(append(os.Environ(), childEnv+"=1", "HOTSPOT_UNUSED="+t.TempDir()), env...)
		out, err := cmd.CombinedOutput()
		return string(out), err
	}
	out, err := run("TestChildWithoutTheWord")
	if err == nil || !strings.Contains(out, "does not match") {
		t.Errorf("a plain-pass test whose name matches neither word: err %v, output\n%s", err, out)
	}
	out, err = run("TestChildShared", Env+"=1")
	if err != nil {
		t.Fatalf("TestChildShared failed: %v\n%s", err, out)
	}
	skipped := strings.Contains(out, "pass without the race detector")
	if skipped != raceDetector {
		t.Errorf("race build %v, skipped for the plain pass %v:\n%s", raceDetector, skipped, out)
	}
}
