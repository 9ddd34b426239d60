package postgis

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/lib/pq"
	"github.com/lib/pq/pqerror"
)

// bulkRows is the least number of rows a run must add to an empty table
// before the table's indexes are dropped for the write and built again
// afterwards. Below it, keeping them row
// by row is cheaper than a build, which ends in a sync of each index's
// file. (A variable so that tests can take the bulk path with few rows.)
var bulkRows = 4096

// bulkLockTries and bulkLockWait bound how long a run tries to lock the
// tables it writes in bulk before it keeps their indexes instead.
const (
	bulkLockTries = 10
	bulkLockWait  = 50 * time.Millisecond
)

// bulkIndex is one index of a table taken off for a bulk write: the
// statements that drop it and build it again. An index that backs a
// constraint goes and comes back with its constraint, so that the
// constraint (a primary or unique key) is checked again as it is built.
type bulkIndex struct{ drop, build string }

// sqlBulkIndexes lists a table's indexes and their constraints, if any.
// Indexes a foreign key depends on are left alone (no migration makes
// one, but dropping such a key would need the foreign key dropped too).
const sqlBulkIndexes = `
SELECT format('%I.%I', n.nspname, c.relname), pg_get_indexdef(i.indexrelid), coalesce(k.conname, ''), coalesce(pg_get_constraintdef(k.oid), '')
FROM pg_index i
JOIN pg_class c ON c.oid = i.indexrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_constraint k ON k.conindid = i.indexrelid AND k.conrelid = i.indrelid AND k.contype IN ('p', 'u')
WHERE i.indrelid = $1::regclass
  AND NOT EXISTS (SELECT 1 FROM pg_constraint f WHERE f.contype = 'f' AND f.conindid = i.indexrelid)
ORDER BY c.relname`

// sqlEmpty tells whether a table holds no rows.
const sqlEmpty = `SELECT NOT EXISTS (SELECT FROM %s)`

// planBulk decides which of the tables the run is about to write (table
// → rows it adds) get their indexes built after the write instead of
// kept row by row: those that are empty and get at least bulkRows rows.
// Building an index over the whole table then costs less (a fresh
// database's first police.uk months; a first partner run's records and
// cells).
//
// Dropping an index locks its table against readers until the commit:
// they would wait for the run. So only empty tables are taken, which
// readers have nothing to read from yet: a table that holds rows, such
// as the points a partner run adds to (keeping their three indexes
// during 1 M partner points was half that import's database time), is
// written with its indexes, and the map keeps answering from it while
// the import runs. The wait a locked table would cost a reader is the
// whole import, a minute for a million partner records. The locks are taken
// here, all in one statement and without waiting (NOWAIT), a few times
// over: a reader in a transaction may hold one of the tables while it
// asks for another, and an import waiting for it while holding that
// other would deadlock with it. When the tables stay busy, the run keeps
// their indexes as before. (partner_incidents, locked earlier by
// bulkPartner, was taken the same way, so the run never waits for a lock
// while holding one that readers want.) The attempt is a savepoint, so a failed one
// leaves the transaction as it was; it writes no rows, so every row of
// the run still carries the run's own transaction id.
func (im *importer) planBulk(cand map[string]int) error {
	var tables, chosen []string
	for t, n := range cand {
		if n < bulkRows {
			continue
		}
		var empty bool
		q := fmt.Sprintf(sqlEmpty, im.quoted+"."+t)
		if err := im.tx.QueryRowContext(im.ctx, q).Scan(&empty); err != nil {
			return fmt.Errorf("size of %s: %w", t, err)
		}
		if empty {
			tables = append(tables, im.quoted+"."+t)
			chosen = append(chosen, t)
		}
	}
	if len(tables) == 0 {
		return nil
	}
	ok, err := im.lockBulk(tables)
	if err != nil || !ok {
		return err
	}
	for _, t := range chosen {
		im.markBulk(t)
	}
	return nil
}

// markBulk makes table's next bulkWrite drop and build its indexes.
func (im *importer) markBulk(table string) {
	if im.bulk == nil {
		im.bulk, im.rebuild = map[string]bool{}, map[string][]bulkIndex{}
	}
	im.bulk[table] = true
}

// lockBulk takes the tables (quoted names) in ACCESS EXCLUSIVE mode for
// the rest of the transaction, or reports that readers kept them busy.
func (im *importer) lockBulk(tables []string) (bool, error) {
	return lockTables(im.ctx, func(q string) error {
		_, err := im.tx.ExecContext(im.ctx, q)
		return err
	}, tables)
}

// lockTables is lockBulk on whatever runs the transaction's statements.
func lockTables(ctx context.Context, exec func(string) error, tables []string) (bool, error) {
	lock := "SAVEPOINT bulk_lock; LOCK TABLE " + strings.Join(tables, ", ") + " IN ACCESS EXCLUSIVE MODE NOWAIT"
	for try := 0; ; try++ {
		err := exec(lock)
		if err == nil {
			break
		}
		if pq.As(err, pqerror.LockNotAvailable) == nil {
			return false, fmt.Errorf("lock %s: %w", strings.Join(tables, ", "), err)
		}
		if err := exec("ROLLBACK TO SAVEPOINT bulk_lock; RELEASE SAVEPOINT bulk_lock"); err != nil {
			return false, err
		}
		if try == bulkLockTries-1 {
			return false, nil
		}
		select {
		case <-ctx.Done():
			return false, ctx.Err()
		case <-time.After(bulkLockWait):
		}
	}
	return true, exec("RELEASE SAVEPOINT bulk_lock")
}

// bulkPartner runs before each batch of the stream is encoded. A partner
// run into a store without partner records whose first batch holds at
// least bulkRows records (the run holds at least as many: a first batch
// not full is the whole run) copies them into partner_incidents without
// its indexes (listed before the stream, in partnerIdx), built again
// once the stream ends. No other connection reads the table meanwhile:
// with nothing stored, the batches are not checked against it. The COPY
// holds the import's connection throughout the stream, so the lock and
// the drop run there, before the first batch is copied.
func (im *importer) bulkPartner(b *batch) {
	const t = "partner_incidents"
	if im.kind != runPartner || im.storedPartner || im.imported > 0 || len(im.pending) < bulkRows || im.partnerIdx == nil {
		return
	}
	idx := im.partnerIdx
	b.before = func(ctx context.Context, dc any) error {
		exec := func(q string) error { return execRaw(ctx, dc, q) }
		ok, err := lockTables(ctx, exec, []string{im.quoted + "." + t})
		if err != nil || !ok {
			return err
		}
		var drop strings.Builder
		for _, ix := range idx {
			drop.WriteString(ix.drop + ";")
		}
		if err := exec(drop.String()); err != nil {
			return fmt.Errorf("drop the indexes of %s: %w", t, err)
		}
		// Read once the stream has ended (after the COPY goroutine).
		im.markBulk(t)
		im.rebuild[t] = idx
		return nil
	}
}

// buildIndexes builds the indexes of table that were dropped for a
// bulk write again.
func (im *importer) buildIndexes(table string) error {
	for _, ix := range im.rebuild[table] {
		if _, err := im.tx.ExecContext(im.ctx, ix.build); err != nil {
			return fmt.Errorf("build the indexes of %s again: %w", table, err)
		}
	}
	delete(im.rebuild, table)
	return nil
}

// bulkCandidates names the tables the rest of the run writes in one
// statement each, with how many rows each gets at most: its new points;
// the aggregates, copied straight in when no incidents were stored; a
// partner run's cells.
func (im *importer) bulkCandidates() map[string]int {
	cand := map[string]int{}
	if im.kind == runPoliceUK {
		cand["points"] = len(im.newPoints)
	}
	if im.kind == runPoliceUK && !im.storedIncidents {
		cand["agg"], cand["agg_text"] = len(im.counts), len(im.counts)
	}
	if im.kind == runPartner {
		cand["partner_points"], cand["partner_hex"] = len(im.newPoints), len(im.hex.rows)
	}
	return cand
}

// bulkWrite runs write, which adds rows to table, with the table's
// indexes dropped first and built by sorting afterwards when planBulk
// chose the table. All of it is in the import's transaction, so a
// failure brings the indexes back with everything else.
func (im *importer) bulkWrite(table string, write func() error) error {
	if !im.bulk[table] {
		return write()
	}
	idx, err := im.dropIndexes(im.quoted + "." + table)
	if err != nil {
		return err
	}
	im.rebuild[table] = idx
	if err := write(); err != nil {
		return err
	}
	return im.buildIndexes(table)
}

// dropIndexes drops table's indexes and returns how to build them again.
func (im *importer) dropIndexes(table string) ([]bulkIndex, error) {
	idx, err := im.indexDefs(table)
	if err != nil {
		return nil, err
	}
	var drop strings.Builder
	for _, ix := range idx {
		drop.WriteString(ix.drop + ";")
	}
	if drop.Len() > 0 {
		if _, err := im.tx.ExecContext(im.ctx, drop.String()); err != nil {
			return nil, fmt.Errorf("drop the indexes of %s: %w", table, err)
		}
	}
	return idx, nil
}

// indexDefs lists how to drop and build again table's indexes.
func (im *importer) indexDefs(table string) ([]bulkIndex, error) {
	rows, err := im.tx.QueryContext(im.ctx, sqlBulkIndexes, table)
	if err != nil {
		return nil, fmt.Errorf("indexes of %s: %w", table, err)
	}
	defer rows.Close()
	var idx []bulkIndex
	for rows.Next() {
		var name, def, con, condef string
		if err := rows.Scan(&name, &def, &con, &condef); err != nil {
			return nil, err
		}
		ix := bulkIndex{drop: "DROP INDEX " + name, build: def}
		if con != "" {
			ix.drop = "ALTER TABLE " + table + " DROP CONSTRAINT " + pq.QuoteIdentifier(con)
			ix.build = "ALTER TABLE " + table + " ADD CONSTRAINT " + pq.QuoteIdentifier(con) + " " + condef
		}
		idx = append(idx, ix)
	}
	return idx, rows.Err()
}
