package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"

	"github.com/leicester-csp/hotspot/geo"
	"github.com/leicester-csp/hotspot/geo/ingest"
	"github.com/leicester-csp/hotspot/geo/store/embedded"
	"github.com/leicester-csp/hotspot/internal/synth"
)

// The demo city is fixed so that every fresh clone shows the same map.
const (
	demoSeed   = 20250401
	demoRows   = 120_000
	demoMonths = 24
)

// openDemo builds the synthetic demo city in a temporary store. The
// returned cleanup closes it and removes its directory.
func openDemo(ctx context.Context, log *slog.Logger) (geo.Store, func(), error) {
	dir, err := os.MkdirTemp("", "hotspot-demo-")
	if err != nil {
		return nil, nil, fmt.Errorf("demo city: %w", err)
	}
	cleanup := func() { os.RemoveAll(dir) }
	st, err := embedded.Open(ctx, dir, embedded.Options{Logger: log, NoImage: true})
	if err != nil {
		cleanup()
		return nil, nil, fmt.Errorf("demo city: %w", err)
	}
	city := synth.NewCity(demoSeed)
	opt := synth.Options{Seed: demoSeed, From: geo.NewMonth(2023, 1), Months: demoMonths, Rows: demoRows}
	areas := append(append([]geo.Area(nil), city.Wards...), city.City)
	_, err = st.Import(ctx, geo.ImportInput{
		Rows:       ingest.Incidents(ctx, city.Incidents(opt)),
		Areas:      areas,
		Population: city.Population,
		Synthetic:  true,
	})
	if err == nil {
		err = loadDemoPartner(ctx, st, city)
	}
	if err != nil {
		st.Close()
		cleanup()
		return nil, nil, fmt.Errorf("demo city: %w", err)
	}
	return st, func() { st.Close(); cleanup() }, nil
}
