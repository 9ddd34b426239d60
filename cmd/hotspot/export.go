package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"os"

	"github.com/paulmach/orb"

	"github.com/leicester-csp/hotspot/api"
	"github.com/leicester-csp/hotspot/geo"
	"github.com/leicester-csp/hotspot/geo/analysis"
	"github.com/leicester-csp/hotspot/geo/priority"
)

func cmdExport(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) error {
	fs := newFlagSet("export", "export [--data-dir DIR | --database-url URL] --layer hex|wards|incidents [--priority ID | --category NAME] [--from YYYY-MM] [--to YYYY-MM] [--res N] [--k N] [--bbox minLon,minLat,maxLon,maxLat] [--format geojson|csv] [-o FILE]", stderr)
	var (
		sf       storeFlags
		layer    string
		q        analysis.Query
		bboxStr  string
		format   string
		out      string
		prioFile string
	)
	sf.register(fs, getenv)
	fs.StringVar(&layer, "layer", "", "hex, wards or incidents")
	fs.StringVar(&q.Priority, "priority", "", "priority id")
	fs.StringVar(&q.Category, "category", "", "police.uk crime type")
	fs.StringVar(&q.From, "from", "", "first month YYYY-MM (default: 12 months ending at the latest)")
	fs.StringVar(&q.To, "to", "", "last month YYYY-MM (default: the latest)")
	fs.IntVar(&q.Res, "res", analysis.DefaultRes, "H3 resolution 6–10 (hex layer)")
	fs.IntVar(&q.K, "k", analysis.DefaultK, "Gi* neighbourhood rings 1–3 (hex layer)")
	fs.StringVar(&bboxStr, "bbox", "", "only features intersecting minLon,minLat,maxLon,maxLat")
	fs.StringVar(&format, "format", "geojson", "geojson or csv")
	fs.StringVar(&out, "o", "", "output file (default: standard output)")
	fs.StringVar(&prioFile, "priorities", getenv("HOTSPOT_PRIORITIES"), "JSON file adding or overriding priorities (env HOTSPOT_PRIORITIES)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usagef("unexpected arguments: %v", fs.Args())
	}
	if layer != "hex" && layer != "wards" && layer != "incidents" {
		return usagef("--layer %q: want hex, wards or incidents", layer)
	}
	if format != "geojson" && format != "csv" {
		return usagef("--format %q: want geojson or csv", format)
	}
	var bbox *orb.Bound
	if bboxStr != "" {
		b, err := api.ParseBBox(bboxStr)
		if err != nil {
			return flagErr(err)
		}
		bbox = &b
	}
	log, err := newLogger(stderr, sf.logFormat, sf.logLevel)
	if err != nil {
		return err
	}
	prios, err := priority.Load(prioFile)
	if err != nil {
		return err
	}
	st, err := sf.open(ctx, log, 0)
	if err != nil {
		return err
	}
	defer st.Close()
	if ms, err := st.Months(ctx); err != nil {
		return err
	} else if len(ms) == 0 {
		return fmt.Errorf("the store in %s holds no incidents: import data with hotspot ingest first", sf.where())
	}
	an := analysis.New(st, prios)

	w := stdout
	var f *os.File
	if out != "" && out != "-" {
		if f, err = os.Create(out); err != nil {
			return err
		}
		defer f.Close()
		w = f
	}
	bw := bufio.NewWriterSize(w, 1<<20)
	if err := export(ctx, bw, an, layer, format, q, bbox); err != nil {
		if f != nil {
			f.Close()
			os.Remove(out) // a half-written export would mislead
		}
		return flagErr(err)
	}
	if err := bw.Flush(); err != nil {
		return err
	}
	if f != nil {
		return f.Close()
	}
	return nil
}

func export(ctx context.Context, w io.Writer, an *analysis.Analyzer, layer, format string, q analysis.Query, bbox *orb.Bound) error {
	csvOut := format == "csv"
	version, err := an.Store().Version(ctx)
	if err != nil {
		return err
	}
	meta := func(r *analysis.Resolved) api.Meta {
		m := api.MetaFor(r, false)
		m.Version = version
		return m
	}
	switch layer {
	case "hex":
		res, err := an.Hex(ctx, q)
		if err != nil {
			return err
		}
		m := meta(res.Query)
		if csvOut {
			return api.WriteHexCSV(w, res, m, bbox)
		}
		return api.WriteHexGeoJSON(w, res, m, bbox)
	case "wards":
		q.Res, q.K = 0, 0
		res, err := an.Wards(ctx, q)
		if err != nil {
			return err
		}
		m := meta(res.Query)
		if csvOut {
			return api.WriteWardsCSV(w, res, m, bbox)
		}
		return api.WriteWardsGeoJSON(w, res, m, bbox)
	default:
		q.Res, q.K = 0, 0
		r, err := an.Resolve(ctx, q)
		if err != nil {
			return err
		}
		// One read, so that the list and its total come from one state of
		// the store even while another process imports.
		page, err := an.Store().Incidents(ctx, r.Filter(), geo.PageRequest{BBox: bbox, Limit: math.MaxInt32})
		if err != nil {
			return err
		}
		m := meta(r)
		if csvOut {
			return api.WriteIncidentsCSV(w, page, m, page.Total, 0)
		}
		return api.WriteIncidentsGeoJSON(w, page, m, page.Total, 0)
	}
}

// flagErr names the flag behind a bad parameter, as the API names the
// query parameter.
func flagErr(err error) error {
	var pe *geo.ParamError
	if errors.As(err, &pe) {
		return usagef("--%s: %s", pe.Param, pe.Msg)
	}
	return err
}
