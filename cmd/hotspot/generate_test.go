package main

import (
	"crypto/sha256"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/leicester-csp/hotspot/geo/ingest"
	"github.com/leicester-csp/hotspot/internal/plainpass"
)

// cityChecksum is the hash of `generate --out DIR --rows 5000 --months 3
// --seed 7` as written before the national shape existed: --shape city must
// keep writing exactly the same files.
const cityChecksum = "7139d1cc6f1d5b2163a5798da05e8884ab139dda98c41f610b39fd547135775f"

// dirChecksum hashes each file's name and contents in name order, as
// `for f in $(ls); do echo "$f"; cat "$f"; done | sha256sum` does.
func dirChecksum(t *testing.T, dir string) string {
	t.Helper()
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	h := sha256.New()
	for _, e := range ents {
		if e.Name() == ingest.SyntheticMarker {
			continue // added later; TestGeneratedDataIngestsAsSynthetic checks it
		}
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(h, "%s\n", e.Name())
		h.Write(b)
	}
	return fmt.Sprintf("%x", h.Sum(nil))
}

func TestGenerateShapesHeavy(t *testing.T) {
	// The generated city is drawn on one goroutine: the race detector
	// would only make it slower.
	plainpass.Only(t)
	city := []string{"--rows", "5000", "--months", "3", "--seed", "7"}
	tests := []struct {
		name     string
		args     []string
		code     int
		checksum string
		inStderr string
	}{
		{"city by default", city, 0, cityChecksum, ""},
		{"city named", append([]string{"--shape", "city"}, city...), 0, cityChecksum, ""},
		{"unknown shape", []string{"--shape", "county"}, 2, "", "--shape"},
		{"bad source name", []string{"--shape", "national", "--source", "Council!"}, 2, "", "--source"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			out := t.TempDir()
			code, _, errOut := runCmd(t, nil, append([]string{"generate", "--out", out}, tc.args...)...)
			if code != tc.code || !strings.Contains(errOut, tc.inStderr) {
				t.Fatalf("exit %d, want %d; stderr: %s", code, tc.code, errOut)
			}
			if tc.checksum != "" {
				if got := dirChecksum(t, out); got != tc.checksum {
					t.Errorf("files hash to %s, want %s", got, tc.checksum)
				}
			}
		})
	}
}
