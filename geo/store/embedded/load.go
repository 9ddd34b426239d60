package embedded

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"

	"github.com/leicester-csp/hotspot/geo"
	"github.com/leicester-csp/hotspot/geo/areas"
)

// load builds the snapshot for manifest m, reusing cur when m only adds
// segments to it.
func (s *Store) load(ctx context.Context, cur *snapshot, m *manifest, fresh *freshRun) (*snapshot, error) {
	incremental := m.StoreID == cur.man.StoreID && len(m.Segments) >= len(cur.man.Segments) &&
		slices.Equal(m.Segments[:len(cur.man.Segments)], cur.man.Segments)
	b := fresh.built(cur, incremental, m.Segments)
	prebuilt := b != nil
	if !prebuilt {
		b = s.newLoadBuilder(cur, incremental)
	}
	names := m.Segments[len(b.next.man.Segments):]
	next := b.next
	next.man = m
	// Before the segments: decoding one checks its points against them.
	if err := s.loadSideFiles(next, cur.man, incremental, fresh); err != nil {
		return nil, err
	}
	if !prebuilt {
		if err := s.loadSegments(ctx, b, names, fresh); err != nil {
			return nil, err
		}
		b.index()
	}
	b.mergeIntern()
	s.intern = b.intern
	return next, nil
}

// newLoadBuilder starts a build on cur, or on an empty snapshot when the
// load is not incremental.
func (s *Store) newLoadBuilder(cur *snapshot, incremental bool) *builder {
	if !incremental {
		// A new table, installed only once the whole load succeeds: a
		// failed reload must leave the table matching the snapshot still
		// served, or the next incremental load would number its strings
		// afresh.
		return newBuilder(emptySnapshot(), map[string]uint32{"": 0})
	}
	return newBuilder(cur, s.intern)
}

// freshRun is a run this process is committing: its segment's name and
// rows, so that the reload adds them from memory rather than reading them
// back, and the build of its rows into the next snapshot, started on
// another core while the run's files are written and synced. Without it
// that build was a serial stretch of every import after the commit.
type freshRun struct {
	name string
	rows []segRow
	// pointsName and points are the points file the run wrote and its
	// contents, which the reload takes rather than reading and decoding
	// the file again (a million new points are 77 MB to read back).
	pointsName  string
	points      []point
	cur         *snapshot // the snapshot the build extends
	incremental bool
	done        chan *builder // the build, once; nil when none was started
	b           *builder
}

// wait returns once the build has finished; every import waits before it
// returns, so no build outlives the lock under which it started.
func (r *freshRun) wait() {
	if r != nil && r.done != nil {
		r.b, r.done = <-r.done, nil
	}
}

// built is the started build when it is the one a load of segments onto
// cur needs: the same base, and only the run's segment to add; else nil.
func (r *freshRun) built(cur *snapshot, incremental bool, segments []string) *builder {
	if r == nil {
		return nil
	}
	// Finished before the load goes on without it: an incremental build
	// and the load would both write beyond cur's columns.
	r.wait()
	if r.cur != cur || r.incremental != incremental || len(segments) == 0 || segments[len(segments)-1] != r.name {
		return nil
	}
	base := len(segments) - 1
	if incremental && base != len(cur.man.Segments) || !incremental && base != 0 {
		return nil
	}
	b := r.b
	r.b = nil // used once
	return b
}

// loadSideFiles reads the areas, population and points that next's
// manifest names, unless an incremental load can keep prev's or fresh
// has just written them.
func (s *Store) loadSideFiles(next *snapshot, prev *manifest, incremental bool, fresh *freshRun) error {
	m := next.man
	if m.Areas != prev.Areas || !incremental {
		next.wards, next.lsoas, next.cities = areas.NewIndex(nil), areas.NewIndex(nil), nil
		if m.Areas != "" {
			raw, err := os.ReadFile(filepath.Join(s.dir, m.Areas))
			if err != nil {
				return err
			}
			as, err := decodeAreas(raw)
			if err != nil {
				return fmt.Errorf("%s: %w", m.Areas, err)
			}
			next.wards, next.lsoas, next.cities = splitAreas(as)
		}
	}
	if m.Population != prev.Population || !incremental {
		next.population = nil
		if m.Population != "" {
			pop, err := readPopulation(filepath.Join(s.dir, m.Population))
			if err != nil {
				return err
			}
			next.population = pop
		}
	}
	if m.Premises != prev.Premises || !incremental {
		next.premises = nil
		if m.Premises != "" {
			raw, err := os.ReadFile(filepath.Join(s.dir, m.Premises))
			if err != nil {
				return err
			}
			ps, err := decodePremises(raw)
			if err != nil {
				return fmt.Errorf("%s: %w", m.Premises, err)
			}
			next.premises = ps
		}
	}
	if m.Points != prev.Points || !incremental {
		next.points = nil
		if fresh != nil && fresh.pointsName != "" && fresh.pointsName == m.Points {
			next.points = fresh.points
		} else if m.Points != "" {
			raw, err := os.ReadFile(filepath.Join(s.dir, m.Points))
			if err != nil {
				return err
			}
			pts, err := decodePoints(raw)
			if err != nil {
				return fmt.Errorf("%s: %w", m.Points, err)
			}
			next.points = pts
		}
	}
	return nil
}

// loadSegments adds the named segments to the build: from fresh when this
// process has just written them, else from their files.
func (s *Store) loadSegments(ctx context.Context, b *builder, names []string, fresh *freshRun) error {
	local := make([]uint32, 0, 1024) // reused across segments
	for _, name := range names {
		if err := ctx.Err(); err != nil {
			return err
		}
		if fresh != nil && fresh.name == name {
			addFresh(b, fresh.rows)
			continue
		}
		raw, err := os.ReadFile(filepath.Join(s.dir, name))
		if err != nil {
			return err
		}
		if local, err = addSegment(b, raw, local); err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
	}
	return nil
}

func addFresh(b *builder, rows []segRow) {
	b.grow(rows)
	var memo strMemo
	addRows(b, rows, &memo)
}

// addRows adds rows to the build; memo carries over from the rows before.
func addRows(b *builder, rows []segRow, memo *strMemo) {
	var idx [nFields]uint32
	for i := range rows {
		r := &rows[i]
		for f, str := range r.fields {
			idx[f] = memo.num(f, str, b.strS)
		}
		addResolved(b, r.id, r.month, r.point, &idx, b.freshPart(r.ext, memo))
	}
}

// strMemo keeps, per column, the last string numbered and its number:
// neighbouring rows often repeat a column (the force, the month's
// categories, a partner source's empty premises), and comparing with the
// last value is much cheaper than the map lookup it saves (11 lookups a
// row were most of the build of a million partner records).
type strMemo struct {
	last [nFields + 3]string
	n    [nFields + 3]uint32
	set  [nFields + 3]bool
}

func (m *strMemo) num(col int, s string, lookup func(string) uint32) uint32 {
	if m.set[col] && m.last[col] == s {
		return m.n[col]
	}
	n := lookup(s)
	m.last[col], m.n[col], m.set[col] = s, n, true
	return n
}

// addSegment decodes an encoded segment into the build. local maps the
// segment's string table to the snapshot's; it is rebuilt only when the
// table changes and returned for reuse by the next segment.
func addSegment(b *builder, raw []byte, local []uint32) ([]uint32, error) {
	next := b.next
	var lastStrs []string
	err := decodeSegment(raw, func(id []byte, month geo.Month, pt uint32, fields *[nFields]uint32, ext *extIdx, strs []string) error {
		if len(lastStrs) != len(strs) || (len(strs) > 0 && &lastStrs[0] != &strs[0]) {
			local = local[:0]
			for _, str := range strs {
				local = append(local, b.str([]byte(str)))
			}
			lastStrs = strs
		}
		if pt > uint32(len(next.points)) {
			return fmt.Errorf("%w: point %d of %d", errCorrupt, pt, len(next.points))
		}
		b.add(id, month, pt, fields, ext, local)
		return nil
	})
	return local, err
}

func splitAreas(as []geo.Area) (wards, lsoas *areas.Index, cities []geo.Area) {
	var w, l []geo.Area
	for _, a := range as {
		switch a.Kind {
		case geo.KindWard:
			w = append(w, a)
		case geo.KindLSOA:
			l = append(l, a)
		default:
			cities = append(cities, a)
		}
	}
	slices.SortFunc(cities, func(a, b geo.Area) int { return cmpString(a.Code, b.Code) })
	return areas.NewIndex(w), areas.NewIndex(l), cities
}

func readPopulation(path string) (map[string]int, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var pop map[string]int
	if err := json.Unmarshal(raw, &pop); err != nil {
		return nil, fmt.Errorf("%s: %w: %v", filepath.Base(path), errCorrupt, err)
	}
	return pop, nil
}

// grow makes room in every column for rows at once: appended one by one,
// a million rows regrew a dozen columns from a memory-mapped (full)
// length, copying each several times (a quarter of a partner import's CPU).
func (b *builder) grow(rows []segRow) {
	n, idBytes, parts := len(rows), 0, 0
	for i := range rows {
		idBytes += len(rows[i].id)
		if rows[i].ext != nil {
			parts++
		}
	}
	b.reserve(n, idBytes, parts)
}

// reserve makes room for n rows, parts of them partner records, whose IDs
// take idBytes.
func (b *builder) reserve(n, idBytes, parts int) {
	s := b.next
	s.idArena = growLarge(s.idArena, idBytes)
	s.idEnd = growLarge(s.idEnd, n)
	s.month = growLarge(s.month, n)
	s.pt = growLarge(s.pt, n)
	s.ext = growLarge(s.ext, n)
	for f := range s.fields {
		s.fields[f] = growLarge(s.fields[f], n)
	}
	s.part = growLarge(s.part, parts)
	if parts > 0 {
		b.addedPart = growLarge(b.addedPart, parts)
	}
	if n > parts {
		b.added = growLarge(b.added, n-parts)
	}
}
