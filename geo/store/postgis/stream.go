package postgis

import (
	"context"
	"database/sql"
	"fmt"
	"iter"
	"slices"

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

	storedIncidents bool // incidents were stored before the run
	storedPartner   bool // partner records were stored before the run
	// storedCounts: agg held counts before the run (it may while no
	// incident is stored: a detached month stays counted).
	storedCounts    bool
	maxPoint        int32 // highest point id stored before the run
	maxPartnerPoint int32 // highest partner point id stored before the run
	nextPoint       int32 // the next new point's id, in the run's points table

	months    map[geo.Month]bool  // months with a partition; true: made by the run
	attached  map[geo.Month]bool  // months made by the run and attached already
	wrote     []geo.Month         // months the run copies incidents into
	seen      map[string]struct{} // IDs of the run so far
	lps       map[orb.Point]int32 // the run's points → point id
	newPoints []newPoint          // points the run adds
	newAreas  []pointAreas        // a partner run's new points' areas, by position in newPoints
	counts    map[countKey]int32  // the run's new incidents, counted
	textIDs   map[string]int32    // the texts counts name → index in texts
	texts     []string            // copies: a row's strings may share its whole line
	ids       []int32             // the point ids of the batch being encoded
	hex       hexRows             // a partner run's partner_hex rows
	pending   []geo.Located       // the batch being gathered (copies: a stream may reuse its values)
	rejects   copyText            // rejects, encoded without their run
	buf       copyText            // the batch being encoded

	imported, duplicates, rejected int
	// public is whether the run changed what a caller without a key
	// sees; commit moves the public generation then.
	public bool

	kind    int             // runPoliceUK or runPartner, fixed by the first incident
	sources map[string]bool // local sources of the run's partner records
	// pcats are the (source, category) pairs of the partner records the
	// run adds; marks, for a synthetic run only, every source its rows
	// name, duplicates too ("" for police.uk).
	pcats map[[2]string]bool
	marks map[string]bool

	bulk    map[string]bool        // tables whose indexes are built after the run's write (bulk.go)
	rebuild map[string][]bulkIndex // their dropped indexes, until built again
	// partnerIdx lists partner_incidents' indexes when no partner record
	// was stored before the run (bulkPartner).
	partnerIdx []bulkIndex
}

func (im *importer) q(sql string) string { return qualify(sql, im.quoted) }

// stream reads the run and copies its new incidents into their tables.
// Reading, checking and encoding happen here while a second goroutine
// feeds the encoded batches to COPY, so that the database writes one
// batch while the next is being prepared. The checks against stored rows
// use another connection of the pool: under the import lock, committed
// data is exactly what was stored before the run, and the run's own rows
// are known here.
func (im *importer) stream(rows iter.Seq2[geo.Row, error]) error {
	ctx, cancel := context.WithCancelCause(im.ctx)
	defer cancel(nil)
	const buffers = 3
	full := make(chan *batch, buffers)
	free := make(chan *batch, buffers)
	for range buffers {
		free <- &batch{}
	}
	copied := make(chan error, 1)
	go func() {
		err := raw(im.conn, func(dc any) error { return copyBatches(ctx, dc, full, free) })
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

// batch is one batch of encoded rows, by the table they go to: a month's
// partition (police.uk) or partner_incidents.
type batch struct {
	segs   []segment
	n      int      // segments in use; the rest are kept for their buffers
	attach []string // months to attach before the batch is copied
	// before runs on the COPY's connection before the batch is copied
	// (bulkPartner); the import's transaction cannot be used meanwhile.
	before func(ctx context.Context, dc any) error
}

type segment struct {
	month   geo.Month
	copySQL string
	create  string // run first, when the run makes the table
	rows    copyText
}

func (b *batch) reset() { b.n, b.attach, b.before = 0, b.attach[:0], nil }

// seg returns the batch's segment for month m (-1: partner records),
// adding one when new; a new one is named by the run's monthTable.
func (im *importer) seg(b *batch, m geo.Month) *copyText {
	for i := range b.n {
		if b.segs[i].month == m {
			return &b.segs[i].rows
		}
	}
	if b.n == len(b.segs) {
		b.segs = append(b.segs, segment{})
	}
	sg := &b.segs[b.n]
	b.n++
	sg.month = m
	if m < 0 {
		sg.copySQL, sg.create = im.q(sqlCopyPartner), ""
	} else {
		sg.copySQL, sg.create = im.monthTable(m)
	}
	sg.rows.reset()
	return &sg.rows
}

// copyBatches feeds the batches to COPY on the driver connection dc,
// switching statement when a segment goes to another table. A COPY is
// left open across batches, so that a run into one table is one COPY.
func copyBatches(ctx context.Context, dc any, full <-chan *batch, free chan<- *batch) error {
	var (
		cp  *copyStream
		cur string
	)
	for b := range full {
		if len(b.attach) > 0 && cp != nil {
			if err := cp.close(); err != nil {
				return err
			}
			cp, cur = nil, ""
		}
		for _, q := range b.attach {
			if err := execRaw(ctx, dc, q); err != nil {
				return err
			}
		}
		if b.before != nil {
			if err := b.before(ctx, dc); err != nil {
				return err
			}
		}
		for i := range b.n {
			sg := &b.segs[i]
			if sg.copySQL != cur || sg.create != "" {
				if cp != nil {
					if err := cp.close(); err != nil {
						return err
					}
					cp = nil
				}
				if sg.create != "" {
					if err := execRaw(ctx, dc, sg.create); err != nil {
						return err
					}
				}
				var err error
				if cp, err = openCopy(ctx, dc, sg.copySQL); err != nil {
					return err
				}
				cur = sg.copySQL
			}
			if err := cp.send(&sg.rows); err != nil {
				cp.close()
				return err
			}
		}
		free <- b
	}
	if cp == nil {
		return nil
	}
	return cp.close()
}

// produce reads the rows, keeps rejects, and hands batches of new
// incidents, encoded, to the COPY.
func (im *importer) produce(ctx context.Context, rows iter.Seq2[geo.Row, error], full, free chan *batch) error {
	send := func() error {
		var b *batch
		select {
		case b = <-free:
		case <-ctx.Done():
			return context.Cause(ctx)
		}
		b.reset()
		im.bulkPartner(b)
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
func (im *importer) encodeBatch(ctx context.Context, out *batch) error {
	batch := im.pending
	im.pending = im.pending[:0]
	switch {
	case im.kind == runPartner:
		// With none stored before the run, its own are told apart by
		// seen, and partner_incidents may be locked (bulkPartner).
		if !im.storedPartner {
			break
		}
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
	im.ids = slices.Grow(im.ids[:0], len(batch))[:len(batch)]
	if err := im.resolvePoints(ctx, batch, im.ids); err != nil {
		return err
	}
	for i := range batch {
		inc := &batch[i]
		pt := im.ids[i]
		if im.kind == runPartner {
			im.encodePartner(im.seg(out, -1), inc, pt)
			continue
		}
		b := im.seg(out, inc.Month)
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
		b.int(incidentKey(inc.ID))
		b.end()
		k := countKey{month: inc.Month, point: pt, category: im.textID(inc.Category), location: -1, outcome: -1}
		if pt != 0 {
			k.location, k.outcome = im.textID(inc.Location), im.textID(inc.Outcome)
		}
		im.counts[k]++
	}
	im.imported += len(batch)
	im.attachDone(out)
	return nil
}

// dropStored removes the batch's incidents whose ID is stored already,
// counting them as duplicates.
func (im *importer) dropStored(ctx context.Context, batch []geo.Located) ([]geo.Located, error) {
	keys := make([]int64, len(batch))
	for i := range batch {
		keys[i] = incidentKey(batch[i].ID)
	}
	// Ids that share a key with one of the batch's come back too, and
	// are told apart below.
	stored, err := queryStrings(ctx, im.db, im.q(sqlStoredIDs), pq.Int64Array(keys))
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
