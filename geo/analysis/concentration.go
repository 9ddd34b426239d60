package analysis

import (
	"context"

	"github.com/leicester-csp/hotspot/geo"
	"github.com/leicester-csp/hotspot/geo/stats"
)

// ConcentrationResult is how concentrated a query's incidents are over
// its study area at its resolution.
type ConcentrationResult struct {
	Query *Resolved
	stats.Concentration
}

// Concentration computes the share of cells holding half and 80 % of the
// incidents, the Gini coefficient and the Lorenz curve over the study
// area (the hex layer's), zero cells included. With a ward the study
// area is that ward's cells; a ward outside a priority's area counts
// nothing there.
func (a *Analyzer) Concentration(ctx context.Context, q Query) (*ConcentrationResult, error) {
	r, err := a.Resolve(ctx, q)
	if err != nil {
		return nil, err
	}
	// The Lorenz curve with the total gives each cell's count back, small
	// ones included: no partner view of a local source.
	if err := refuseUnsuppressed(ctx, r, "concentration curves"); err != nil {
		return nil, err
	}
	out := &ConcentrationResult{Query: r}
	if r.NoData {
		return out, nil
	}
	area := r
	if r.Ward != "" {
		// Resolve has turned the ward's name or code into a known code.
		only := *r
		only.AreaWards = []string{r.Ward}
		area = &only
	}
	counts := map[geo.Cell]int{}
	if !r.Empty {
		if counts, err = a.store.CellCounts(ctx, r.Filter(), r.Res); err != nil {
			return nil, err
		}
	}
	cells, err := a.studyCells(ctx, area, counts)
	if err != nil {
		return nil, err
	}
	x := make([]int, len(cells))
	for i, c := range cells {
		x[i] = counts[c]
	}
	out.Concentration = stats.Concentrate(x)
	return out, nil
}
