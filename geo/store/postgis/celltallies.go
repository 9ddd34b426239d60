package postgis

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/lib/pq"

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

	// sqlCellTallies for a filter naming wards while wards are stored:
	// agg_text's rows of those wards (by its ward index), hashed against
	// those wards' points (by migration 0014's index), both index-only.
	// agg_text carries its point's ward, so the two ward conditions are
	// one; each names the index to read.
	sqlCellTalliesInWards = `
WITH c AS (
	SELECT CASE $5::integer WHEN 6 THEN p.h3_r6 WHEN 7 THEN p.h3_r7 WHEN 8 THEN p.h3_r8 WHEN 9 THEN p.h3_r9 ELSE p.h3_r10 END AS cell,
	       a.location, sum(a.n) AS n
	FROM {s}.agg_text a
	JOIN {s}.points p ON p.id = a.point_id
	WHERE a.ward_code = ANY($4::text[])
	  AND p.ward_code = ANY($4::text[])
	  AND a.month BETWEEN $1 AND $2
	  AND (cardinality($3::text[]) = 0 OR a.category = ANY($3::text[]))
	GROUP BY 1, 2
)
SELECT c.cell, l.text, c.n
FROM c
JOIN {s}.texts l ON l.id = c.location`
)

// sqlPartnerCellTallies: partner records' cells and Locations from
// partner_hex: $1, $2 months; $3 categories; $4 wards; $5 source ('all'
// for every one); $6 the flag sets that pass (empty: any); $7
// resolution; $8 the hours of the week that pass (empty: any).
var sqlPartnerCellTallies = `
WITH f AS (SELECT EXISTS (SELECT 1 FROM {s}.areas WHERE kind = 'ward') AS wards)
SELECT CASE $7::integer WHEN 6 THEN h.h3_r6 WHEN 7 THEN h.h3_r7 WHEN 8 THEN h.h3_r8 WHEN 9 THEN h.h3_r9 ELSE h.h3_r10 END,
       h.location, count(*)
FROM {s}.partner_hex h
CROSS JOIN f` + sqlPartnerHexWhere8 + `
  AND (NOT f.wards OR (h.ward_code IS NOT NULL AND (cardinality($4::text[]) = 0 OR h.ward_code = ANY($4::text[]))))
GROUP BY 1, 2`

// sqlPartnerHexWhere7 and 8 filter the rows of partner_hex (or
// partner_hours, which names its columns alike), aliased h: $1, $2
// months; $3 categories; $5 source ('all' for every one); $6 the flag
// sets that pass (empty: any); $7 or $8 the hours of the week that pass
// (empty: any). Given as lists, both are conditions on partner_hex's
// index.
var (
	sqlPartnerHexWhere7 = partnerHexWhere(7)
	sqlPartnerHexWhere8 = partnerHexWhere(8)
)

func partnerHexWhere(hod int) string {
	return fmt.Sprintf(`
WHERE (cardinality($%[1]d::smallint[]) = 0 OR h.hod = ANY($%[1]d::smallint[]))
  AND h.month BETWEEN $1 AND $2
  AND (cardinality($3::text[]) = 0 OR h.category = ANY($3::text[]))
  AND ($5::text = 'all' OR h.source = $5::text)
  AND (cardinality($6::smallint[]) = 0 OR h.flags = ANY($6::smallint[]))`, hod)
}

// flagSets lists the sets of flags that hold every flag of want; none
// when want is empty.
func flagSets(want geo.Flags) pq.Int64Array {
	out := pq.Int64Array{}
	if want == 0 {
		return out
	}
	for s := range 1 << geo.NumFlags {
		if geo.Flags(s).HasAll(want) {
			out = append(out, int64(s))
		}
	}
	return out
}

// hoursOfWeek lists the hours of the week (weekday × 24 + hour) that w
// lets pass; none when it lets every one pass.
func hoursOfWeek(w geo.Within) pq.Int64Array {
	out := pq.Int64Array{}
	if w.Any() {
		return out
	}
	for wd := range 7 {
		for h := range 24 {
			if w.Holds(wd, h) {
				out = append(out, int64(wd*24+h))
			}
		}
	}
	return out
}

// CellTallies counts the filter's incidents per cell at res with each
// cell's most frequent Location: police.uk's from agg_text, partner
// records' from their table, the texts of both summed before the top is
// chosen.
func (s *Store) CellTallies(ctx context.Context, f geo.Filter, res int) ([]geo.CellTally, error) {
	if res < geo.MinRes || res > geo.MaxRes {
		return nil, fmt.Errorf("postgis cell tallies: %w: resolution %d", geo.ErrInvalid, res)
	}
	var acc []cellText
	if f.PoliceUK() {
		if err := s.policeCellTallies(ctx, f, res, &acc); err != nil {
			return nil, err
		}
	}
	if f.LocalSource() {
		args := append(filterArgs(f), f.Source, flagSets(f.Flags), res, hoursOfWeek(f.Within))
		if err := s.cellTally(ctx, s.q(sqlPartnerCellTallies), args, &acc); err != nil {
			return nil, err
		}
	}
	return cellTallies(acc), nil
}

// policeCellTallies adds the filter's police.uk (cell, Location, count)
// rows to acc: of a priority's wards from agg_text by point (idCache),
// unless its points are too many to index; of everywhere else, or with
// no wards stored (the filter's wards are then ignored), by the SQL's
// own joins.
func (s *Store) policeCellTallies(ctx context.Context, f geo.Filter, res int, acc *[]cellText) error {
	query := sqlCellTallies
	if len(f.Wards) > 0 {
		var stored bool
		version, err := scanVersion(s.db.QueryRowContext(ctx, s.q(sqlWardsAndVersion)), &stored)
		if err != nil {
			return wrap(ctx, "cell tallies", err)
		}
		if stored {
			mark := len(*acc)
			ok, err := s.cellTallyInWards(ctx, version, f, res, acc)
			if err != nil || ok {
				return err
			}
			*acc = (*acc)[:mark]
			query = sqlCellTalliesInWards
		}
	}
	return s.cellTally(ctx, s.q(query), append(filterArgs(f), res), acc)
}

// cellText is one (cell, Location, count) row of a tally query.
type cellText struct {
	cell geo.Cell
	loc  string
	n    int
}

// cellTallies sums rows by cell, ascending, each with its most frequent
// Location (ties by byte order), the counts of a Location that both
// police.uk and partner rows name summed first. Sorting the rows does
// what a map of Locations per cell did, without 10,000 maps for a city.
func cellTallies(rows []cellText) []geo.CellTally {
	slices.SortFunc(rows, func(a, b cellText) int {
		return cmp.Or(cmp.Compare(a.cell, b.cell), strings.Compare(a.loc, b.loc))
	})
	var out []geo.CellTally
	best := 0
	for i := 0; i < len(rows); {
		r := rows[i]
		n := 0
		for ; i < len(rows) && rows[i].cell == r.cell && rows[i].loc == r.loc; i++ {
			n += rows[i].n
		}
		if len(out) == 0 || out[len(out)-1].Cell != r.cell {
			out = append(out, geo.CellTally{Cell: r.cell})
			best = 0
		}
		t := &out[len(out)-1]
		t.Count += n
		// Locations come in byte order, so the first of equal counts
		// stays.
		if n > best {
			t.TopLocation, best = r.loc, n
		}
	}
	if out == nil {
		out = []geo.CellTally{}
	}
	return out
}

// cellTally adds one query's (cell, Location, count) rows to acc.
func (s *Store) cellTally(ctx context.Context, query string, args []any, acc *[]cellText) error {
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
		*acc = append(*acc, cellText{geo.Cell(uint64(cell)), loc, n})
	}
	return wrap(ctx, "cell tallies", rows.Err())
}
