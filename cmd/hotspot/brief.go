package main

import (
	"context"
	"encoding/json"
	"io"
	"path/filepath"
	"slices"
	"strings"

	"github.com/leicester-csp/hotspot/api/brief"
	"github.com/leicester-csp/hotspot/geo"
	"github.com/leicester-csp/hotspot/geo/analysis"
	"github.com/leicester-csp/hotspot/geo/priority"
)

const (
	briefSynopsis  = "brief [--data-dir DIR | --database-url URL] --ward CODE|NAME --priority ID [--month YYYY-MM] [--months N] [--format html|json] [-o FILE]"
	reportSynopsis = "report [--data-dir DIR | --database-url URL] [--quarter YYYYQn] [--format html|csv|json] [-o FILE]"
)

// cmdBrief writes a ward briefing, the same page or JSON the API gives
// a public caller (target areas are not read here).
func cmdBrief(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) error {
	fs := newFlagSet("brief", briefSynopsis, stderr)
	var (
		sf                                    storeFlags
		ward, prio, month, format, out, prios string
		months                                int
	)
	sf.register(fs, getenv)
	fs.StringVar(&ward, "ward", "", "the ward, by code or name")
	fs.StringVar(&prio, "priority", "", "a priority id")
	fs.StringVar(&month, "month", "", "the brief's last month, YYYY-MM (default: the latest in the data)")
	fs.IntVar(&months, "months", analysis.DefaultBriefMonths, "months the brief covers, ending --month")
	fs.StringVar(&format, "format", "", "html or json (default: by -o's extension, else html)")
	fs.StringVar(&out, "o", "", "output file (default: standard output)")
	fs.StringVar(&prios, "priorities", getenv("HOTSPOT_PRIORITIES"), "JSON file adding or overriding priorities (env HOTSPOT_PRIORITIES)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usagef("unexpected arguments: %v", fs.Args())
	}
	if ward == "" {
		return usagef("--ward: give the ward's code or name")
	}
	if months < 1 {
		return usagef("--months: %d is under 1", months)
	}
	format, err := printFormat(format, out, "html", "json")
	if err != nil {
		return err
	}
	bq := analysis.BriefQuery{Ward: ward, Priority: prio, Months: months}
	if month != "" {
		m, err := geo.ParseMonth(month)
		if err != nil {
			return usagef("--month %q: want YYYY-MM", month)
		}
		bq.Month = &m
	}
	an, closeStore, err := openAnalyzer(ctx, &sf, prios, stderr)
	if err != nil {
		return err
	}
	defer closeStore()
	// The command runs with the store's own access, so the brief lists
	// target areas as an analyst would see them.
	var targets analysis.TargetAreaFunc
	if an.TargetAreaStore() != nil {
		targets = an.AreaSummaries
	}
	b, err := an.Brief(ctx, bq, targets)
	if err != nil {
		return flagErr(err)
	}
	c := brief.FromBrief(b)
	return writeExport(stdout, out, func(w io.Writer) error {
		if format == "json" {
			return writeAPIJSON(w, c)
		}
		return brief.WriteHTML(w, c)
	})
}

// cmdReport writes the quarterly report.
func cmdReport(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) error {
	fs := newFlagSet("report", reportSynopsis, stderr)
	var (
		sf                          storeFlags
		quarter, format, out, prios string
	)
	sf.register(fs, getenv)
	fs.StringVar(&quarter, "quarter", "", "the quarter, YYYYQn (default: the latest complete quarter in the data)")
	fs.StringVar(&format, "format", "", "html, csv or json (default: by -o's extension, else html)")
	fs.StringVar(&out, "o", "", "output file (default: standard output)")
	fs.StringVar(&prios, "priorities", getenv("HOTSPOT_PRIORITIES"), "JSON file of priorities and measures (env HOTSPOT_PRIORITIES)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usagef("unexpected arguments: %v", fs.Args())
	}
	format, err := printFormat(format, out, "html", "csv", "json")
	if err != nil {
		return err
	}
	var q *geo.Quarter
	if quarter != "" {
		v, err := geo.ParseQuarter(quarter)
		if err != nil {
			return usagef("--quarter %q: want YYYYQn, such as 2024Q3", quarter)
		}
		q = &v
	}
	an, closeStore, err := openAnalyzer(ctx, &sf, prios, stderr)
	if err != nil {
		return err
	}
	defer closeStore()
	rep, err := an.Quarterly(ctx, q)
	if err != nil {
		return flagErr(err)
	}
	return writeExport(stdout, out, func(w io.Writer) error {
		switch format {
		case "json":
			return writeAPIJSON(w, brief.FromReport(rep))
		case "csv":
			return brief.WriteReportCSV(w, brief.FromReport(rep))
		}
		return brief.WriteReportHTML(w, rep)
	})
}

// printFormat is --format, or else the output file's extension, or else
// the first offered.
func printFormat(format, out string, offered ...string) (string, error) {
	if format == "" {
		format = strings.TrimPrefix(strings.ToLower(filepath.Ext(out)), ".")
		if format == "htm" {
			format = "html"
		}
		if !slices.Contains(offered, format) {
			format = offered[0]
		}
	}
	if !slices.Contains(offered, format) {
		return "", usagef("--format %q: want one of %s", format, strings.Join(offered, ", "))
	}
	return format, nil
}

// openAnalyzer opens the store and an analyzer with the priorities and
// measures.
func openAnalyzer(ctx context.Context, sf *storeFlags, prios string, stderr io.Writer) (*analysis.Analyzer, func(), error) {
	plan, err := priority.LoadPlan(prios)
	if err != nil {
		return nil, nil, err
	}
	st, err := sf.openOnce(ctx, stderr)
	if err != nil {
		return nil, nil, err
	}
	return analysis.New(st, plan.Priorities).WithMeasures(plan.Measures), func() { st.Close() }, nil
}

// writeAPIJSON writes JSON as the API does (no HTML escaping, one
// line), so that a file equals the API's body.
func writeAPIJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}
