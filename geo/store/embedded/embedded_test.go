package embedded

import (
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

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

// A server's store sees another process's import without a restart, and
// never a partial one: a reader polling while imports run sees whole
// imports only (counts that are multiples of the batch size).
func TestSeesOtherWriters(t *testing.T) {
	dir := t.TempDir()
	reader := mustOpen(t, dir, Options{Poll: 5 * time.Millisecond})
	writer := mustOpen(t, dir, Options{})
	const batches, size = 5, 200
	m := geo.NewMonth(2024, 1)
	var wg sync.WaitGroup
	stop := make(chan struct{})
	var bad []int
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			select {
			case <-stop:
				return
			default:
			}
			p, err := reader.Incidents(t.Context(), geo.Filter{Months: geo.MonthRange{From: m, To: m}}, geo.PageRequest{Limit: 1})
			if err != nil || p.Total%size != 0 {
				bad = append(bad, p.Total)
			}
		}
	}()
	for b := range batches {
		var ls []*geo.Located
		for i := range size {
			ls = append(ls, located(strings.Repeat("x", b+1)+string(rune('a'+i%26))+string(rune('a'+i/26)), m, orb.Point{float64(i) / 1000, 0}))
		}
		if _, err := writer.Import(t.Context(), geo.ImportInput{Rows: rowsOf(ls...)}); err != nil {
			t.Fatal(err)
		}
	}
	deadline := time.Now().Add(5 * time.Second)
	for {
		p, _ := reader.Incidents(t.Context(), geo.Filter{Months: geo.MonthRange{From: m, To: m}}, geo.PageRequest{Limit: 1})
		if p.Total == batches*size {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("reader sees %d incidents, want %d", p.Total, batches*size)
		}
		time.Sleep(5 * time.Millisecond)
	}
	close(stop)
	wg.Wait()
	if len(bad) > 0 {
		t.Errorf("reader saw partial imports: totals %v", bad)
	}
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
	if _, err := Open(t.Context(), dir, Options{}); err == nil || !strings.Contains(err.Error(), "seg-00000001.bin") {
		t.Errorf("open of a corrupt store: %v, want an error naming the segment", err)
	}
}
