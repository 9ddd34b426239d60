package main

import (
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"

	"github.com/paulmach/orb/geojson"

	"github.com/leicester-csp/hotspot/geo"
	"github.com/leicester-csp/hotspot/internal/synth"
)

func cmdGenerate(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) error {
	fs := newFlagSet("generate", "generate --out DIR [--rows N] [--months N] [--from YYYY-MM] [--seed N] [--source NAME]", stderr)
	var (
		out    string
		rows   int
		months int
		from   string
		seed   uint64
		source string
	)
	fs.StringVar(&source, "source", "", "write a synthetic local source of this name instead: partner records (CSV, BNG coordinates), their mapping file, a premises register and a pseudonym key")
	fs.StringVar(&out, "out", "", "folder to write the CSVs, wards GeoJSON and population CSV into (created)")
	fs.IntVar(&rows, "rows", 100_000, "total rows over all months")
	fs.IntVar(&months, "months", 12, "number of months")
	fs.StringVar(&from, "from", "2023-01", "first month")
	fs.Uint64Var(&seed, "seed", 1, "seed; the same seed gives the same files")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if out == "" {
		return usagef("--out is required")
	}
	if rows < 0 || months < 1 {
		return usagef("--rows must be ≥ 0 and --months ≥ 1")
	}
	m, err := geo.ParseMonth(from)
	if err != nil {
		return usagef("--from: %v", err)
	}
	if err := os.MkdirAll(out, 0o755); err != nil {
		return err
	}
	city := synth.NewCity(seed)
	if source != "" {
		return generatePartner(stdout, city, out, source, synth.PartnerOptions{Seed: seed, From: m, Months: months, Rows: rows})
	}
	files, err := city.WriteCSVs(out, synth.Options{Seed: seed, From: m, Months: months, Rows: rows})
	if err != nil {
		return err
	}
	wards := filepath.Join(out, "synthetic-wards.geojson")
	if err := writeWards(wards, city); err != nil {
		return err
	}
	pop := filepath.Join(out, "synthetic-population.csv")
	if err := writePopulation(pop, city); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "wrote %d rows in %d monthly CSVs, %s and %s to %s (synthetic data, not real)\n",
		rows, len(files), filepath.Base(wards), filepath.Base(pop), out)
	fmt.Fprintf(stdout, "import with: hotspot ingest --boundaries %s --population %s %s\n", wards, pop, out)
	return nil
}

// writeWards writes the city's wards with ONS-style property names so
// that ingest detects them as wards.
func writeWards(path string, city *synth.City) error {
	fc := geojson.NewFeatureCollection()
	for _, w := range city.Wards {
		f := geojson.NewFeature(w.Geometry)
		f.Properties["WD24CD"] = w.Code
		f.Properties["WD24NM"] = w.Name
		fc.Append(f)
	}
	b, err := fc.MarshalJSON()
	if err != nil {
		return err
	}
	return os.WriteFile(path, b, 0o644)
}

func writePopulation(path string, city *synth.City) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := csv.NewWriter(f)
	_ = w.Write([]string{"code", "name", "population"})
	for _, wd := range city.Wards {
		_ = w.Write([]string{wd.Code, wd.Name, strconv.Itoa(city.Population[wd.Code])})
	}
	w.Flush()
	if err := w.Error(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
