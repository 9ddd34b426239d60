package postgis

import (
	"bytes"
	"context"
	"database/sql"
	"database/sql/driver"
	"encoding/hex"
	"errors"
	"fmt"
	"hash/fnv"
	"iter"
	"log/slog"
	"maps"
	"slices"
	"strconv"
	"time"

	"github.com/lib/pq"
	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/wkb"

	"github.com/leicester-csp/hotspot/geo"
)

// Import applies one ingest run in one transaction, holding the import
// lock throughout. Incidents are streamed with COPY in batches; before
// each batch goes, IDs already stored or seen earlier in the run are
// dropped as duplicates (a run's first row with an ID wins) and its map
// points are resolved to stored ones or numbered as new. Then the new
// points (each once, with the cells the rows carry) are copied, points are
// assigned to wards and LSOAs, the run's counts per month × category ×
// point are added to the aggregates, areas that differ from the stored
// ones replace them (re-assigning every point), population is merged and
// rejects are kept. The generation is bumped only when stored data
// changed, so importing the same input again leaves even the Version as it
// was. Any error, from the stream or the database, or a cancelled ctx
// rolls it all back.
func (s *Store) Import(ctx context.Context, in geo.ImportInput) (geo.ImportResult, error) {
	if err := checkAreas(in.Areas); err != nil {
		return geo.ImportResult{}, err
	}
	res, err := s.importTx(ctx, in)
	if err != nil {
		return geo.ImportResult{}, wrap(ctx, "import", err)
	}
	if res.Imported > 0 || len(in.Areas) > 0 {
		s.refreshStatistics(ctx)
	}
	return res, nil
}

// refreshStatistics vacuums and analyses the tables queries read, once an
// import has committed. Without statistics a freshly loaded store plans
// its aggregate joins as if tables were empty (wards at 10 million
// incidents: 140 ms instead of 20 ms), and vacuum sets the visibility map
// that lets them scan agg's index alone. It is an optimisation: a
// failure is logged, not returned, since the import stands.
func (s *Store) refreshStatistics(ctx context.Context) {
	for _, t := range []string{"agg", "points", "areas"} {
		if _, err := s.db.ExecContext(ctx, "VACUUM (ANALYZE) "+s.quoted+"."+t); err != nil {
			s.log.Warn("postgis: vacuum analyze after import failed", slog.String("table", t), slog.Any("err", err))
		}
	}
	// incidents: statistics only; a vacuum of millions of fresh rows
	// would cost the import more than its page queries gain.
	if _, err := s.db.ExecContext(ctx, "ANALYZE "+s.quoted+".incidents"); err != nil {
		s.log.Warn("postgis: analyze after import failed", slog.String("table", "incidents"), slog.Any("err", err))
	}
}

// checkAreas refuses what the areas table cannot hold, before any work:
// one code twice for a kind, or a kind the store does not know.
func checkAreas(as []geo.Area) error {
	seen := make(map[[2]string]bool, len(as))
	for _, a := range as {
		if _, ok := geo.ParseAreaKind(string(a.Kind)); !ok {
			return fmt.Errorf("postgis import: %w: area %s has unknown kind %q", geo.ErrInvalid, a.Code, a.Kind)
		}
		k := [2]string{string(a.Kind), a.Code}
		if seen[k] {
			return fmt.Errorf("postgis import: %w: %s %s is given twice", geo.ErrInvalid, a.Kind, a.Code)
		}
		seen[k] = true
	}
	return nil
}

// importLockKey is the transaction advisory lock that serialises imports
// into one schema; stores in other schemas of the database import
// independently.
func (s *Store) importLockKey() int64 {
	h := fnv.New64a()
	h.Write([]byte("hotspot import\x00" + s.schema))
	return int64(h.Sum64())
}

// batchRows is how many incidents are checked and encoded at a time. A
// batch's check against stored IDs may scan the incidents table (the
// planner's choice while it is small), so batches are large; three are
// in flight at most, which keeps memory to some tens of megabytes.
const batchRows = 16384

func (s *Store) importTx(ctx context.Context, in geo.ImportInput) (res geo.ImportResult, err error) {
	ph := newPhases(s.log)
	defer ph.done()
	conn, tx, err := s.begin(ctx)
	if err != nil {
		return res, err
	}
	defer conn.Close()
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, s.q(sqlImportSettings)); err != nil {
		return res, err
	}
	if _, err := tx.ExecContext(ctx, s.q(sqlImportLock), s.importLockKey()); err != nil {
		return res, fmt.Errorf("waiting for another import: %w", err)
	}
	im := &importer{ctx: ctx, conn: conn, tx: tx, db: s.db, quoted: s.quoted, lps: map[orb.Point]int32{}, seen: map[string]struct{}{}, agg: map[aggKey]int32{}}
	if err := tx.QueryRowContext(ctx, s.q(sqlImportStart)).Scan(&im.storedIncidents, &im.maxPoint); err != nil {
		return res, err
	}
	im.nextPoint = im.maxPoint + 1
	ph.mark("lock")
	changed := false

	var wardsChanged, lsoasChanged bool
	if len(in.Areas) > 0 {
		kinds, err := im.replaceAreas(in.Areas)
		if err != nil {
			return res, fmt.Errorf("areas: %w", err)
		}
		changed = changed || len(kinds) > 0
		wardsChanged = slices.Contains(kinds, string(geo.KindWard))
		lsoasChanged = slices.Contains(kinds, string(geo.KindLSOA))
		ph.mark("areas")
	}

	if in.Rows != nil {
		if err := im.stream(in.Rows); err != nil {
			return res, err
		}
		ph.mark("incidents")
		if err := im.storePoints(); err != nil {
			return res, fmt.Errorf("points: %w", err)
		}
		ph.mark("points")
		if err := im.storeAggregates(); err != nil {
			return res, fmt.Errorf("aggregates: %w", err)
		}
		ph.mark("agg")
		res.Imported, res.Duplicates, res.Rejected = im.imported, im.duplicates, im.rejected
		changed = changed || im.imported > 0
	}

	// New areas re-assign every point; otherwise only new points need it.
	for _, a := range []struct {
		changed       bool
		clear, assign string
	}{{wardsChanged, s.q(sqlClearWards), s.q(sqlAssignWards)}, {lsoasChanged, s.q(sqlClearLSOAs), s.q(sqlAssignLSOAs)}} {
		from := int64(0)
		if len(im.newPoints) > 0 {
			from = int64(im.maxPoint) + 1
		}
		if a.changed {
			if _, err := tx.ExecContext(ctx, a.clear); err != nil {
				return res, err
			}
			from = 1
		}
		if from == 0 {
			continue
		}
		if _, err := tx.ExecContext(ctx, a.assign, from); err != nil {
			return res, fmt.Errorf("assign points to areas: %w", err)
		}
		ph.mark("assign")
	}

	if len(in.Population) > 0 {
		codes := make([]string, 0, len(in.Population))
		counts := make([]int64, 0, len(in.Population))
		for c, n := range in.Population {
			codes = append(codes, c)
			counts = append(counts, int64(n))
		}
		r, err := tx.ExecContext(ctx, s.q(sqlMergePopulation), pq.Array(codes), pq.Array(counts))
		if err != nil {
			return res, fmt.Errorf("population: %w", err)
		}
		if n, _ := r.RowsAffected(); n > 0 {
			changed = true
		}
	}

	// Rejects are kept even when nothing else changed, like the embedded
	// store's rejects file, but queries never see them, so they alone do
	// not bump the generation.
	if im.rejected > 0 {
		run, err := im.storeRejects()
		if err != nil {
			return res, fmt.Errorf("rejects: %w", err)
		}
		res.RejectsAt = fmt.Sprintf("table %s.rejects (run %d)", s.schema, run)
	}
	if changed {
		if _, err := tx.ExecContext(ctx, s.q(sqlBumpGeneration)); err != nil {
			return res, err
		}
	}
	if err := tx.Commit(); err != nil {
		return res, err
	}
	ph.mark("commit")
	return res, nil
}

// begin starts the import's transaction on a connection of its own. A
// pooled connection may have died with a database restart that nothing
// noticed; unlike database/sql's own calls, a pinned connection is not
// replaced automatically, so that is done here, while nothing has run.
func (s *Store) begin(ctx context.Context) (*sql.Conn, *sql.Tx, error) {
	for attempt := 0; ; attempt++ {
		conn, err := s.db.Conn(ctx)
		if err != nil {
			return nil, nil, err
		}
		tx, err := conn.BeginTx(ctx, nil)
		if err == nil {
			return conn, tx, nil
		}
		conn.Close()
		if !errors.Is(err, driver.ErrBadConn) || attempt == 2 {
			return nil, nil, err
		}
	}
}

type aggKey struct {
	month    geo.Month
	category string
	point    int32 // 0: no location
}

type newPoint struct {
	id    int32
	p     orb.Point
	cells [geo.NumRes]geo.Cell
}

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
	agg       map[aggKey]int32    // the run's new incidents, counted
	pending   []geo.Located       // the batch being gathered (copies: a stream may reuse its values)
	rejects   copyText            // rejects, encoded without their run
	buf       copyText            // the batch being encoded

	imported, duplicates, rejected int
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
		err := im.conn.Raw(func(dc any) error {
			cp, err := openCopy(ctx, dc, im.q(sqlCopyIncidents))
			if err != nil {
				return err
			}
			for b := range full {
				if err := cp.send(b); err != nil {
					cp.close()
					return err
				}
				free <- b
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
			r := row.Reject
			raw, err := pq.StringArray(append([]string{}, r.Raw...)).Value()
			if err != nil {
				return err
			}
			im.rejects.str(r.File)
			im.rejects.int(int64(r.Line))
			im.rejects.str(r.Reason)
			im.rejects.str(raw.(string))
			im.rejects.end()
			im.rejected++
		case row.Incident != nil:
			if _, ok := im.seen[row.Incident.ID]; ok {
				im.duplicates++
				continue
			}
			im.seen[row.Incident.ID] = struct{}{}
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
	if im.storedIncidents {
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
		im.agg[aggKey{inc.Month, inc.Category, pt}]++
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

// resolvePoints gives every located incident of the batch a point id: the
// stored point at exactly its coordinates, or a new one.
func (im *importer) resolvePoints(ctx context.Context, batch []geo.Located) error {
	var fresh []*geo.Located // first incident at each point new to the run
	for i := range batch {
		inc := &batch[i]
		if !inc.HasLocation {
			continue
		}
		if _, ok := im.lps[inc.Point]; ok {
			continue
		}
		im.lps[inc.Point] = 0 // placeholder: seen in this batch
		fresh = append(fresh, inc)
	}
	if len(fresh) == 0 {
		return nil
	}
	if im.maxPoint > 0 {
		lons := make([]float64, len(fresh))
		lats := make([]float64, len(fresh))
		for i, inc := range fresh {
			lons[i], lats[i] = inc.Point[0], inc.Point[1]
		}
		rows, err := im.db.QueryContext(ctx, im.q(sqlStoredPoints), pq.Float64Array(lons), pq.Float64Array(lats))
		if err != nil {
			return fmt.Errorf("look up points: %w", err)
		}
		for rows.Next() {
			var (
				p  orb.Point
				id int32
			)
			if err := rows.Scan(&p[0], &p[1], &id); err != nil {
				rows.Close()
				return err
			}
			im.lps[p] = id
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return fmt.Errorf("look up points: %w", err)
		}
	}
	for _, inc := range fresh {
		if im.lps[inc.Point] != 0 {
			continue
		}
		id := im.nextPoint
		im.nextPoint++
		im.lps[inc.Point] = id
		im.newPoints = append(im.newPoints, newPoint{id: id, p: inc.Point, cells: inc.Cells})
	}
	return nil
}

func (im *importer) storePoints() error {
	if len(im.newPoints) == 0 {
		return nil
	}
	b := &im.buf
	b.reset()
	for _, p := range im.newPoints {
		b.int(int64(p.id))
		b.float(p.p[0])
		b.float(p.p[1])
		b.pointEWKB(p.p[0], p.p[1])
		for _, c := range p.cells {
			b.int(int64(c))
		}
		b.end()
	}
	if err := copyIn(im.ctx, im.conn, im.q(sqlCopyPoints), b); err != nil {
		return err
	}
	_, err := im.tx.ExecContext(im.ctx, im.q(sqlSyncPointSeq), im.quoted+".points", im.nextPoint-1)
	return err
}

// storeAggregates adds the run's counts, and its months and categories.
// Into an empty store the counts are copied straight in; otherwise they
// are staged and merged.
func (im *importer) storeAggregates() error {
	if len(im.agg) == 0 {
		return nil
	}
	months := map[geo.Month]bool{}
	cats := map[string]bool{}
	b := &im.buf
	b.reset()
	for k, n := range im.agg {
		b.int(int64(k.month))
		b.str(k.category)
		b.int(int64(k.point))
		b.int(int64(n))
		b.end()
		months[k.month], cats[k.category] = true, true
	}
	ms := make([]int64, 0, len(months))
	for m := range months {
		ms = append(ms, int64(m))
	}
	if _, err := im.tx.ExecContext(im.ctx, im.q(sqlAddMonths), pq.Array(ms)); err != nil {
		return err
	}
	if _, err := im.tx.ExecContext(im.ctx, im.q(sqlAddCategories), pq.Array(slices.Collect(maps.Keys(cats)))); err != nil {
		return err
	}
	if !im.storedIncidents {
		return copyIn(im.ctx, im.conn, im.q(sqlCopyAgg), b)
	}
	if _, err := im.tx.ExecContext(im.ctx, im.q(sqlCreateAggStage)); err != nil {
		return err
	}
	if err := copyIn(im.ctx, im.conn, im.q(sqlCopyAggStage), b); err != nil {
		return err
	}
	for _, q := range []string{im.q(sqlMergeAggUpdate), im.q(sqlMergeAggInsert)} {
		if _, err := im.tx.ExecContext(im.ctx, q); err != nil {
			return err
		}
	}
	return nil
}

// storeRejects copies the run's rejects under a new run number.
func (im *importer) storeRejects() (int64, error) {
	var run int64
	if err := im.tx.QueryRowContext(im.ctx, im.q(sqlNextRun), im.quoted+".import_run_seq").Scan(&run); err != nil {
		return 0, err
	}
	prefix := strconv.AppendInt(nil, run, 10)
	prefix = append(prefix, '\t')
	b := &im.buf
	b.reset()
	for line := range bytes.Lines(im.rejects.b) {
		b.b = append(b.b, prefix...)
		b.b = append(b.b, line...)
		b.rows++
	}
	return run, copyIn(im.ctx, im.conn, im.q(sqlCopyRejects), b)
}

// replaceAreas stages the run's areas and replaces the stored areas of
// every kind where they differ, returning those kinds.
func (im *importer) replaceAreas(as []geo.Area) ([]string, error) {
	if _, err := im.tx.ExecContext(im.ctx, im.q(sqlCreateAreaStage)); err != nil {
		return nil, err
	}
	b := &im.buf
	b.reset()
	for _, a := range as {
		// WKB keeps every coordinate bit for bit and every ring in its
		// order and orientation.
		w, err := wkb.Marshal(a.Geometry)
		if err != nil {
			return nil, fmt.Errorf("%w: area %s %s: %v", geo.ErrInvalid, a.Kind, a.Code, err)
		}
		b.str(string(a.Kind))
		b.str(a.Code)
		b.str(a.Name)
		b.b = append(b.b, '\\', '\\', 'x') // bytea hex input, its backslash escaped for COPY
		b.b = hex.AppendEncode(b.b, w)
		b.b = append(b.b, '\t')
		b.end()
	}
	if err := copyIn(im.ctx, im.conn, im.q(sqlCopyAreas), b); err != nil {
		return nil, err
	}
	kinds, err := queryStrings(im.ctx, im.tx, im.q(sqlChangedKinds))
	if err != nil || len(kinds) == 0 {
		return nil, err
	}
	if _, err := im.tx.ExecContext(im.ctx, im.q(sqlDeleteAreas), pq.Array(kinds)); err != nil {
		return nil, err
	}
	if _, err := im.tx.ExecContext(im.ctx, im.q(sqlInsertAreas), pq.Array(kinds)); err != nil {
		return nil, err
	}
	return kinds, nil
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

// phases logs how long each step of an import took, at debug level: the
// figures that tell where an import's time goes.
type phases struct {
	log   *slog.Logger
	start time.Time
	last  time.Time
	attrs []any
}

func newPhases(log *slog.Logger) *phases {
	now := time.Now()
	return &phases{log: log, start: now, last: now}
}

func (p *phases) mark(name string) {
	now := time.Now()
	p.attrs = append(p.attrs, slog.Duration(name, now.Sub(p.last)))
	p.last = now
}

func (p *phases) done() {
	p.log.Debug("postgis import", append(p.attrs, slog.Duration("total", time.Since(p.start)))...)
}
