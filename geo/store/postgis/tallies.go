package postgis

import (
	"context"
	"database/sql"

	"github.com/leicester-csp/hotspot/geo"
)

const (
	sqlMapPoints = `
SELECT lon, lat, h3_r6, h3_r7, h3_r8, h3_r9, h3_r10, coalesce(ward_code, '')
FROM {s}.points
ORDER BY lon, lat`

	// The aggregates hold no text, so tallies read the incidents; the
	// counted rule is sqlCellCounts'. A point's rows come together, since
	// (lon, lat) is unique. $1, $2 months; $3 categories; $4 wards.
	sqlPointTallies = `
WITH f AS (SELECT EXISTS (SELECT 1 FROM {s}.areas WHERE kind = 'ward') AS wards)
SELECT p.lon, p.lat, p.h3_r6, p.h3_r7, p.h3_r8, p.h3_r9, p.h3_r10, coalesce(p.ward_code, ''),
       i.location, i.outcome, i.category, count(*)
FROM {s}.incidents i
JOIN {s}.points p ON p.id = i.point_id
CROSS JOIN f
WHERE i.month BETWEEN $1 AND $2
  AND (cardinality($3::text[]) = 0 OR i.category = ANY($3::text[]))
  AND (NOT f.wards OR (p.ward_code IS NOT NULL AND (cardinality($4::text[]) = 0 OR p.ward_code = ANY($4::text[]))))
GROUP BY p.id, i.location, i.outcome, i.category
ORDER BY p.lon, p.lat`
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

// PointTallies tallies the counted incidents per map point.
func (s *Store) PointTallies(ctx context.Context, f geo.Filter) ([]geo.PointTally, error) {
	rows, err := s.db.QueryContext(ctx, s.q(sqlPointTallies), filterArgs(f)...)
	if err != nil {
		return nil, wrap(ctx, "point tallies", err)
	}
	defer rows.Close()
	var out []geo.PointTally
	for rows.Next() {
		var (
			loc, outcome, cat string
			n                 int
		)
		mp, err := scanMapPoint(rows, &loc, &outcome, &cat, &n)
		if err != nil {
			return nil, wrap(ctx, "point tallies", err)
		}
		if k := len(out) - 1; k < 0 || out[k].Point != mp.Point {
			out = append(out, geo.PointTally{MapPoint: mp, Locations: map[string]int{}, Outcomes: map[string]int{}, Categories: map[string]int{}})
		}
		t := &out[len(out)-1]
		t.Count += n
		t.Locations[loc] += n
		t.Outcomes[outcome] += n
		t.Categories[cat] += n
	}
	return out, wrap(ctx, "point tallies", rows.Err())
}
