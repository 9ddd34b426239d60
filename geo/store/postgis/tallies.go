package postgis

import (
	"context"
	"database/sql"
	"slices"

	"github.com/paulmach/orb"

	"github.com/leicester-csp/hotspot/geo"
)

const (
	sqlMapPoints = `
SELECT lon, lat, h3_r6, h3_r7, h3_r8, h3_r9, h3_r10, coalesce(ward_code, '')
FROM {s}.points
WHERE policeuk
ORDER BY lon, lat`

	// Tallies read agg_text, grouped on its integer columns first; only
	// the groups are given their point's columns and their texts. The
	// counted rule is sqlCellCounts'. Rows come in no order: PointTallies
	// gathers them by point and sorts. $1, $2 months; $3 categories;
	// $4 wards.
	sqlPointTallies = `
WITH f AS (SELECT EXISTS (SELECT 1 FROM {s}.areas WHERE kind = 'ward') AS wards),
t AS (
	SELECT a.point_id, a.location, a.outcome, a.category, sum(a.n) AS n
	FROM {s}.agg_text a
	JOIN {s}.points p ON p.id = a.point_id
	CROSS JOIN f
	WHERE a.month BETWEEN $1 AND $2
	  AND (cardinality($3::text[]) = 0 OR a.category = ANY($3::text[]))
	  AND (NOT f.wards OR (p.ward_code IS NOT NULL AND (cardinality($4::text[]) = 0 OR p.ward_code = ANY($4::text[]))))
	GROUP BY 1, 2, 3, 4
)
SELECT p.lon, p.lat, p.h3_r6, p.h3_r7, p.h3_r8, p.h3_r9, p.h3_r10, coalesce(p.ward_code, ''),
       l.text, o.text, t.category, t.n
FROM t
JOIN {s}.points p ON p.id = t.point_id
JOIN {s}.texts l ON l.id = t.location
JOIN {s}.texts o ON o.id = t.outcome`

	// sqlPointTallies for a filter naming wards while wards are stored:
	// agg_text's rows carry their point's ward, so only the named wards'
	// rows are read, through the index by category and ward. Their points
	// are then looked up one by one (OFFSET 0 keeps the lateral subquery
	// from being flattened into a join): the planner otherwise hashes
	// every point of the country for the few thousand of one city (at
	// national shape 1.7 s of a 2.7 s query).
	sqlPointTalliesInWards = `
WITH t AS (
	SELECT a.point_id, a.location, a.outcome, a.category, sum(a.n) AS n
	FROM {s}.agg_text a
	WHERE a.ward_code = ANY($4::text[])
	  AND a.month BETWEEN $1 AND $2
	  AND (cardinality($3::text[]) = 0 OR a.category = ANY($3::text[]))
	GROUP BY 1, 2, 3, 4
)
SELECT p.lon, p.lat, p.h3_r6, p.h3_r7, p.h3_r8, p.h3_r9, p.h3_r10, coalesce(p.ward_code, ''),
       l.text, o.text, t.category, t.n
FROM t
CROSS JOIN LATERAL (SELECT * FROM {s}.points q WHERE q.id = t.point_id OFFSET 0) p
JOIN {s}.texts l ON l.id = t.location
JOIN {s}.texts o ON o.id = t.outcome`

	sqlWardsStored = `SELECT EXISTS (SELECT 1 FROM {s}.areas WHERE kind = 'ward')`
)

// MapPoints lists every stored map point, by longitude then latitude.
func (s *Store) MapPoints(ctx context.Context) ([]geo.MapPoint, error) {
	rows, err := s.db.QueryContext(ctx, s.q(sqlMapPoints))
	if err != nil {
		return nil, wrap(ctx, "map points", err)
	}
	defer rows.Close()
	var out []geo.MapPoint
	for rows.Next() {
		mp, err := scanMapPoint(rows)
		if err != nil {
			return nil, wrap(ctx, "map points", err)
		}
		out = append(out, mp)
	}
	return out, wrap(ctx, "map points", rows.Err())
}

func scanMapPoint(rows *sql.Rows, more ...any) (geo.MapPoint, error) {
	var (
		mp    geo.MapPoint
		cells [geo.NumRes]int64
	)
	dest := []any{&mp.Point[0], &mp.Point[1]}
	for i := range cells {
		dest = append(dest, &cells[i])
	}
	dest = append(append(dest, &mp.Ward), more...)
	if err := rows.Scan(dest...); err != nil {
		return mp, err
	}
	for i, c := range cells {
		mp.Cells[i] = geo.Cell(uint64(c))
	}
	return mp, nil
}

// PointTallies tallies the counted incidents per map point: police.uk's
// from agg_text, partner records' from their table.
func (s *Store) PointTallies(ctx context.Context, f geo.Filter) ([]geo.PointTally, error) {
	var out []geo.PointTally
	at := map[orb.Point]int{} // index in out
	if f.PoliceUK() {
		query := sqlPointTallies
		if len(f.Wards) > 0 {
			// With no wards stored the filter's wards are ignored.
			var stored bool
			if err := s.db.QueryRowContext(ctx, s.q(sqlWardsStored)).Scan(&stored); err != nil {
				return nil, wrap(ctx, "point tallies", err)
			}
			if stored {
				query = sqlPointTalliesInWards
			}
		}
		if err := s.tally(ctx, s.q(query), filterArgs(f), &out, at); err != nil {
			return nil, err
		}
	}
	if f.LocalSource() {
		if err := s.tally(ctx, s.q(sqlPartnerTallies), partnerArgs(f), &out, at); err != nil {
			return nil, err
		}
	}
	slices.SortFunc(out, func(a, b geo.PointTally) int { return geo.ComparePoints(a.Point, b.Point) })
	return out, nil
}

// tally adds one tally query's rows to out.
func (s *Store) tally(ctx context.Context, query string, args []any, out *[]geo.PointTally, at map[orb.Point]int) error {
	rows, err := s.db.QueryContext(ctx, query, args...)
	if err != nil {
		return wrap(ctx, "point tallies", err)
	}
	defer rows.Close()
	for rows.Next() {
		var (
			loc, outcome, cat string
			n                 int
		)
		mp, err := scanMapPoint(rows, &loc, &outcome, &cat, &n)
		if err != nil {
			return wrap(ctx, "point tallies", err)
		}
		i, ok := at[mp.Point]
		if !ok {
			i = len(*out)
			at[mp.Point] = i
			*out = append(*out, geo.PointTally{MapPoint: mp, Locations: map[string]int{}, Outcomes: map[string]int{}, Categories: map[string]int{}})
		}
		t := &(*out)[i]
		t.Count += n
		t.Locations[loc] += n
		t.Outcomes[outcome] += n
		t.Categories[cat] += n
	}
	return wrap(ctx, "point tallies", rows.Err())
}
