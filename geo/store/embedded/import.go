package embedded

import (
	"cmp"
	"context"
	"fmt"
	"iter"
	"maps"
	"reflect"
	"slices"
	"strings"

	"github.com/paulmach/orb"

	"github.com/leicester-csp/hotspot/geo"
)

// Import applies one ingest run: new incidents, replaced areas and merged
// population are written to new files and committed by one manifest
// rename. Incidents whose ID is stored already, or seen earlier in the run,
// are counted as duplicates. Rejected rows go to a CSV file under rejects/.
//
// Every error it returns reads "embedded import: <what was being done>:
// <cause>"; the steps below say what they were doing and only this adds
// the prefix, so no message carries it twice.
func (s *Store) Import(ctx context.Context, in geo.ImportInput) (geo.ImportResult, error) {
	res, err := s.importRun(ctx, in)
	if err != nil {
		return res, fmt.Errorf("embedded import: %w", err)
	}
	return res, nil
}

// importRun takes the locks and runs the three steps: stage the run in
// memory, write its files, commit them by the manifest rename. It returns
// a zero result with any error, except when the commit has happened and
// only reloading failed: the run's counts then stand.
func (s *Store) importRun(ctx context.Context, in geo.ImportInput) (geo.ImportResult, error) {
	unlock, err := lockDir(ctx, s.dir)
	if err != nil {
		return geo.ImportResult{}, err
	}
	defer unlock()
	s.mu.Lock()
	defer s.mu.Unlock()
	// Another process may have committed since this one last looked.
	if err := s.refreshLocked(ctx, nil); err != nil {
		return geo.ImportResult{}, fmt.Errorf("load the latest commit: %w", err)
	}
	cur := s.snap.Load()
	ph := newPhases(s.log)
	// The next snapshot is built while the run is staged and its files
	// are written and synced. The deferred drop stops that build on every
	// way out but the commit's (after finish it does nothing), a panicking
	// row stream included, before the locks are let go.
	feed := s.newBuildFeed(cur, in.RowsHint)
	defer feed.drop()
	st, err := stage(ctx, s.dir, cur, in, feed)
	if err != nil {
		return geo.ImportResult{}, err
	}
	ph.done("stage")
	if !st.changes() {
		return st.res, nil
	}
	fresh := feed.finish()
	if fresh != nil {
		fresh.rows = st.rows
	}
	defer fresh.wait()
	next, err := s.writeFiles(cur, st, fresh)
	if err != nil {
		return geo.ImportResult{}, err
	}
	ph.done("write")
	if err := s.commit(next); err != nil {
		return geo.ImportResult{}, err
	}
	ph.done("commit")
	if err := s.refreshLocked(ctx, fresh); err != nil {
		return st.res, fmt.Errorf("committed, but reloading failed: %w", err)
	}
	ph.done("reload")
	// The image only speeds up the next start: without one, that start
	// loads the segments.
	if err := s.writeImage(s.snap.Load()); err != nil {
		s.log.Warn("embedded store: cannot write the snapshot image", "dir", s.dir, "err", err)
	}
	ph.done("image")
	s.collect(cur.man, next)
	return st.res, nil
}

// staged is a run read and checked against the current snapshot, before
// anything of it but its rejects is on disk.
type staged struct {
	res  geo.ImportResult
	rows []segRow   // the new segment's incidents, once read
	feed *buildFeed // the next snapshot's build, given rows as they are staged
	// pts is every point after the run, cur's followed by those the run
	// adds (added of them), once read; nil when the run adds none.
	pts      []point
	added    int
	rowsIn   chunks[segRow] // rows while reading
	exts     []segExt       // the block partner rows' tails go to
	ptsIn    chunks[point]  // cur's points and new ones while reading
	hint     int            // about how many rows the run brings
	areas    []geo.Area     // every area after the run; nil: unchanged
	pop      map[string]int // population after the run; nil: unchanged
	premises []geo.Premises // the register after the run; nil: unchanged
	// synthetic is the sources marked synthetic after the run; nil:
	// unchanged. marks gathers the run's sources when it is synthetic.
	synthetic []string
	marks     map[string]bool
	ptIdx     map[orb.Point]uint32 // stored and new points → point index
	// seen holds the IDs of the run so far by source; seenSrc and
	// seenIDs are the last source looked up and its IDs.
	seen     map[string]*runIDs
	seenSrc  string
	seenIDs  *runIDs
	seenHint int
}

// seenOf returns the IDs of source src seen so far in the run. One map a
// source rather than keys joining source and ID: the join was an
// allocation for every partner record.
func (st *staged) seenOf(src string) *runIDs {
	if st.seenIDs != nil && src == st.seenSrc {
		return st.seenIDs
	}
	m, ok := st.seen[src]
	if !ok {
		// Most runs are of one source, which the hint sizes.
		m = newRunIDs(st.seenHint)
		st.seenHint = 0
		st.seen[src] = m
	}
	st.seenSrc, st.seenIDs = src, m
	return m
}

func (st *staged) changes() bool {
	return len(st.rows) > 0 || st.areas != nil || st.pop != nil || st.premises != nil || st.synthetic != nil
}

// public reports whether the run changes what a caller without a key
// sees: police.uk incidents, areas, population or police.uk's synthetic
// mark. Partner records, the premises register and partner sources'
// marks are for keyed callers only.
func (st *staged) public(cur *snapshot) bool {
	if st.areas != nil || st.pop != nil {
		return true
	}
	if st.synthetic != nil && slices.Contains(st.synthetic, geo.SourcePoliceUK) != slices.Contains(cur.man.Synthetic, geo.SourcePoliceUK) {
		return true
	}
	for i := range st.rows {
		if st.rows[i].ext == nil {
			return true
		}
	}
	return false
}

// stage reads the run into new segment rows and points and works out the
// areas and population it leaves, all in memory. Loading the same
// boundaries or population again changes nothing, like re-importing the
// same incidents.
func stage(ctx context.Context, dir string, cur *snapshot, in geo.ImportInput, feed *buildFeed) (*staged, error) {
	// Sized for the run at once: grown row by row, these two maps were
	// rehashed a dozen times over a million rows (7 % of the import).
	hint := min(max(in.RowsHint, 0), maxHint)
	// Made for more points than the run has, the map's making alone
	// touched more memory than its points fill (3 % of the shared
	// months' import).
	ptHint := hint
	if in.PointsHint > 0 {
		ptHint = min(in.PointsHint, hint)
	}
	st := &staged{feed: feed, ptIdx: make(map[orb.Point]uint32, len(cur.points)+ptHint), seen: map[string]*runIDs{}, seenHint: hint, hint: hint}
	for i := range cur.points {
		st.ptIdx[cur.points[i].P] = uint32(i)
	}
	if in.Synthetic {
		st.marks = map[string]bool{}
	}
	if err := st.readRows(ctx, dir, cur, in.Rows); err != nil {
		return nil, err
	}
	st.synthetic = markSynthetic(cur.man.Synthetic, st.marks)
	if len(in.Areas) > 0 {
		st.areas = mergeAreas(cur, in.Areas)
		if sameAreas(st.areas, mergeAreas(cur, nil)) {
			st.areas = nil
		}
	}
	if len(in.Premises) > 0 {
		st.premises = mergePremises(cur.premises, in.Premises)
	}
	if in.Population != nil {
		st.pop = make(map[string]int, len(cur.population)+len(in.Population))
		maps.Copy(st.pop, cur.population)
		maps.Copy(st.pop, in.Population)
		if maps.Equal(st.pop, cur.population) {
			st.pop = nil
		}
	}
	return st, nil
}

// readRows stages the run's incidents and keeps its rejects. The rejects
// file is committed once every row is read, so it stays even when the run
// turns out to change nothing or a later step fails.
func (st *staged) readRows(ctx context.Context, dir string, cur *snapshot, rows iter.Seq2[geo.Row, error]) error {
	var rej *rejectsWriter
	defer func() {
		if rej != nil {
			rej.abort()
		}
	}()
	if rows != nil {
		n := 0
		for row, err := range rows {
			if err != nil {
				return fmt.Errorf("read rows: %w", err)
			}
			if n++; n%4096 == 0 {
				if err := ctx.Err(); err != nil {
					return fmt.Errorf("read rows: %w", err)
				}
			}
			if row.Reject != nil {
				if rej == nil {
					if rej, err = newRejectsWriter(dir); err != nil {
						return err
					}
				}
				if err := rej.write(row.Reject); err != nil {
					return fmt.Errorf("write rejects: %w", err)
				}
				st.res.Rejected++
				continue
			}
			if row.Incident != nil {
				st.add(cur, row.Incident)
			}
		}
	}
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("read rows: %w", err)
	}
	st.feed.send(&st.rowsIn, st.res.Duplicates, true)
	st.rows = st.rowsIn.flat()
	if all := st.ptsIn.flat(); len(all) > len(cur.points) {
		st.pts, st.added = all, len(all)-len(cur.points)
	}
	st.res.Imported = len(st.rows)
	if rej != nil {
		path, err := rej.commit()
		if err != nil {
			return err
		}
		rej = nil
		st.res.RejectsAt = path
	}
	return nil
}

// markSynthetic is the sorted union of the sources marked and the run's
// marks; nil when the run adds none.
func markSynthetic(marked []string, marks map[string]bool) []string {
	var out []string
	for src := range marks {
		if !slices.Contains(marked, src) {
			out = append(out, src)
		}
	}
	if out == nil {
		return nil
	}
	out = append(out, marked...)
	slices.Sort(out)
	return out
}

// add stages one incident unless its ID is stored or already in the run.
func (st *staged) add(cur *snapshot, inc *geo.Located) {
	if st.marks != nil {
		// A duplicate too: the run says what its source's rows are.
		st.marks[cmp.Or(inc.Source, geo.SourcePoliceUK)] = true
	}
	if cur.holds(inc.Source) {
		if _, ok := cur.find(inc.Source, inc.ID); ok {
			st.res.Duplicates++
			return
		}
	}
	if !st.seenOf(inc.Source).add(inc.ID, uint32(st.rowsIn.n), st.stagedID) {
		st.res.Duplicates++
		return
	}
	r := segRow{id: inc.ID, month: inc.Month, fields: incidentFields(&inc.Incident), ext: newSegExt(&inc.Incident, &st.exts)}
	if inc.HasLocation {
		i, ok := st.ptIdx[inc.Point]
		if !ok {
			if st.ptsIn.n == 0 {
				// The stored points lead the new ones in one slice, as
				// the next snapshot holds them.
				st.ptsIn.start(cur.points, st.hint)
			}
			i = uint32(st.ptsIn.n)
			st.ptIdx[inc.Point] = i
			st.ptsIn.add(point{P: inc.Point, Cells: inc.Cells, Ward: -1, LSOA: -1})
		}
		r.point = i + 1
	}
	if st.rowsIn.n == 0 {
		st.rowsIn.start(nil, st.hint)
	}
	st.rowsIn.add(r)
	st.feed.send(&st.rowsIn, st.res.Duplicates, false)
}

// stagedID is the ID of the run's staged row i.
func (st *staged) stagedID(i uint32) string { return st.rowsIn.at(int(i)).id }

// chunks collects a run's rows in blocks and copies them into one slice
// of the exact length at the end. Appending a million rows to one slice
// copied each row about four times as it grew, and that copying was a
// sixth of a partner import's CPU time. The first block is sized by the
// run's hint (start), so that a run that fits needs no copy at all: the
// copy's new memory was a tenth of a partner import's page faults, each
// of which costs more than the bytes it copies.
type chunks[T any] struct {
	blocks [][]T
	n      int
}

// chunkLen is the length of every block but a started first one;
// maxFirstChunk bounds a first block however large the hint.
const (
	chunkLen      = 1 << 14
	maxFirstChunk = 1 << 22
)

// start makes the first block, holding prefix, with room for about hint
// more values. Only an unused capacity's address space is spent when the
// hint is high: its pages are never touched.
func (c *chunks[T]) start(prefix []T, hint int) {
	first := makeLarge[T](0, len(prefix)+min(max(hint, chunkLen), maxFirstChunk))
	c.blocks = [][]T{append(first, prefix...)}
	c.n = len(prefix)
}

func (c *chunks[T]) add(v T) {
	if len(c.blocks) == 0 || len(c.blocks[len(c.blocks)-1]) == cap(c.blocks[len(c.blocks)-1]) {
		c.blocks = append(c.blocks, make([]T, 0, chunkLen))
	}
	last := &c.blocks[len(c.blocks)-1]
	*last = append(*last, v)
	c.n++
}

// at returns value i. Every block but the last is full, and every one
// after the first is chunkLen long.
func (c *chunks[T]) at(i int) *T {
	if first := c.blocks[0]; i < len(first) {
		return &first[i]
	}
	i -= len(c.blocks[0])
	return &c.blocks[1+i/chunkLen][i%chunkLen]
}

// flat returns every value in order (nil for none) and lets the blocks go.
func (c *chunks[T]) flat() []T {
	if c.n == 0 {
		return nil
	}
	if len(c.blocks) == 1 {
		out := c.blocks[0]
		*c = chunks[T]{}
		return out[:len(out):len(out)]
	}
	out := make([]T, 0, c.n)
	for _, b := range c.blocks {
		out = append(out, b...)
	}
	*c = chunks[T]{}
	return out
}

// mergeAreas replaces the stored areas of every kind that the run loads.
func mergeAreas(cur *snapshot, in []geo.Area) []geo.Area {
	replaced := map[geo.AreaKind]bool{}
	for _, a := range in {
		replaced[a.Kind] = true
	}
	var out []geo.Area
	for _, group := range [][]geo.Area{cur.wards.Areas(), cur.lsoas.Areas(), cur.cities} {
		for _, a := range group {
			if !replaced[a.Kind] {
				out = append(out, a)
			}
		}
	}
	return append(out, in...)
}

// sameAreas compares area lists regardless of order.
func sameAreas(a, b []geo.Area) bool {
	if len(a) != len(b) {
		return false
	}
	key := func(x geo.Area) string { return string(x.Kind) + "\x00" + x.Code }
	sort := func(as []geo.Area) []geo.Area {
		as = slices.Clone(as)
		slices.SortFunc(as, func(x, y geo.Area) int { return strings.Compare(key(x), key(y)) })
		return as
	}
	return reflect.DeepEqual(sort(a), sort(b))
}
