package analysis

import (
	"context"
	"math"

	"github.com/leicester-csp/hotspot/geo"
	"github.com/leicester-csp/hotspot/geo/hex"
	"github.com/leicester-csp/hotspot/geo/stats"
)

// ScaleRow is Global Moran's I of the study-area counts with binary
// weights over gridDisk(cell, K) without the cell, its z and one-sided p
// under randomisation (as spdep's moran.test); NaN where undefined.
type ScaleRow struct {
	K        int
	I, Z, P  float64
	Distance float64 // metres: about how far a K-ring neighbourhood reaches
}

// ScaleResult is an incremental spatial autocorrelation run.
type ScaleResult struct {
	Query *Resolved
	Rows  []ScaleRow
	// PeakK is the first interior K (1 < K < kmax) whose z exceeds both
	// neighbours' z, else the K of the largest z; 0 when no z is defined.
	// Peaked says it was an interior peak: otherwise clustering only rose
	// (or fell) over the range tried, and PeakK is an edge of it, not a
	// scale found.
	PeakK  int
	Peaked bool
}

// Scale runs Global Moran's I for K = 1…kmax over the query's study area
// at its resolution: clustering is strongest at the peak, which k=auto
// uses as the Gi* neighbourhood.
func (a *Analyzer) Scale(ctx context.Context, q Query, kmax int) (*ScaleResult, error) {
	if kmax < 2 || kmax > 10 {
		return nil, invalid("kmax", "kmax %d is out of range 2–10", kmax)
	}
	q.AutoK = false
	r, err := a.Resolve(ctx, q)
	if err != nil {
		return nil, err
	}
	out := &ScaleResult{Query: r}
	if r.NoData {
		return out, nil
	}
	st, err := a.study(ctx, r)
	if err != nil {
		return nil, err
	}
	if out.Rows, err = a.moranRows(ctx, st.cells, st.x, r.Res, kmax); err != nil {
		return nil, err
	}
	out.PeakK, out.Peaked = peakOf(out.Rows)
	return out, nil
}

func (a *Analyzer) moranRows(ctx context.Context, cells []geo.Cell, x []float64, res, kmax int) ([]ScaleRow, error) {
	// Hexagon centres are √3 edges apart.
	step := hex.AvgEdgeKm(res) * 1000 * math.Sqrt(3)
	rows := make([]ScaleRow, 0, kmax)
	for k := 1; k <= kmax; k++ {
		nbrs, err := a.neighbours(ctx, cells, k, false)
		if err != nil {
			return nil, err
		}
		m, _ := stats.MoranI(x, nbrs)
		rows = append(rows, ScaleRow{K: k, I: m.I, Z: m.Z, P: m.P, Distance: math.Round(float64(k)*step/10) * 10})
	}
	return rows, nil
}

// peakK is the peak of an incremental spatial autocorrelation run over
// the cells, and whether it was an interior one; DefaultK when it finds
// none.
func (a *Analyzer) peakK(ctx context.Context, cells []geo.Cell, x []float64, kmax int) (int, bool, error) {
	if len(cells) == 0 {
		return DefaultK, false, nil
	}
	rows, err := a.moranRows(ctx, cells, x, hex.Res(cells[0]), kmax)
	if err != nil {
		return 0, false, err
	}
	if k, peaked := peakOf(rows); k > 0 {
		return k, peaked, nil
	}
	return DefaultK, false, nil
}

// peakOf applies DESIGN.md's rule: the first interior row whose z exceeds
// both neighbours' (peaked), else the row of the largest z.
func peakOf(rows []ScaleRow) (k int, peaked bool) {
	for i := 1; i+1 < len(rows); i++ {
		if rows[i].Z > rows[i-1].Z && rows[i].Z > rows[i+1].Z {
			return rows[i].K, true
		}
	}
	best, bestZ := 0, math.Inf(-1)
	for _, r := range rows {
		if r.Z > bestZ { // NaN never wins
			best, bestZ = r.K, r.Z
		}
	}
	return best, false
}
