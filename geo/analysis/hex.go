package analysis

import (
	"context"
	"math"
	"slices"

	orbgeo "github.com/paulmach/orb/geo"

	"github.com/leicester-csp/hotspot/geo"
	"github.com/leicester-csp/hotspot/geo/hex"
	"github.com/leicester-csp/hotspot/geo/stats"
)

// HexCell is one cell of the study area.
type HexCell struct {
	Cell  geo.Cell
	Count int
	// Z and P are the unadjusted Gi* z-score and two-sided p-value; NaN
	// where Gi* is undefined (all counts equal).
	Z, P float64
	// PAdj is the Benjamini–Hochberg adjusted p-value; Bin the FDR bin
	// (−3…3) that maps show.
	PAdj float64
	Bin  int
	// TopLocation is the police.uk Location most of the cell's counted
	// incidents carry ("On or near Granby Street"; ties by byte order),
	// "" for a cell without any.
	TopLocation string
}

// HexResult is the hex layer for a query.
type HexResult struct {
	Query *Resolved
	Cells []HexCell // every study-area cell, ascending by index
	Total int       // incidents counted
}

// Hex computes counts and Gi* over the study area of the query (see
// studyCells) and names each cell by its most frequent location.
func (a *Analyzer) Hex(ctx context.Context, q Query) (*HexResult, error) {
	r, err := a.Resolve(ctx, q)
	if err != nil {
		return nil, err
	}
	out := &HexResult{Query: r}
	if r.NoData {
		return out, nil
	}
	st, err := a.study(ctx, r)
	if err != nil {
		return nil, err
	}
	cells, counts, x := st.cells, st.counts, st.x
	for _, c := range cells {
		out.Total += counts[c]
	}
	if r.AutoK {
		// Within the range an explicit k may take, so that an auto answer
		// can be asked for again by its k, and its cost stays bounded.
		if r.K, r.KPeaked, err = a.peakK(ctx, cells, x, MaxK); err != nil {
			return nil, err
		}
	}
	nbrs, err := a.neighbours(ctx, cells, r.K, true)
	if err != nil {
		return nil, err
	}
	out.Cells = make([]HexCell, len(cells))
	for i, c := range cells {
		out.Cells[i] = HexCell{Cell: c, Count: counts[c], TopLocation: st.tops[c]}
	}
	if err := giStar(ctx, r, out.Cells, x, nbrs); err != nil {
		return nil, err
	}
	return out, nil
}

// studyArea is a query's study area at its resolution with what it
// counts: the cells ascending, each cell's count and most frequent
// location, and the counts as Gi* and Moran's I take them.
type studyArea struct {
	cells  []geo.Cell
	counts map[geo.Cell]int
	tops   map[geo.Cell]string
	x      []float64 // counts[cells[i]]
}

func (a *Analyzer) study(ctx context.Context, r *Resolved) (*studyArea, error) {
	// One read gives the counts and the names, by cell: tallies by point
	// cost a map per point, and a partner record often has a point of its
	// own.
	tallies, err := a.store.CellTallies(ctx, r.Filter(), r.Res)
	if err != nil {
		return nil, err
	}
	st := &studyArea{counts: make(map[geo.Cell]int, len(tallies)), tops: make(map[geo.Cell]string, len(tallies))}
	for _, t := range tallies {
		st.counts[t.Cell], st.tops[t.Cell] = t.Count, t.TopLocation
	}
	if st.cells, err = a.studyCells(ctx, r, st.counts); err != nil {
		return nil, err
	}
	st.x = make([]float64, len(st.cells))
	for i, c := range st.cells {
		st.x[i] = float64(st.counts[c])
	}
	return st, nil
}

// giStar fills in the cells' Gi* z, p, FDR-adjusted p and bin; NaN where
// Gi* is undefined. The p-values are the normal approximation's, or under
// InferencePermutation the exact permutation null's (z still signs the
// bin).
func giStar(ctx context.Context, r *Resolved, cells []HexCell, x []float64, nbrs [][]int32) error {
	z, ok := stats.GiStar(x, nbrs)
	if !ok {
		for i := range cells {
			cells[i].Z, cells[i].P, cells[i].PAdj = math.NaN(), math.NaN(), math.NaN()
		}
		return nil
	}
	p := make([]float64, len(z))
	if r.Inference == InferencePermutation {
		var err error
		if p, err = stats.GiStarPermutationP(ctx, x, nbrs, r.Permutations, r.Seed, 0); err != nil {
			return err
		}
	} else {
		for i := range z {
			p[i] = stats.PValue(z[i])
		}
	}
	padj := stats.BenjaminiHochberg(p)
	for i := range cells {
		cells[i].Z, cells[i].P, cells[i].PAdj, cells[i].Bin = z[i], p[i], padj[i], stats.Bin(z[i], padj[i])
	}
	return nil
}

// neighbours returns each cell's neighbourhood, gridDisk(cell, k) within
// the cells given (ascending), as indexes into them; self says whether the
// cell is its own neighbour (Gi*) or not (Moran's I).
func (a *Analyzer) neighbours(ctx context.Context, cells []geo.Cell, k int, self bool) ([][]int32, error) {
	index := make(map[geo.Cell]int32, len(cells))
	for i, c := range cells {
		index[c] = int32(i)
	}
	disks, err := a.disksOf(ctx, cells, k)
	if err != nil {
		return nil, err
	}
	// One backing array for every list, each list given its disk's room:
	// a city's 14,000 lists grown one append at a time were 50,000
	// allocations an answer.
	room := 0
	for _, d := range disks {
		room += len(d)
	}
	all := make([]int32, 0, room)
	nbrs := make([][]int32, len(cells))
	for i := range cells {
		start := len(all)
		for _, d := range disks[i] {
			if j, ok := index[d]; ok && (self || int(j) != i) {
				all = append(all, j)
			}
		}
		if len(all) > start {
			nbrs[i] = all[start:len(all):len(all)]
		}
	}
	return nbrs, nil
}

// studyCells is the study area of a hex query, ascending: the cells of
// its area (Study "area": every cell whose centre lies in it; "points":
// every cell holding a stored map point in it, where a crime can be
// recorded), plus every cell holding a counted incident.
func (a *Analyzer) studyCells(ctx context.Context, r *Resolved, counts map[geo.Cell]int) ([]geo.Cell, error) {
	area, err := a.areaCells(ctx, r)
	if r.Study == StudyPoints {
		area, err = a.pointCells(ctx, r)
	}
	if err != nil {
		return nil, err
	}
	seen := make(map[geo.Cell]bool, len(area)+len(counts))
	cells := make([]geo.Cell, 0, len(area)+len(counts))
	for _, c := range area {
		if !seen[c] {
			seen[c] = true
			cells = append(cells, c)
		}
	}
	for c := range counts {
		if !seen[c] {
			seen[c] = true
			cells = append(cells, c)
		}
	}
	slices.Sort(cells)
	return cells, nil
}

// disksOf returns gridDisk(c, k) for each cell, from the cache where it
// can.
func (a *Analyzer) disksOf(ctx context.Context, cells []geo.Cell, k int) ([][]geo.Cell, error) {
	out := make([][]geo.Cell, len(cells))
	a.mu.Lock()
	var missing []int
	for i, c := range cells {
		if d, ok := a.disks[diskKey{c, k}]; ok {
			out[i] = d
		} else {
			missing = append(missing, i)
		}
	}
	a.mu.Unlock()
	for n, i := range missing {
		if n%1024 == 0 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		out[i] = hex.Disk(cells[i], k)
	}
	if len(missing) > 0 {
		a.mu.Lock()
		if a.diskCells > maxDiskCells {
			a.disks, a.diskCells = map[diskKey][]geo.Cell{}, 0
		}
		for _, i := range missing {
			a.disks[diskKey{cells[i], k}] = out[i]
			a.diskCells += len(out[i])
		}
		a.mu.Unlock()
	}
	return out, nil
}

// areaCells fills the request's area (its wards, or every ward) with
// cells at the request's resolution.
func (a *Analyzer) areaCells(ctx context.Context, r *Resolved) ([]geo.Cell, error) {
	wards, err := a.store.Areas(ctx, geo.KindWard)
	if err != nil {
		return nil, err
	}
	// A set, not slices.Contains: a city's 405 wards against the
	// country's 7,000 were millions of string comparisons a request.
	var in map[string]bool
	if len(r.AreaWards) > 0 {
		in = make(map[string]bool, len(r.AreaWards))
		for _, c := range r.AreaWards {
			in[c] = true
		}
	}
	var (
		out  []geo.Cell
		area float64
	)
	for _, w := range wards {
		if in == nil || in[w.Code] {
			area += orbgeo.Area(w.Geometry)
		}
	}
	// Checked before any fill: a continent-sized ward at res 8 would take
	// minutes and gigabytes to fill, whoever is waiting.
	if n := estimateCells(area, r.Res); n > a.maxCells {
		return nil, invalid("res", "the study area at resolution %d would hold about %d hexagons, over the %d this server allows: choose a coarser resolution", r.Res, n, a.maxCells)
	}
	for _, w := range wards {
		if in != nil && !in[w.Code] {
			continue
		}
		k := coverKey{w.Code, fingerprint(w.Geometry), r.Res}
		a.mu.Lock()
		cs, ok := a.covers[k]
		a.mu.Unlock()
		if !ok {
			cs = hex.Cover(w.Geometry, r.Res)
			a.mu.Lock()
			if len(a.covers) >= maxCovers {
				a.covers = map[coverKey][]geo.Cell{}
			}
			a.covers[k] = cs
			a.mu.Unlock()
		}
		out = append(out, cs...)
	}
	return out, nil
}

// estimateCells is about how many cells at res an area of m² square
// metres holds: H3's average hexagon is 3√3/2 edge² across.
func estimateCells(m2 float64, res int) int {
	edge := hex.AvgEdgeKm(res) * 1000
	return int(m2 / (3 * math.Sqrt(3) / 2 * edge * edge))
}
