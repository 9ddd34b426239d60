package metrics

import (
	"context"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/leicester-csp/hotspot/geo"
)

// Data reports the data version st serves and what it holds, read at
// each scrape. Its police.uk incidents are counted in the background once
// per version, since at national scale a scrape should not wait on it.
// /metrics is public, so it reports the public version
// (geo.PublicVersion): the time of a partner import is not the public's.
func (m *Metrics) Data(st geo.Store) {
	if m == nil {
		return
	}
	public := func(ctx context.Context) (string, error) {
		v, err := st.Version(ctx)
		return geo.PublicVersion(v), err
	}
	m.reg.MustRegister(&data{version: public, incidents: func(ctx context.Context) (int, error) { return incidents(ctx, st) }})
}

// incidents counts st's police.uk incidents, in all its months.
func incidents(ctx context.Context, st geo.Store) (int, error) {
	ms, err := st.Months(ctx)
	if err != nil || len(ms) == 0 {
		return 0, err
	}
	page, err := st.Incidents(ctx, geo.Filter{Months: geo.MonthRange{From: ms[0], To: ms[len(ms)-1]}}, geo.PageRequest{})
	return page.Total, err
}

var (
	descVersion    = prometheus.NewDesc("hotspot_data_version_info", "The public data version served (1 for the current one).", []string{"version"}, nil)
	descGeneration = prometheus.NewDesc("hotspot_data_imports", "The generation of the latest import that changed public data.", nil, nil)
	descChanges    = prometheus.NewDesc("hotspot_data_version_changes_total", "Changes of the public data version this process has seen (imports of public data landing).", nil, nil)
	descIncidents  = prometheus.NewDesc("hotspot_data_incidents", "police.uk incidents stored, as of the version last counted.", nil, nil)
)

// scrapeTimeout bounds the store reads one scrape waits on.
const scrapeTimeout = 2 * time.Second

type data struct {
	version   func(context.Context) (string, error)
	incidents func(context.Context) (int, error)

	mu         sync.Mutex
	last       string // the version last seen
	changes    int
	counted    int    // incidents of countedFor
	countedFor string // "": none counted yet
	counting   bool
}

func (d *data) Describe(ch chan<- *prometheus.Desc) {
	ch <- descVersion
	ch <- descGeneration
	ch <- descChanges
	ch <- descIncidents
}

func (d *data) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), scrapeTimeout)
	defer cancel()
	v, err := d.version(ctx)
	d.mu.Lock()
	defer d.mu.Unlock()
	if err == nil {
		if v != d.last {
			if d.last != "" {
				d.changes++
			}
			d.last = v
		}
		d.recount(v)
		ch <- prometheus.MustNewConstMetric(descVersion, prometheus.GaugeValue, 1, v)
		if i := strings.LastIndexByte(v, '.'); i >= 0 {
			if g, err := strconv.ParseInt(strings.TrimPrefix(v[i+1:], "p"), 10, 64); err == nil {
				ch <- prometheus.MustNewConstMetric(descGeneration, prometheus.GaugeValue, float64(g))
			}
		}
	}
	ch <- prometheus.MustNewConstMetric(descChanges, prometheus.CounterValue, float64(d.changes))
	if d.countedFor != "" {
		ch <- prometheus.MustNewConstMetric(descIncidents, prometheus.GaugeValue, float64(d.counted))
	}
}

// recount counts the incidents of version v in the background (mu
// held) unless they are counted or being counted; one that fails is
// tried again at the next scrape.
func (d *data) recount(v string) {
	if d.counting || d.countedFor == v || d.incidents == nil {
		return
	}
	d.counting = true
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		n, err := d.incidents(ctx)
		d.mu.Lock()
		defer d.mu.Unlock()
		d.counting = false
		if err == nil {
			d.counted, d.countedFor = n, v
		}
	}()
}
