package main

import (
	"context"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/leicester-csp/hotspot/geo"
	"github.com/leicester-csp/hotspot/geo/analysis"
	"github.com/leicester-csp/hotspot/geo/layer"
	"github.com/leicester-csp/hotspot/geo/priority"
)

const backtestSynopsis = "backtest [--data-dir DIR | --database-url URL] --priority ID | --category NAME --from YYYY-MM --to YYYY-MM " +
	"[--train N] [--res N] [--k N] [--method LIST] [--coverage LIST] [--bandwidth M] [--json]"

// cmdBacktest scores how well each ranking of past months caught each
// test month (DESIGN.md, "Backtest"): a table, or with --json the API's
// object.
func cmdBacktest(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) error {
	fs := newFlagSet("backtest", backtestSynopsis, stderr)
	var (
		sf                                      storeFlags
		prio, cat, from, to, method, cov, prios string
		train, res, k                           int
		bandwidth                               float64
		asJSON                                  bool
	)
	sf.register(fs, getenv)
	fs.StringVar(&prio, "priority", "", "a priority id")
	fs.StringVar(&cat, "category", "", "a police.uk crime type, instead of a priority")
	fs.StringVar(&from, "from", "", "first test month, YYYY-MM")
	fs.StringVar(&to, "to", "", "last test month, YYYY-MM")
	fs.IntVar(&train, "train", analysis.DefaultTrain, "months before each test month that the rankings learn from")
	fs.IntVar(&res, "res", analysis.DefaultRes, "H3 resolution")
	fs.IntVar(&k, "k", analysis.DefaultK, "Gi* neighbourhood in rings of cells")
	fs.StringVar(&method, "method", strings.Join([]string{"counts", "recency", "gi", "kde"}, ","), "comma list of counts, recency, gi, kde")
	fs.StringVar(&cov, "coverage", "1,5,10", "comma list of coverages, percent of the study area's cells")
	fs.Float64Var(&bandwidth, "bandwidth", analysis.DefaultBandwidth, "KDE bandwidth, metres")
	fs.BoolVar(&asJSON, "json", false, "print the API's JSON object instead of a table")
	fs.StringVar(&prios, "priorities", getenv("HOTSPOT_PRIORITIES"), "JSON file adding or overriding priorities (env HOTSPOT_PRIORITIES)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usagef("unexpected arguments: %v", fs.Args())
	}
	q, err := backtestQuery(prio, cat, from, to, res, k, train, bandwidth)
	if err != nil {
		return err
	}
	pl, err := priority.Load(prios)
	if err != nil {
		return err
	}
	st, err := sf.openOnce(ctx, stderr)
	if err != nil {
		return err
	}
	defer st.Close()
	br, err := analysis.New(st, pl).Backtest(ctx, q, analysis.BacktestParams{Train: train, Method: method, Coverage: cov, Bandwidth: bandwidth})
	if err != nil {
		return flagErr(err)
	}
	var src layer.Source
	if src.Version, err = shownVersion(ctx, st, "", prio, pl); err != nil {
		return err
	}
	ans := layer.Backtest(br, src)
	if asJSON {
		return ans.WriteJSON(stdout)
	}
	return writeBacktestTable(stdout, ans)
}

// backtestQuery checks the flags that the analysis would take 0 in as
// "the default" and reads the months.
func backtestQuery(prio, cat, from, to string, res, k, train int, bandwidth float64) (analysis.Query, error) {
	q := analysis.Query{Priority: prio, Category: cat, Res: res, K: k}
	for _, m := range []struct {
		name, v string
		dst     **geo.Month
	}{{"from", from, &q.From}, {"to", to, &q.To}} {
		if m.v == "" {
			continue
		}
		mo, err := geo.ParseMonth(m.v)
		if err != nil {
			return q, usagef("--%s %q: want YYYY-MM", m.name, m.v)
		}
		*m.dst = &mo
	}
	// 0 would mean the default to the analysis; on the command line it
	// is a mistake.
	switch {
	case train < 1:
		return q, usagef("--train: training window of %d months is under 1", train)
	case bandwidth <= 0:
		return q, usagef("--bandwidth: %v m is not above 0", bandwidth)
	case res == 0:
		return q, usagef("--res: resolution 0 is out of range %d–%d", geo.MinRes, geo.MaxRes)
	case k == 0:
		return q, usagef("--k: neighbourhood 0 is out of range %d–%d", analysis.MinK, analysis.MaxK)
	}
	return q, nil
}

// writeBacktestTable prints the rows and then the means, aligned.
func writeBacktestTable(w io.Writer, a *layer.BacktestJSON) error {
	h := a.Hotspot
	what := "every category"
	switch {
	case h.Priority != nil:
		what = *h.Priority
	case h.Category != nil:
		what = *h.Category
	}
	fmt.Fprintf(w, "Backtest of %s: test months %s to %s, each ranked on the %s before; res %d, k %d, KDE bandwidth %s m\n\n",
		what, deref(h.From), deref(h.To), analysis.Months(deref(h.Train)), deref(h.Res), deref(h.K), strconv.FormatFloat(deref(h.Bandwidth), 'f', -1, 64))
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "month\tmethod\tcoverage\tcells\tselected\tincidents\thits\tPAI\tPEI\tRRI\t")
	for _, r := range a.Rows {
		fmt.Fprintf(tw, "%s\t%s\t%s %%\t%d\t%d\t%d\t%d\t%s\t%s\t%s\t\n", r.Month, r.Method, figure(r.Coverage), r.Cells, r.Selected, r.Incidents, r.Hits,
			fixed(r.PAI, 2), fixed(r.PEI, 3), fixed(r.RRI, 2))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintln(w, "\nMeans over the test months (months where a figure is undefined left out):")
	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "method\tcoverage\tPAI\tPEI\tRRI\t")
	for _, m := range a.Means {
		fmt.Fprintf(tw, "%s\t%s %%\t%s\t%s\t%s\t\n", m.Method, figure(m.Coverage), fixed(m.PAI, 2), fixed(m.PEI, 3), fixed(m.RRI, 2))
	}
	return tw.Flush()
}

func figure(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }

// fixed prints a figure with d decimals, "–" where it is undefined.
func fixed(p *float64, d int) string {
	if p == nil {
		return "–"
	}
	return strconv.FormatFloat(*p, 'f', d, 64)
}

func deref[T any](p *T) T {
	var zero T
	if p == nil {
		return zero
	}
	return *p
}
