package ingest

import (
	"os"
	"testing"

	"github.com/leicester-csp/hotspot/geo"
	"github.com/leicester-csp/hotspot/geo/partner"
)

// BenchmarkPartnerFile reads and indexes one partner export named by
// HOTSPOT_BENCH_PARTNER (a `hotspot generate --source` CSV, its mapping
// beside it), without a store: the ingest's share of an import.
func BenchmarkPartnerFile(b *testing.B) {
	path, mapPath := os.Getenv("HOTSPOT_BENCH_PARTNER"), os.Getenv("HOTSPOT_BENCH_MAPPING")
	if path == "" || mapPath == "" {
		b.Skip("set HOTSPOT_BENCH_PARTNER and HOTSPOT_BENCH_MAPPING")
	}
	raw, err := os.ReadFile(mapPath)
	if err != nil {
		b.Fatal(err)
	}
	m, err := partner.ParseMapping(raw)
	if err != nil {
		b.Fatal(err)
	}
	p := &Partner{Source: "bench", Mapping: m, Key: []byte("k")}
	n := 0
	for b.Loop() {
		count := func(rows []geo.Row, release func()) bool { n += len(rows); release(); return true }
		if err := readPartnerFile(b.Context(), path, p, 0, count); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "rows/s")
}
