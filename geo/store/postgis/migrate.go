package postgis

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strconv"
	"strings"

	"github.com/lib/pq"
	"github.com/lib/pq/pqerror"

	"github.com/leicester-csp/hotspot/geo"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// migrateLockKey is the session advisory lock that serialises bootstrap
// (extension, schema, migrations) between processes opening stores in the
// same database at once. It is one key for the whole database because
// CREATE EXTENSION is per database, and races on it as on CREATE SCHEMA.
const migrateLockKey int64 = 0x686f7473706f7401 // "hotspot\x01"

type migration struct {
	version int
	name    string
	sql     string
}

// migrations lists the embedded files NNNN_name.sql in version order.
func migrations() ([]migration, error) {
	ents, err := fs.ReadDir(migrationFiles, "migrations")
	if err != nil {
		return nil, err
	}
	var out []migration
	for _, e := range ents {
		name := e.Name()
		num, _, ok := strings.Cut(name, "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil || v <= 0 || !strings.HasSuffix(name, ".sql") {
			return nil, fmt.Errorf("postgis: migration file %q is not NNNN_name.sql", name)
		}
		body, err := fs.ReadFile(migrationFiles, path.Join("migrations", name))
		if err != nil {
			return nil, err
		}
		out = append(out, migration{version: v, name: name, sql: string(body)})
	}
	slices.SortFunc(out, func(a, b migration) int { return a.version - b.version })
	for i := 1; i < len(out); i++ {
		if out[i].version == out[i-1].version {
			return nil, fmt.Errorf("postgis: two migrations with version %d", out[i].version)
		}
	}
	return out, nil
}

// bootstrap makes the database ready for a store in schema: PostGIS, the
// schema, and every migration not yet applied, each in its own
// transaction and recorded in schema_migrations. It returns the schema
// PostGIS lives in, which every connection then puts on its search_path.
func bootstrap(ctx context.Context, db *sql.DB, schema string) (extSchema string, err error) {
	conn, err := db.Conn(ctx)
	if err != nil {
		return "", err
	}
	defer conn.Close()
	// Without the serving statement timeout: the migration lock may be
	// held for minutes by another process migrating a national store, and
	// PostGIS's CREATE EXTENSION takes seconds. The caller's context
	// bounds the wait. (The boot pool is closed after this.)
	if _, err := conn.ExecContext(ctx, "SET statement_timeout = 0"); err != nil {
		return "", err
	}
	// Deferred before the unlock, so that it runs after it: other stores
	// opening meanwhile need not wait for the vacuum.
	ran := false
	defer func() {
		if ran {
			vacuumAggregates(ctx, conn, pq.QuoteIdentifier(schema))
		}
	}()
	if _, err := conn.ExecContext(ctx, sqlAdvisoryLock, migrateLockKey); err != nil {
		return "", fmt.Errorf("waiting for the migration lock: %w", err)
	}
	defer func() {
		// A pooled connection must never keep the lock: when the unlock
		// fails, the connection is thrown away, which releases it.
		if _, uerr := conn.ExecContext(context.WithoutCancel(ctx), sqlAdvisoryUnlock, migrateLockKey); uerr != nil {
			_ = conn.Raw(func(any) error { return driver.ErrBadConn })
		}
	}()

	if extSchema, err = ensurePostGIS(ctx, conn); err != nil {
		return "", err
	}
	// Existence is checked before anything is created, so that a role
	// that may only read (a serving process) opens a migrated store
	// without needing CREATE privileges.
	var exists bool
	if err := conn.QueryRowContext(ctx, sqlSchemaExists, schema).Scan(&exists); err != nil {
		return "", err
	}
	if !exists {
		if _, err := conn.ExecContext(ctx, qualify(sqlCreateSchema, pq.QuoteIdentifier(schema))); err != nil {
			return "", fmt.Errorf("create schema %s: %w", schema, err)
		}
	}
	if ran, err = migrate(ctx, conn, pq.QuoteIdentifier(schema), pq.QuoteIdentifier(extSchema)); err != nil {
		return "", err
	}
	return extSchema, nil
}

// ensurePostGIS creates the extension when it is missing, which needs a
// privileged role; a store owner without that privilege gets told what to
// ask for.
func ensurePostGIS(ctx context.Context, conn *sql.Conn) (string, error) {
	var ext string
	err := conn.QueryRowContext(ctx, sqlPostGISSchema).Scan(&ext)
	if err == nil {
		return ext, nil
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return "", err
	}
	if _, err := conn.ExecContext(ctx, sqlCreatePostGIS); err != nil {
		if pq.As(err, pqerror.InsufficientPrivilege) != nil {
			return "", fmt.Errorf("the PostGIS extension is not installed in this database and this role may not create it: run `CREATE EXTENSION postgis;` in it as a superuser first: %w", err)
		}
		if pq.As(err, pqerror.UndefinedFile, pqerror.FeatureNotSupported) != nil {
			return "", fmt.Errorf("PostGIS is not available on the database server (install the postgis package for this PostgreSQL version): %w", err)
		}
		return "", fmt.Errorf("create extension postgis: %w", err)
	}
	if err := conn.QueryRowContext(ctx, sqlPostGISSchema).Scan(&ext); err != nil {
		return "", fmt.Errorf("postgis extension schema: %w", err)
	}
	return ext, nil
}

// migrate applies the migrations not yet recorded, and says whether it
// applied any. The files name their tables without a schema: each runs
// with search_path set to the store's schema, then PostGIS's.
func migrate(ctx context.Context, conn *sql.Conn, schema, extSchema string) (bool, error) {
	all, err := migrations()
	if err != nil {
		return false, err
	}
	searchPath := schema + ", " + extSchema
	applied := map[int]bool{}
	err = inTx(ctx, conn, searchPath, func(tx *sql.Tx) error {
		var exists bool
		if err := tx.QueryRowContext(ctx, sqlMigrationsExist, schema+".schema_migrations").Scan(&exists); err != nil {
			return err
		}
		if !exists {
			if _, err := tx.ExecContext(ctx, qualify(sqlCreateMigrations, schema)); err != nil {
				return err
			}
		}
		rows, err := tx.QueryContext(ctx, qualify(sqlAppliedMigrations, schema))
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var v int
			if err := rows.Scan(&v); err != nil {
				return err
			}
			applied[v] = true
		}
		return rows.Err()
	})
	if err != nil {
		return false, fmt.Errorf("schema_migrations: %w", err)
	}
	// A schema migrated by a newer binary may hold tables this one would
	// misread; refuse it rather than guess.
	for v := range applied {
		if v > all[len(all)-1].version {
			return false, fmt.Errorf("%w: the schema is at migration %d, newer than this binary knows (%d): upgrade hotspot", geo.ErrInvalid, v, all[len(all)-1].version)
		}
	}
	ran := false
	for _, m := range all {
		if applied[m.version] {
			continue
		}
		ran = true
		err := inTx(ctx, conn, searchPath, func(tx *sql.Tx) error {
			if _, err := tx.ExecContext(ctx, m.sql); err != nil {
				return err
			}
			_, err := tx.ExecContext(ctx, qualify(sqlRecordMigration, schema), m.version, m.name)
			return err
		})
		if err != nil {
			return ran, fmt.Errorf("migration %s: %w", m.name, err)
		}
	}
	return ran, nil
}

// vacuumAggregates vacuums and analyses the tables serving queries read
// once migrations have rewritten them: a migration's transaction cannot
// vacuum, and until a vacuum sets their visibility maps, index-only scans
// fetch every row from the heap (migration 0011 at national shape: ward
// answers read 19,000 heap rows instead of none) until the next import
// vacuums them. Without the serving statement timeout: a big table takes
// longer. Failure only leaves queries slower, so it is not returned.
func vacuumAggregates(ctx context.Context, conn *sql.Conn, schema string) {
	if _, err := conn.ExecContext(ctx, "SET statement_timeout = 0"); err != nil {
		return
	}
	defer conn.ExecContext(context.WithoutCancel(ctx), "RESET statement_timeout")
	for _, t := range slices.Concat(policeAggregates, []string{"points"}) {
		_, _ = conn.ExecContext(ctx, "VACUUM (ANALYZE) "+schema+"."+t)
	}
}

// policeAggregates are the tables a police.uk import adds its counts to,
// which queries read by index alone: vacuumed after such an import and
// after migrations.
var policeAggregates = []string{"agg", "agg_month", "agg_text", "agg_ward", "agg_ward_run", "texts"}

// inTx runs fn in a transaction whose search_path is searchPath.
func inTx(ctx context.Context, conn *sql.Conn, searchPath string, fn func(*sql.Tx) error) error {
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, sqlSetSearchPath, searchPath); err != nil {
		return err
	}
	if err := fn(tx); err != nil {
		return err
	}
	return tx.Commit()
}
