package postgis

import (
	"context"
	"database/sql"
	"slices"
	"time"

	"github.com/lib/pq"
	"github.com/paulmach/orb"

	"github.com/leicester-csp/hotspot/geo"
)

// Partner records are counted from their table, not from aggregates: the
// filters on them (flags, day, hour) are not columns of any aggregate, and
// a city's local sources are small beside police.uk's records. $1, $2
// months; $3 categories; $4 wards; $5 source ('all' for every one); $6
// flags that must all hold; $7 hours mask (0: any); $8 days mask (0: any);
// $9 the hour before which a record belongs to the night before.
const (
	sqlPartnerWhere = `
WHERE i.month BETWEEN $1 AND $2
  AND (cardinality($3::text[]) = 0 OR i.category = ANY($3::text[]))
  AND ($5::text = 'all' OR i.source = $5::text)
  AND i.flags & $6::integer = $6::integer
  AND ($7::integer = 0 OR ($7::integer >> i.hour) & 1 = 1)
  AND ($8::integer = 0 OR ($8::integer >> CASE WHEN i.hour < $9::integer THEN (i.dow + 6) % 7 ELSE i.dow END) & 1 = 1)`

	sqlPartnerCounted = `
  AND (NOT f.wards OR (p.ward_code IS NOT NULL AND (cardinality($4::text[]) = 0 OR p.ward_code = ANY($4::text[]))))`

	// Counts per cell at $10, ward and month: each counting method sums
	// what it needs.
	sqlPartnerCounts = `
WITH f AS (SELECT EXISTS (SELECT 1 FROM {s}.areas WHERE kind = 'ward') AS wards)
SELECT CASE $10::integer WHEN 6 THEN p.h3_r6 WHEN 7 THEN p.h3_r7 WHEN 8 THEN p.h3_r8 WHEN 9 THEN p.h3_r9 ELSE p.h3_r10 END,
       coalesce(p.ward_code, ''), i.month, count(*)
FROM {s}.partner_incidents i
JOIN {s}.partner_points p ON p.id = i.point_id
CROSS JOIN f` + sqlPartnerWhere + sqlPartnerCounted + `
GROUP BY 1, 2, 3`

	// Tallies in sqlPointTallies' columns; partner records have no
	// outcome.
	sqlPartnerTallies = `
WITH f AS (SELECT EXISTS (SELECT 1 FROM {s}.areas WHERE kind = 'ward') AS wards)
SELECT p.lon, p.lat, p.h3_r6, p.h3_r7, p.h3_r8, p.h3_r9, p.h3_r10, coalesce(p.ward_code, ''),
       i.location, '', i.category, count(*)
FROM {s}.partner_incidents i
JOIN {s}.partner_points p ON p.id = i.point_id
CROSS JOIN f` + sqlPartnerWhere + sqlPartnerCounted + `
GROUP BY p.id, i.location, i.category`

	// Pages as sqlIncidentsPage's: listed inside the city or not; $10
	// whether a box is given, $11–$14 the box.
	sqlPartnerListWhere = sqlPartnerWhere + `
  AND (cardinality($4::text[]) = 0 OR NOT EXISTS (SELECT 1 FROM {s}.areas WHERE kind = 'ward') OR p.ward_code = ANY($4::text[]))
  AND (NOT $10::boolean OR (p.lon BETWEEN $11 AND $13 AND p.lat BETWEEN $12 AND $14))`
	sqlPartnerTotal = `
SELECT count(*)
FROM {s}.partner_incidents i
LEFT JOIN {s}.partner_points p ON p.id = i.point_id` + sqlPartnerListWhere
	// $15 limit, $16 offset, $17 newest first; $18 whether the page
	// starts after a key, $19–$21 its month, ID and source.
	sqlPartnerPage = `
SELECT i.id, i.month, i.source, i.occurred, i.flags, i.premises, i.offender, i.category, i.location,
       p.lon, p.lat, w.code, w.name
FROM {s}.partner_incidents i
LEFT JOIN {s}.partner_points p ON p.id = i.point_id
LEFT JOIN {s}.areas w ON w.kind = 'ward' AND w.code = p.ward_code` + sqlPartnerListWhere + `
  AND (NOT $18::boolean OR (CASE WHEN $17 THEN -i.month ELSE i.month END, i.id, i.source)
       > (CASE WHEN $17 THEN -$19::integer ELSE $19::integer END, $20::text, $21::text))
ORDER BY CASE WHEN $17 THEN -i.month ELSE i.month END, i.id, i.source
LIMIT $15 OFFSET $16`

	sqlSources     = `SELECT source FROM {s}.partner_sources ORDER BY source`
	sqlSourceInfos = `
SELECT source, cats, synthetic FROM (
  SELECT 'policeuk'::text COLLATE "C" AS source, '{}'::text[] AS cats,
         EXISTS (SELECT 1 FROM {s}.synthetic_sources WHERE source = 'policeuk') AS synthetic
  UNION ALL
  SELECT s.source, coalesce(array_agg(c.category ORDER BY c.category) FILTER (WHERE c.category IS NOT NULL), '{}'),
         EXISTS (SELECT 1 FROM {s}.synthetic_sources y WHERE y.source = s.source)
  FROM {s}.partner_sources s LEFT JOIN {s}.partner_categories c ON c.source = s.source
  GROUP BY s.source
) x ORDER BY source <> 'policeuk', source`
	sqlPremisesList = `SELECT id, name, kind, lon, lat FROM {s}.premises ORDER BY id`
)

// partnerArgs are $1–$9 of the partner queries.
func partnerArgs(f geo.Filter) []any {
	src := f.Source
	return append(filterArgs(f), src, int(f.Flags), int64(f.Within.Hours), int(f.Within.Days), f.Within.Shift)
}

// partnerCounts calls fn for each (cell at res, ward, month) count of the
// filter's partner records; nothing when the filter counts none.
func (s *Store) partnerCounts(ctx context.Context, f geo.Filter, res int, fn func(c geo.Cell, ward string, m geo.Month, n int)) error {
	if !f.LocalSource() {
		return nil
	}
	rows, err := s.db.QueryContext(ctx, s.q(sqlPartnerCounts), append(partnerArgs(f), res)...)
	if err != nil {
		return wrap(ctx, "partner counts", err)
	}
	defer rows.Close()
	for rows.Next() {
		var (
			cell  int64
			ward  string
			month int32
			n     int64
		)
		if err := rows.Scan(&cell, &ward, &month, &n); err != nil {
			return wrap(ctx, "partner counts", err)
		}
		fn(geo.Cell(uint64(cell)), ward, geo.Month(month), int(n))
	}
	return wrap(ctx, "partner counts", rows.Err())
}

// partnerPage reads a page of the filter's partner records and their
// total, in tx's snapshot.
func (s *Store) partnerPage(ctx context.Context, tx *sql.Tx, f geo.Filter, p geo.PageRequest) (geo.Page, error) {
	page := geo.Page{Total: -1}
	args := partnerArgs(f)
	if b := p.BBox; b != nil {
		args = append(args, true, b.Min[0], b.Min[1], b.Max[0], b.Max[1])
	} else {
		args = append(args, false, 0.0, 0.0, 0.0, 0.0)
	}
	if !p.NoTotal {
		if err := tx.QueryRowContext(ctx, s.q(sqlPartnerTotal), args...).Scan(&page.Total); err != nil {
			return page, err
		}
	}
	if p.Limit <= 0 {
		return page, nil
	}
	var after geo.PageKey
	if p.After != nil {
		after = *p.After
	}
	rows, err := tx.QueryContext(ctx, s.q(sqlPartnerPage), append(args, p.Limit+1, max(p.Offset, 0), p.Newest,
		p.After != nil, int32(after.Month), after.ID, after.Source)...)
	if err != nil {
		return page, err
	}
	defer rows.Close()
	for rows.Next() {
		it, err := scanPartner(rows)
		if err != nil {
			return page, err
		}
		page.Items = append(page.Items, it)
	}
	if len(page.Items) > p.Limit {
		page.Items, page.More = page.Items[:p.Limit], true
	}
	return page, rows.Err()
}

func scanPartner(rows *sql.Rows) (geo.StoredIncident, error) {
	var (
		it         geo.StoredIncident
		month      int32
		flags      int16
		occurred   time.Time
		lon, lat   sql.NullFloat64
		ward, name sql.NullString
	)
	if err := rows.Scan(&it.ID, &month, &it.Source, &occurred, &flags, &it.Premises, &it.Offender, &it.Category, &it.Location, &lon, &lat, &ward, &name); err != nil {
		return it, err
	}
	it.Month, it.Flags, it.Occurred = geo.Month(month), geo.Flags(flags), occurred.In(geo.London)
	if lon.Valid && lat.Valid {
		it.HasLocation, it.Point = true, orb.Point{lon.Float64, lat.Float64}
	}
	it.Ward, it.WardName = ward.String, name.String
	return it, nil
}

// Sources lists the local sources that hold records.
func (s *Store) Sources(ctx context.Context) ([]string, error) {
	out, err := queryStrings(ctx, s.db, s.q(sqlSources))
	return out, wrap(ctx, "sources", err)
}

// SourceInfos describes police.uk, then each local source by name.
func (s *Store) SourceInfos(ctx context.Context) ([]geo.SourceInfo, error) {
	rows, err := s.db.QueryContext(ctx, s.q(sqlSourceInfos))
	if err != nil {
		return nil, wrap(ctx, "source infos", err)
	}
	defer rows.Close()
	var out []geo.SourceInfo
	for rows.Next() {
		var (
			si   geo.SourceInfo
			cats pq.StringArray
		)
		if err := rows.Scan(&si.Name, &cats, &si.Synthetic); err != nil {
			return nil, wrap(ctx, "source infos", err)
		}
		if si.Name != geo.SourcePoliceUK {
			si.Categories = []string(cats)
		}
		out = append(out, si)
	}
	return out, wrap(ctx, "source infos", rows.Err())
}

// Premises returns the premises register by id.
func (s *Store) Premises(ctx context.Context) ([]geo.Premises, error) {
	rows, err := s.db.QueryContext(ctx, s.q(sqlPremisesList))
	if err != nil {
		return nil, wrap(ctx, "premises", err)
	}
	defer rows.Close()
	var out []geo.Premises
	for rows.Next() {
		var (
			p        geo.Premises
			lon, lat sql.NullFloat64
		)
		if err := rows.Scan(&p.ID, &p.Name, &p.Kind, &lon, &lat); err != nil {
			return nil, wrap(ctx, "premises", err)
		}
		if lon.Valid && lat.Valid {
			p.HasLocation, p.Point = true, orb.Point{lon.Float64, lat.Float64}
		}
		out = append(out, p)
	}
	return out, wrap(ctx, "premises", rows.Err())
}

// mixedPage is Incidents for a filter counting police.uk's incidents and
// local sources: both lists' first offset+limit rows after the key,
// merged in page order (month, ID, source) and cut.
func (s *Store) mixedPage(ctx context.Context, tx *sql.Tx, f geo.Filter, p geo.PageRequest) (geo.Page, error) {
	head := p
	head.Offset, head.Limit = 0, max(p.Offset, 0)+max(p.Limit, 0)
	local, err := s.partnerPage(ctx, tx, f, head)
	if err != nil {
		return geo.Page{}, err
	}
	uk, err := s.policeUKPage(ctx, tx, f, head)
	if err != nil {
		return geo.Page{}, err
	}
	items := append(uk.Items, local.Items...)
	slices.SortStableFunc(items, func(a, b geo.StoredIncident) int {
		return geo.ComparePageKeys(geo.KeyOf(&a), geo.KeyOf(&b), p.Newest)
	})
	page := geo.Page{Total: -1, More: uk.More || local.More || len(items) > head.Limit}
	if uk.Total >= 0 && local.Total >= 0 {
		page.Total = uk.Total + local.Total
	}
	if off := max(p.Offset, 0); off < len(items) {
		page.Items = items[off:min(len(items), off+max(p.Limit, 0))]
	}
	return page, nil
}
