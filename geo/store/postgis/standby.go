package postgis

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/leicester-csp/hotspot/geo"
)

// postGISSchema finds where PostGIS lives without creating anything, for
// a standby, which cannot: a standby whose primary has no PostGIS yet is
// not ready.
func postGISSchema(ctx context.Context, db *sql.DB) (string, error) {
	var ext string
	err := db.QueryRowContext(ctx, sqlPostGISSchema).Scan(&ext)
	if errors.Is(err, sql.ErrNoRows) {
		return "", fmt.Errorf("%w: PostGIS is not installed in this database yet (it comes from the primary)", geo.ErrUnavailable)
	}
	return ext, err
}

// WAL is where a database stands in the write-ahead log, as a byte
// position (LSN − 0/0), so that a standby can be compared with its
// primary. The age of a standby's last replayed commit is no measure of
// lag: on an idle primary it grows while the standby is fully caught up.
type WAL struct {
	// Standby is true while the server is in recovery (a hot standby).
	Standby bool
	// Position is, on a primary, the WAL flushed so far (what standbys
	// can have received); on a standby, the WAL replayed so far (what
	// its readers see; 0 before replay starts).
	Position int64
}

const sqlWAL = `SELECT pg_is_in_recovery(),
	COALESCE(pg_wal_lsn_diff(CASE WHEN pg_is_in_recovery() THEN pg_last_wal_replay_lsn() ELSE pg_current_wal_flush_lsn() END, '0/0'), 0)::bigint`

// WAL reads the database's position in the write-ahead log, for health
// checks of standbys; it needs no privilege beyond connecting.
func (s *Store) WAL(ctx context.Context) (WAL, error) {
	var w WAL
	if err := s.db.QueryRowContext(ctx, sqlWAL).Scan(&w.Standby, &w.Position); err != nil {
		return WAL{}, wrap(ctx, "wal position", err)
	}
	return w, nil
}
