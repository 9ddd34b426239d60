package embedded

import (
	"context"
	"runtime"
	"testing"

	"github.com/leicester-csp/hotspot/geo"
	"github.com/leicester-csp/hotspot/geo/ingest"
	"github.com/leicester-csp/hotspot/internal/synth"
)

// BenchmarkServeHeap measures the heap a serving store holds per
// incident with 1.2 million synthetic incidents loaded (target ≤ 200 B).
func BenchmarkServeHeap(b *testing.B) {
	const rows = 1_200_000
	dir := b.TempDir()
	ctx := context.Background()
	st, err := Open(ctx, dir, Options{})
	if err != nil {
		b.Fatal(err)
	}
	city := synth.NewCity(7)
	opt := synth.Options{Seed: 7, From: geo.NewMonth(2023, 1), Months: 24, Rows: rows}
	if _, err := st.Import(ctx, geo.ImportInput{Rows: ingest.Incidents(ctx, city.Incidents(opt)), Areas: city.Wards}); err != nil {
		b.Fatal(err)
	}
	st.Close()
	for b.Loop() {
		before := heapInUse()
		s, err := Open(ctx, dir, Options{})
		if err != nil {
			b.Fatal(err)
		}
		after := heapInUse()
		n := s.snap.Load().len()
		if n != rows {
			b.Fatalf("loaded %d incidents, want %d", n, rows)
		}
		b.ReportMetric(float64(after-before)/float64(n), "heap-B/incident")
		b.ReportMetric(float64(n), "incidents")
		runtime.KeepAlive(s)
		s.Close()
	}
}

func heapInUse() uint64 {
	runtime.GC()
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}
