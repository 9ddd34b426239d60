// Package postgis is hotspot's PostGIS store: the same behaviour as the
// embedded store, kept in PostgreSQL tables that GIS tools can read.
//
// Open creates PostGIS (when the role may), the schema ("hotspot" unless
// told otherwise) and its tables, from versioned SQL migrations embedded
// in the binary and recorded in schema_migrations:
//
//	incidents       every police.uk column; point_id → points (NULL: no location)
//	points          police.uk's distinct map points: geom (GiST), exact lon/lat, H3 cells
//	                at resolutions 6–10, and the ward and LSOA covering them
//	partner_incidents, partner_hex
//	                local sources' records, and each located one with its
//	                point's cells and ward for the hex layer
//	partner_points  the partner records' map points: exact lon/lat, cells,
//	                ward and LSOA (assigned in Go, no geometry)
//	areas           wards, LSOAs and the city, geometry(MultiPolygon, 4326)
//	population      residents by area code
//	agg             incident counts per month × category × point
//	agg_month       agg summed per month × category: incident lists' totals
//	agg_text        located incident counts per month × category × point ×
//	                Location text × outcome, the texts as ids in texts
//	agg_ward        incident counts per month × category × ward (agg by the
//	                ward of each point)
//	agg_ward_run    agg_ward's running totals by month, one row per
//	                category × ward: what ward answers read
//	months, categories
//	rejects         rejected input rows, by ingest run
//	meta            store identity and import generation (the Version)
//	incident_points a view of incidents with their geometry, for QGIS/GDAL
//
// An import runs in one transaction under an advisory lock: its incidents
// are streamed with COPY while duplicates are checked and map points
// resolved batch by batch; then new points, areas, population and
// rejects follow with a few set-based statements, points are assigned to
// areas with ST_Covers (on a shared edge, the lowest code), and the
// aggregates are stored with their points' wards. Readers never see half
// an import, and hotspot, ward, series and point tally queries read the
// aggregates (joined to points, or by ward), never the incidents.
package postgis

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"time"

	"github.com/lib/pq"

	"github.com/leicester-csp/hotspot/geo"
)

// Options tune a store. The zero value is usable.
type Options struct {
	Logger *slog.Logger
	// Schema holds the store's tables; "" means "hotspot".
	Schema string
	// StatementTimeout bounds every statement of a serving query in the
	// database itself, so a runaway query is cancelled there even when
	// its caller has gone; 0 means 30 s. Imports are bounded by their
	// context instead.
	StatementTimeout time.Duration
	// Standby opens a hot standby to read from: nothing is created or
	// migrated (the primary does that, and replay brings it here), and
	// every transaction is read-only.
	Standby bool
}

const (
	defaultSchema           = "hotspot"
	defaultStatementTimeout = 30 * time.Second
	// connectTimeout bounds dialling and the start-up handshake when the
	// URL does not say, so that a store whose database is down fails fast
	// instead of hanging on the operating system's TCP timeout.
	connectTimeout = 5 * time.Second
	readyTimeout   = 2 * time.Second
)

// Store is the PostGIS store. It is safe for concurrent use.
type Store struct {
	db     *sql.DB
	schema string
	quoted string // schema as an SQL identifier
	log    *slog.Logger

	areaCache areaCache
	wardRuns  wardRuns
	ids       idCache
}

var _ geo.Store = (*Store)(nil)

// Open connects to the database at url (postgres://… or key=value),
// creates PostGIS (when the role may) and the schema, and applies the
// embedded migrations that are not yet applied. Concurrent Opens of the
// same database are safe.
func Open(ctx context.Context, url string, opt Options) (*Store, error) {
	log := opt.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	schema := opt.Schema
	if schema == "" {
		schema = defaultSchema
	}
	timeout := opt.StatementTimeout
	if timeout <= 0 {
		timeout = defaultStatementTimeout
	}
	cfg, err := pq.NewConfig(url)
	if err != nil {
		return nil, fmt.Errorf("postgis: %w: database URL: %v", geo.ErrInvalid, err)
	}
	if cfg.ConnectTimeout <= 0 {
		cfg.ConnectTimeout = connectTimeout
	}
	if cfg.ApplicationName == "" {
		cfg.ApplicationName = "hotspot"
	}
	rt := make(map[string]string, len(cfg.Runtime)+2)
	for k, v := range cfg.Runtime {
		rt[k] = v
	}
	// Start-up parameters rather than SET statements: every connection
	// database/sql opens, including those that replace connections lost
	// while the server was down, starts with them.
	rt["statement_timeout"] = strconv.FormatInt(max(timeout.Milliseconds(), 1), 10)
	// JIT compiling pays off for queries that run for seconds; serving
	// queries are planned at a cost that turns it on (big aggregates) yet
	// run in milliseconds, and compiling took longer than running them
	// (point tallies at national shape: 373 ms of 3.6 s). A URL may still
	// turn it on.
	if _, ok := rt["jit"]; !ok {
		rt["jit"] = "off"
	}
	cfg.Runtime = rt

	if opt.Standby {
		rt["default_transaction_read_only"] = "on"
	}
	boot, err := openDB(cfg)
	if err != nil {
		return nil, err
	}
	var extSchema string
	if opt.Standby {
		extSchema, err = postGISSchema(ctx, boot)
	} else {
		extSchema, err = bootstrap(ctx, boot, schema)
	}
	boot.Close()
	if err != nil {
		return nil, wrap(ctx, "open", err)
	}

	// PostGIS's functions and types are found through the search path; the
	// store's own tables are always named with their schema, so a table
	// of the same name elsewhere is never read by mistake.
	cfg = cfg.Clone()
	cfg.Runtime["search_path"] = pq.QuoteIdentifier(extSchema)
	db, err := openDB(cfg)
	if err != nil {
		return nil, err
	}
	s := &Store{db: db, schema: schema, quoted: pq.QuoteIdentifier(schema), log: log}
	if _, err := s.Version(ctx); err != nil {
		db.Close()
		return nil, err
	}
	log.Debug("postgis store opened", slog.String("schema", schema), slog.String("postgis", extSchema))
	return s, nil
}

func openDB(cfg pq.Config) (*sql.DB, error) {
	c, err := pq.NewConnectorConfig(cfg)
	if err != nil {
		return nil, fmt.Errorf("postgis: %w: %v", geo.ErrInvalid, err)
	}
	db := sql.OpenDB(c)
	// The number of open connections is left unbounded: an import holds
	// two at once (its transaction, and reads of what was committed), so a
	// bound could deadlock imports waiting on each other's lock. Idle ones
	// are dropped after a while, so that after a database restart the pool
	// holds few dead ones to discover.
	db.SetMaxIdleConns(8)
	db.SetConnMaxIdleTime(5 * time.Minute)
	return db, nil
}

// q fills the store's schema into a statement of sql.go.
func (s *Store) q(sql string) string { return qualify(sql, s.quoted) }

func qualify(sql, quotedSchema string) string { return strings.ReplaceAll(sql, "{s}", quotedSchema) }

// Close closes the connection pool.
func (s *Store) Close() error { return s.db.Close() }

// Schema returns the schema holding the store's tables.
func (s *Store) Schema() string { return s.schema }

// Version is the store's identity and its import generation.
func (s *Store) Version(ctx context.Context) (string, error) {
	v, err := scanVersion(s.db.QueryRowContext(ctx, s.q(sqlVersion)))
	return v, wrap(ctx, "version", err)
}

// scanVersion reads a row that ends in meta's store_id, generation and
// public_generation (sqlVersion's columns) into the Version, the row's
// first columns into before.
func scanVersion(row *sql.Row, before ...any) (string, error) {
	var (
		id       string
		gen, pub uint64
	)
	if err := row.Scan(append(before, &id, &gen, &pub)...); err != nil {
		return "", err
	}
	return geo.FormatVersion(id, gen, pub), nil
}

// Ready reports whether the database answers within two seconds. Any
// failure means the store cannot serve, so it always wraps
// geo.ErrUnavailable.
func (s *Store) Ready(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, readyTimeout)
	defer cancel()
	var one int
	err := s.db.QueryRowContext(ctx, s.q(sqlReady)).Scan(&one)
	if err == nil {
		return nil
	}
	if errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("postgis: %w: schema %s has no meta row", geo.ErrUnavailable, s.schema)
	}
	return fmt.Errorf("postgis ready: %w: %w", geo.ErrUnavailable, err)
}
