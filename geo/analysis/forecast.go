package analysis

import (
	"context"
	"slices"
	"strings"

	"github.com/leicester-csp/hotspot/geo"
	"github.com/leicester-csp/hotspot/geo/forecast"
)

// ForecastCell is one cell to target next month.
type ForecastCell struct {
	Cell  geo.Cell
	Rank  int     // 1 for the first
	Score float64 // the method's score; NaN for an undefined Gi* z
	Count int     // incidents over the training window
	// TopLocation is the police.uk location most of the window's
	// incidents in the cell carry, "" for none.
	TopLocation string
}

// ForecastResult is the forecast layer: the top cells of the latest
// Train months, and how the method has done in the backtest.
type ForecastResult struct {
	Query *Resolved // Months are the training window
	// Method is the ranking used; Auto says the backtest chose it.
	Method    string
	Auto      bool
	Coverage  float64
	Train     int
	Bandwidth float64
	Cells     []ForecastCell // the selected cells, by rank
	// StudyCells is |S|, the cells the selection is a share of; Scored
	// how many of them score above 0. A cell scoring 0 or less (or an
	// undefined Gi* z) is never a target, so Cells can be fewer than the
	// coverage's share of StudyCells.
	StudyCells int
	Scored     int
	// Tested are the test months the figures average over (the latest
	// up to ForecastBacktestMonths that can be backtested); nil when the
	// data are too short for any.
	Tested *geo.MonthRange
	// Means holds every method the backtest ran (all four for auto) at
	// Coverage, in forecast.Methods' order; Chosen is Method's.
	Means  []BacktestMean
	Chosen BacktestMean
}

// parseForecastMethod reads the forecast's one method ("": auto).
func parseForecastMethod(v string) (string, error) {
	if v == "" || v == MethodAuto {
		return MethodAuto, nil
	}
	if !slices.Contains(forecast.Methods, v) {
		return "", invalid("method", "unknown method %q (known: auto, %s)", v, strings.Join(forecast.Methods, ", "))
	}
	return v, nil
}

// Forecast ranks the cells of the latest p.Train months by the method
// asked for, or (auto) by the one with the best mean PEI at the coverage
// over the latest ForecastBacktestMonths months that can be backtested;
// a tie, or no month to backtest, goes to the first in forecast.Methods'
// order.
func (a *Analyzer) Forecast(ctx context.Context, q Query, p BacktestParams) (*ForecastResult, error) {
	spec, err := p.check()
	if err != nil {
		return nil, err
	}
	method, err := parseForecastMethod(p.Method)
	if err != nil {
		return nil, err
	}
	if strings.Contains(p.Coverage, ",") {
		return nil, invalid("coverage", "the forecast takes one coverage, not a list")
	}
	if spec.coverages, err = parseCoverages(p.Coverage, []float64{DefaultForecastCoverage}); err != nil {
		return nil, err
	}
	if q.AutoK {
		return nil, invalid("k", "k=auto is not offered by the forecast: give k")
	}
	cov := spec.coverages[0]
	out := &ForecastResult{Method: method, Auto: method == MethodAuto, Coverage: cov, Train: spec.train, Bandwidth: spec.bandwidth}
	months, err := a.store.Months(ctx)
	if err != nil {
		return nil, err
	}
	ward := q.Ward
	q.Ward, q.From, q.To = "", nil, nil
	if len(months) > 0 {
		latest := months[len(months)-1]
		from := latest - geo.Month(spec.train) + 1
		if from < months[0] {
			// The months before the data would rank as no incidents.
			return nil, invalid("train", "a training window of %s ending at %s starts at %s, before the data (from %s): train on at most %s",
				Months(spec.train), latest, from, months[0], Months(int(latest-months[0])+1))
		}
		q.From, q.To = Month(from), Month(latest)
	}
	r, err := a.Resolve(ctx, q)
	if out.Query = r; err != nil {
		return nil, err
	}
	empty, err := a.narrowToWard(ctx, r, ward)
	if err != nil || r.NoData || empty {
		if out.Method == MethodAuto {
			out.Method = forecast.Methods[0]
		}
		return out, err
	}
	// One read of the months that both the backtest and the forecast's
	// own window need.
	latest := r.Months.To
	tests := geo.MonthRange{From: max(latest-ForecastBacktestMonths+1, months[0]+geo.Month(spec.train)), To: latest}
	from := r.Months.From
	if tests.From <= tests.To {
		out.Tested = &tests
		from = tests.From - geo.Month(spec.train)
	}
	mc, err := a.monthlyCells(ctx, r, from, latest)
	if err != nil {
		return nil, err
	}
	if err := a.forecastFigures(ctx, r, mc, spec, out); err != nil {
		return nil, err
	}
	return out, a.forecastCells(ctx, r, mc, spec, out)
}

// narrowToWard limits a resolved query's area to one ward; empty says
// the ward lies outside the priority's area, so nothing is selected.
func (a *Analyzer) narrowToWard(ctx context.Context, r *Resolved, ward string) (empty bool, err error) {
	if ward == "" {
		return false, nil
	}
	// By code or by name, as everywhere else a ward is asked for.
	if ward, err = a.WardCode(ctx, ward); err != nil {
		return false, err
	}
	if len(r.AreaWards) > 0 && !slices.Contains(r.AreaWards, ward) {
		return true, nil
	}
	r.AreaWards = []string{ward}
	return false, nil
}

// forecastFigures backtests the latest months that can be, chooses the
// method under auto, and keeps its means.
func (a *Analyzer) forecastFigures(ctx context.Context, r *Resolved, mc monthCells, spec backtestSpec, out *ForecastResult) error {
	if out.Auto {
		spec.methods = slices.Clone(forecast.Methods)
	} else {
		spec.methods = []string{out.Method}
	}
	if out.Tested != nil {
		var err error
		if _, out.Means, err = a.backtestRows(ctx, r, mc, *out.Tested, spec); err != nil {
			return err
		}
	} else {
		for _, m := range spec.methods {
			out.Means = append(out.Means, BacktestMean{Method: m, Coverage: out.Coverage})
		}
	}
	best := 0
	for i, m := range out.Means {
		if m.PEI != nil && (out.Means[best].PEI == nil || *m.PEI > *out.Means[best].PEI) {
			best = i
		}
	}
	out.Chosen = out.Means[best]
	out.Method = out.Chosen.Method
	return nil
}

// forecastCells ranks the training window, the latest spec.train months,
// and keeps the top cells with their names.
func (a *Analyzer) forecastCells(ctx context.Context, r *Resolved, mc monthCells, spec backtestSpec, out *ForecastResult) error {
	spec.methods = []string{out.Method}
	tr, err := a.trainFor(ctx, r, mc, r.Months.To+1, spec)
	if err != nil {
		return err
	}
	out.StudyCells = len(tr.cells)
	scores := tr.scores[out.Method]
	for _, v := range scores {
		if v > 0 {
			out.Scored++
		}
	}
	m := forecast.Selected(out.Coverage, len(tr.cells))
	if m == 0 || out.Scored == 0 {
		return nil
	}
	tallies, err := a.store.PointTallies(ctx, r.Filter())
	if err != nil {
		return err
	}
	_, tops := cellTallies(tallies, r.Res)
	for _, i := range tr.orders[out.Method][:m] {
		// Scores rank descending (NaN last), so the first cell not above
		// 0 ends the targets: nothing there says where to look.
		if !(scores[i] > 0) {
			break
		}
		c := tr.cells[i]
		out.Cells = append(out.Cells, ForecastCell{Cell: c, Rank: len(out.Cells) + 1, Score: scores[i], Count: tr.counts[i], TopLocation: tops[c]})
	}
	return nil
}
