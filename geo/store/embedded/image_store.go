package embedded

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
)

// loadOrMap builds the snapshot of manifest m: from its image when there
// is a usable one, else from the segments, after which it writes the image
// for the next start. Rows an import has just written (fresh) are added
// from memory; their image is written by the import itself.
func (s *Store) loadOrMap(ctx context.Context, cur *snapshot, m *manifest, fresh *freshRun) (*snapshot, error) {
	if fresh == nil {
		if next, ok := s.tryImage(m); ok {
			return next, nil
		}
	}
	next, err := s.load(ctx, cur, m, fresh)
	if err != nil || fresh != nil {
		return next, err
	}
	if mapped, ok := s.imageAfterLoad(next); ok {
		return mapped, nil
	}
	return next, nil
}

// tryImage opens m's image, saying why when one exists but cannot be used.
func (s *Store) tryImage(m *manifest) (*snapshot, bool) {
	if m.Generation == 0 || !littleEndian {
		return nil, false
	}
	next, err := s.openImage(m)
	if err != nil {
		if !errors.Is(err, os.ErrNotExist) {
			s.log.Warn("embedded store: snapshot image not used; loading the segments", slog.String("dir", s.dir), slog.Any("err", err))
		}
		return nil, false
	}
	intern := make(map[string]uint32, len(next.strs))
	for i, str := range next.strs {
		intern[str] = uint32(i)
	}
	s.intern, s.imageGen = intern, m.Generation
	return next, true
}

// openImage maps m's image under the side files m names. The mapping is
// never unmapped once a snapshot refers to it: IDs handed to callers are
// strings over it, and may outlive every snapshot.
func (s *Store) openImage(m *manifest) (*snapshot, error) {
	name := imageName(m.Generation)
	b, err := mapFile(filepath.Join(s.dir, name))
	if err != nil {
		return nil, err
	}
	next := emptySnapshot()
	next.man = m
	if err := s.loadSideFiles(next, m, false, nil); err != nil {
		unmapFile(b)
		return nil, err
	}
	if err := decodeImage(b, next, mappedFiles); err != nil {
		unmapFile(b)
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	dropPages(b)
	return next, nil
}

// imageAfterLoad writes the image of a snapshot just loaded from segments
// and maps it in its place, so the heap copy can go. It gives up when an
// import holds the directory: that import writes an image of its own.
func (s *Store) imageAfterLoad(sn *snapshot) (*snapshot, bool) {
	if sn.man.Generation == 0 || !littleEndian || s.noImage {
		return nil, false
	}
	now, cancel := context.WithCancel(context.Background())
	cancel() // take the lock only if it is free now
	unlock, err := lockDir(now, s.dir)
	if err != nil {
		return nil, false
	}
	defer unlock()
	if err := s.writeImage(sn); err != nil {
		s.log.Warn("embedded store: cannot write the snapshot image", slog.String("dir", s.dir), slog.Any("err", err))
		return nil, false
	}
	return s.tryImage(sn.man)
}

// switchToImage maps the image of the generation already served when
// that snapshot was built in the heap (a reload while an import was still
// writing its image), once the image is there.
func (s *Store) switchToImage(cur *snapshot) {
	gen := cur.man.Generation
	if gen == 0 || gen == s.imageGen || gen == s.imageTried || !littleEndian {
		return
	}
	if _, err := os.Stat(filepath.Join(s.dir, imageName(gen))); err != nil {
		return
	}
	s.imageTried = gen
	if next, ok := s.tryImage(cur.man); ok {
		s.snap.Store(next)
	}
}

// writeImage writes sn's image unless the store goes without.
func (s *Store) writeImage(sn *snapshot) error {
	if s.noImage {
		return nil
	}
	return writeImage(s.dir, sn)
}
