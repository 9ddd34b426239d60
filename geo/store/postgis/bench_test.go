package postgis

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/leicester-csp/hotspot/geo/ingest"
	"github.com/leicester-csp/hotspot/internal/shareddata"
)

// BenchmarkIngestShared loads the 22 shared police.uk months with the
// Leicester wards into an empty schema, the workload the issue compares
// with a plain `ogr2ogr -f PostgreSQL` load of the same folder. Each
// iteration gets a fresh schema; only ingest.Run is timed.
func BenchmarkIngestShared(b *testing.B) {
	url := testURL(b)
	dir := shareddata.Dir(b)
	opt := ingest.Options{
		Paths:      []string{filepath.Join(dir, "police_leicestershire_street")},
		Boundaries: []string{filepath.Join(dir, "boundaries_leicester", "leicester_wards_WD20_BGC.geojson")},
	}
	ctx := context.Background()
	var (
		rows    int
		elapsed time.Duration
	)
	b.StopTimer()
	for i := 0; i < b.N; i++ {
		st := openTest(b, url, Options{Schema: freshSchema(b, url)})
		b.StartTimer()
		start := time.Now()
		res, err := ingest.Run(ctx, st, opt)
		elapsed += time.Since(start)
		b.StopTimer()
		if err != nil {
			b.Fatal(err)
		}
		if res.Imported == 0 || res.Imported+res.Duplicates+res.Rejected != res.Read {
			b.Fatalf("ingest: %+v", res)
		}
		rows += res.Read
		st.Close()
	}
	b.ReportMetric(float64(rows)/elapsed.Seconds(), "rows/s")
}
