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
	"github.com/leicester-csp/hotspot/geo/ingest"
	"github.com/leicester-csp/hotspot/internal/synth"
)

func cmdGenerate(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) error {
	fs := newFlagSet("generate", "generate --out DIR [--shape city|national] [--rows N] [--months N] [--from YYYY-MM] [--seed N] [--source NAME]", stderr)
	var (
		out    string
		rows   int
		months int
		from   string
		seed   uint64
		source string
		shape  string
	)
	fs.StringVar(&shape, "shape", "city", "city: one synthetic city and the towns around it (17 wards, ~3,000 map points); national: England-and-Wales scale (43 forces, ~7,000 wards, ~700,000 map points), one CSV per force and month")
	fs.StringVar(&source, "source", "", "write a synthetic local source of this name instead: partner records (CSV, BNG coordinates) placed in the --shape's layout, their mapping file, a premises register and a pseudonym key")
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
	if shape != "city" && shape != "national" {
		return usagef("--shape must be city or national")
	}
	if err := os.MkdirAll(out, 0o755); err != nil {
		return err
	}
	opt := synth.Options{Seed: seed, From: m, Months: months, Rows: rows}
	popt := synth.PartnerOptions{Seed: seed, From: m, Months: months, Rows: rows}
	if shape == "national" {
		if source != "" {
			return generatePartner(stdout, partnerLayout{synth.NewNation(seed, 1), "national"}, out, source, popt)
		}
		return generateNational(stdout, out, seed, opt)
	}
	city := synth.NewCity(seed)
	if source != "" {
		return generatePartner(stdout, partnerLayout{city, "city"}, out, source, popt)
	}
	files, err := city.WriteCSVs(out, opt)
	if err != nil {
		return err
	}
	if err := writeMarker(out); err != nil {
		return err
	}
	wards, pop, err := writeWardFiles(out, city.Wards, city.Population)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "wrote %d rows in %d monthly CSVs, %s and %s to %s (synthetic data, not real)\n",
		rows, len(files), filepath.Base(wards), filepath.Base(pop), out)
	fmt.Fprintf(stdout, "import with: hotspot ingest --boundaries %s --population %s %s\n", wards, pop, out)
	return nil
}

func generateNational(stdout io.Writer, out string, seed uint64, opt synth.Options) error {
	n := synth.NewNation(seed, 1)
	files, err := n.WriteCSVs(out, opt)
	if err != nil {
		return err
	}
	if err := writeMarker(out); err != nil {
		return err
	}
	wards, pop, err := writeWardFiles(out, n.Wards, n.Population)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "wrote %d rows in %d CSVs (%d forces × %d months), %d wards in %s and %s to %s (synthetic data, not real)\n",
		opt.Rows, len(files), len(n.Forces), len(files)/len(n.Forces), len(n.Wards), filepath.Base(wards), filepath.Base(pop), out)
	fmt.Fprintf(stdout, "import with: hotspot ingest --boundaries %s --population %s %s\n", wards, pop, out)
	return nil
}

// writeMarker says in out that its police.uk-format CSVs are generated:
// ingest finds the marker and the store reports police.uk as synthetic.
func writeMarker(out string) error {
	const text = "The police.uk-format CSVs in this folder were made by `hotspot generate`: synthetic data, not real.\n" +
		"`hotspot ingest` reads this file's presence and marks the data it imports from here as synthetic.\n"
	return os.WriteFile(filepath.Join(out, ingest.SyntheticMarker), []byte(text), 0o644)
}

// writeWardFiles writes the wards GeoJSON and the population CSV into out
// and returns their paths.
func writeWardFiles(out string, wards []geo.Area, pop map[string]int) (string, string, error) {
	wp := filepath.Join(out, "synthetic-wards.geojson")
	if err := writeWards(wp, wards); err != nil {
		return "", "", err
	}
	pp := filepath.Join(out, "synthetic-population.csv")
	return wp, pp, writePopulation(pp, wards, pop)
}

// writeWards writes the wards with ONS-style property names so that
// ingest detects them as wards.
func writeWards(path string, wards []geo.Area) error {
	fc := geojson.NewFeatureCollection()
	for _, w := range wards {
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

func writePopulation(path string, wards []geo.Area, pop map[string]int) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := csv.NewWriter(f)
	_ = w.Write([]string{"code", "name", "population"})
	for _, wd := range wards {
		_ = w.Write([]string{wd.Code, wd.Name, strconv.Itoa(pop[wd.Code])})
	}
	w.Flush()
	if err := w.Error(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
