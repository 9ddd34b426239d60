package api

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"

	"github.com/leicester-csp/hotspot/geo"
	"github.com/leicester-csp/hotspot/internal/metrics"
)

// scrape reads /metrics as Prometheus would, with its text parser.
func scrape(t *testing.T, f *fixture) map[string]*dto.MetricFamily {
	t.Helper()
	resp, body := f.get(t, "/metrics")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("/metrics: %d %s", resp.StatusCode, body)
	}
	p := expfmt.NewTextParser(model.UTF8Validation)
	fams, err := p.TextToMetricFamilies(strings.NewReader(string(body)))
	if err != nil {
		t.Fatalf("/metrics does not parse: %v\n%s", err, body)
	}
	return fams
}

// value finds the sample of family name whose labels include want; ok is
// false when there is none.
func value(fams map[string]*dto.MetricFamily, name string, want map[string]string) (float64, bool) {
	fam := fams[name]
	if fam == nil {
		return 0, false
	}
next:
	for _, m := range fam.GetMetric() {
		labels := map[string]string{}
		for _, l := range m.GetLabel() {
			labels[l.GetName()] = l.GetValue()
		}
		for k, v := range want {
			if labels[k] != v {
				continue next
			}
		}
		switch {
		case m.Counter != nil:
			return m.Counter.GetValue(), true
		case m.Gauge != nil:
			return m.Gauge.GetValue(), true
		case m.Histogram != nil:
			return float64(m.Histogram.GetSampleCount()), true
		}
	}
	return 0, false
}

func TestMetricsScrape(t *testing.T) {
	lag := 0.25
	f := newFixture(t, func(c *Config) {
		c.Metrics = metrics.New()
		c.Metrics.Data(c.Store)
		c.Databases = func() []geo.DatabaseStatus {
			return []geo.DatabaseStatus{
				{Name: "primary", Role: "primary", State: geo.DatabaseOK, Serving: true},
				{Name: "standby1", Role: "standby", State: geo.DatabaseLagging, Lag: &lag},
			}
		}
	})
	for range 2 {
		if resp, body := f.get(t, "/api/v1/hotspots/wards"); resp.StatusCode != http.StatusOK {
			t.Fatalf("wards: %d %s", resp.StatusCode, body)
		}
	}
	fams := scrape(t, f)
	// Only now: a briefing looks in the answers cache too.
	f.get(t, "/briefings/wards/E05999999")
	f.get(t, "/no/such/path")
	later := scrape(t, f)
	fams["hotspot_http_requests_total"] = later["hotspot_http_requests_total"]

	counts := []struct {
		name   string
		labels map[string]string
		want   float64
	}{
		{"hotspot_http_requests_total", map[string]string{"route": "/api/v1/hotspots/wards", "status": "200"}, 2},
		{"hotspot_http_request_duration_seconds", map[string]string{"route": "/api/v1/hotspots/wards", "status": "200"}, 2},
		{"hotspot_http_requests_total", map[string]string{"route": "/briefings/wards/{code}", "status": "400"}, 1}, // no priority
		{"hotspot_http_requests_total", map[string]string{"route": "(unmatched)", "status": "404"}, 1},
		{"hotspot_cache_requests_total", map[string]string{"cache": "answers", "result": "miss"}, 1},
		{"hotspot_cache_requests_total", map[string]string{"cache": "answers", "result": "hit"}, 1},
		{"hotspot_analyses_in_flight", nil, 0},
		{"hotspot_database_serving", map[string]string{"database": "standby1"}, 0},
		{"hotspot_database_up", map[string]string{"database": "standby1"}, 1},
		{"hotspot_database_replica_lag_seconds", map[string]string{"database": "standby1"}, lag},
		{"hotspot_data_imports", nil, 1},
	}
	for _, c := range counts {
		got, ok := value(fams, c.name, c.labels)
		if !ok || got != c.want {
			t.Errorf("%s%v = %v (found %v), want %v", c.name, c.labels, got, ok, c.want)
		}
	}
	// /metrics is public: it shows the public version only.
	version, _ := f.store.Version(t.Context())
	if _, ok := value(fams, "hotspot_data_version_info", map[string]string{"version": geo.PublicVersion(version)}); !ok {
		t.Errorf("no hotspot_data_version_info for public version %s", geo.PublicVersion(version))
	}
	for _, fam := range later {
		for _, m := range fam.GetMetric() {
			for _, l := range m.GetLabel() {
				if l.GetName() == "route" && strings.Contains(l.GetValue(), "E05999999") {
					t.Errorf("%s labels a raw path: %s", fam.GetName(), l.GetValue())
				}
			}
		}
	}
	// The incidents are counted in the background after the first scrape.
	deadline := time.Now().Add(10 * time.Second)
	for {
		n, ok := value(scrape(t, f), "hotspot_data_incidents", nil)
		if ok {
			if n != float64(len(fixtureIncidents())) {
				t.Errorf("hotspot_data_incidents = %v, want %d", n, len(fixtureIncidents()))
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("hotspot_data_incidents never appeared")
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func TestReadyzReportsDatabases(t *testing.T) {
	f := newFixture(t, func(c *Config) {
		c.Databases = func() []geo.DatabaseStatus {
			return []geo.DatabaseStatus{
				{Name: "primary", Role: "primary", State: geo.DatabaseOK, Serving: true},
				{Name: "standby1", Role: "standby", State: geo.DatabaseDown},
			}
		}
	})
	resp, body := f.get(t, "/readyz")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("readyz %d: %s", resp.StatusCode, body)
	}
	var got struct {
		Status    string
		Databases []geo.DatabaseStatus
	}
	if err := json.Unmarshal(body, &got); err != nil {
		t.Fatal(err)
	}
	if got.Status != "ready" || len(got.Databases) != 2 || got.Databases[1].Name != "standby1" || got.Databases[1].State != geo.DatabaseDown {
		t.Errorf("readyz = %s", body)
	}
}
