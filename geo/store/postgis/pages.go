package postgis

import (
	"context"
	"database/sql"
	"fmt"
	"slices"

	"github.com/leicester-csp/hotspot/geo"
)

// Pages are read a month at a time: within one month the (month, id)
// index (migration 0007) hands rows over in page order whichever way the
// months run, so that a page starting at a key — or at an offset past
// whole months, which the aggregates count — reads only its own rows.
const (
	// Per month, the incidents a page request selects, from the
	// aggregates (the same filter as sqlIncidentsWhere): the total, and
	// the months an offset skips.
	sqlIncidentsMonthCounts = `
SELECT a.month, sum(a.n)
FROM {s}.agg a
LEFT JOIN {s}.points p ON p.id = a.point_id
WHERE a.month BETWEEN $1 AND $2
  AND (cardinality($3::text[]) = 0 OR a.category = ANY($3::text[]))
  AND (cardinality($4::text[]) = 0 OR NOT EXISTS (SELECT 1 FROM {s}.areas WHERE kind = 'ward') OR p.ward_code = ANY($4::text[]))
  AND (NOT $5::boolean OR (p.geom && ST_MakeEnvelope($6, $7, $8, $9, 4326) AND p.lon BETWEEN $6 AND $8 AND p.lat BETWEEN $7 AND $9))
GROUP BY a.month`

	// The same counts for a list with no ward and no box, from the
	// totals per month × category (migration 0019): $1, $2 months; $3
	// categories.
	sqlIncidentsMonthTotals = `
SELECT month, sum(n)
FROM {s}.agg_month
WHERE month BETWEEN $1 AND $2
  AND (cardinality($3::text[]) = 0 OR category = ANY($3::text[]))
GROUP BY month`

	sqlMonthsIn = `SELECT month FROM {s}.months WHERE month BETWEEN $1 AND $2 ORDER BY month`

	// One month's rows of a page: $10 the month, $11 the ID the page
	// starts after ('' for the month's first), $12 limit, $13 offset.
	// Rows are read whole as they are found: a page's rows lie one to a
	// heap page, and finding them again by primary key (1 GB at 10 M)
	// cost a dense tile three times as much.
	sqlIncidentsMonthPage = sqlIncidentColumns + sqlIncidentsWhere + sqlMonthAfter + `
ORDER BY i.id
LIMIT $12 OFFSET $13`

	// With an offset the skipped rows are passed over on narrow (month,
	// id) index entries first, and only the page's rows read whole.
	sqlIncidentsMonthOffset = `
WITH page AS (
	SELECT i.id, i.month
	FROM {s}.incidents i
	LEFT JOIN {s}.points p ON p.id = i.point_id` + sqlIncidentsWhere + sqlMonthAfter + `
	ORDER BY i.id
	LIMIT $12 OFFSET $13
)` + sqlIncidentColumns + `
JOIN page ON page.month = i.month AND page.id = i.id
ORDER BY i.id`

	// A tile's rows (PageRequest.Brief) come from the index over points
	// (migration 0007), which holds every column a tile shows: a dense
	// tile reads a few hundred index pages in order instead of one heap
	// page per incident.
	sqlIncidentsMonthBrief = sqlBriefColumns + sqlIncidentsWhere + sqlMonthAfter + `
ORDER BY i.id
LIMIT $12 OFFSET $13`

	// What a tile shows of an incident (PageRequest.Brief): the columns
	// scanIncident reads, those a tile leaves out empty.
	sqlBriefColumns = `
SELECT i.id, i.month, '', '', i.location, '', '', i.category, i.outcome, '', p.lon, p.lat, w.code, w.name
FROM {s}.incidents i
LEFT JOIN {s}.points p ON p.id = i.point_id
LEFT JOIN {s}.areas w ON w.kind = 'ward' AND w.code = p.ward_code`

	// A tile's rows from its first (PageRequest.Brief, no key, offset or
	// total) over all its months in one statement, ordered as pages are:
	// asking month by month cost a dense tile twelve parses, plans and
	// round trips. %s is the months' order.
	sqlIncidentsBriefRange = sqlBriefColumns + sqlIncidentsWhere + `
ORDER BY i.month %s, i.id
LIMIT $10`

	sqlMonthAfter = `
  AND i.month = $10::integer AND ($11::text = '' OR i.id > $11::text)`
)

// Incidents pages through the filter's incidents by month, then ID, in
// one snapshot, so that the total always belongs to the page even while
// an import commits.
func (s *Store) Incidents(ctx context.Context, f geo.Filter, p geo.PageRequest) (geo.Page, error) {
	tx, err := s.db.BeginTx(ctx, &sql.TxOptions{Isolation: sql.LevelRepeatableRead, ReadOnly: true})
	if err != nil {
		return geo.Page{}, wrap(ctx, "incidents", err)
	}
	defer tx.Rollback()
	var page geo.Page
	switch {
	case !f.LocalSource():
		page, err = s.policeUKPage(ctx, tx, f, p)
	case !f.PoliceUK():
		page, err = s.partnerPage(ctx, tx, f, p)
	default:
		page, err = s.mixedPage(ctx, tx, f, p)
	}
	return page, wrap(ctx, "incidents", err)
}

// monthCount is one month of a page request, with how many incidents of
// it the request selects (-1: not counted).
type monthCount struct {
	month geo.Month
	n     int
}

// pageMonths lists the months a page request reads, in page order, and
// the total (-1 when neither the request nor its offset needs counts).
func (s *Store) pageMonths(ctx context.Context, tx *sql.Tx, f geo.Filter, p geo.PageRequest, args []any) ([]monthCount, int, error) {
	query, qargs := sqlIncidentsMonthCounts, args
	switch {
	case p.NoTotal && p.Offset <= 0:
		query, qargs = sqlMonthsIn, args[:2]
	case len(f.Wards) == 0 && p.BBox == nil:
		query, qargs = sqlIncidentsMonthTotals, args[:3]
	}
	rows, err := tx.QueryContext(ctx, s.q(query), qargs...)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	var out []monthCount
	total := 0
	for rows.Next() {
		var m int32
		n := int64(-1)
		dest := []any{&m, &n}
		if query == sqlMonthsIn {
			dest = dest[:1]
		}
		if err := rows.Scan(dest...); err != nil {
			return nil, 0, err
		}
		out = append(out, monthCount{geo.Month(m), int(n)})
		total += int(n)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, err
	}
	if query == sqlMonthsIn {
		total = -1
	}
	slices.SortFunc(out, func(a, b monthCount) int {
		if p.Newest {
			return int(b.month) - int(a.month)
		}
		return int(a.month) - int(b.month)
	})
	return out, total, nil
}

// ukArgs are $1–$9 of the police.uk page queries: the filter and the box.
func ukArgs(f geo.Filter, p geo.PageRequest) []any {
	args := filterArgs(f)
	if b := p.BBox; b != nil {
		return append(args, true, b.Min[0], b.Min[1], b.Max[0], b.Max[1])
	}
	return append(args, false, 0.0, 0.0, 0.0, 0.0)
}

// policeUKPage is Incidents for police.uk's incidents alone: month by
// month in page order, each month's rows from the key (or the offset)
// on, until the page and one row more (which says More) are read.
func (s *Store) policeUKPage(ctx context.Context, tx *sql.Tx, f geo.Filter, p geo.PageRequest) (geo.Page, error) {
	args := ukArgs(f, p)
	if briefInOne(p) {
		return s.briefPage(ctx, tx, args, p)
	}
	months, total, err := s.pageMonths(ctx, tx, f, p, args)
	if err != nil {
		return geo.Page{}, err
	}
	page := geo.Page{Total: total}
	if p.Limit <= 0 {
		return page, nil
	}
	offset := max(p.Offset, 0)
	for _, mc := range months {
		after := ""
		if a := p.After; a != nil {
			if mc.month != a.Month && (mc.month < a.Month) != p.Newest {
				continue // before the key in page order
			}
			if mc.month == a.Month {
				after = a.ID
			}
		}
		need := p.Limit + 1 - len(page.Items)
		skip := 0
		switch {
		case after == "" && mc.n >= 0 && offset >= mc.n:
			offset -= mc.n
			continue
		case after == "" && mc.n >= 0:
			// The month's count is known: the database skips.
			skip, offset = offset, 0
		default:
			// Not known how many the month holds past the key: read the
			// offset's rows too and drop them here.
			need += offset
		}
		// Each month's rows go straight onto the page: a dense tile's
		// 20,000 rows copied month by month from slices of their own
		// were a tenth of its CPU in allocation, copying and the
		// runtime returning those slices' memory to the system.
		read := len(page.Items)
		page.Items, err = s.monthPage(ctx, tx, args, mc.month, after, need, skip, p.Brief, page.Items)
		if err != nil {
			return geo.Page{}, err
		}
		if drop := min(offset, len(page.Items)-read); drop > 0 {
			offset -= drop
			page.Items = append(page.Items[:read], page.Items[read+drop:]...)
		}
		if len(page.Items) > p.Limit {
			page.Items, page.More = page.Items[:p.Limit], true
			break
		}
	}
	return page, nil
}

// monthPage appends to out up to limit of one month's selected
// incidents, by ID, after the ID given and past offset of them.
func (s *Store) monthPage(ctx context.Context, tx *sql.Tx, args []any, m geo.Month, after string, limit, offset int, brief bool, out []geo.StoredIncident) ([]geo.StoredIncident, error) {
	query := sqlIncidentsMonthPage
	switch {
	case offset > 0:
		query = sqlIncidentsMonthOffset
	case brief:
		query = sqlIncidentsMonthBrief
	}
	return s.appendIncidents(ctx, tx, out, s.q(query), append(args[:9:9], int32(m), after, limit, offset)...)
}

// appendIncidents appends the incidents query selects to out.
func (s *Store) appendIncidents(ctx context.Context, tx *sql.Tx, out []geo.StoredIncident, query string, args ...any) ([]geo.StoredIncident, error) {
	rows, err := tx.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		it, err := scanIncident(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, it)
	}
	return out, rows.Err()
}

// briefInOne reports whether a page is a tile's that one statement
// reads faster than month by month: the first rows of a small box.
// Measured at national shape (20 M incidents, a dense town's tiles,
// twelve months): one statement took 40–60 % of the months' time from
// z10 up, but at z9 and below the first months already fill the 20,000
// features a tile holds, and reading them all before sorting cost two to
// four times as much.
func briefInOne(p geo.PageRequest) bool {
	const maxDegrees = 0.25 // a z11 tile and its buffer; z10's is 0.36°
	b := p.BBox
	return p.Brief && p.After == nil && p.Offset <= 0 && p.NoTotal && p.Limit > 0 &&
		b != nil && b.Max[0]-b.Min[0] <= maxDegrees && b.Max[1]-b.Min[1] <= maxDegrees
}

// briefPage is a tile's page: its first Limit incidents in page order,
// read in one statement.
func (s *Store) briefPage(ctx context.Context, tx *sql.Tx, args []any, p geo.PageRequest) (geo.Page, error) {
	order := "ASC"
	if p.Newest {
		order = "DESC"
	}
	items, err := s.appendIncidents(ctx, tx, make([]geo.StoredIncident, 0, min(p.Limit+1, 4096)),
		s.q(fmt.Sprintf(sqlIncidentsBriefRange, order)), append(args[:9:9], p.Limit+1)...)
	if err != nil {
		return geo.Page{}, err
	}
	page := geo.Page{Total: -1, Items: items}
	if len(page.Items) > p.Limit {
		page.Items, page.More = page.Items[:p.Limit], true
	}
	return page, nil
}
