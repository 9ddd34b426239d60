package analysis

import (
	"context"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/leicester-csp/hotspot/geo"
	"github.com/leicester-csp/hotspot/geo/forecast"
	"github.com/leicester-csp/hotspot/geo/hex"
	"github.com/leicester-csp/hotspot/geo/stats"
)

// BacktestParams are what the backtest and the forecast take beyond a
// Query (DESIGN.md, "Backtest" and "Forecast"); zero fields take the
// defaults. Method and Coverage are the parameters' text, checked here so
// that the API and the command line refuse the same things alike.
type BacktestParams struct {
	Train int // months before each test month; 0: 12
	// Method is a comma list of counts, recency, gi and kde ("": all four);
	// the forecast takes one of them or auto ("": auto).
	Method string
	// Coverage is a comma list of percents in (0, 100] ("": 1,5,10); the
	// forecast takes one ("": 5).
	Coverage  string
	Bandwidth float64 // the KDE bandwidth in metres; 0: 250
}

// Defaults and limits of the backtest and the forecast.
const (
	DefaultTrain     = 12
	MaxTrain         = 60
	DefaultBandwidth = 250
	// MaxBandwidth (50 km) is wider than any city a partnership covers: a
	// larger kernel smooths every cell to the same score.
	MaxBandwidth = 50000
	// MaxTestMonths bounds a backtest's cost: each test month is a Gi*
	// and a KDE over its study area.
	MaxTestMonths = 60
	// MaxCoverages bounds the coverage list: every coverage is a row per
	// test month and method, and twenty is more than a chart can show.
	MaxCoverages = 20
	// DefaultForecastCoverage is the forecast's coverage, in percent.
	DefaultForecastCoverage = 5
	// ForecastBacktestMonths is how many of the latest months that can be
	// backtested the forecast's figures (and method=auto) average over.
	ForecastBacktestMonths = 6
	// MethodAuto lets the backtest choose the forecast's method.
	MethodAuto = "auto"
)

// DefaultCoverages are the backtest's coverages when none are asked for.
var DefaultCoverages = []float64{1, 5, 10}

// BacktestRow is one test month's figures for one method and coverage.
type BacktestRow struct {
	Month    geo.Month
	Method   string
	Coverage float64
	forecast.Outcome
}

// BacktestMean is a method's mean figures at one coverage over the test
// months, each over the months where it is defined (nil where none is).
type BacktestMean struct {
	Method        string
	Coverage      float64
	PAI, PEI, RRI *float64
}

// BacktestResult is a backtest: rows by month, then method (in
// forecast.Methods' order), then coverage (ascending); means by method,
// then coverage.
type BacktestResult struct {
	Query     *Resolved // Months are the test months
	Train     int
	Bandwidth float64
	Methods   []string
	Coverages []float64
	Rows      []BacktestRow
	Means     []BacktestMean
}

// backtestSpec is BacktestParams checked, defaults filled in.
type backtestSpec struct {
	train     int
	bandwidth float64
	methods   []string
	coverages []float64
}

func (p BacktestParams) check() (backtestSpec, error) {
	s := backtestSpec{train: p.Train, bandwidth: p.Bandwidth}
	if s.train == 0 {
		s.train = DefaultTrain
	}
	if s.train < 1 || s.train > MaxTrain {
		return s, invalid("train", "training window of %d months is out of range 1–%d", s.train, MaxTrain)
	}
	if s.bandwidth == 0 {
		s.bandwidth = DefaultBandwidth
	}
	if !(s.bandwidth > 0 && s.bandwidth <= MaxBandwidth) {
		return s, invalid("bandwidth", "bandwidth %v m is out of range: more than 0 and at most %d metres", s.bandwidth, MaxBandwidth)
	}
	return s, nil
}

// Months is n months in words: "1 month", "12 months".
func Months(n int) string {
	if n == 1 {
		return "1 month"
	}
	return strconv.Itoa(n) + " months"
}

// parseMethods reads a comma list of methods, in forecast.Methods'
// order; "" is every method.
func parseMethods(v string) ([]string, error) {
	if v == "" {
		return slices.Clone(forecast.Methods), nil
	}
	var out []string
	for _, m := range strings.Split(v, ",") {
		m = strings.TrimSpace(m)
		if !slices.Contains(forecast.Methods, m) {
			return nil, invalid("method", "unknown method %q (known: %s)", m, strings.Join(forecast.Methods, ", "))
		}
		if !slices.Contains(out, m) {
			out = append(out, m)
		}
	}
	slices.SortFunc(out, func(a, b string) int { return slices.Index(forecast.Methods, a) - slices.Index(forecast.Methods, b) })
	return out, nil
}

// parseCoverages reads a comma list of percents in (0, 100], ascending
// without repeats; "" is def.
func parseCoverages(v string, def []float64) ([]float64, error) {
	if v == "" {
		return slices.Clone(def), nil
	}
	parts := strings.Split(v, ",")
	if len(parts) > MaxCoverages {
		return nil, invalid("coverage", "%d coverages asked for, over the %d a backtest takes", len(parts), MaxCoverages)
	}
	var out []float64
	for _, s := range parts {
		c, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
		if err != nil || math.IsNaN(c) || c <= 0 || c > 100 {
			return nil, invalid("coverage", "coverage %q is not a percent above 0 and at most 100", s)
		}
		out = append(out, c)
	}
	slices.Sort(out)
	return slices.Compact(out), nil
}

// Backtest ranks the cells of each test month's training window by each
// method and scores the top cells of each coverage against the test
// month (DESIGN.md, "Backtest").
func (a *Analyzer) Backtest(ctx context.Context, q Query, p BacktestParams) (*BacktestResult, error) {
	spec, err := p.check()
	if err != nil {
		return nil, err
	}
	if spec.methods, err = parseMethods(p.Method); err != nil {
		return nil, err
	}
	if spec.coverages, err = parseCoverages(p.Coverage, DefaultCoverages); err != nil {
		return nil, err
	}
	if q.AutoK {
		return nil, invalid("k", "k=auto is not offered by the backtest: give k")
	}
	r, err := a.Resolve(ctx, q)
	if err != nil {
		return nil, err
	}
	if err := refuseUnsuppressed(ctx, r, "backtest counts"); err != nil {
		return nil, err
	}
	out := &BacktestResult{Query: r, Train: spec.train, Bandwidth: spec.bandwidth, Methods: spec.methods, Coverages: spec.coverages}
	months, err := a.store.Months(ctx)
	if err != nil {
		return nil, err
	}
	if r.NoData || len(months) == 0 {
		return nil, invalid("from", "the store holds no incidents to backtest")
	}
	if n := r.Months.Len(); n > MaxTestMonths {
		return nil, invalid("from", "%d test months asked for, over the %d a backtest takes", n, MaxTestMonths)
	}
	if latest := months[len(months)-1]; r.Months.To > latest {
		return nil, invalid("to", "test month %s is after the latest month in the data, %s: it has no incidents to score against", r.Months.To, latest)
	}
	if start := r.Months.From - geo.Month(spec.train); start < months[0] {
		return nil, invalid("from", "test month %s trains on the %s from %s, but the data start at %s: start the test months at %s or later, or train on fewer months",
			r.Months.From, Months(spec.train), start, months[0], months[0]+geo.Month(spec.train))
	}
	mc, err := a.monthlyCells(ctx, r, r.Months.From-geo.Month(spec.train), r.Months.To)
	if err != nil {
		return nil, err
	}
	out.Rows, out.Means, err = a.backtestRows(ctx, r, mc, r.Months, spec)
	return out, err
}

// monthCells are the counted incidents per cell of each month read.
type monthCells map[geo.Month]map[geo.Cell]int

// monthlyCells reads the cell counts of each month from..to: one store
// read a month, whatever the number of cells.
func (a *Analyzer) monthlyCells(ctx context.Context, r *Resolved, from, to geo.Month) (monthCells, error) {
	out := monthCells{}
	f := r.Filter()
	for m := from; m <= to; m++ {
		f.Months = geo.MonthRange{From: m, To: m}
		c, err := a.store.CellCounts(ctx, f, r.Res)
		if err != nil {
			return nil, err
		}
		out[m] = c
	}
	return out, nil
}

// backtestRows runs the test months with the counts read.
func (a *Analyzer) backtestRows(ctx context.Context, r *Resolved, mc monthCells, tests geo.MonthRange, spec backtestSpec) ([]BacktestRow, []BacktestMean, error) {
	var rows []BacktestRow
	for _, t := range tests.Months() {
		if err := ctx.Err(); err != nil {
			return nil, nil, err
		}
		tr, err := a.trainFor(ctx, r, mc, t, spec)
		if err != nil {
			return nil, nil, err
		}
		test := make([]int, len(tr.cells))
		for i, c := range tr.cells {
			test[i] = mc[t][c]
		}
		n := 0
		for _, c := range mc[t] {
			n += c
		}
		for _, m := range spec.methods {
			for _, cov := range spec.coverages {
				sel := forecast.Selected(cov, len(tr.cells))
				rows = append(rows, BacktestRow{Month: t, Method: m, Coverage: cov, Outcome: forecast.Evaluate(tr.orders[m], sel, test, tr.counts, n)})
			}
		}
	}
	return rows, backtestMeans(rows, spec), nil
}

// backtestMeans averages the rows per method and coverage in one pass:
// rows come month by month, each month's methods and coverages in
// spec's order, so row i is the (i mod groups)th pair.
func backtestMeans(rows []BacktestRow, spec backtestSpec) []BacktestMean {
	groups := len(spec.methods) * len(spec.coverages)
	pai, pei, rri := make([][]*float64, groups), make([][]*float64, groups), make([][]*float64, groups)
	for i, row := range rows {
		g := i % groups
		pai[g], pei[g], rri[g] = append(pai[g], row.PAI), append(pei[g], row.PEI), append(rri[g], row.RRI)
	}
	means := make([]BacktestMean, 0, groups)
	for mi, m := range spec.methods {
		for ci, cov := range spec.coverages {
			g := mi*len(spec.coverages) + ci
			means = append(means, BacktestMean{Method: m, Coverage: cov, PAI: forecast.Mean(pai[g]), PEI: forecast.Mean(pei[g]), RRI: forecast.Mean(rri[g])})
		}
	}
	return means
}

// trained is a training window ranked: its study area (ascending), each
// cell's count, and each method's scores and order.
type trained struct {
	cells  []geo.Cell
	counts []int
	scores map[string][]float64
	orders map[string][]int
}

// trainFor ranks the study area of the spec.train months before t.
func (a *Analyzer) trainFor(ctx context.Context, r *Resolved, mc monthCells, t geo.Month, spec backtestSpec) (*trained, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	w := map[geo.Cell]int{}
	for m := t - geo.Month(spec.train); m < t; m++ {
		for c, n := range mc[m] {
			w[c] += n
		}
	}
	cells, err := a.studyCells(ctx, r, w)
	if err != nil {
		return nil, err
	}
	tr := &trained{cells: cells, counts: make([]int, len(cells)), scores: map[string][]float64{}, orders: map[string][]int{}}
	for i, c := range cells {
		tr.counts[i] = w[c]
	}
	for _, m := range spec.methods {
		var s []float64
		switch m {
		case forecast.MethodCounts:
			s = make([]float64, len(cells))
			for i, n := range tr.counts {
				s[i] = float64(n)
			}
		case forecast.MethodRecency:
			monthly := make([][]int, 0, spec.train)
			for mo := t - geo.Month(spec.train); mo < t; mo++ {
				v := make([]int, len(cells))
				for i, c := range cells {
					v[i] = mc[mo][c]
				}
				monthly = append(monthly, v)
			}
			s = forecast.Recency(monthly, len(cells))
		case forecast.MethodGi:
			if s, err = a.giScores(ctx, r, cells, tr.counts); err != nil {
				return nil, err
			}
		case forecast.MethodKDE:
			lat, lng := make([]float64, len(cells)), make([]float64, len(cells))
			for i, c := range cells {
				p := hex.Center(c)
				lat[i], lng[i] = p[1], p[0]
			}
			s = forecast.KDE(lat, lng, tr.counts, spec.bandwidth)
		}
		tr.scores[m], tr.orders[m] = s, forecast.Rank(cells, s)
	}
	return tr, nil
}

// giScores is the window's Gi* z per cell over gridDisk(cell, k) within
// the study area; NaN everywhere where Gi* is undefined.
func (a *Analyzer) giScores(ctx context.Context, r *Resolved, cells []geo.Cell, counts []int) ([]float64, error) {
	x := make([]float64, len(cells))
	for i, n := range counts {
		x[i] = float64(n)
	}
	nbrs, err := a.neighbours(ctx, cells, r.K, true)
	if err != nil {
		return nil, err
	}
	z, ok := stats.GiStar(x, nbrs)
	if !ok {
		z = make([]float64, len(cells))
		for i := range z {
			z[i] = math.NaN()
		}
	}
	return z, nil
}
