package postgis

import (
	"context"
	"database/sql"
	"fmt"
	"iter"

	"github.com/lib/pq"
	"github.com/paulmach/orb"

	"github.com/leicester-csp/hotspot/geo"
)

// batchRows is how many incidents are checked and encoded at a time. A
// batch's check against stored IDs may scan the incidents table (the
// planner's choice while it is small), so batches are large; three are
// in flight at most, which keeps memory to some tens of megabytes.
const batchRows = 16384

// importer is one run's state inside its transaction.
type importer struct {
	ctx  context.Context
	conn *sql.Conn // the import's connection, in its transaction
	tx   *sql.Tx
	db   *sql.DB // for reading what was committed before the run

	quoted string // the store's schema, quoted

	storedIncidents bool  // incidents were stored before the run
	maxPoint        int32 // highest point id stored before the run
	nextPoint       int32

	seen      map[string]struct{} // IDs of the run so far
	lps       map[orb.Point]int32 // the run's points → point id
	newPoints []newPoint          // points the run adds, in id order
	counts    map[countKey]int32  // the run's new incidents, counted
	textIDs   map[string]int32    // the texts counts name → index in texts
	texts     []string            // copies: a row's strings may share its whole line
	pending   []geo.Located       // the batch being gathered (copies: a stream may reuse its values)
	rejects   copyText            // rejects, encoded without their run
	buf       copyText            // the batch being encoded

	imported, duplicates, rejected int

	kind    int             // runPoliceUK or runPartner, fixed by the first incident
	sources map[string]bool // local sources of the run's partner records
}

func (im *importer) q(sql string) string { return qualify(sql, im.quoted) }

// stream reads the run and copies its new incidents into the table with
// one COPY. Reading, checking and encoding happen here while a second
// goroutine feeds the encoded batches to the COPY, so that the database
// writes one batch while the next is being prepared. The checks against
// stored rows use another connection of the pool: under the import lock,
// committed data is exactly what was stored before the run, and the run's
// own rows are known here.
func (im *importer) stream(rows iter.Seq2[geo.Row, error]) error {
	ctx, cancel := context.WithCancelCause(im.ctx)
	defer cancel(nil)
	const buffers = 3
	full := make(chan *copyText, buffers)
	free := make(chan *copyText, buffers)
	for range buffers {
		free <- &copyText{}
	}
	copied := make(chan error, 1)
	go func() {
		err := raw(im.conn, func(dc any) error {
			// Opened on the first batch, whose rows say which table the
			// run fills (the producer fixes im.kind before sending it).
			var cp *copyStream
			for b := range full {
				if cp == nil {
					var err error
					if cp, err = openCopy(ctx, dc, im.copySQL()); err != nil {
						return err
					}
				}
				if err := cp.send(b); err != nil {
					cp.close()
					return err
				}
				free <- b
			}
			if cp == nil {
				return nil
			}
			return cp.close()
		})
		if err != nil {
			err = fmt.Errorf("copy incidents: %w", err)
			cancel(err)
		}
		copied <- err
	}()
	err := im.produce(ctx, rows, full, free)
	close(full)
	if cerr := <-copied; cerr != nil {
		return cerr
	}
	return err
}

// produce reads the rows, keeps rejects, and hands batches of new
// incidents, encoded, to the COPY.
func (im *importer) produce(ctx context.Context, rows iter.Seq2[geo.Row, error], full, free chan *copyText) error {
	send := func() error {
		var b *copyText
		select {
		case b = <-free:
		case <-ctx.Done():
			return context.Cause(ctx)
		}
		b.reset()
		if err := im.encodeBatch(ctx, b); err != nil {
			return err
		}
		select {
		case full <- b:
			return nil
		case <-ctx.Done():
			return context.Cause(ctx)
		}
	}
	n := 0
	for row, err := range rows {
		if err != nil {
			return err
		}
		if n++; n%4096 == 0 {
			if ctx.Err() != nil {
				return context.Cause(ctx)
			}
		}
		switch {
		case row.Reject != nil:
			if err := im.keepReject(row.Reject); err != nil {
				return err
			}
		case row.Incident != nil:
			if err := im.decideKind(row.Incident); err != nil {
				return err
			}
			key := seenKey(row.Incident)
			if _, ok := im.seen[key]; ok {
				im.duplicates++
				continue
			}
			im.seen[key] = struct{}{}
			im.pending = append(im.pending, *row.Incident)
			if len(im.pending) == batchRows {
				if err := send(); err != nil {
					return err
				}
			}
		}
	}
	if ctx.Err() != nil {
		return context.Cause(ctx)
	}
	if len(im.pending) == 0 {
		return nil
	}
	return send()
}

// encodeBatch drops the gathered incidents that are stored already,
// resolves their points, counts them and encodes them into b.
func (im *importer) encodeBatch(ctx context.Context, b *copyText) error {
	batch := im.pending
	im.pending = im.pending[:0]
	switch {
	case im.kind == runPartner:
		var err error
		if batch, err = im.dropStoredPartner(ctx, batch); err != nil {
			return err
		}
	case im.storedIncidents:
		var err error
		if batch, err = im.dropStored(ctx, batch); err != nil {
			return err
		}
	}
	if err := im.resolvePoints(ctx, batch); err != nil {
		return err
	}
	for i := range batch {
		inc := &batch[i]
		var pt int32
		if inc.HasLocation {
			pt = im.lps[inc.Point]
		}
		if im.kind == runPartner {
			im.encodePartner(b, inc, pt)
			continue
		}
		b.str(inc.ID)
		b.int(int64(inc.Month))
		b.str(inc.ReportedBy)
		b.str(inc.FallsWithin)
		b.str(inc.Location)
		b.str(inc.LSOACode)
		b.str(inc.LSOAName)
		b.str(inc.Category)
		b.str(inc.Outcome)
		b.str(inc.Context)
		if pt != 0 {
			b.int(int64(pt))
		} else {
			b.null()
		}
		b.end()
		k := countKey{month: inc.Month, point: pt, category: im.textID(inc.Category), location: -1, outcome: -1}
		if pt != 0 {
			k.location, k.outcome = im.textID(inc.Location), im.textID(inc.Outcome)
		}
		im.counts[k]++
	}
	im.imported += len(batch)
	return nil
}

// dropStored removes the batch's incidents whose ID is stored already,
// counting them as duplicates.
func (im *importer) dropStored(ctx context.Context, batch []geo.Located) ([]geo.Located, error) {
	ids := make([]string, len(batch))
	for i := range batch {
		ids[i] = batch[i].ID
	}
	stored, err := queryStrings(ctx, im.db, im.q(sqlStoredIDs), pq.StringArray(ids))
	if err != nil {
		return nil, fmt.Errorf("check stored IDs: %w", err)
	}
	if len(stored) == 0 {
		return batch, nil
	}
	isStored := make(map[string]bool, len(stored))
	for _, id := range stored {
		isStored[id] = true
	}
	out := batch[:0]
	for _, inc := range batch {
		if isStored[inc.ID] {
			im.duplicates++
			continue
		}
		out = append(out, inc)
	}
	return out, nil
}

func queryStrings(ctx context.Context, q interface {
	QueryContext(context.Context, string, ...any) (*sql.Rows, error)
}, query string, args ...any) ([]string, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var v string
		if err := rows.Scan(&v); err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}
