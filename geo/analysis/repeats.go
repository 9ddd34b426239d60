package analysis

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/paulmach/orb"

	"github.com/leicester-csp/hotspot/geo"
)

// The repeat lists of local records (DESIGN.md, "Partner records"):
// where records repeat (a premises, or an exact point), how often each
// premises of the register is named, and which offenders repeat.

// RepeatLocations lists the places with at least min counted incidents:
// police.uk's map points, and for local records their premises when
// they are linked to one, otherwise their exact point (a record at a
// police.uk map point and unlinked joins that point's count). Ranked by
// count, then longitude, latitude and premises id. A partner asking for
// a local source sees only places of at least --suppress-below records.
func (a *Analyzer) RepeatLocations(ctx context.Context, q Query, min int) (*RepeatResult, error) {
	if min < 1 {
		return nil, invalid("min", "min %d must be at least 1", min)
	}
	r, err := a.Resolve(ctx, q)
	if err != nil {
		return nil, err
	}
	if !r.Local() {
		return a.Repeats(ctx, q, min)
	}
	f := r.Filter()
	out := &RepeatResult{Query: r, Min: min, Shown: max(min, smallShown(ctx, f))}
	if r.NoData {
		return out, nil
	}
	points, premises, err := a.placeTallies(ctx, f)
	if err != nil {
		return nil, err
	}
	register, err := a.registerByID(ctx)
	if err != nil {
		return nil, err
	}
	for _, t := range points {
		if t.Count >= out.Shown {
			out.Rows = append(out.Rows, repeatRow(t, ""))
		}
	}
	for _, id := range slices.Sorted(maps.Keys(premises)) {
		ts := premises[id]
		if row := premisesRow(id, ts); row.Count >= out.Shown {
			p := register[id]
			row.PremisesName, row.PremisesKind = p.Name, p.Kind
			out.Rows = append(out.Rows, row)
		}
	}
	slices.SortStableFunc(out.Rows, func(a, b RepeatLocation) int {
		return cmp.Or(cmp.Compare(b.Count, a.Count), geo.ComparePoints(a.Point, b.Point), strings.Compare(a.Premises, b.Premises))
	})
	return out, nil
}

func repeatRow(t geo.PointTally, premises string) RepeatLocation {
	return RepeatLocation{MapPoint: t.MapPoint, Count: t.Count, Location: mostFrequent(t.Locations),
		TopOutcome: mostFrequent(t.Outcomes), Categories: t.Categories, Premises: premises}
}

// premisesRow sums one premises' tallies; its place is the point most of
// its records carry (the first by longitude, latitude of equals), where
// they are counted in cells and wards.
func premisesRow(id string, ts []geo.PointTally) RepeatLocation {
	at := ts[0]
	sum := geo.PointTally{Locations: map[string]int{}, Categories: map[string]int{}}
	for _, t := range ts {
		if t.Count > at.Count || t.Count == at.Count && geo.ComparePoints(t.Point, at.Point) < 0 {
			at = t
		}
		sum.Count += t.Count
		addCounts(sum.Locations, t.Locations)
		addCounts(sum.Categories, t.Categories)
	}
	sum.MapPoint = at.MapPoint
	return repeatRow(sum, id)
}

func addCounts(dst, src map[string]int) {
	for k, n := range src {
		dst[k] += n
	}
}

// placeTallies reads the filter's tallies by map point (police.uk's, and
// local records linked to no premises) and by premises id.
func (a *Analyzer) placeTallies(ctx context.Context, f geo.Filter) ([]geo.PointTally, map[string][]geo.PointTally, error) {
	rc, ok := a.store.(geo.RepeatCounter)
	if !ok {
		return nil, nil, fmt.Errorf("repeat tallies: %w", errors.ErrUnsupported)
	}
	var points []geo.PointTally
	if f.PoliceUK() {
		uk := f
		uk.Source = geo.SourcePoliceUK
		ts, err := a.store.PointTallies(ctx, uk)
		if err != nil {
			return nil, nil, err
		}
		points = ts
	}
	local, err := rc.PlaceTallies(ctx, f)
	if err != nil {
		return nil, nil, err
	}
	at := make(map[orb.Point]int, len(points))
	for i, t := range points {
		at[t.Point] = i
	}
	premises := map[string][]geo.PointTally{}
	for _, t := range local {
		if t.Premises != "" {
			premises[t.Premises] = append(premises[t.Premises], t.PointTally)
			continue
		}
		i, ok := at[t.Point]
		if !ok {
			at[t.Point] = len(points)
			points = append(points, geo.PointTally{MapPoint: t.MapPoint, Locations: map[string]int{}, Categories: map[string]int{}})
			i = len(points) - 1
		} else if points[i].Locations == nil {
			points[i].Locations, points[i].Categories = map[string]int{}, map[string]int{}
		}
		p := &points[i]
		p.Count += t.Count
		addCounts(p.Locations, t.Locations)
		addCounts(p.Categories, t.Categories)
	}
	return points, premises, nil
}

func (a *Analyzer) registerByID(ctx context.Context) (map[string]geo.Premises, error) {
	ps, err := a.store.Premises(ctx)
	if err != nil {
		return nil, err
	}
	out := make(map[string]geo.Premises, len(ps))
	for _, p := range ps {
		out[p.ID] = p
	}
	return out, nil
}
