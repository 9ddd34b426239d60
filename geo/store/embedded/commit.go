package embedded

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/leicester-csp/hotspot/geo/areas"
)

// writeFiles writes the staged run as files of the next generation and
// returns the manifest naming them; it names the new segment in fresh, so
// that the reload after the commit need not read it back. Until
// that manifest is committed no reader looks at these files, and a crash
// leaves them for the next import's collect.
func (s *Store) writeFiles(cur *snapshot, st *staged, fresh *freshRun) (*manifest, error) {
	m := *cur.man
	m.Segments = append([]string(nil), cur.man.Segments...)
	if m.StoreID == "" {
		m.StoreID = newStoreID()
	}
	gen := m.next(st.public(cur))
	wards, lsoas := cur.wards, cur.lsoas
	// The segment is encoded on another core while the points are
	// located and written: for a large run both take seconds.
	var seg chan []byte
	if len(st.rows) > 0 {
		seg = make(chan []byte, 1)
		go func() { seg <- encodeSegment(st.rows) }()
		// Every return below waits for it, so no encoding outlives the call.
		defer func() {
			if seg != nil {
				<-seg
			}
		}()
	}

	if st.areas != nil {
		data, err := encodeAreas(st.areas)
		if err != nil {
			return nil, fmt.Errorf("encode areas: %w", err)
		}
		m.Areas = fmt.Sprintf("areas-%08d.json", gen)
		if err := writeFileAtomic(s.dir, m.Areas, data); err != nil {
			return nil, err
		}
		wards, lsoas, _ = splitAreas(st.areas)
	}
	if st.pop != nil {
		data, err := json.Marshal(st.pop)
		if err != nil {
			return nil, fmt.Errorf("encode population: %w", err)
		}
		m.Population = fmt.Sprintf("population-%08d.json", gen)
		if err := writeFileAtomic(s.dir, m.Population, data); err != nil {
			return nil, err
		}
	}
	if st.added > 0 || st.areas != nil {
		pts := locatePoints(cur.points, st, wards, lsoas)
		m.Points = fmt.Sprintf("points-%08d.bin", gen)
		err := writeAtomic(s.dir, m.Points, func(f *os.File) error { return writePoints(f, pts) })
		if err != nil {
			return nil, err
		}
		if fresh != nil {
			fresh.pointsName, fresh.points = m.Points, pts
		}
	}
	if st.premises != nil {
		data, err := encodePremises(st.premises)
		if err != nil {
			return nil, fmt.Errorf("encode premises: %w", err)
		}
		m.Premises = fmt.Sprintf("premises-%08d.json", gen)
		if err := writeFileAtomic(s.dir, m.Premises, data); err != nil {
			return nil, err
		}
	}
	if st.synthetic != nil {
		m.Synthetic = st.synthetic
	}
	if len(st.rows) > 0 {
		name := fmt.Sprintf("seg-%08d.bin", gen)
		fresh.name = name
		data := <-seg
		seg = nil
		if err := writeFileAtomic(s.dir, name, data); err != nil {
			return nil, err
		}
		m.Segments = append(m.Segments, name)
	}
	return &m, nil
}

// locatePoints returns the stored points followed by the run's new ones,
// with wards and LSOAs assigned. Boundaries loaded after incidents
// re-assign every stored point; otherwise only the new points need
// locating, and the stored ones keep their assignment.
func locatePoints(stored []point, st *staged, wards, lsoas *areas.Index) []point {
	pts := st.pts
	if pts == nil {
		// Stored points may be mapped from the image: never written.
		pts = slices.Clone(stored)
	}
	from := len(stored)
	if st.areas != nil {
		from = 0
	}
	// On every core: a partner run can bring a million new points.
	workers := runtime.GOMAXPROCS(0)
	chunk := max((len(pts)-from+workers-1)/workers, 1)
	var wg sync.WaitGroup
	for lo := from; lo < len(pts); lo += chunk {
		part := pts[lo:min(lo+chunk, len(pts))]
		wg.Go(func() {
			for i := range part {
				part[i].Ward = int32(wards.Locate(part[i].P))
				part[i].LSOA = int32(lsoas.Locate(part[i].P))
			}
		})
	}
	wg.Wait()
	return pts
}

// commit makes the written files the store's state. The directory is
// synced first so that the files' names are durable before a manifest
// names them; the manifest's own rename is the commit point, and the
// second sync makes that rename durable before Import reports success.
func (s *Store) commit(m *manifest) error {
	data, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return fmt.Errorf("encode manifest: %w", err)
	}
	if err := syncDir(s.dir); err != nil {
		return fmt.Errorf("sync %s before the commit: %w", s.dir, err)
	}
	if err := writeFileAtomic(s.dir, manifestName, data); err != nil {
		return err
	}
	if err := syncDir(s.dir); err != nil {
		return fmt.Errorf("sync %s after the commit: %w", s.dir, err)
	}
	return nil
}

// collect removes files that neither the new manifest nor the one before it
// names. The previous generation's files stay so that a reader that has
// just read the old manifest can still open them; leftovers of crashed
// imports (temporary files, unreferenced segments) go, which is safe
// because the caller holds the directory lock.
func (s *Store) collect(prev, next *manifest) {
	keep := map[string]bool{manifestName: true, lockName: true, rejectsDir: true}
	// A reader that has just read either manifest may map its image.
	keep[imageName(prev.Generation)], keep[imageName(next.Generation)] = true, true
	for _, f := range prev.files() {
		keep[f] = true
	}
	for _, f := range next.files() {
		keep[f] = true
	}
	ents, err := os.ReadDir(s.dir)
	if err != nil {
		return
	}
	for _, e := range ents {
		name := e.Name()
		if keep[name] || !ownFile(name) {
			continue
		}
		if err := os.Remove(filepath.Join(s.dir, name)); err != nil {
			s.log.Warn("embedded store: cannot remove old file", "file", name, "err", err)
		}
	}
}

func ownFile(name string) bool {
	for _, p := range []string{"seg-", "points-", "areas-", "population-", "premises-", imagePrefix, manifestName + ".tmp-"} {
		if strings.HasPrefix(name, p) {
			return true
		}
	}
	return false
}

// lockDir takes the data directory's write lock, waiting for another
// process's import to finish.
func lockDir(ctx context.Context, dir string) (func(), error) {
	return lockFile(ctx, dir, lockName)
}

// lockFile takes an exclusive lock on the named file of dir, waiting for
// whichever process holds it.
func lockFile(ctx context.Context, dir, name string) (func(), error) {
	f, err := os.OpenFile(filepath.Join(dir, name), os.O_CREATE|os.O_RDWR, 0o644)
	if err != nil {
		return nil, fmt.Errorf("open the lock file: %w", err)
	}
	for {
		err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
		if err == nil {
			break
		}
		if !errors.Is(err, syscall.EWOULDBLOCK) {
			f.Close()
			return nil, fmt.Errorf("lock %s: %w", dir, err)
		}
		select {
		case <-ctx.Done():
			f.Close()
			return nil, fmt.Errorf("wait for another process holding %s in %s: %w", name, dir, ctx.Err())
		case <-time.After(50 * time.Millisecond):
		}
	}
	return func() {
		_ = syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
		f.Close()
	}, nil
}
