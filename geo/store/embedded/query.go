package embedded

import (
	"context"
	"fmt"
	"maps"
	"slices"

	"github.com/leicester-csp/hotspot/geo"
)

// Months lists the months holding incidents.
func (s *Store) Months(ctx context.Context) ([]geo.Month, error) {
	return slices.Clone(s.snap.Load().months), nil
}

// Areas returns the stored areas of a kind in code order.
func (s *Store) Areas(ctx context.Context, kind geo.AreaKind) ([]geo.Area, error) {
	sn := s.snap.Load()
	switch kind {
	case geo.KindWard:
		return slices.Clone(sn.wards.Areas()), nil
	case geo.KindLSOA:
		return slices.Clone(sn.lsoas.Areas()), nil
	case geo.KindCity:
		return slices.Clone(sn.cities), nil
	}
	return nil, fmt.Errorf("%w: area kind %q", geo.ErrInvalid, kind)
}

// Categories lists the stored incidents' categories.
func (s *Store) Categories(ctx context.Context) ([]string, error) {
	out := slices.Collect(maps.Keys(s.snap.Load().catIdx))
	slices.Sort(out)
	return out, nil
}

// Population returns residents by area code.
func (s *Store) Population(ctx context.Context) (map[string]int, error) {
	pop := s.snap.Load().population
	out := make(map[string]int, len(pop))
	for k, v := range pop {
		out[k] = v
	}
	return out, nil
}

// query is a filter resolved against one snapshot.
type query struct {
	sn     *snapshot
	months []geo.Month // months of the range that hold data
	cats   []uint32
	// inWard[w] says whether ward w is in the request's area; nil when no
	// wards are stored, and then every located incident is in the area.
	inWard []bool
	// limited is true when the filter named wards (a priority's area).
	limited bool
	// uk says whether police.uk incidents count; part, when not nil,
	// selects the partner records that count.
	uk   bool
	part *partQuery
}

func (sn *snapshot) resolve(f geo.Filter) *query {
	q := &query{sn: sn, uk: f.PoliceUK(), part: sn.resolvePartner(f)}
	for _, m := range sn.months {
		if f.Months.Contains(m) {
			q.months = append(q.months, m)
		}
	}
	if len(f.Categories) == 0 {
		for _, c := range sn.catIdx {
			q.cats = append(q.cats, c)
		}
		slices.Sort(q.cats)
	} else {
		for _, name := range f.Categories {
			if c, ok := sn.catIdx[name]; ok && !slices.Contains(q.cats, c) {
				q.cats = append(q.cats, c)
			}
		}
	}
	if n := sn.wards.Len(); n > 0 {
		q.inWard = make([]bool, n)
		if len(f.Wards) == 0 {
			for i := range q.inWard {
				q.inWard[i] = true
			}
		} else {
			q.limited = true
			// A set: a city's wards against the country's were millions of
			// string comparisons a query.
			in := make(map[string]bool, len(f.Wards))
			for _, c := range f.Wards {
				in[c] = true
			}
			for i := 0; i < n; i++ {
				q.inWard[i] = in[sn.wards.Area(i).Code]
			}
		}
	}
	return q
}

// counted reports whether incidents at point index pt count for the query.
func (q *query) counted(pt uint32) bool {
	if q.inWard == nil {
		return true
	}
	w := q.sn.points[pt].Ward
	return w >= 0 && q.inWard[w]
}

// each calls fn for every aggregate (point, count) the query counts.
func (q *query) each(ctx context.Context, fn func(m geo.Month, pt uint32, n uint32)) error {
	if q.part != nil {
		err := q.eachPart(ctx, func(m geo.Month, i uint32) {
			if pt := q.sn.pt[i]; pt != 0 && q.counted(pt-1) {
				fn(m, pt-1, 1)
			}
		})
		if err != nil {
			return err
		}
	}
	if !q.uk {
		return nil
	}
	for _, m := range q.months {
		if err := ctx.Err(); err != nil {
			return err
		}
		for _, c := range q.cats {
			for _, pc := range q.sn.agg[aggKey{m, c}] {
				if q.counted(pc.pt) {
					fn(m, pc.pt, pc.n)
				}
			}
		}
	}
	return nil
}

// CellCounts counts the filter's incidents per H3 cell at res.
func (s *Store) CellCounts(ctx context.Context, f geo.Filter, res int) (map[geo.Cell]int, error) {
	if res < geo.MinRes || res > geo.MaxRes {
		return nil, fmt.Errorf("%w: resolution %d", geo.ErrInvalid, res)
	}
	q := s.snap.Load().resolve(f)
	out := map[geo.Cell]int{}
	r := res - geo.MinRes
	err := q.each(ctx, func(_ geo.Month, pt uint32, n uint32) {
		out[q.sn.points[pt].Cells[r]] += int(n)
	})
	return out, err
}

// CellMonthCounts counts the filter's incidents per H3 cell at res and
// month, by cell then month.
func (s *Store) CellMonthCounts(ctx context.Context, f geo.Filter, res int) ([]geo.CellMonthCount, error) {
	if res < geo.MinRes || res > geo.MaxRes {
		return nil, fmt.Errorf("%w: resolution %d", geo.ErrInvalid, res)
	}
	q := s.snap.Load().resolve(f)
	type key struct {
		cell  geo.Cell
		month geo.Month
	}
	counts := map[key]int{}
	r := res - geo.MinRes
	if err := q.each(ctx, func(m geo.Month, pt uint32, n uint32) {
		counts[key{q.sn.points[pt].Cells[r], m}] += int(n)
	}); err != nil {
		return nil, err
	}
	out := make([]geo.CellMonthCount, 0, len(counts))
	for k, n := range counts {
		out = append(out, geo.CellMonthCount{Cell: k.cell, Month: k.month, Count: n})
	}
	slices.SortFunc(out, geo.CompareCellMonths)
	return out, nil
}

// WardCounts counts the filter's incidents per ward code.
func (s *Store) WardCounts(ctx context.Context, f geo.Filter) (map[string]int, error) {
	q := s.snap.Load().resolve(f)
	out := map[string]int{}
	if q.inWard == nil {
		return out, nil
	}
	byWard := make([]int, q.sn.wards.Len())
	err := q.each(ctx, func(_ geo.Month, pt uint32, n uint32) {
		byWard[q.sn.points[pt].Ward] += int(n)
	})
	for i, n := range byWard {
		if n > 0 {
			out[q.sn.wards.Area(i).Code] = n
		}
	}
	return out, err
}

// Series counts the filter's incidents per month for one cell, one ward or
// the whole area.
func (s *Store) Series(ctx context.Context, f geo.Filter, key geo.SeriesKey) (map[geo.Month]int, error) {
	q := s.snap.Load().resolve(f)
	match, err := q.keyMatch(key)
	if err != nil {
		return nil, err
	}
	out := map[geo.Month]int{}
	err = q.each(ctx, func(m geo.Month, pt uint32, n uint32) {
		if match(pt) {
			out[m] += int(n)
		}
	})
	return out, err
}

// keyMatch returns which point indexes a series key keeps: those in its
// cell, those in its ward, or (zero key) all.
func (q *query) keyMatch(key geo.SeriesKey) (func(pt uint32) bool, error) {
	switch {
	case key.Cell != 0:
		if key.Res < geo.MinRes || key.Res > geo.MaxRes {
			return nil, fmt.Errorf("%w: resolution %d", geo.ErrInvalid, key.Res)
		}
		r := key.Res - geo.MinRes
		return func(pt uint32) bool { return q.sn.points[pt].Cells[r] == key.Cell }, nil
	case key.Ward != "":
		w := -1
		for i := 0; i < q.sn.wards.Len(); i++ {
			if q.sn.wards.Area(i).Code == key.Ward {
				w = i
			}
		}
		if w < 0 {
			return nil, fmt.Errorf("ward %q: %w", key.Ward, geo.ErrNotFound)
		}
		return func(pt uint32) bool { return q.sn.points[pt].Ward == int32(w) }, nil
	}
	return func(uint32) bool { return true }, nil
}

// Incident returns one incident by ID.
func (s *Store) Incident(ctx context.Context, id string) (geo.StoredIncident, error) {
	sn := s.snap.Load()
	i, ok := sn.find("", id)
	if !ok {
		return geo.StoredIncident{}, fmt.Errorf("incident %q: %w", id, geo.ErrNotFound)
	}
	return sn.incident(i), nil
}
