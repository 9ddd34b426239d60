package postgis

import (
	"context"
	"slices"

	"github.com/lib/pq"
	"github.com/paulmach/orb"

	"github.com/leicester-csp/hotspot/geo"
)

var _ geo.WindowCounter = (*Store)(nil)

// sqlWindowCounts reads agg (counts without texts) once for both windows,
// only for the points an evaluation can use: those in the bound (T and
// D, and an area control) or in the control ward.
const sqlWindowCounts = `
WITH f AS (SELECT EXISTS (SELECT 1 FROM {s}.areas WHERE kind = 'ward') AS wards)
SELECT p.lon, p.lat, coalesce(p.ward_code, ''),
       coalesce(sum(a.n) FILTER (WHERE a.month BETWEEN $3 AND $4), 0),
       coalesce(sum(a.n) FILTER (WHERE a.month BETWEEN $5 AND $6), 0)
FROM {s}.agg a
JOIN {s}.points p ON p.id = a.point_id
CROSS JOIN f
WHERE (a.month BETWEEN $3 AND $4 OR a.month BETWEEN $5 AND $6)
  AND (cardinality($1::text[]) = 0 OR a.category = ANY($1::text[]))
  AND (NOT f.wards OR (p.ward_code IS NOT NULL AND (cardinality($2::text[]) = 0 OR p.ward_code = ANY($2::text[]))))
  AND ((p.lon BETWEEN $7 AND $8 AND p.lat BETWEEN $9 AND $10) OR p.ward_code = $11)
GROUP BY p.id, p.lon, p.lat, p.ward_code`

// PointWindowCounts counts the filter's incidents per point in two windows.
func (s *Store) PointWindowCounts(ctx context.Context, f geo.Filter, before, after geo.MonthRange, near orb.Bound, ward string) ([]geo.PointPair, error) {
	rows, err := s.db.QueryContext(ctx, s.q(sqlWindowCounts), pq.StringArray(nonNil(f.Categories)), pq.StringArray(nonNil(f.Wards)),
		int32(before.From), int32(before.To), int32(after.From), int32(after.To),
		near.Min[0], near.Max[0], near.Min[1], near.Max[1], ward)
	if err != nil {
		return nil, wrap(ctx, "window counts", err)
	}
	defer rows.Close()
	var out []geo.PointPair
	for rows.Next() {
		var p geo.PointPair
		if err := rows.Scan(&p.Point[0], &p.Point[1], &p.Ward, &p.Before, &p.After); err != nil {
			return nil, wrap(ctx, "window counts", err)
		}
		out = append(out, p)
	}
	if err := rows.Err(); err != nil {
		return nil, wrap(ctx, "window counts", err)
	}
	slices.SortFunc(out, func(a, b geo.PointPair) int { return geo.ComparePoints(a.Point, b.Point) })
	return out, nil
}
