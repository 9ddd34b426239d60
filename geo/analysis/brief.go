package analysis

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/planar"

	"github.com/leicester-csp/hotspot/geo"
	"github.com/leicester-csp/hotspot/geo/hex"
)

// Briefing defaults and limits (DESIGN.md: months=3, a 12-month trend).
const (
	DefaultBriefMonths = 3
	MaxBriefMonths     = 12
	BriefTrendMonths   = 12
	BriefTopCells      = 5
	// BriefRes and BriefK are the hex answer the hot spots come from.
	BriefRes, BriefK = 9, 1
)

// BriefQuery asks for a ward briefing on a priority's Months months
// ending Month (nil: the latest month in the data).
type BriefQuery struct {
	Ward     string // a ward code or name
	Priority string
	Month    *geo.Month
	Months   int // 0: DefaultBriefMonths
	// Local are the partner-record filters asked for; a priority that
	// fixes one wins (Resolve refuses a different value).
	Local BriefLocal
}

// AreaSummary is a target area touching a ward, with its evaluation (nil
// when none can be made yet), as the target-area store answers it.
type AreaSummary struct {
	ID, Name, Priority string
	Start              geo.Month
	Actions            string
	Evaluation         *AreaFigures
	// Verdict is the evaluation in words, or why there is none.
	Verdict string
}

// AreaFigures holds DESIGN.md's evaluation keys; nil figures are
// undefined (a denominator of 0).
type AreaFigures struct {
	TBefore, TAfter, DBefore, DAfter, CBefore, CAfter int
	WDQ, WDD, WDDSE, WDDZ, WDDP                       *float64
}

// TargetAreaFunc lists the target areas touching a ward, with their
// evaluations. It is the seam the target-area store plugs into; a nil
// func means none are recorded.
type TargetAreaFunc func(ctx context.Context, wardCode string) ([]AreaSummary, error)

// BriefChange is the ward's count against a base period: Count nil when
// the base period starts before the data (so no change can be told).
type BriefChange struct {
	Period    geo.MonthRange
	Count     *int
	ChangePct *float64
	ChangeP   *float64
}

// CategoryCount is one crime type's count.
type CategoryCount struct {
	Category string
	Count    int
}

// PatternCount is how many of the ward's cells show an emerging pattern.
type PatternCount struct {
	Pattern string
	Cells   int
}

// BriefEmerging is the ward's cells by emerging pattern over Period;
// Available is false (and Note says why) when the data hold too few
// months for the test.
type BriefEmerging struct {
	Available bool
	Period    geo.MonthRange
	Patterns  []PatternCount // patterns with cells, in stats.Patterns order
	Note      string
}

// Brief is the content of a ward briefing.
type Brief struct {
	Ward     geo.Area
	Priority geo.Priority
	Period   geo.MonthRange
	// OutsideArea is set when the ward lies outside the priority's area:
	// the priority counts nothing there and the figures are left empty.
	OutsideArea bool
	AreaWards   []string
	Count       int // incidents in the ward over Period
	// Cells are the hex answer's cells centred in the ward (the map);
	// Hotspots the first BriefTopCells of those with a positive bin and
	// incidents, by bin, then z, then index; HotCells how many there are.
	Cells []HexCell
	// MapCells are the hex answer's cells near the ward (within two edge
	// lengths of its bounding box), for a map clipped to the ward that
	// leaves no gaps along its edge.
	MapCells []HexCell
	Hotspots []HexCell
	HotCells int
	Trend    []MonthCount // BriefTrendMonths ending Period.To
	Previous BriefChange
	Year     BriefChange
	Types    []CategoryCount // by count, then name
	Emerging BriefEmerging
	// Targets are the target areas touching the ward; TargetsKnown is
	// false when no target-area store was given.
	Targets      []AreaSummary
	TargetsKnown bool
	// DataFrom and DataTo are the first and latest months of the records
	// the brief counts (of its source, for a partner source).
	DataFrom, DataTo geo.Month
	// Local are the partner-record filters in force (the request's, or
	// the priority's where it fixes them); DayHour is the ward's day ×
	// hour matrix over Period when they name a local source, else nil
	// (police.uk records have no time of day).
	Local   BriefLocal
	DayHour *DayHour
}

// Brief assembles a ward briefing. targets may be nil (no target areas
// are recorded, or the caller may not see them).
func (a *Analyzer) Brief(ctx context.Context, bq BriefQuery, targets TargetAreaFunc) (*Brief, error) {
	b, r, err := a.briefStart(ctx, bq)
	if err != nil || b.OutsideArea {
		return b, err
	}
	// The three parts read the store independently and fill separate
	// fields: on PostGIS their queries overlap instead of queueing.
	if err := parallel(ctx,
		func(ctx context.Context) error { return a.briefCells(ctx, b, r) },
		func(ctx context.Context) error { return a.briefCounts(ctx, b, r) },
		func(ctx context.Context) error { return a.briefEmerging(ctx, b) },
		func(ctx context.Context) error { return a.briefDayHour(ctx, b, r) },
	); err != nil {
		return nil, err
	}
	if targets != nil {
		b.TargetsKnown = true
		if b.Targets, err = targets(ctx, b.Ward.Code); err != nil {
			return nil, fmt.Errorf("target areas of ward %s: %w", b.Ward.Code, err)
		}
	}
	return b, nil
}

// briefStart checks the query and finds the ward, the period and the
// data's months.
func (a *Analyzer) briefStart(ctx context.Context, bq BriefQuery) (*Brief, *Resolved, error) {
	n := bq.Months
	if n == 0 {
		n = DefaultBriefMonths
	}
	if n < 1 || n > MaxBriefMonths {
		return nil, nil, invalid("months", "months %d is out of range 1–%d", n, MaxBriefMonths)
	}
	if bq.Priority == "" {
		return nil, nil, invalid("priority", "a briefing is on one priority: give its id (known: %s)", strings.Join(a.priorityIDs(ctx), ", "))
	}
	months, err := a.store.Months(ctx)
	if err != nil {
		return nil, nil, err
	}
	if len(months) == 0 {
		return nil, nil, invalid("month", "the data hold no months yet: import police.uk data first")
	}
	data := geo.MonthRange{From: months[0], To: months[len(months)-1]}
	b, r, err := a.briefIn(ctx, bq, n, data)
	if err != nil {
		return nil, nil, err
	}
	// A partner's records may begin after police.uk's first month or end
	// before its latest: the brief is then drawn up within the months its
	// source holds, or the period's missing months would read as a fall.
	span, err := a.covered(ctx, r.Source, months)
	switch {
	case err != nil:
		return nil, nil, err
	case span.From == 0:
		return nil, nil, invalid("source", "source %s holds no records to brief on", r.Source)
	case span != data:
		return a.briefIn(ctx, bq, n, span)
	}
	return b, r, nil
}

// briefIn starts a brief whose months lie within data: the months its
// source holds.
func (a *Analyzer) briefIn(ctx context.Context, bq BriefQuery, n int, data geo.MonthRange) (*Brief, *Resolved, error) {
	b := &Brief{DataFrom: data.From, DataTo: data.To}
	to := b.DataTo
	if bq.Month != nil {
		to = *bq.Month
	}
	if to < b.DataFrom || to > b.DataTo {
		return nil, nil, invalid("month", "month %s is outside the data (%s to %s)", to, b.DataFrom, b.DataTo)
	}
	b.Period = geo.MonthRange{From: to - geo.Month(n) + 1, To: to}
	if b.Period.From < b.DataFrom {
		// Months before the data would count as none: a brief would
		// present one month's counts as the whole period's.
		return nil, nil, invalid("month", "%d months ending %s start before the data (%s); choose month %s or later, or fewer months", n, to, b.DataFrom, b.DataFrom+geo.Month(n)-1)
	}
	r, err := a.Resolve(ctx, bq.Local.in(Query{Priority: bq.Priority, From: &b.Period.From, To: &b.Period.To, Ward: bq.Ward, Res: BriefRes, K: BriefK}))
	if err != nil {
		return nil, nil, err
	}
	if err := refuseUnsuppressed(ctx, r, "briefing figures"); err != nil {
		return nil, nil, err
	}
	b.Priority, b.AreaWards, b.OutsideArea = *r.Priority, r.AreaWards, r.Empty
	b.Local = bq.Local.fixedBy(b.Priority)
	b.Previous.Period = b.Period.Previous()
	b.Year.Period = geo.MonthRange{From: b.Period.From - 12, To: b.Period.To - 12}
	b.Emerging.Period = geo.MonthRange{From: max(b.Period.To-BriefTrendMonths+1, b.DataFrom), To: b.Period.To}
	if b.OutsideArea {
		b.Emerging.Note = "Not applicable: the ward lies outside the priority's area."
	}
	wards, err := a.store.Areas(ctx, geo.KindWard)
	if err != nil {
		return nil, nil, err
	}
	for _, w := range wards {
		if w.Code == r.Ward {
			b.Ward = w
		}
	}
	return b, r, nil
}

// briefCells takes the hex answer over the priority's usual study area
// (not the ward alone: a hot spot is hot against the whole area) and
// keeps the cells centred in the ward.
func (a *Analyzer) briefCells(ctx context.Context, b *Brief, r *Resolved) error {
	q := b.Local.in(Query{Priority: b.Priority.ID, From: &r.Months.From, To: &r.Months.To, Res: BriefRes, K: BriefK})
	h, err := a.Hex(ctx, q)
	if err != nil {
		return err
	}
	near := padBound(b.Ward.Geometry.Bound(), 2*hex.AvgEdgeKm(BriefRes)*1000)
	inWard := centredIn(b.Ward.Geometry)
	for _, c := range h.Cells {
		if inWard(c.Cell) {
			b.Cells = append(b.Cells, c)
		}
		if near.Contains(hex.Center(c.Cell)) {
			b.MapCells = append(b.MapCells, c)
		}
	}
	b.Hotspots = TopHotspots(b.Cells, BriefTopCells)
	for _, c := range b.Cells {
		if c.Bin > 0 && c.Count > 0 {
			b.HotCells++
		}
	}
	return nil
}

// TopHotspots returns up to n cells with a positive FDR bin and at least
// one incident (a cell with none is never shown as a hot spot), by bin,
// then z, both descending, then H3 index ascending.
func TopHotspots(cells []HexCell, n int) []HexCell {
	var hot []HexCell
	for _, c := range cells {
		if c.Bin > 0 && c.Count > 0 {
			hot = append(hot, c)
		}
	}
	slices.SortFunc(hot, func(x, y HexCell) int {
		return cmp.Or(cmp.Compare(y.Bin, x.Bin), cmpZ(y.Z, x.Z), cmp.Compare(x.Cell, y.Cell))
	})
	return hot[:min(n, len(hot))]
}

// cmpZ compares z-scores with an undefined one lowest.
func cmpZ(x, y float64) int {
	switch {
	case math.IsNaN(x) && math.IsNaN(y):
		return 0
	case math.IsNaN(x):
		return -1
	case math.IsNaN(y):
		return 1
	}
	return cmp.Compare(x, y)
}

// centredIn returns whether a cell's centre lies in the geometry, as a
// ward's cover takes cells; the bound is found once, not per cell.
func centredIn(mp orb.MultiPolygon) func(geo.Cell) bool {
	b := mp.Bound()
	return func(c geo.Cell) bool {
		p := hex.Center(c)
		return b.Contains(p) && planar.MultiPolygonContains(mp, p)
	}
}

// padBound widens a longitude/latitude bound by about m metres on each
// side.
func padBound(b orb.Bound, m float64) orb.Bound {
	const metresPerDegree = 6371008.8 * math.Pi / 180
	dLat := m / metresPerDegree
	dLon := dLat / math.Max(math.Cos((b.Min[1]+b.Max[1])/2*math.Pi/180), 1e-6)
	return orb.Bound{Min: orb.Point{b.Min[0] - dLon, b.Min[1] - dLat}, Max: orb.Point{b.Max[0] + dLon, b.Max[1] + dLat}}
}
