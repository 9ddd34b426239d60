// Package embedded is hotspot's default store: no server, data kept in a
// directory of immutable files named by a manifest, and held in memory as
// compact columns with per-month, per-category, per-map-point aggregates.
//
// Imports are atomic (files first, manifest rename last) and serialised
// between processes by a lock file. A serving process polls the manifest
// and swaps in a new snapshot, so readers are never blocked and never see
// half an import.
//
// After each commit the store also writes a snapshot image, the snapshot's
// columns as they lie in memory (image.go); opening the store maps it
// read-only instead of decoding every segment, so start-up reads and
// keeps resident only what queries touch.
package embedded

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"sync"
	"sync/atomic"
	"time"

	"github.com/leicester-csp/hotspot/geo"
)

// Options tune a store. The zero value is usable.
type Options struct {
	Logger *slog.Logger
	// Poll is how often a store checks for imports by other processes;
	// zero means no background polling (ingest, tests).
	Poll time.Duration
	// NoImage skips the snapshot image, for a temporary store that is
	// never opened again (the demo city): it would cost a write and a
	// sync per import for nothing.
	NoImage bool
}

// Store is the embedded store. It is safe for concurrent use.
type Store struct {
	dir string
	log *slog.Logger

	snap atomic.Pointer[snapshot]

	mu     sync.Mutex // serialises reloads and imports in this process
	intern map[string]uint32
	// imageGen is the generation whose snapshot was mapped from its image;
	// imageTried the last one whose image was tried after the fact.
	imageGen, imageTried uint64
	noImage              bool

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
	s := &Store{dir: dir, log: log, noImage: opt.NoImage}
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
			break
		}
	}
	if err != nil {
		return fmt.Errorf("embedded %s: %w", s.dir, err)
	}
	return nil
}

// fresh is the run this process has just committed, so that its segment
// is added from memory rather than read back and decoded.
func (s *Store) refreshLocked(ctx context.Context, fresh *freshRun) error {
	m, err := readManifest(s.dir)
	if err != nil {
		return err
	}
	cur := s.snap.Load()
	if m.StoreID == cur.man.StoreID && m.Generation == cur.man.Generation {
		s.switchToImage(cur)
		return nil
	}
	next, err := s.loadOrMap(ctx, cur, m, fresh)
	if err != nil {
		return fmt.Errorf("generation %d: %w", m.Generation, err)
	}
	s.snap.Store(next)
	s.log.Debug("embedded store loaded", slog.Uint64("generation", m.Generation), slog.Int("incidents", next.len()))
	return nil
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
	return geo.FormatVersion(m.StoreID, m.Generation, m.publicGeneration()), nil
}

// Ready reports whether the data directory is still readable.
func (s *Store) Ready(ctx context.Context) error {
	if _, err := os.Stat(s.dir); err != nil {
		return fmt.Errorf("%w: %v", geo.ErrUnavailable, err)
	}
	return nil
}
