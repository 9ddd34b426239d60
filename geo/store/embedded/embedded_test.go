package embedded

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/paulmach/orb"

	"github.com/leicester-csp/hotspot/geo"
)

func located(id string, m geo.Month, p orb.Point) *geo.Located {
	return &geo.Located{Incident: geo.Incident{ID: id, Month: m, Category: "Robbery", HasLocation: true, Point: p}}
}

func rowsOf(ls ...*geo.Located) func(func(geo.Row, error) bool) {
	return func(yield func(geo.Row, error) bool) {
		for _, l := range ls {
			if !yield(geo.Row{Incident: l}, nil) {
				return
			}
		}
	}
}

func mustOpen(t *testing.T, dir string, opt Options) *Store {
	t.Helper()
	st, err := Open(t.Context(), dir, opt)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// Leftovers of an import killed before its manifest rename are ignored
// and cleaned up by the next import.
func TestCrashLeftovers(t *testing.T) {
	dir := t.TempDir()
	st := mustOpen(t, dir, Options{})
	m := geo.NewMonth(2024, 1)
	if _, err := st.Import(t.Context(), geo.ImportInput{Rows: rowsOf(located("a", m, orb.Point{1, 1}))}); err != nil {
		t.Fatal(err)
	}
	// What a killed import leaves: a segment nobody names and a temp file.
	orphan := filepath.Join(dir, "seg-00000002.bin")
	tmp := filepath.Join(dir, "points-00000002.bin.tmp-123")
	for _, f := range []string{orphan, tmp} {
		if err := os.WriteFile(f, []byte("half written"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	again := mustOpen(t, dir, Options{})
	if p, _ := again.Incidents(t.Context(), geo.Filter{Months: geo.MonthRange{From: m, To: m}}, geo.PageRequest{Limit: 10}); p.Total != 1 {
		t.Fatalf("after a crash: %d incidents, want 1", p.Total)
	}
	if _, err := again.Import(t.Context(), geo.ImportInput{Rows: rowsOf(located("b", m, orb.Point{2, 2}))}); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{tmp} {
		if _, err := os.Stat(f); !os.IsNotExist(err) {
			t.Errorf("%s left behind: %v", f, err)
		}
	}
	if p, _ := again.Incidents(t.Context(), geo.Filter{Months: geo.MonthRange{From: m, To: m}}, geo.PageRequest{Limit: 10}); p.Total != 2 {
		t.Errorf("after the next import: %d incidents, want 2", p.Total)
	}
}

// A damaged file is reported, not half-loaded.
func TestCorruptSegment(t *testing.T) {
	dir := t.TempDir()
	st := mustOpen(t, dir, Options{})
	m := geo.NewMonth(2024, 1)
	if _, err := st.Import(t.Context(), geo.ImportInput{Rows: rowsOf(located("a", m, orb.Point{1, 1}))}); err != nil {
		t.Fatal(err)
	}
	seg := filepath.Join(dir, "seg-00000001.bin")
	b, err := os.ReadFile(seg)
	if err != nil {
		t.Fatal(err)
	}
	b[len(b)/2] ^= 0xff
	if err := os.WriteFile(seg, b, 0o644); err != nil {
		t.Fatal(err)
	}
	// The snapshot image, written while the segment was whole, would
	// serve the data without reading the segment.
	if err := os.Remove(filepath.Join(dir, imageName(1))); err != nil {
		t.Fatal(err)
	}
	if _, err := Open(t.Context(), dir, Options{}); err == nil || !strings.Contains(err.Error(), "seg-00000001.bin") {
		t.Errorf("open of a corrupt store: %v, want an error naming the segment", err)
	}
}
