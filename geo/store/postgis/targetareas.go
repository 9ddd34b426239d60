package postgis

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/wkb"

	"github.com/leicester-csp/hotspot/geo"
)

var _ geo.TargetAreaStore = (*Store)(nil)

// Every edit bumps target_areas_version in the same statement, and only
// when it changed a row: the row count then says whether the area was
// there. WKB keeps every coordinate bit for bit, as for boundaries.
const (
	sqlAddTargetArea = `WITH ins AS (
    INSERT INTO {s}.target_areas (id, name, priority, start, actions, owner, geom, created, updated)
    VALUES ($1, $2, $3, $4, $5, $6, ST_GeomFromWKB($7, 4326), $8, $9) RETURNING 1)
UPDATE {s}.target_areas_version SET version = version + 1 WHERE EXISTS (SELECT 1 FROM ins)`
	sqlUpdateTargetArea = `WITH up AS (
    UPDATE {s}.target_areas SET name = $2, priority = $3, start = $4, actions = $5, geom = ST_GeomFromWKB($6, 4326), updated = $7
    WHERE id = $1 RETURNING 1)
UPDATE {s}.target_areas_version SET version = version + 1 WHERE EXISTS (SELECT 1 FROM up)`
	sqlDeleteTargetArea = `WITH del AS (DELETE FROM {s}.target_areas WHERE id = $1 RETURNING 1)
UPDATE {s}.target_areas_version SET version = version + 1 WHERE EXISTS (SELECT 1 FROM del)`
	sqlTargetAreaCols  = `SELECT id, name, priority, start, actions, owner, ST_AsBinary(geom), created, updated FROM {s}.target_areas`
	sqlTargetAreas     = sqlTargetAreaCols + ` ORDER BY created, id`
	sqlTargetArea      = sqlTargetAreaCols + ` WHERE id = $1`
	sqlTargetAreasVers = `SELECT version FROM {s}.target_areas_version`
)

// AddTargetArea stores a new area.
func (s *Store) AddTargetArea(ctx context.Context, a geo.TargetArea) error {
	w, err := wkb.Marshal(a.Geometry)
	if err != nil {
		return fmt.Errorf("postgis: target area %s: %w: %v", a.ID, geo.ErrInvalid, err)
	}
	_, err = s.db.ExecContext(ctx, s.q(sqlAddTargetArea), a.ID, a.Name, a.Priority, a.Start.String(), a.Actions, a.Owner, w, a.Created.UTC(), a.Updated.UTC())
	return wrap(ctx, "add target area", err)
}

// UpdateTargetArea replaces an area, keeping its owner and creation.
func (s *Store) UpdateTargetArea(ctx context.Context, a geo.TargetArea) error {
	w, err := wkb.Marshal(a.Geometry)
	if err != nil {
		return fmt.Errorf("postgis: target area %s: %w: %v", a.ID, geo.ErrInvalid, err)
	}
	res, err := s.db.ExecContext(ctx, s.q(sqlUpdateTargetArea), a.ID, a.Name, a.Priority, a.Start.String(), a.Actions, w, a.Updated.UTC())
	return s.changedOne(ctx, "update target area", a.ID, res, err)
}

// DeleteTargetArea removes an area.
func (s *Store) DeleteTargetArea(ctx context.Context, id string) error {
	res, err := s.db.ExecContext(ctx, s.q(sqlDeleteTargetArea), id)
	return s.changedOne(ctx, "delete target area", id, res, err)
}

func (s *Store) changedOne(ctx context.Context, op, id string, res sql.Result, err error) error {
	if err != nil {
		return wrap(ctx, op, err)
	}
	if n, err := res.RowsAffected(); err == nil && n == 0 {
		return fmt.Errorf("postgis %s %q: %w", op, id, geo.ErrNotFound)
	}
	return nil
}

// TargetAreas lists every area by creation time, then id.
func (s *Store) TargetAreas(ctx context.Context) ([]geo.TargetArea, error) {
	rows, err := s.db.QueryContext(ctx, s.q(sqlTargetAreas))
	if err != nil {
		return nil, wrap(ctx, "target areas", err)
	}
	defer rows.Close()
	var out []geo.TargetArea
	for rows.Next() {
		a, err := scanTargetArea(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, wrap(ctx, "target areas", rows.Err())
}

// TargetArea returns one area.
func (s *Store) TargetArea(ctx context.Context, id string) (geo.TargetArea, error) {
	a, err := scanTargetArea(s.db.QueryRowContext(ctx, s.q(sqlTargetArea), id))
	if errors.Is(err, sql.ErrNoRows) {
		return geo.TargetArea{}, fmt.Errorf("postgis: target area %q: %w", id, geo.ErrNotFound)
	}
	return a, wrap(ctx, "target area", err)
}

// TargetAreasVersion is the count of edits.
func (s *Store) TargetAreasVersion(ctx context.Context) (string, error) {
	var v int64
	if err := s.db.QueryRowContext(ctx, s.q(sqlTargetAreasVers)).Scan(&v); err != nil {
		return "", wrap(ctx, "target areas version", err)
	}
	return strconv.FormatInt(v, 10), nil
}

func scanTargetArea(row interface{ Scan(...any) error }) (geo.TargetArea, error) {
	var (
		a     geo.TargetArea
		start string
		b     []byte
	)
	if err := row.Scan(&a.ID, &a.Name, &a.Priority, &start, &a.Actions, &a.Owner, &b, &a.Created, &a.Updated); err != nil {
		return a, err
	}
	m, err := geo.ParseMonth(start)
	if err != nil {
		return a, fmt.Errorf("postgis: target area %s: %w", a.ID, err)
	}
	g, err := wkb.Unmarshal(b)
	if err != nil {
		return a, fmt.Errorf("postgis: target area %s: %w", a.ID, err)
	}
	mp, ok := g.(orb.MultiPolygon)
	if !ok {
		return a, fmt.Errorf("postgis: target area %s is a %s, not a MultiPolygon", a.ID, g.GeoJSONType())
	}
	a.Start, a.Geometry = m, mp
	a.Created, a.Updated = a.Created.UTC(), a.Updated.UTC()
	return a, nil
}
