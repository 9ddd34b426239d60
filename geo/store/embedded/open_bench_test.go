package embedded

import (
	"bufio"
	"context"
	"os"
	"runtime"
	"strconv"
	"strings"
	"testing"
)

// BenchmarkOpen opens the loaded store in $HOTSPOT_BENCH_OPEN_DIR (the
// 10 M store of docs/benchmarks.md, say) as `serve` does, and reports the
// live heap and the process's resident memory after the open. A store
// without a snapshot image gets one at its first open, so a first
// iteration is slower; -benchtime 3x shows both.
func BenchmarkOpen(b *testing.B) {
	dir := os.Getenv("HOTSPOT_BENCH_OPEN_DIR")
	if dir == "" {
		b.Skip("set HOTSPOT_BENCH_OPEN_DIR to a loaded embedded store")
	}
	ctx := context.Background()
	var n int
	for b.Loop() {
		st, err := Open(ctx, dir, Options{})
		if err != nil {
			b.Fatal(err)
		}
		n = st.snap.Load().len()
		b.StopTimer()
		b.ReportMetric(float64(heapInUse())/(1<<20), "heap-MiB")
		b.ReportMetric(float64(procStatus(b, "VmRSS"))/(1<<10), "rss-MiB")
		runtime.KeepAlive(st)
		st.Close()
		b.StartTimer()
	}
	b.ReportMetric(float64(n), "incidents")
}

// procStatus reads a kB field of /proc/self/status; 0 where there is none.
func procStatus(b *testing.B, field string) int {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), field+":"); ok {
			kb, err := strconv.Atoi(strings.TrimSuffix(strings.TrimSpace(rest), " kB"))
			if err != nil {
				b.Fatalf("%s: %v", field, err)
			}
			return kb
		}
	}
	return 0
}
