package postgis

import (
	"cmp"
	"context"
	"fmt"
	"slices"

	"github.com/leicester-csp/hotspot/geo"
)

const (
	// sqlPointTallies grouped by cell at $5 and Location text alone: the
	// rows are a cell's texts, not a point's texts by outcome and category.
	sqlCellTallies = `
WITH f AS (SELECT EXISTS (SELECT 1 FROM {s}.areas WHERE kind = 'ward') AS wards),
t AS (
	SELECT CASE $5::integer WHEN 6 THEN p.h3_r6 WHEN 7 THEN p.h3_r7 WHEN 8 THEN p.h3_r8 WHEN 9 THEN p.h3_r9 ELSE p.h3_r10 END AS cell,
	       a.location, sum(a.n) AS n
	FROM {s}.agg_text a
	JOIN {s}.points p ON p.id = a.point_id
	CROSS JOIN f
	WHERE a.month BETWEEN $1 AND $2
	  AND (cardinality($3::text[]) = 0 OR a.category = ANY($3::text[]))
	  AND (NOT f.wards OR (p.ward_code IS NOT NULL AND (cardinality($4::text[]) = 0 OR p.ward_code = ANY($4::text[]))))
	GROUP BY 1, 2
)
SELECT t.cell, l.text, t.n
FROM t
JOIN {s}.texts l ON l.id = t.location`

	// sqlPartnerTallies grouped by cell at $10 and Location.
	sqlPartnerCellTallies = `
WITH f AS (SELECT EXISTS (SELECT 1 FROM {s}.areas WHERE kind = 'ward') AS wards)
SELECT CASE $10::integer WHEN 6 THEN p.h3_r6 WHEN 7 THEN p.h3_r7 WHEN 8 THEN p.h3_r8 WHEN 9 THEN p.h3_r9 ELSE p.h3_r10 END,
       i.location, count(*)
FROM {s}.partner_incidents i
JOIN {s}.points p ON p.id = i.point_id
CROSS JOIN f` + sqlPartnerWhere + sqlPartnerCounted + `
GROUP BY 1, 2`
)

// CellTallies counts the filter's incidents per cell at res with each
// cell's most frequent Location: police.uk's from agg_text, partner
// records' from their table, the texts of both summed before the top is
// chosen.
func (s *Store) CellTallies(ctx context.Context, f geo.Filter, res int) ([]geo.CellTally, error) {
	if res < geo.MinRes || res > geo.MaxRes {
		return nil, fmt.Errorf("postgis cell tallies: %w: resolution %d", geo.ErrInvalid, res)
	}
	acc := map[geo.Cell]map[string]int{}
	if f.PoliceUK() {
		if err := s.cellTally(ctx, s.q(sqlCellTallies), append(filterArgs(f), res), acc); err != nil {
			return nil, err
		}
	}
	if f.LocalSource() {
		if err := s.cellTally(ctx, s.q(sqlPartnerCellTallies), append(partnerArgs(f), res), acc); err != nil {
			return nil, err
		}
	}
	out := make([]geo.CellTally, 0, len(acc))
	for c, locs := range acc {
		t := geo.CellTally{Cell: c}
		best := 0
		for loc, n := range locs {
			t.Count += n
			if n > best || (n == best && loc < t.TopLocation) {
				t.TopLocation, best = loc, n
			}
		}
		out = append(out, t)
	}
	slices.SortFunc(out, func(a, b geo.CellTally) int { return cmp.Compare(a.Cell, b.Cell) })
	return out, nil
}

// cellTally adds one query's (cell, Location, count) rows to acc.
func (s *Store) cellTally(ctx context.Context, query string, args []any, acc map[geo.Cell]map[string]int) error {
	rows, err := s.db.QueryContext(ctx, query, args...)
	if err != nil {
		return wrap(ctx, "cell tallies", err)
	}
	defer rows.Close()
	for rows.Next() {
		var (
			cell int64
			loc  string
			n    int
		)
		if err := rows.Scan(&cell, &loc, &n); err != nil {
			return wrap(ctx, "cell tallies", err)
		}
		c := geo.Cell(uint64(cell))
		m := acc[c]
		if m == nil {
			m = map[string]int{}
			acc[c] = m
		}
		m[loc] += n
	}
	return wrap(ctx, "cell tallies", rows.Err())
}
