package api

import (
	"syscall"
	"testing"
	"time"

	"github.com/paulmach/orb"

	"github.com/leicester-csp/hotspot/geo"
	"github.com/leicester-csp/hotspot/geo/access"
	"github.com/leicester-csp/hotspot/geo/analysis"
)

// BenchmarkEvaluation measures /api/v1/target-areas/{id}/evaluation over
// the shared Leicestershire months and wards: an area of about 400 m by
// 400 m round the Clock Tower, ASB from 2024-03, 6 months either side, a
// 250 m buffer and Westcotes as control. Nothing of it is cached.
func BenchmarkEvaluation(b *testing.B) {
	st := sharedStore(b)
	now := time.Now().UTC()
	area := geo.TargetArea{ID: "ta_bench", Name: "Clock Tower", Priority: "asb", Start: geo.NewMonth(2024, 3), Owner: "k",
		Geometry: orb.MultiPolygon{{{{-1.1370, 52.6346}, {-1.1311, 52.6346}, {-1.1311, 52.6382}, {-1.1370, 52.6382}, {-1.1370, 52.6346}}}},
		Created:  now, Updated: now}
	if err := st.AddTargetArea(b.Context(), area); err != nil {
		b.Fatal(err)
	}
	k, tok, err := access.NewKey("bench", access.Partner, now)
	if err != nil {
		b.Fatal(err)
	}
	if err := st.AddKey(b.Context(), k); err != nil {
		b.Fatal(err)
	}
	srv := New(Config{Store: st, Analyzer: analysis.New(st, geo.BuiltinPriorities()), Keys: st, CacheBytes: -1})
	for _, c := range []struct{ name, query string }{
		{"buffer250", "control=Westcotes"},
		{"buffer2000", "control=Westcotes&buffer=2000&before=12&after=6"},
		{"buffer0", "control=Westcotes&buffer=0"},
	} {
		b.Run(c.name, func(b *testing.B) {
			// CPU time per answer as well as wall time: on a machine
			// shared with other builds the wall time is mostly waiting.
			before := cpuTime()
			benchRequest(b, srv, "/api/v1/target-areas/ta_bench/evaluation?"+c.query, "Authorization", "Bearer "+tok)
			b.ReportMetric(float64((cpuTime()-before).Microseconds())/1000/float64(b.N), "cpu-ms/op")
		})
	}
}

// cpuTime is the process's user and system CPU time so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
