package postgis

import (
	"context"
	"fmt"

	"github.com/leicester-csp/hotspot/geo"
)

var _ geo.TemporalCounter = (*Store)(nil)

// sqlPartnerDayHour counts partner records by the hour of the week
// (weekday × 24 + hour, local, worked out at import) from partner_hex,
// which holds every counted record's filter columns, cells and ward, so
// nothing is joined and a flag or time filter reads only its hours and
// flag sets through the table's index (a year of 1 M records: 300–360 ms
// joined to their points, 15–60 ms here). $1, $2 months; $3 categories;
// $4 wards; $5 source ('all' for every one); $6 the flag sets that pass
// (empty: any); $7 the hours of the week that pass (empty: any); $8 the
// resolution of $9, a cell (0: any); $10 a ward code (empty: any).
var sqlPartnerDayHour = `
WITH f AS (SELECT EXISTS (SELECT 1 FROM {s}.areas WHERE kind = 'ward') AS wards)
SELECT h.hod, count(*)
FROM {s}.partner_hex h
CROSS JOIN f` + sqlPartnerHexWhere7 + `
  AND (NOT f.wards OR (h.ward_code IS NOT NULL AND (cardinality($4::text[]) = 0 OR h.ward_code = ANY($4::text[]))))
  AND ($9::bigint = 0 OR CASE $8::integer WHEN 6 THEN h.h3_r6 WHEN 7 THEN h.h3_r7 WHEN 8 THEN h.h3_r8 WHEN 9 THEN h.h3_r9 ELSE h.h3_r10 END = $9::bigint)
  AND ($10::text = '' OR h.ward_code = $10::text)
GROUP BY 1`

// sqlPartnerDayHourArea is sqlPartnerDayHour for a whole area (no ward,
// cell or priority area named), from the counts of migration 0017: $1–$7
// as there ($4 empty).
var sqlPartnerDayHourArea = `
WITH f AS (SELECT EXISTS (SELECT 1 FROM {s}.areas WHERE kind = 'ward') AS wards)
SELECT h.hod, sum(h.n)
FROM {s}.partner_hours h
CROSS JOIN f` + sqlPartnerHexWhere7 + `
  AND (NOT f.wards OR h.in_ward)
  AND cardinality($4::text[]) = 0 -- chosen only without wards named
GROUP BY 1`

// DayHourCounts counts the filter's local records in the key's cell, ward
// or area by local weekday and hour.
func (s *Store) DayHourCounts(ctx context.Context, f geo.Filter, key geo.SeriesKey) (geo.DayHourCounts, error) {
	var out geo.DayHourCounts
	res, cell, ward, err := s.seriesKey(ctx, "day-hour counts", key)
	if err != nil || !f.LocalSource() {
		return out, err
	}
	query, args := sqlPartnerDayHour, append(filterArgs(f), f.Source, flagSets(f.Flags), hoursOfWeek(f.Within), res, cell, ward)
	if cell == 0 && ward == "" && len(f.Wards) == 0 {
		query, args = sqlPartnerDayHourArea, args[:7]
	}
	rows, err := s.db.QueryContext(ctx, s.q(query), args...)
	if err != nil {
		return out, wrap(ctx, "day-hour counts", err)
	}
	defer rows.Close()
	for rows.Next() {
		var hod, n int64
		if err := rows.Scan(&hod, &n); err != nil {
			return out, wrap(ctx, "day-hour counts", err)
		}
		if hod < 0 || hod >= 7*24 {
			return out, fmt.Errorf("postgis day-hour counts: stored hour of the week %d out of range", hod)
		}
		out[hod/24][hod%24] = int(n)
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
