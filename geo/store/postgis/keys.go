package postgis

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/lib/pq"

	"github.com/leicester-csp/hotspot/geo/access"
)

var _ access.Keyring = (*Store)(nil)

const (
	sqlAddKey = `INSERT INTO {s}.api_keys (id, name, role, hash, created) VALUES ($1, $2, $3, $4, $5)`
	sqlKeys   = `SELECT id, name, role, hash, created, revoked FROM {s}.api_keys ORDER BY created, id`
	// COALESCE keeps the first revocation's time on a second revoke.
	sqlRevokeKey = `UPDATE {s}.api_keys SET revoked = COALESCE(revoked, now()) WHERE id = $1`
	sqlAudit     = `INSERT INTO {s}.audit_log (at, key_id, method, path, rows)
SELECT * FROM unnest($1::timestamptz[], $2::text[], $3::text[], $4::text[], $5::integer[])`
	sqlAuditLog = `SELECT at, key_id, method, path, rows FROM {s}.audit_log WHERE at >= $1 ORDER BY at, seq`
)

// AddKey stores a new key.
func (s *Store) AddKey(ctx context.Context, k access.Key) error {
	if _, err := s.db.ExecContext(ctx, s.q(sqlAddKey), k.ID, k.Name, k.Role.String(), k.Hash, k.Created); err != nil {
		return wrap(ctx, "add key", err)
	}
	return nil
}

// Keys lists every key by creation time.
func (s *Store) Keys(ctx context.Context) ([]access.Key, error) {
	rows, err := s.db.QueryContext(ctx, s.q(sqlKeys))
	if err != nil {
		return nil, wrap(ctx, "keys", err)
	}
	defer rows.Close()
	var out []access.Key
	for rows.Next() {
		var (
			k       access.Key
			role    string
			revoked sql.NullTime
		)
		if err := rows.Scan(&k.ID, &k.Name, &role, &k.Hash, &k.Created, &revoked); err != nil {
			return nil, fmt.Errorf("postgis: keys: %w", err)
		}
		if k.Role, err = access.ParseRole(role); err != nil {
			return nil, fmt.Errorf("postgis: key %s: %w", k.ID, err)
		}
		k.Created = k.Created.UTC()
		if revoked.Valid {
			t := revoked.Time.UTC()
			k.Revoked = &t
		}
		out = append(out, k)
	}
	if err := rows.Err(); err != nil {
		return nil, wrap(ctx, "keys", err)
	}
	return out, nil
}

// RevokeKey marks a key revoked.
func (s *Store) RevokeKey(ctx context.Context, id string) error {
	res, err := s.db.ExecContext(ctx, s.q(sqlRevokeKey), id)
	if err != nil {
		return wrap(ctx, "revoke key", err)
	}
	if n, err := res.RowsAffected(); err == nil && n == 0 {
		return fmt.Errorf("postgis: revoke %q: %w", id, access.ErrUnknownKey)
	}
	return nil
}

// Audit appends entries in one statement.
func (s *Store) Audit(ctx context.Context, entries ...access.Entry) error {
	if len(entries) == 0 {
		return ctx.Err()
	}
	at := make([]string, len(entries))
	keys := make([]string, len(entries))
	methods := make([]string, len(entries))
	paths := make([]string, len(entries))
	rows := make([]int64, len(entries))
	for i, e := range entries {
		at[i] = e.Time.UTC().Format(time.RFC3339Nano)
		keys[i], methods[i], paths[i], rows[i] = e.KeyID, e.Method, e.Path, int64(e.Rows)
	}
	_, err := s.db.ExecContext(ctx, s.q(sqlAudit), pq.StringArray(at), pq.StringArray(keys), pq.StringArray(methods), pq.StringArray(paths), pq.Int64Array(rows))
	if err != nil {
		return wrap(ctx, "audit", err)
	}
	return nil
}

// AuditLog lists the entries at or after since, oldest first.
func (s *Store) AuditLog(ctx context.Context, since time.Time) ([]access.Entry, error) {
	rs, err := s.db.QueryContext(ctx, s.q(sqlAuditLog), since)
	if err != nil {
		return nil, wrap(ctx, "audit log", err)
	}
	defer rs.Close()
	var out []access.Entry
	for rs.Next() {
		var e access.Entry
		if err := rs.Scan(&e.Time, &e.KeyID, &e.Method, &e.Path, &e.Rows); err != nil {
			return nil, fmt.Errorf("postgis: audit log: %w", err)
		}
		e.Time = e.Time.UTC()
		out = append(out, e)
	}
	if err := rs.Err(); err != nil {
		return nil, wrap(ctx, "audit log", err)
	}
	return out, nil
}
