// Package embedded is hotspot's default store: no server, data kept in a
// directory of immutable files named by a manifest, and held in memory as
// compact columns with per-month, per-category, per-map-point aggregates.
//
// Imports are atomic (files first, manifest rename last) and serialised
// between processes by a lock file. A serving process polls the manifest
// and swaps in a new snapshot, so readers are never blocked and never see
// half an import.
package embedded

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/leicester-csp/hotspot/geo"
	"github.com/leicester-csp/hotspot/geo/areas"
)

// Options tune a store. The zero value is usable.
type Options struct {
	Logger *slog.Logger
	// Poll is how often a store checks for imports by other processes;
	// zero means no background polling (ingest, tests).
	Poll time.Duration
}

// Store is the embedded store. It is safe for concurrent use.
type Store struct {
	dir string
	log *slog.Logger

	snap atomic.Pointer[snapshot]

	mu     sync.Mutex // serialises reloads and imports in this process
	intern map[string]uint32
	loaded string // manifest file identity last loaded (generation)

	stop chan struct{}
	done chan struct{}
}

var _ geo.Store = (*Store)(nil)

// Open opens (creating if needed) the store in dir and loads it.
func Open(ctx context.Context, dir string, opt Options) (*Store, error) {
	if dir == "" {
		return nil, fmt.Errorf("embedded: %w: no data directory", geo.ErrInvalid)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("embedded: data directory: %w", err)
	}
	log := opt.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	s := &Store{dir: dir, log: log}
	s.snap.Store(emptySnapshot())
	s.intern = map[string]uint32{"": 0}
	if err := s.Refresh(ctx); err != nil {
		return nil, err
	}
	if opt.Poll > 0 {
		s.stop, s.done = make(chan struct{}), make(chan struct{})
		go s.poll(opt.Poll)
	}
	return s, nil
}

func (s *Store) poll(every time.Duration) {
	defer close(s.done)
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-s.stop:
			return
		case <-t.C:
			if err := s.Refresh(context.Background()); err != nil {
				s.log.Warn("embedded store: reload failed; serving the previous data", slog.String("dir", s.dir), slog.Any("err", err))
			}
		}
	}
}

// Close stops polling. Data is already on disk.
func (s *Store) Close() error {
	if s.stop != nil {
		close(s.stop)
		<-s.done
		s.stop = nil
	}
	return nil
}

// Dir returns the data directory.
func (s *Store) Dir() string { return s.dir }

// Refresh loads whatever another process has committed since the last
// load. A reader racing a cleanup may find a file gone; it then reads the
// newer manifest once more.
func (s *Store) Refresh(ctx context.Context) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	var err error
	for attempt := 0; attempt < 3; attempt++ {
		if err = s.refreshLocked(ctx, nil); err == nil || !errors.Is(err, os.ErrNotExist) {
			return err
		}
	}
	return err
}

// fresh holds segments this process has just written, by name, so that
// they are added from memory rather than read back and decoded.
func (s *Store) refreshLocked(ctx context.Context, fresh map[string][]segRow) error {
	m, err := readManifest(s.dir)
	if err != nil {
		return err
	}
	cur := s.snap.Load()
	if m.StoreID == cur.man.StoreID && m.Generation == cur.man.Generation {
		return nil
	}
	next, err := s.load(ctx, cur, m, fresh)
	if err != nil {
		return fmt.Errorf("embedded %s: generation %d: %w", s.dir, m.Generation, err)
	}
	s.snap.Store(next)
	s.log.Debug("embedded store loaded", slog.Uint64("generation", m.Generation), slog.Int("incidents", next.len()))
	return nil
}

// load builds the snapshot for manifest m, reusing cur when m only adds
// segments to it.
func (s *Store) load(ctx context.Context, cur *snapshot, m *manifest, fresh map[string][]segRow) (*snapshot, error) {
	base := cur
	incremental := m.StoreID == cur.man.StoreID && len(m.Segments) >= len(cur.man.Segments) &&
		slices.Equal(m.Segments[:len(cur.man.Segments)], cur.man.Segments)
	if !incremental {
		base = emptySnapshot()
		s.intern = map[string]uint32{"": 0}
	}
	b := newBuilder(base, s.intern)
	next := b.next
	next.man = m

	if m.Areas != cur.man.Areas || !incremental {
		next.wards, next.lsoas, next.cities = areas.NewIndex(nil), areas.NewIndex(nil), nil
		if m.Areas != "" {
			raw, err := os.ReadFile(filepath.Join(s.dir, m.Areas))
			if err != nil {
				return nil, err
			}
			as, err := decodeAreas(raw)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", m.Areas, err)
			}
			next.wards, next.lsoas, next.cities = splitAreas(as)
		}
	}
	if m.Population != cur.man.Population || !incremental {
		next.population = nil
		if m.Population != "" {
			pop, err := readPopulation(filepath.Join(s.dir, m.Population))
			if err != nil {
				return nil, err
			}
			next.population = pop
		}
	}
	if m.Points != cur.man.Points || !incremental {
		next.points = nil
		if m.Points != "" {
			raw, err := os.ReadFile(filepath.Join(s.dir, m.Points))
			if err != nil {
				return nil, err
			}
			pts, err := decodePoints(raw)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", m.Points, err)
			}
			next.points = pts
		}
	}

	local := make([]uint32, 0, 1024)
	for _, name := range m.Segments[len(base.man.Segments):] {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		if rows, ok := fresh[name]; ok {
			var idx [nFields]uint32
			for i := range rows {
				r := &rows[i]
				for f, str := range r.fields {
					idx[f] = b.strS(str)
				}
				addResolved(b, r.id, r.month, r.point, &idx)
			}
			continue
		}
		raw, err := os.ReadFile(filepath.Join(s.dir, name))
		if err != nil {
			return nil, err
		}
		var lastStrs []string
		err = decodeSegment(raw, func(id []byte, month geo.Month, pt uint32, fields *[nFields]uint32, strs []string) error {
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
			b.add(id, month, pt, fields, local)
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
	}
	return b.finish(), nil
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

func cmpString(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func newStoreID() string {
	var b [8]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// Version identifies the loaded data: it changes with every import.
func (s *Store) Version(ctx context.Context) (string, error) {
	m := s.snap.Load().man
	return fmt.Sprintf("%s.%d", m.StoreID, m.Generation), nil
}

// Ready reports whether the data directory is still readable.
func (s *Store) Ready(ctx context.Context) error {
	if _, err := os.Stat(s.dir); err != nil {
		return fmt.Errorf("%w: %v", geo.ErrUnavailable, err)
	}
	return nil
}
