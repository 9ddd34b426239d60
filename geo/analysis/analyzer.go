package analysis

import (
	"context"
	"math"
	"slices"
	"sync"

	"github.com/paulmach/orb"

	"github.com/leicester-csp/hotspot/geo"
	"github.com/leicester-csp/hotspot/geo/hex"
	"github.com/leicester-csp/hotspot/geo/stats"
)

// Analyzer answers hotspot queries over a store.
type Analyzer struct {
	store      geo.Store
	priorities []geo.Priority

	mu sync.Mutex
	// covers caches each ward's H3 polygon fill per resolution, keyed by
	// the ward's geometry so that imports of incidents (which change the
	// store version) keep it; filling all wards at res 10 costs ~20 ms,
	// which a request should not pay.
	covers map[coverKey][]geo.Cell
	// disks caches gridDisk(cell, k): it does not depend on the data, and
	// at res 10, k 3 the H3 calls are most of a request's time.
	disks     map[diskKey][]geo.Cell
	diskCells int
}

type diskKey struct {
	cell geo.Cell
	k    int
}

// maxDiskCells bounds the disk cache (about 8 bytes a cell): enough for
// every res-10 cell of a large city at k 3.
const maxDiskCells = 4 << 20

type coverKey struct {
	ward        string
	fingerprint uint64
	res         int
}

// fingerprint hashes a geometry's coordinates (FNV-1a over their bits):
// cheap next to a polygon fill, and it changes when boundaries do.
func fingerprint(mp orb.MultiPolygon) uint64 {
	h := uint64(14695981039346656037)
	mix := func(v uint64) {
		for i := 0; i < 8; i++ {
			h ^= v & 0xff
			h *= 1099511628211
			v >>= 8
		}
	}
	for _, poly := range mp {
		for _, ring := range poly {
			mix(uint64(len(ring)))
			for _, p := range ring {
				mix(math.Float64bits(p[0]))
				mix(math.Float64bits(p[1]))
			}
		}
	}
	return h
}

// maxCovers bounds the cover cache; replaced boundaries leave stale
// entries behind until it is cleared.
const maxCovers = 1 << 14

// New returns an analyzer over st with the given priorities.
func New(st geo.Store, priorities []geo.Priority) *Analyzer {
	return &Analyzer{store: st, priorities: slices.Clone(priorities), covers: map[coverKey][]geo.Cell{}, disks: map[diskKey][]geo.Cell{}}
}

// Priorities returns the configured priorities.
func (a *Analyzer) Priorities() []geo.Priority { return slices.Clone(a.priorities) }

// Priority returns the priority with this id, or nil.
func (a *Analyzer) Priority(id string) *geo.Priority {
	for i := range a.priorities {
		if a.priorities[i].ID == id {
			p := a.priorities[i]
			return &p
		}
	}
	return nil
}

func (a *Analyzer) priorityIDs() []string {
	out := make([]string, len(a.priorities))
	for i, p := range a.priorities {
		out[i] = p.ID
	}
	return out
}

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
}

// HexResult is the hex layer for a query.
type HexResult struct {
	Query *Resolved
	Cells []HexCell // every study-area cell, ascending by index
	Total int       // incidents counted
}

// Hex computes counts and Gi* over the study area of the query: every
// cell whose centre lies in the area, plus every cell holding a counted
// incident.
func (a *Analyzer) Hex(ctx context.Context, q Query) (*HexResult, error) {
	r, err := a.Resolve(ctx, q)
	if err != nil {
		return nil, err
	}
	out := &HexResult{Query: r}
	if r.NoData {
		return out, nil
	}
	counts, err := a.store.CellCounts(ctx, r.Filter(), r.Res)
	if err != nil {
		return nil, err
	}
	area, err := a.areaCells(ctx, r)
	if err != nil {
		return nil, err
	}
	study := make(map[geo.Cell]int32, len(area)+len(counts))
	for _, c := range area {
		study[c] = 0
	}
	for c := range counts {
		study[c] = 0
	}
	cells := make([]geo.Cell, 0, len(study))
	for c := range study {
		cells = append(cells, c)
	}
	slices.Sort(cells)
	for i, c := range cells {
		study[c] = int32(i)
	}

	x := make([]float64, len(cells))
	nbrs := make([][]int32, len(cells))
	disks, err := a.disksOf(ctx, cells, r.K)
	if err != nil {
		return nil, err
	}
	for i, c := range cells {
		n := counts[c]
		x[i] = float64(n)
		out.Total += n
		for _, d := range disks[i] {
			if j, ok := study[d]; ok {
				nbrs[i] = append(nbrs[i], j)
			}
		}
	}
	z, ok := stats.GiStar(x, nbrs)
	out.Cells = make([]HexCell, len(cells))
	if !ok {
		for i, c := range cells {
			out.Cells[i] = HexCell{Cell: c, Count: int(x[i]), Z: math.NaN(), P: math.NaN(), PAdj: math.NaN()}
		}
		return out, nil
	}
	p := make([]float64, len(z))
	for i := range z {
		p[i] = stats.PValue(z[i])
	}
	padj := stats.BenjaminiHochberg(p)
	for i, c := range cells {
		out.Cells[i] = HexCell{Cell: c, Count: int(x[i]), Z: z[i], P: p[i], PAdj: padj[i], Bin: stats.Bin(z[i], padj[i])}
	}
	return out, nil
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
	var out []geo.Cell
	for _, w := range wards {
		if len(r.AreaWards) > 0 && !slices.Contains(r.AreaWards, w.Code) {
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

// WardRow is one ward's figures.
type WardRow struct {
	Area       geo.Area
	Count      int
	Population int      // 0 when unknown
	Rate       *float64 // per 1,000 residents; nil when population unknown
	PrevCount  int
	ChangePct  *float64 // nil when PrevCount is 0
}

// WardResult is the ward layer for a query.
type WardResult struct {
	Query    *Resolved
	Previous geo.MonthRange
	// PreviousComplete is false when the previous period starts before
	// the first month the store holds: its counts then cover only part of
	// it, and a change against them overstates a rise. DESIGN.md gives the
	// change wherever the previous count is not zero, so it is still
	// given; clients show this flag beside it.
	PreviousComplete bool
	Wards            []WardRow // every stored ward, by code
}

// Wards counts incidents per ward, with rates and change against the
// previous period of equal length.
func (a *Analyzer) Wards(ctx context.Context, q Query) (*WardResult, error) {
	r, err := a.Resolve(ctx, q)
	if err != nil {
		return nil, err
	}
	out := &WardResult{Query: r}
	wards, err := a.store.Areas(ctx, geo.KindWard)
	if err != nil {
		return nil, err
	}
	pop, err := a.store.Population(ctx)
	if err != nil {
		return nil, err
	}
	cur, prev := map[string]int{}, map[string]int{}
	if !r.NoData {
		out.Previous = r.Months.Previous()
		months, err := a.store.Months(ctx)
		if err != nil {
			return nil, err
		}
		out.PreviousComplete = len(months) > 0 && out.Previous.From >= months[0]
		if cur, err = a.store.WardCounts(ctx, r.Filter()); err != nil {
			return nil, err
		}
		pf := r.Filter()
		pf.Months = out.Previous
		if prev, err = a.store.WardCounts(ctx, pf); err != nil {
			return nil, err
		}
	}
	for _, w := range wards {
		row := WardRow{Area: w, Count: cur[w.Code], PrevCount: prev[w.Code]}
		if n, ok := pop[w.Code]; ok && n > 0 {
			row.Population = n
			rate := float64(row.Count) * 1000 / float64(n)
			row.Rate = &rate
		}
		if row.PrevCount > 0 {
			ch := float64(row.Count-row.PrevCount) * 100 / float64(row.PrevCount)
			row.ChangePct = &ch
		}
		out.Wards = append(out.Wards, row)
	}
	return out, nil
}

// MonthCount is one point of a series.
type MonthCount struct {
	Month geo.Month
	Count int
}

// Series returns monthly counts over the query's months, zeros included,
// for one cell, one ward or the whole area.
func (a *Analyzer) Series(ctx context.Context, q Query, key geo.SeriesKey) (*Resolved, []MonthCount, error) {
	r, err := a.Resolve(ctx, q)
	if err != nil {
		return nil, nil, err
	}
	if r.NoData {
		return r, nil, nil
	}
	if key.Cell != 0 {
		key.Res = hex.Res(key.Cell)
	}
	m, err := a.store.Series(ctx, r.Filter(), key)
	if err != nil {
		return nil, nil, err
	}
	out := make([]MonthCount, 0, r.Months.Len())
	for _, mo := range r.Months.Months() {
		out = append(out, MonthCount{Month: mo, Count: m[mo]})
	}
	return r, out, nil
}
