package postgis

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

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

// WAL is where a database stands in the write-ahead log, as byte
// positions (LSN − 0/0), so that a standby can be compared with its
// primary.
type WAL struct {
	// Standby is true while the server is in recovery (a hot standby).
	Standby bool
	// Position is, on a primary, the WAL flushed so far (what standbys
	// can have received); on a standby, the WAL replayed so far (what
	// its readers see).
	Position int64
	// Received is, on a standby, the WAL received so far (0 when
	// streaming has not started); replay catches up to it.
	Received int64
	// ReplayedAt is, on a standby, the commit time of the last
	// transaction replayed (zero when none has been). It says nothing of
	// lag on its own: on an idle primary it grows old while the standby
	// is fully caught up.
	ReplayedAt time.Time
}

const sqlWAL = `SELECT pg_is_in_recovery(),
	COALESCE(pg_wal_lsn_diff(CASE WHEN pg_is_in_recovery() THEN pg_last_wal_replay_lsn() ELSE pg_current_wal_flush_lsn() END, '0/0'), 0)::bigint,
	COALESCE(pg_wal_lsn_diff(pg_last_wal_receive_lsn(), '0/0'), 0)::bigint,
	pg_last_xact_replay_timestamp()`

// WAL reads the database's position in the write-ahead log, for health
// checks of standbys; it needs no privilege beyond connecting.
func (s *Store) WAL(ctx context.Context) (WAL, error) {
	var (
		w  WAL
		at sql.NullTime
	)
	if err := s.db.QueryRowContext(ctx, sqlWAL).Scan(&w.Standby, &w.Position, &w.Received, &at); err != nil {
		return WAL{}, wrap(ctx, "wal position", err)
	}
	if at.Valid {
		w.ReplayedAt = at.Time
	}
	return w, nil
}
