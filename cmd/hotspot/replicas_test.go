package main

import (
	"bytes"
	"flag"
	"io"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/paulmach/orb"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"

	"github.com/leicester-csp/hotspot/geo"
	"github.com/leicester-csp/hotspot/geo/hex"
	"github.com/leicester-csp/hotspot/geo/store/postgis"
	"github.com/leicester-csp/hotspot/internal/pgcluster"
)

func TestReplicaFlags(t *testing.T) {
	env := map[string]string{"HOTSPOT_DATABASE_READ_URL": " postgres://a/x , postgresql://b/x,"}
	getenv := func(k string) string { return env[k] }
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	var sf storeFlags
	var rf replicaFlags
	sf.register(fs, getenv)
	rf.register(fs, getenv)
	if err := fs.Parse([]string{"--database-url", "postgres://p/x"}); err != nil {
		t.Fatal(err)
	}
	if err := rf.check(fs, getenv, &sf); err != nil {
		t.Fatal(err)
	}
	if want := []string{"postgres://a/x", "postgresql://b/x"}; !slices.Equal(rf.urls, want) {
		t.Errorf("standbys from the environment: %q, want %q", rf.urls, want)
	}

	for _, tt := range []struct {
		args []string
		env  map[string]string
		want string
	}{
		{[]string{"--data-dir", "/tmp/x", "--database-read-url", "postgres://a/x"}, nil, "needs --database-url"},
		{[]string{"--database-url", "postgres://p/x", "--database-read-url", "mysql://a/x"}, nil, "postgres:// URL"},
		{[]string{"--database-url", "postgres://p/x", "--max-replica-lag", "0s"}, nil, "must be positive"},
		{[]string{"--database-url", "postgres://p/x"}, map[string]string{"HOTSPOT_MAX_REPLICA_LAG": "soon"}, "HOTSPOT_MAX_REPLICA_LAG"},
	} {
		var stderr bytes.Buffer
		code := run(t.Context(), append([]string{"serve"}, tt.args...), io.Discard, &stderr, func(k string) string { return tt.env[k] })
		if code != exitUsage || !strings.Contains(stderr.String(), tt.want) {
			t.Errorf("serve %q: exit %d, %q; want a usage error naming %q", tt.args, code, stderr.String(), tt.want)
		}
	}
}

// TestServeReadsFromStandby runs `hotspot serve` on a private primary and a
// hot standby of it: /readyz reports both, and /metrics (read with
// Prometheus's parser) shows the answers' reads served by the standby.
func TestServeReadsFromStandby(t *testing.T) {
	if testing.Short() {
		t.Skip("starts two private PostgreSQL clusters")
	}
	primary := pgcluster.NewPrimary(t)
	primary.Start()
	st, err := postgis.Open(t.Context(), primary.URL(), postgis.Options{})
	if err != nil {
		t.Fatal(err)
	}
	p := orb.Point{-1.135, 52.633}
	rows := func(yield func(geo.Row, error) bool) {
		inc := &geo.Located{Incident: geo.Incident{ID: "a1", Month: geo.NewMonth(2024, 5), Category: "Burglary", HasLocation: true, Point: p}, Cells: hex.CellsAt(p)}
		yield(geo.Row{Incident: inc}, nil)
	}
	if _, err := st.Import(t.Context(), geo.ImportInput{Rows: rows}); err != nil {
		t.Fatal(err)
	}
	st.Close()
	standby := primary.Standby(t)
	standby.Start()

	base := startServe(t, map[string]string{"HOTSPOT_DATABASE_URL": primary.URL()}, "--database-read-url", standby.URL())
	var ready struct {
		Status    string
		Databases []geo.DatabaseStatus
	}
	if code := getJSON(t, base+"/readyz", &ready); code != http.StatusOK || len(ready.Databases) != 2 || !ready.Databases[1].Serving {
		t.Fatalf("readyz %d: %+v", code, ready)
	}
	for _, path := range []string{"/api/v1/meta", "/api/v1/hotspots/hex?priority=asb", "/api/v1/incidents"} {
		resp, err := http.Get(base + path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Errorf("%s: %d", path, resp.StatusCode)
		}
	}
	reads := storeReads(t, base)
	if reads["standby1"] == 0 || reads["primary"] != 0 {
		t.Errorf("store reads by database %v: want every read on standby1", reads)
	}
}

// storeReads scrapes /metrics and sums the store reads per database.
func storeReads(t *testing.T, base string) map[string]uint64 {
	t.Helper()
	resp, err := http.Get(base + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	parser := expfmt.NewTextParser(model.UTF8Validation)
	fams, err := parser.TextToMetricFamilies(resp.Body)
	if err != nil {
		t.Fatalf("/metrics does not parse: %v", err)
	}
	out := map[string]uint64{}
	for _, m := range fams["hotspot_store_query_duration_seconds"].GetMetric() {
		for _, l := range m.GetLabel() {
			if l.GetName() == "database" {
				out[l.GetValue()] += m.GetHistogram().GetSampleCount()
			}
		}
	}
	return out
}
