// Package shareddata finds the real public data that tests and benchmarks
// read: ../shared/data beside the repository root, or HOTSPOT_SHARED_DATA.
// The files are never copied into the repository.
package shareddata

import (
	"os"
	"path/filepath"
	"testing"
)

// Dir returns the shared data folder, or skips the test when it is absent.
func Dir(tb testing.TB) string {
	tb.Helper()
	d, ok := Find()
	if !ok {
		tb.Skip("shared data not found: set HOTSPOT_SHARED_DATA or place ../shared/data beside the repository")
	}
	return d
}

// Path joins elements under the shared data folder, skipping when absent.
func Path(tb testing.TB, elem ...string) string {
	tb.Helper()
	p := filepath.Join(append([]string{Dir(tb)}, elem...)...)
	if _, err := os.Stat(p); err != nil {
		tb.Skipf("shared data %s: %v", p, err)
	}
	return p
}

// Find locates the folder without a testing.TB, for commands and scripts.
func Find() (string, bool) {
	if d := os.Getenv("HOTSPOT_SHARED_DATA"); d != "" {
		_, err := os.Stat(d)
		return d, err == nil
	}
	root, ok := RepoRoot()
	if !ok {
		return "", false
	}
	d := filepath.Join(root, "..", "shared", "data")
	if _, err := os.Stat(d); err != nil {
		return "", false
	}
	return d, true
}

// RepoRoot walks up from the working directory (a package folder under
// go test) to the folder holding go.mod.
func RepoRoot() (string, bool) {
	dir, err := os.Getwd()
	if err != nil {
		return "", false
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, true
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", false
		}
		dir = parent
	}
}

// TestVectors returns the shared reference vectors folder
// (../shared/testvectors beside the data), skipping when it is absent.
func TestVectors(tb testing.TB) string {
	tb.Helper()
	d := filepath.Join(Dir(tb), "..", "testvectors")
	if _, err := os.Stat(d); err != nil {
		tb.Skipf("test vectors: %v", err)
	}
	return d
}
