package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/leicester-csp/hotspot/geo"
	"github.com/leicester-csp/hotspot/geo/analysis"
	"github.com/leicester-csp/hotspot/geo/layer"
	"github.com/leicester-csp/hotspot/geo/priority"
)

// exportFilters are the layer filters export offers as flags, described
// by the layers' own declarations.
var exportFilters = []string{"priority", "category", "from", "to", "ward", "scope", "res", "k", "study", "inference", "permutations", "seed", "compare", "min", "bbox",
	"method", "coverage", "train", "bandwidth", "source", "flag", "days", "hours", "kind"}

func cmdExport(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) error {
	fs := newFlagSet("export", "export [--data-dir DIR | --database-url URL] --layer hex|wards|change|incidents|repeats|emerging|forecast|premises [--priority ID | --category NAME] [--from YYYY-MM] [--to YYYY-MM] [--ward CODE|NAME] [--scope area|all] [--res N] [--k N] [--study area|points] [--inference normal|permutation [--permutations N] [--seed N]] [--compare previous|year] [--method M] [--coverage P] [--train N] [--bandwidth M] [--min N] [--bbox minLon,minLat,maxLon,maxLat] [--format geojson|csv] [-o FILE]", stderr)
	var (
		sf                        storeFlags
		name, format, out, prioFs string
	)
	sf.register(fs, getenv)
	filters := map[string]*string{}
	// The layers' declarations, before any store is open, for the help.
	declared := layer.New(nil).Layers()
	fs.StringVar(&name, "layer", "", "the layer: "+layerNames(declared))
	for _, f := range exportFilters {
		filters[f] = fs.String(f, "", flagHelp(f, declared))
	}
	fs.StringVar(&format, "format", "geojson", "geojson or csv")
	fs.StringVar(&out, "o", "", "output file (default: standard output)")
	fs.StringVar(&prioFs, "priorities", getenv("HOTSPOT_PRIORITIES"), "JSON file adding or overriding priorities (env HOTSPOT_PRIORITIES)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usagef("unexpected arguments: %v", fs.Args())
	}
	if format != "geojson" && format != "csv" {
		return usagef("--format %q: want geojson or csv", format)
	}
	prios, err := priority.Load(prioFs)
	if err != nil {
		return err
	}
	st, err := sf.openOnce(ctx, stderr)
	if err != nil {
		return err
	}
	defer st.Close()
	set := layer.New(analysis.New(st, prios))
	l, ok := set.Lookup(name)
	if !ok {
		return usagef("--layer %q: want one of %s", name, layerNames(set.Layers()))
	}
	req, err := exportRequest(l, filters)
	if err != nil {
		return err
	}
	if ms, err := st.Months(ctx); err != nil {
		return err
	} else if len(ms) == 0 {
		return fmt.Errorf("the store in %s holds no incidents: import data with hotspot ingest first", sf.where())
	}
	if req.Source.Version, err = shownVersion(ctx, st, *filters["source"], *filters["priority"], prios); err != nil {
		return err
	}
	err = writeExport(stdout, out, func(w io.Writer) error {
		a, err := set.Answer(ctx, l.Name, req)
		if err != nil {
			return flagErr(err)
		}
		if format == "csv" {
			return layer.WriteCSV(w, a)
		}
		return layer.WriteGeoJSON(w, a)
	})
	if err == nil && format == "csv" && out != "" && out != "-" {
		// GDAL and QGIS read F.csvt beside F.csv for the column types;
		// without it every column opens as text.
		err = writeCSVT(out, l.Schema)
	}
	return err
}

// writeCSVT writes the .csvt file of the CSV file out.
func writeCSVT(out string, s *layer.Schema) error {
	name := strings.TrimSuffix(out, filepath.Ext(out)) + ".csvt"
	if err := os.WriteFile(name, []byte(layer.CSVTypes(s)), 0o644); err != nil {
		return fmt.Errorf("write the column types beside the CSV: %w", err)
	}
	return nil
}

// flagHelp describes a filter flag from the layers' declarations: what it
// is, its range and default, and which layers take it when not all do.
func flagHelp(name string, layers []*layer.Layer) string {
	p, _ := layer.ParamOf(name)
	help := p.Description
	if p.HasRange {
		help += fmt.Sprintf(", %d–%d (default %d)", p.Min, p.Max, p.Default)
	}
	var takers []string
	for _, l := range layers {
		if slices.Contains(l.Params, name) {
			takers = append(takers, l.Name)
		}
	}
	if len(takers) < len(layers) {
		help += "; layer " + strings.Join(takers, ", ") + " only"
	}
	return help
}

// exportRequest reads the filter flags given into the layer's request
// for the whole study area (every incident, for the incident layer).
func exportRequest(l *layer.Layer, filters map[string]*string) (layer.Request, error) {
	var req layer.Request
	for _, f := range exportFilters {
		v := *filters[f]
		if v == "" {
			continue
		}
		if !slices.Contains(l.Params, f) {
			return req, usagef("--%s: the %s layer does not take it", f, l.Name)
		}
		if err := setFilter(&req, f, v); err != nil {
			return req, usagef("--%s: %v", f, err)
		}
	}
	return req, nil
}

func setFilter(req *layer.Request, name, v string) error {
	q := &req.Query
	switch name {
	case "priority", "category", "study", "inference", "ward", "scope", "compare", "method", "coverage", "source", "flag", "days", "hours", "kind":
		req.SetText(name, v)
	case "from", "to":
		m, err := geo.ParseMonth(v)
		if err != nil {
			return fmt.Errorf("month %q is not YYYY-MM", v)
		}
		if name == "from" {
			q.From = &m
		} else {
			q.To = &m
		}
	case "res", "k", "min", "permutations", "seed", "train", "bandwidth":
		p, _ := layer.ParamOf(name)
		n, err := strconv.Atoi(v)
		if err != nil || n < p.Min || n > p.Max {
			return fmt.Errorf("%q is not an integer %d–%d", v, p.Min, p.Max)
		}
		req.SetInt(name, n)
	case "bbox":
		b, err := geo.ParseBBox(v)
		if err != nil {
			return errors.New(strings.TrimPrefix(err.Error(), geo.ErrInvalid.Error()+": "))
		}
		req.BBox = &b
	}
	return nil
}

// writeExport writes to the file named out (standard output for "" or
// "-"), removing a half-written file, which would mislead.
func writeExport(stdout io.Writer, out string, write func(io.Writer) error) error {
	w := stdout
	var f *os.File
	if out != "" && out != "-" {
		var err error
		if f, err = os.Create(out); err != nil {
			return err
		}
		defer f.Close()
		w = f
	}
	bw := bufio.NewWriterSize(w, 1<<20)
	err := write(bw)
	if err == nil {
		err = bw.Flush()
	}
	if err == nil && f != nil {
		err = f.Close()
	}
	if err != nil && f != nil {
		f.Close()
		os.Remove(out)
	}
	return err
}

// flagErr names the flag behind a bad query field, as the API names the
// query parameter.
func flagErr(err error) error {
	var fe *analysis.FieldError
	if errors.As(err, &fe) {
		return usagef("--%s: %s", fe.Field, fe.Msg)
	}
	return err
}

// layerNames lists the layers for messages: "hex, wards, … or emerging".
func layerNames(ls []*layer.Layer) string {
	names := make([]string, len(ls))
	for i, l := range ls {
		names[i] = l.Name
	}
	if len(names) < 2 {
		return strings.Join(names, "")
	}
	return strings.Join(names[:len(names)-1], ", ") + " or " + names[len(names)-1]
}
