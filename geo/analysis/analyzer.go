package analysis

import (
	"context"
	"math"
	"slices"
	"sync"

	"github.com/paulmach/orb"

	"github.com/leicester-csp/hotspot/geo"
	"github.com/leicester-csp/hotspot/geo/hex"
)

// Analyzer answers hotspot queries over a store.
type Analyzer struct {
	store      geo.Store
	priorities []geo.Priority
	measures   []geo.Measure // the quarterly report's, after the priorities

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
	// maxCells bounds a study area's cells, checked before any fill.
	maxCells int
	// areas keeps the target areas (nil: none are kept).
	areas geo.TargetAreaStore
	// totals keeps incident lists' totals for one data version.
	totals totalCache
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
	a := &Analyzer{store: st, priorities: slices.Clone(priorities), covers: map[coverKey][]geo.Cell{}, disks: map[diskKey][]geo.Cell{}, maxCells: DefaultMaxCells}
	if ts, ok := st.(geo.TargetAreaStore); ok {
		a.areas = ts
	}
	return a
}

// DefaultMaxCells bounds a hex study area (DESIGN.md's --max-cells).
const DefaultMaxCells = 250000

// WithMaxCells sets the largest study area a hex request may fill (≤ 0:
// the default) and returns a.
func (a *Analyzer) WithMaxCells(n int) *Analyzer {
	if n <= 0 {
		n = DefaultMaxCells
	}
	a.maxCells = n
	return a
}

// WithMeasures sets the quarterly measures and returns a.
func (a *Analyzer) WithMeasures(ms []geo.Measure) *Analyzer {
	a.measures = slices.Clone(ms)
	return a
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

func (a *Analyzer) priorityIDs(ctx context.Context) []string {
	out := make([]string, 0, len(a.priorities))
	for _, p := range a.priorities {
		if visiblePriority(ctx, &p) {
			out = append(out, p.ID)
		}
	}
	return out
}

// visiblePriority reports whether ctx's caller may know of p: a priority
// fixing a local source is not listed to the public (/api/v1/priorities),
// so no answer may list it, or name its source, to them either.
func visiblePriority(ctx context.Context, p *geo.Priority) bool {
	vis, _ := VisibilityOf(ctx)
	local := p.Source != "" && p.Source != geo.SourcePoliceUK
	return !local || vis != SeePoliceUK
}

// WardRow is one ward's figures.
type WardRow struct {
	Area       geo.Area
	Count      int
	Population int      // 0 when unknown
	Rate       *float64 // per 1,000 residents; nil when population unknown
	PrevCount  int
	ChangePct  *float64 // nil when PrevCount is 0
	// ChangeP is the exact test of Count against PrevCount (nil when
	// both are 0 or the base period is not wholly in the data);
	// ChangeBin its FDR bin over the wards, signed as the change.
	ChangeP   *float64
	ChangeBin int
}

// WardResult is the ward layer for a query.
type WardResult struct {
	Query *Resolved
	// Previous is the base period (Resolved.Base): the months just
	// before, or a year earlier.
	Previous geo.MonthRange
	// PreviousComplete is false when the base period starts before the
	// first month the store holds: its counts then cover only part of it,
	// and a change against them overstates a rise. DESIGN.md gives
	// change_pct wherever the previous count is not zero, so it is still
	// given, but no change_p; clients show this flag beside it.
	PreviousComplete bool
	Wards            []WardRow // every stored ward, by code
}

// Wards counts incidents per ward, with rates and change against the
// base period (the previous period of equal length, or a year earlier),
// and whether that change is significant.
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
		if out.Previous, out.PreviousComplete, err = a.base(ctx, r); err != nil {
			return nil, err
		}
		if cur, prev, err = a.bothWardCounts(ctx, r, out.Previous); err != nil {
			return nil, err
		}
	}
	out.Wards = make([]WardRow, 0, len(wards))
	for _, w := range wards {
		row := WardRow{Area: w, Count: cur[w.Code], PrevCount: prev[w.Code]}
		if n, ok := pop[w.Code]; ok && n > 0 {
			row.Population = n
			rate := float64(row.Count) * 1000 / float64(n)
			row.Rate = &rate
		}
		row.ChangePct = changePct(row.Count, row.PrevCount)
		out.Wards = append(out.Wards, row)
	}
	ch := newChanges(len(out.Wards), out.PreviousComplete)
	for i, w := range out.Wards {
		ch.add(i, w.Count, w.PrevCount)
	}
	for i := range out.Wards {
		out.Wards[i].ChangeP, out.Wards[i].ChangeBin = ch.result(i)
	}
	return out, nil
}

// bothWardCounts reads the query's ward counts and those of the base
// period at once: each is a read of its own (at national shape ~80,000
// aggregate rows), nothing orders them, and a ward answer waited for
// the two one after the other.
func (a *Analyzer) bothWardCounts(ctx context.Context, r *Resolved, base geo.MonthRange) (cur, prev map[string]int, err error) {
	pf := r.Filter()
	pf.Months = base
	var prevErr error
	done := make(chan struct{})
	go func() {
		defer close(done)
		prev, prevErr = a.store.WardCounts(ctx, pf)
	}()
	cur, err = a.store.WardCounts(ctx, r.Filter())
	<-done
	if err == nil {
		err = prevErr
	}
	return cur, prev, err
}

// MonthCount is one point of a series.
type MonthCount struct {
	Month geo.Month
	Count int
	// Suppressed: a partner caller may not see this small count of a
	// local source (Count is then 0 and must not be shown).
	Suppressed bool
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
	below := smallShown(ctx, r.Filter())
	out := make([]MonthCount, 0, r.Months.Len())
	for _, mo := range r.Months.Months() {
		mc := MonthCount{Month: mo, Count: m[mo]}
		if withheld(mc.Count, below) {
			mc.Count, mc.Suppressed = 0, true
		}
		out = append(out, mc)
	}
	suppressSecond(out, below)
	return r, out, nil
}

// suppressSecond withholds the next-smallest shown month when exactly one
// is withheld, so that no total over the months (a ward's or cell's count
// for the period, shown elsewhere) gives the withheld month back by
// subtraction from this one answer alone.
func suppressSecond(out []MonthCount, below int) {
	hidden, next := 0, -1
	for i, mc := range out {
		switch {
		case mc.Suppressed:
			hidden++
		case mc.Count > 0 && (next < 0 || mc.Count < out[next].Count):
			next = i
		}
	}
	if below > 0 && hidden == 1 && next >= 0 {
		out[next].Count, out[next].Suppressed = 0, true
	}
}
