package tiles

import (
	"os"
	"strconv"
	"strings"
	"testing"
)

// docs/architecture.md keeps the one written zoom → resolution table; it
// must say what ResForZoom does.
func TestArchitectureDocZoomTable(t *testing.T) {
	b, err := os.ReadFile("../docs/architecture.md")
	if err != nil {
		t.Fatal(err)
	}
	var zooms, resolutions []string
	for _, line := range strings.Split(string(b), "\n") {
		cells := strings.Split(strings.Trim(line, "| "), " | ")
		switch cells[0] {
		case "zoom":
			zooms = cells[1:]
		case "H3 resolution":
			resolutions = cells[1:]
		}
	}
	if len(zooms) == 0 || len(zooms) != len(resolutions) {
		t.Fatalf("no zoom table found (zooms %q, resolutions %q)", zooms, resolutions)
	}
	covered := 0
	for i, span := range zooms {
		lo, hi, _ := strings.Cut(span, "–")
		if hi == "" {
			hi = lo
		}
		from, err1 := strconv.Atoi(lo)
		to, err2 := strconv.Atoi(hi)
		res, err3 := strconv.Atoi(resolutions[i])
		if err1 != nil || err2 != nil || err3 != nil || from != covered {
			t.Fatalf("zoom column %q / %q does not follow on from zoom %d", span, resolutions[i], covered)
		}
		for z := from; z <= to; z++ {
			if got := ResForZoom(z); got != res {
				t.Errorf("zoom %d: doc says res %d, ResForZoom %d", z, res, got)
			}
		}
		covered = to + 1
	}
	if covered != MaxZoom+1 {
		t.Errorf("the table stops at zoom %d, tiles go to %d", covered-1, MaxZoom)
	}
}
