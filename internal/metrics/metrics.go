// Package metrics holds what `hotspot serve` tells Prometheus at
// /metrics: requests by route template and status, store reads by
// operation and database, analyses in flight, cache hits and misses, the
// databases' health and the data version.
//
// Labels are bounded and public: routes are mux path templates (never a
// raw path), databases are named primary, standby1, … (never a host), and
// nothing is counted per source, so the answer says nothing of partner
// data and may be scraped without a key.
package metrics

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/leicester-csp/hotspot/geo"
)

// Metrics is one process's registry. A nil *Metrics records nothing, so
// code that takes one need not check.
type Metrics struct {
	reg        *prometheus.Registry
	requests   *prometheus.CounterVec
	durations  *prometheus.HistogramVec
	storeReads *prometheus.HistogramVec
	storeFails *prometheus.CounterVec
	cache      *prometheus.CounterVec
}

// New makes a registry holding the process's and the Go runtime's
// metrics and hotspot's own.
func New() *Metrics {
	m := &Metrics{
		reg: prometheus.NewRegistry(),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "hotspot_http_requests_total",
			Help: "HTTP requests answered, by route template and status code.",
		}, []string{"route", "status"}),
		durations: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "hotspot_http_request_duration_seconds",
			Help:    "Time to answer HTTP requests, by route template and status code.",
			Buckets: []float64{.001, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30},
		}, []string{"route", "status"}),
		storeReads: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "hotspot_store_query_duration_seconds",
			Help:    "Time of store reads, by operation and the database that answered.",
			Buckets: []float64{.0005, .001, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 10},
		}, []string{"op", "database"}),
		storeFails: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "hotspot_store_query_errors_total",
			Help: "Store reads that failed, by operation and database (a standby's are answered again by the primary).",
		}, []string{"op", "database"}),
		cache: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "hotspot_cache_requests_total",
			Help: "Lookups in the in-process caches of encoded answers and tiles, by cache and result (hit or miss).",
		}, []string{"cache", "result"}),
	}
	m.reg.MustRegister(m.requests, m.durations, m.storeReads, m.storeFails, m.cache,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// Handler serves the registry in the Prometheus text format.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{ErrorHandling: promhttp.ContinueOnError})
}

// Request records one answered request; route is its mux path template
// ("(unmatched)" when none matched).
func (m *Metrics) Request(route string, status int, took time.Duration) {
	if m == nil {
		return
	}
	code := strconv.Itoa(status)
	m.requests.WithLabelValues(route, code).Inc()
	m.durations.WithLabelValues(route, code).Observe(took.Seconds())
}

// StoreRead records one store read; its signature is what
// replicas.Options.Observe takes. "Not found", bad input and a caller
// gone are answers, not failures of the database, and are not counted
// as errors.
func (m *Metrics) StoreRead(op, database string, took time.Duration, err error) {
	if m == nil {
		return
	}
	m.storeReads.WithLabelValues(op, database).Observe(took.Seconds())
	if err != nil && !errors.Is(err, geo.ErrNotFound) && !errors.Is(err, geo.ErrInvalid) && !errors.Is(err, context.Canceled) {
		m.storeFails.WithLabelValues(op, database).Inc()
	}
}

// Cache records one lookup in the named cache.
func (m *Metrics) Cache(name string, hit bool) {
	if m == nil {
		return
	}
	result := "miss"
	if hit {
		result = "hit"
	}
	m.cache.WithLabelValues(name, result).Inc()
}

// InFlight reports the analyses running now, read at each scrape.
func (m *Metrics) InFlight(running func() int) {
	if m == nil {
		return
	}
	m.reg.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Name: "hotspot_analyses_in_flight",
		Help: "Analyses (answers computed rather than served from cache) running now.",
	}, func() float64 { return float64(running()) }))
}

// Databases reports the store's databases as its last check saw them,
// read at each scrape.
func (m *Metrics) Databases(status func() []geo.DatabaseStatus) {
	if m == nil {
		return
	}
	m.reg.MustRegister(databases{status})
}

var (
	descUp      = prometheus.NewDesc("hotspot_database_up", "Whether the database answered its last health check.", []string{"database", "role"}, nil)
	descServing = prometheus.NewDesc("hotspot_database_serving", "Whether reads go to the database now.", []string{"database", "role"}, nil)
	descLag     = prometheus.NewDesc("hotspot_database_replica_lag_seconds", "How far a standby's replay trails the primary, at its last check.", []string{"database"}, nil)
)

type databases struct{ status func() []geo.DatabaseStatus }

func (databases) Describe(ch chan<- *prometheus.Desc) {
	ch <- descUp
	ch <- descServing
	ch <- descLag
}

func (d databases) Collect(ch chan<- prometheus.Metric) {
	for _, db := range d.status() {
		ch <- prometheus.MustNewConstMetric(descUp, prometheus.GaugeValue, boolValue(db.State != geo.DatabaseDown && db.State != geo.DatabaseStarting), db.Name, db.Role)
		ch <- prometheus.MustNewConstMetric(descServing, prometheus.GaugeValue, boolValue(db.Serving), db.Name, db.Role)
		if db.Lag != nil {
			ch <- prometheus.MustNewConstMetric(descLag, prometheus.GaugeValue, *db.Lag, db.Name)
		}
	}
}

func boolValue(b bool) float64 {
	if b {
		return 1
	}
	return 0
}
