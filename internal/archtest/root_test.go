package archtest

import (
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// module is the project's module path.
const module = "github.com/leicester-csp/hotspot"

// moduleRoot returns the folder holding the project's go.mod.
func moduleRoot(t *testing.T) string {
	t.Helper()
	out, err := exec.Command("go", "env", "GOMOD").Output()
	if err != nil {
		t.Fatalf("go env GOMOD: %v", err)
	}
	gomod := strings.TrimSpace(string(out))
	if gomod == "" || gomod == "/dev/null" {
		t.Fatal("go env GOMOD: not inside a module")
	}
	return filepath.Dir(gomod)
}
