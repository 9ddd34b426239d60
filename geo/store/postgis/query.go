package postgis

import (
	"context"
	"database/sql"
	"fmt"
	"slices"

	"github.com/lib/pq"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/wkb"

	"github.com/leicester-csp/hotspot/geo"
)

// Months lists the months holding incidents (with a location or not),
// ascending.
func (s *Store) Months(ctx context.Context) ([]geo.Month, error) {
	rows, err := s.db.QueryContext(ctx, s.q(sqlMonths))
	if err != nil {
		return nil, wrap(ctx, "months", err)
	}
	defer rows.Close()
	var out []geo.Month
	for rows.Next() {
		var m int32
		if err := rows.Scan(&m); err != nil {
			return nil, wrap(ctx, "months", err)
		}
		out = append(out, geo.Month(m))
	}
	return out, wrap(ctx, "months", rows.Err())
}

// readAreas reads the stored areas of a kind in code order.
func (s *Store) readAreas(ctx context.Context, kind geo.AreaKind) ([]geo.Area, error) {
	if _, ok := geo.ParseAreaKind(string(kind)); !ok {
		return nil, fmt.Errorf("postgis areas: %w: area kind %q", geo.ErrInvalid, kind)
	}
	rows, err := s.db.QueryContext(ctx, s.q(sqlAreas), string(kind))
	if err != nil {
		return nil, wrap(ctx, "areas", err)
	}
	defer rows.Close()
	var out []geo.Area
	for rows.Next() {
		a := geo.Area{Kind: kind}
		var b []byte
		if err := rows.Scan(&a.Code, &a.Name, &b); err != nil {
			return nil, wrap(ctx, "areas", err)
		}
		g, err := wkb.Unmarshal(b)
		if err != nil {
			return nil, fmt.Errorf("postgis areas: %s %s: %w", kind, a.Code, err)
		}
		mp, ok := g.(orb.MultiPolygon)
		if !ok {
			return nil, fmt.Errorf("postgis areas: %s %s is a %s, not a MultiPolygon", kind, a.Code, g.GeoJSONType())
		}
		a.Geometry = mp
		out = append(out, a)
	}
	return out, wrap(ctx, "areas", rows.Err())
}

// Categories lists the stored incidents' categories, byte-wise sorted.
func (s *Store) Categories(ctx context.Context) ([]string, error) {
	out, err := queryStrings(ctx, s.db, s.q(sqlCategories))
	return out, wrap(ctx, "categories", err)
}

// countsBy reads (key, count) rows into a map, converting each scanned key
// with key.
func countsBy[S any, K comparable](ctx context.Context, db *sql.DB, what, query string, args []any, key func(S) K) (map[K]int, error) {
	rows, err := db.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, wrap(ctx, what, err)
	}
	defer rows.Close()
	out := map[K]int{}
	for rows.Next() {
		var (
			k S
			n int64
		)
		if err := rows.Scan(&k, &n); err != nil {
			return nil, wrap(ctx, what, err)
		}
		out[key(k)] = int(n)
	}
	return out, wrap(ctx, what, rows.Err())
}

// filterArgs are $1–$4 of the counting queries: months, categories and
// wards, the lists never NULL so that an empty one means "no limit".
func filterArgs(f geo.Filter) []any {
	return []any{int32(f.Months.From), int32(f.Months.To), pq.StringArray(nonNil(f.Categories)), pq.StringArray(nonNil(f.Wards))}
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// CellCounts counts the filter's incidents per H3 cell at res.
func (s *Store) CellCounts(ctx context.Context, f geo.Filter, res int) (map[geo.Cell]int, error) {
	if res < geo.MinRes || res > geo.MaxRes {
		return nil, fmt.Errorf("postgis cell counts: %w: resolution %d", geo.ErrInvalid, res)
	}
	out := map[geo.Cell]int{}
	if f.PoliceUK() {
		var err error
		out, err = countsBy(ctx, s.db, "cell counts", s.q(sqlCellCounts), append(filterArgs(f), res),
			func(cell int64) geo.Cell { return geo.Cell(uint64(cell)) })
		if err != nil {
			return nil, err
		}
	}
	err := s.partnerCounts(ctx, f, res, func(c geo.Cell, _ string, _ geo.Month, n int) { out[c] += n })
	return out, err
}

// CellMonthCounts counts the filter's incidents per H3 cell at res and
// month, by cell (as an unsigned integer) then month.
func (s *Store) CellMonthCounts(ctx context.Context, f geo.Filter, res int) ([]geo.CellMonthCount, error) {
	if res < geo.MinRes || res > geo.MaxRes {
		return nil, fmt.Errorf("postgis cell month counts: %w: resolution %d", geo.ErrInvalid, res)
	}
	out := []geo.CellMonthCount{}
	if f.LocalSource() {
		type key struct {
			c geo.Cell
			m geo.Month
		}
		byKey := map[key]int{}
		if err := s.partnerCounts(ctx, f, res, func(c geo.Cell, _ string, m geo.Month, n int) { byKey[key{c, m}] += n }); err != nil {
			return nil, err
		}
		for k, n := range byKey {
			out = append(out, geo.CellMonthCount{Cell: k.c, Month: k.m, Count: n})
		}
	}
	if !f.PoliceUK() {
		slices.SortFunc(out, geo.CompareCellMonths)
		return out, nil
	}
	rows, err := s.db.QueryContext(ctx, s.q(sqlCellMonthCounts), append(filterArgs(f), res)...)
	if err != nil {
		return nil, wrap(ctx, "cell month counts", err)
	}
	defer rows.Close()
	for rows.Next() {
		var (
			cell  int64
			month int32
			n     int64
		)
		if err := rows.Scan(&cell, &month, &n); err != nil {
			return nil, wrap(ctx, "cell month counts", err)
		}
		out = append(out, geo.CellMonthCount{Cell: geo.Cell(uint64(cell)), Month: geo.Month(month), Count: int(n)})
	}
	if err := rows.Err(); err != nil {
		return nil, wrap(ctx, "cell month counts", err)
	}
	// H3 indexes fit in 63 bits, so bigint order is unsigned order; sorted
	// here all the same, as the contract is the unsigned one.
	slices.SortFunc(out, geo.CompareCellMonths)
	return out, nil
}

// WardCounts counts the filter's incidents per ward code; points are
// assigned a ward only while wards are stored, so with none it is empty.
func (s *Store) WardCounts(ctx context.Context, f geo.Filter) (map[string]int, error) {
	out := map[string]int{}
	if f.PoliceUK() {
		held, ok, err := s.wardCounts(ctx, f)
		switch {
		case err != nil:
			return nil, err
		case ok:
			out = held
		default:
			if out, err = countsBy(ctx, s.db, "ward counts", s.q(sqlWardCounts), filterArgs(f), func(code string) string { return code }); err != nil {
				return nil, err
			}
		}
	}
	err := s.partnerCounts(ctx, f, geo.MinRes, func(_ geo.Cell, w string, _ geo.Month, n int) {
		if w != "" {
			out[w] += n
		}
	})
	return out, err
}

// Series counts the filter's incidents per month for one cell, one ward or
// the whole area.
func (s *Store) Series(ctx context.Context, f geo.Filter, key geo.SeriesKey) (map[geo.Month]int, error) {
	res, cell, ward, err := s.seriesKey(ctx, "series", key)
	if err != nil {
		return nil, err
	}
	out := map[geo.Month]int{}
	if f.PoliceUK() {
		out, err = countsBy(ctx, s.db, "series", s.q(sqlSeries), append(filterArgs(f), res, cell, ward),
			func(m int32) geo.Month { return geo.Month(m) })
		if err != nil {
			return nil, err
		}
	}
	err = s.partnerCounts(ctx, f, res, func(c geo.Cell, w string, m geo.Month, n int) {
		if (cell == 0 || c == geo.Cell(uint64(cell))) && (ward == "" || w == ward) {
			out[m] += n
		}
	})
	return out, err
}

// Incident returns one incident by ID, with its ward.
func (s *Store) Incident(ctx context.Context, id string) (geo.StoredIncident, error) {
	rows, err := s.db.QueryContext(ctx, s.q(sqlIncident), id, incidentKey(id))
	if err != nil {
		return geo.StoredIncident{}, wrap(ctx, "incident", err)
	}
	defer rows.Close()
	if !rows.Next() {
		if err := rows.Err(); err != nil {
			return geo.StoredIncident{}, wrap(ctx, "incident", err)
		}
		return geo.StoredIncident{}, fmt.Errorf("incident %q: %w", id, geo.ErrNotFound)
	}
	it, err := scanIncident(rows)
	return it, wrap(ctx, "incident", err)
}

func scanIncident(rows *sql.Rows) (geo.StoredIncident, error) {
	var (
		it         geo.StoredIncident
		month      int32
		lon, lat   sql.NullFloat64
		ward, name sql.NullString
	)
	err := rows.Scan(&it.ID, &month, &it.ReportedBy, &it.FallsWithin, &it.Location, &it.LSOACode, &it.LSOAName,
		&it.Category, &it.Outcome, &it.Context, &lon, &lat, &ward, &name)
	if err != nil {
		return it, err
	}
	it.Month = geo.Month(month)
	if lon.Valid && lat.Valid {
		it.HasLocation = true
		it.Point = orb.Point{lon.Float64, lat.Float64}
	}
	it.Ward, it.WardName = ward.String, name.String
	return it, nil
}
