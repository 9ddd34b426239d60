package postgis

import (
	"context"
	"fmt"

	"github.com/leicester-csp/hotspot/geo"
)

var _ geo.TemporalCounter = (*Store)(nil)

// sqlPartnerDayHour counts partner records by the local weekday and hour
// stored at import (dow, hour: worked out in Europe/London then, so no
// time zone arithmetic here); $10 the resolution of $11, a cell (0: any);
// $12 a ward code (empty: any).
const sqlPartnerDayHour = `
WITH f AS (SELECT EXISTS (SELECT 1 FROM {s}.areas WHERE kind = 'ward') AS wards)
SELECT i.dow, i.hour, count(*)
FROM {s}.partner_incidents i
JOIN {s}.partner_points p ON p.id = i.point_id
CROSS JOIN f` + sqlPartnerWhere + sqlPartnerCounted + `
  AND ($11::bigint = 0 OR CASE $10::integer WHEN 6 THEN p.h3_r6 WHEN 7 THEN p.h3_r7 WHEN 8 THEN p.h3_r8 WHEN 9 THEN p.h3_r9 ELSE p.h3_r10 END = $11::bigint)
  AND ($12::text = '' OR p.ward_code = $12::text)
GROUP BY 1, 2`

// DayHourCounts counts the filter's local records in the key's cell, ward
// or area by local weekday and hour.
func (s *Store) DayHourCounts(ctx context.Context, f geo.Filter, key geo.SeriesKey) (geo.DayHourCounts, error) {
	var out geo.DayHourCounts
	res, cell, ward, err := s.seriesKey(ctx, "day-hour counts", key)
	if err != nil || !f.LocalSource() {
		return out, err
	}
	rows, err := s.db.QueryContext(ctx, s.q(sqlPartnerDayHour), append(partnerArgs(f), res, cell, ward)...)
	if err != nil {
		return out, wrap(ctx, "day-hour counts", err)
	}
	defer rows.Close()
	for rows.Next() {
		var d, h, n int64
		if err := rows.Scan(&d, &h, &n); err != nil {
			return out, wrap(ctx, "day-hour counts", err)
		}
		if d < 0 || d > 6 || h < 0 || h > 23 {
			return out, fmt.Errorf("postgis day-hour counts: stored weekday %d, hour %d out of range", d, h)
		}
		out[d][h] = int(n)
	}
	return out, wrap(ctx, "day-hour counts", rows.Err())
}

// seriesKey checks a series key: the resolution and cell it names (the
// least resolution and 0 for none) or its ward, which must be stored.
func (s *Store) seriesKey(ctx context.Context, op string, key geo.SeriesKey) (res int, cell int64, ward string, err error) {
	res = geo.MinRes
	switch {
	case key.Cell != 0:
		if key.Res < geo.MinRes || key.Res > geo.MaxRes {
			return 0, 0, "", fmt.Errorf("postgis %s: %w: resolution %d", op, geo.ErrInvalid, key.Res)
		}
		res, cell = key.Res, int64(key.Cell)
	case key.Ward != "":
		var ok bool
		if err := s.db.QueryRowContext(ctx, s.q(sqlWardExists), key.Ward).Scan(&ok); err != nil {
			return 0, 0, "", wrap(ctx, op, err)
		}
		if !ok {
			return 0, 0, "", fmt.Errorf("postgis %s: ward %q: %w", op, key.Ward, geo.ErrNotFound)
		}
		ward = key.Ward
	}
	return res, cell, ward, nil
}
