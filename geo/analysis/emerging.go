package analysis

import (
	"context"
	"math"

	"github.com/leicester-csp/hotspot/geo"
	"github.com/leicester-csp/hotspot/geo/stats"
)

// MinEmergingMonths is the shortest window emerging hot spots are found
// over (DESIGN.md): fewer months give the trend test nothing to stand on.
const MinEmergingMonths = 10

// MaxEmergingMonths bounds an emerging window's cost: each month is a
// Gi* over the study area and each cell's trend test is quadratic in the
// months. Ten years is more than police.uk keeps.
const MaxEmergingMonths = 120

// EmergingCell is one study-area cell's emerging hot spot figures.
type EmergingCell struct {
	Cell  geo.Cell
	Count int // incidents over the window
	// Pattern is one of stats.Patterns().
	Pattern string
	// TrendZ and TrendP are the Mann-Kendall Z and two-sided p of the
	// cell's monthly Gi* z (an undefined z counted as 0).
	TrendZ, TrendP float64
	// MonthsHot and MonthsCold count the months whose FDR bin is ≥ 2 and
	// ≤ −2.
	MonthsHot, MonthsCold int
	// Bins are the monthly FDR bins, oldest first.
	Bins []int
}

// EmergingResult is the emerging hot spot layer for a query.
type EmergingResult struct {
	Query *Resolved
	Cells []EmergingCell // every study-area cell, ascending by index
	Total int            // incidents counted over the window
}

// Emerging finds emerging hot spots: for each month of the window, Gi*
// and the FDR bins over the window's study area with that month's counts
// (the neighbourhoods are the same every month, so they are found once);
// then per cell the Mann-Kendall trend of its monthly z and the first of
// the seventeen patterns that fits. The window needs MinEmergingMonths.
func (a *Analyzer) Emerging(ctx context.Context, q Query) (*EmergingResult, error) {
	if q.AutoK {
		return nil, invalid("k", "k=auto is not offered for emerging hot spots: give k as 1–%d", MaxK)
	}
	if q.Study != "" && q.Study != StudyArea {
		return nil, invalid("study", "emerging hot spots use the area's study area only")
	}
	if q.Inference != "" && q.Inference != InferenceNormal {
		return nil, invalid("inference", "emerging hot spots use the normal approximation only")
	}
	r, err := a.Resolve(ctx, q)
	if err != nil {
		return nil, err
	}
	out := &EmergingResult{Query: r}
	if r.NoData {
		return out, nil
	}
	if err := a.emergingWindow(ctx, r.Months); err != nil {
		return nil, err
	}
	cms, err := a.store.CellMonthCounts(ctx, r.Filter(), r.Res)
	if err != nil {
		return nil, err
	}
	counts := make(map[geo.Cell]int)
	for _, c := range cms {
		counts[c.Cell] += c.Count
	}
	cells, err := a.studyCells(ctx, r, counts)
	if err != nil {
		return nil, err
	}
	nbrs, err := a.neighbours(ctx, cells, r.K, true)
	if err != nil {
		return nil, err
	}
	n, nc := r.Months.Len(), len(cells)
	bins, zs, err := monthlyBins(ctx, r.Months, cells, cms, nbrs)
	if err != nil {
		return nil, err
	}
	out.Cells = make([]EmergingCell, nc)
	for i, c := range cells {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		b := bins[i*n : (i+1)*n : (i+1)*n]
		mk := stats.MannKendallTest(zs[i*n : (i+1)*n])
		ec := EmergingCell{Cell: c, Count: counts[c], TrendZ: mk.Z, TrendP: mk.P, Bins: b}
		for _, v := range b {
			switch {
			case v >= 2:
				ec.MonthsHot++
			case v <= -2:
				ec.MonthsCold++
			}
		}
		ec.Pattern = stats.EmergingPattern(b, mk.Z, mk.P)
		out.Total += ec.Count
		out.Cells[i] = ec
	}
	return out, nil
}

// emergingWindow checks that a window holds MinEmergingMonths to
// MaxEmergingMonths months, all within the store's months: a month
// outside the data would count as zero everywhere and make a busy cell
// look "new" or "historical" by its absence.
func (a *Analyzer) emergingWindow(ctx context.Context, w geo.MonthRange) error {
	n := w.Len()
	if n > MaxEmergingMonths {
		return invalid("from", "emerging hot spots take at most %d months; %s to %s is %d", MaxEmergingMonths, w.From, w.To, n)
	}
	if n < MinEmergingMonths {
		return invalid("from", "emerging hot spots need at least %d months; %s to %s is %d", MinEmergingMonths, w.From, w.To, n)
	}
	months, err := a.store.Months(ctx)
	if err != nil {
		return err
	}
	if len(months) == 0 {
		return invalid("from", "the store holds no incidents to find emerging hot spots in")
	}
	first, last := months[0], months[len(months)-1]
	if w.From < first {
		return invalid("from", "the window starts at %s, before the data (%s to %s): months before the data would count as no incidents", w.From, first, last)
	}
	if w.To > last {
		return invalid("to", "the window ends at %s, after the data (%s to %s): months after the data would count as no incidents", w.To, first, last)
	}
	return nil
}

// monthlyBins runs Gi* and the FDR bins for each month of ms over the
// cells (ascending) with that month's counts, the neighbourhoods shared.
// It returns, cell-major so that each cell's series is one run of memory,
// bins[i*n+m] and zs[i*n+m]: cell i's bin and z in month m, an undefined
// z as 0 (and its bin 0).
func monthlyBins(ctx context.Context, ms geo.MonthRange, cells []geo.Cell, cms []geo.CellMonthCount, nbrs [][]int32) (bins []int, zs []float64, err error) {
	n, nc := ms.Len(), len(cells)
	index := make(map[geo.Cell]int, nc)
	for i, c := range cells {
		index[c] = i
	}
	// x[m*nc+i] is cell i's count in month m.
	x := make([]float64, n*nc)
	for _, c := range cms {
		x[int(c.Month-ms.From)*nc+index[c.Cell]] = float64(c.Count)
	}
	bins, zs = make([]int, nc*n), make([]float64, nc*n)
	p := make([]float64, nc)
	for m := 0; m < n; m++ {
		if err := ctx.Err(); err != nil {
			return nil, nil, err
		}
		z, ok := stats.GiStar(x[m*nc:(m+1)*nc], nbrs)
		if !ok {
			continue // undefined over the area: z 0, bin 0
		}
		for i := range z {
			p[i] = stats.PValue(z[i])
		}
		padj := stats.BenjaminiHochberg(p)
		for i := range z {
			bins[i*n+m] = stats.Bin(z[i], padj[i])
			if !math.IsNaN(z[i]) {
				zs[i*n+m] = z[i]
			}
		}
	}
	return bins, zs, nil
}
