package metrics

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/leicester-csp/hotspot/geo"
)

func TestDataFollowsTheVersion(t *testing.T) {
	version := "store.3"
	counts := make(chan string, 4)
	d := &data{
		version: func(context.Context) (string, error) { return version, nil },
		incidents: func(context.Context) (int, error) {
			counts <- version
			return 100, nil
		},
	}
	m := New()
	m.reg.MustRegister(d)
	gather := func() {
		t.Helper()
		if _, err := m.reg.Gather(); err != nil {
			t.Fatal(err)
		}
	}
	gather()
	if got := <-counts; got != "store.3" {
		t.Errorf("counted %s", got)
	}
	version = "store.4"
	gather()
	<-counts
	gather() // counted already: no third count
	select {
	case v := <-counts:
		t.Errorf("counted %s again", v)
	case <-time.After(50 * time.Millisecond):
	}
	fams, err := m.reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]float64{}
	for _, f := range fams {
		for _, mt := range f.GetMetric() {
			got[f.GetName()] = mt.GetCounter().GetValue() + mt.GetGauge().GetValue()
		}
	}
	for name, want := range map[string]float64{"hotspot_data_version_changes_total": 1, "hotspot_data_imports": 4, "hotspot_data_incidents": 100} {
		if got[name] != want {
			t.Errorf("%s = %v, want %v", name, got[name], want)
		}
	}
}

func TestStoreReadErrors(t *testing.T) {
	m := New()
	for _, err := range []error{nil, geo.ErrNotFound, fmt.Errorf("x: %w", geo.ErrInvalid), context.Canceled, errors.New("conflict with recovery")} {
		m.StoreRead("months", "standby1", time.Millisecond, err)
	}
	if got := testutil.ToFloat64(m.storeFails.WithLabelValues("months", "standby1")); got != 1 {
		t.Errorf("errors counted %v, want 1 (only the database's own failure)", got)
	}
	if got := testutil.CollectAndCount(m.storeReads); got != 1 {
		t.Errorf("%d read series, want 1", got)
	}
}
