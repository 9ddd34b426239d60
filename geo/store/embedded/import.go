package embedded

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/paulmach/orb"

	"github.com/leicester-csp/hotspot/geo"
)

// Import applies one ingest run: new incidents, replaced areas and merged
// population are written to new files and committed by one manifest
// rename. Incidents whose ID is stored already, or seen earlier in the run,
// are counted as duplicates. Rejected rows go to a CSV file under rejects/.
func (s *Store) Import(ctx context.Context, in geo.ImportInput) (geo.ImportResult, error) {
	var res geo.ImportResult
	unlock, err := lockDir(ctx, s.dir)
	if err != nil {
		return res, err
	}
	defer unlock()
	s.mu.Lock()
	defer s.mu.Unlock()
	// Another process may have committed since this one last looked.
	if err := s.refreshLocked(ctx, nil); err != nil {
		return res, err
	}
	cur := s.snap.Load()

	ptIdx := make(map[orb.Point]uint32, len(cur.points))
	for i := range cur.points {
		ptIdx[cur.points[i].P] = uint32(i)
	}
	var (
		newPts []point
		rows   []segRow
		seen   = map[string]struct{}{}
		rej    *rejectsWriter
	)
	defer func() {
		if rej != nil {
			rej.abort()
		}
	}()
	if in.Rows != nil {
		n := 0
		for row, err := range in.Rows {
			if err != nil {
				return geo.ImportResult{}, err
			}
			if n++; n%4096 == 0 {
				if err := ctx.Err(); err != nil {
					return geo.ImportResult{}, err
				}
			}
			if row.Reject != nil {
				if rej == nil {
					if rej, err = newRejectsWriter(s.dir); err != nil {
						return geo.ImportResult{}, err
					}
				}
				if err := rej.write(row.Reject); err != nil {
					return geo.ImportResult{}, err
				}
				res.Rejected++
				continue
			}
			inc := row.Incident
			if inc == nil {
				continue
			}
			if _, ok := cur.find(inc.ID); ok {
				res.Duplicates++
				continue
			}
			if _, ok := seen[inc.ID]; ok {
				res.Duplicates++
				continue
			}
			seen[inc.ID] = struct{}{}
			r := segRow{id: inc.ID, month: inc.Month, fields: incidentFields(&inc.Incident)}
			if inc.HasLocation {
				i, ok := ptIdx[inc.Point]
				if !ok {
					i = uint32(len(cur.points) + len(newPts))
					ptIdx[inc.Point] = i
					newPts = append(newPts, point{P: inc.Point, Cells: inc.Cells, Ward: -1, LSOA: -1})
				}
				r.point = i + 1
			}
			rows = append(rows, r)
		}
	}
	if err := ctx.Err(); err != nil {
		return geo.ImportResult{}, err
	}
	res.Imported = len(rows)
	if rej != nil {
		path, err := rej.commit()
		if err != nil {
			return geo.ImportResult{}, err
		}
		rej = nil
		res.RejectsAt = path
	}
	// Loading the same boundaries or population again changes nothing, like
	// re-importing the same incidents.
	var newAreas []geo.Area
	if len(in.Areas) > 0 {
		newAreas = mergeAreas(cur, in.Areas)
		if sameAreas(newAreas, mergeAreas(cur, nil)) {
			newAreas = nil
		}
	}
	var newPop map[string]int
	if in.Population != nil {
		newPop = make(map[string]int, len(cur.population)+len(in.Population))
		maps.Copy(newPop, cur.population)
		maps.Copy(newPop, in.Population)
		if maps.Equal(newPop, cur.population) {
			newPop = nil
		}
	}
	if len(rows) == 0 && newAreas == nil && newPop == nil {
		return res, nil
	}

	m := *cur.man
	m.Segments = append([]string(nil), cur.man.Segments...)
	if m.StoreID == "" {
		m.StoreID = newStoreID()
	}
	m.Generation++
	gen := m.Generation
	wards, lsoas := cur.wards, cur.lsoas

	if newAreas != nil {
		data, err := encodeAreas(newAreas)
		if err != nil {
			return geo.ImportResult{}, fmt.Errorf("encode areas: %w", err)
		}
		m.Areas = fmt.Sprintf("areas-%08d.json", gen)
		if err := writeFileAtomic(s.dir, m.Areas, data); err != nil {
			return geo.ImportResult{}, err
		}
		wards, lsoas, _ = splitAreas(newAreas)
	}
	if newPop != nil {
		data, err := json.Marshal(newPop)
		if err != nil {
			return geo.ImportResult{}, err
		}
		m.Population = fmt.Sprintf("population-%08d.json", gen)
		if err := writeFileAtomic(s.dir, m.Population, data); err != nil {
			return geo.ImportResult{}, err
		}
	}
	if len(newPts) > 0 || newAreas != nil {
		// Boundaries loaded after incidents re-assign every stored point;
		// otherwise only the new points need locating.
		pts := make([]point, 0, len(cur.points)+len(newPts))
		pts = append(pts, cur.points...)
		pts = append(pts, newPts...)
		from := len(cur.points)
		if newAreas != nil {
			from = 0
		}
		for i := from; i < len(pts); i++ {
			pts[i].Ward = int32(wards.Locate(pts[i].P))
			pts[i].LSOA = int32(lsoas.Locate(pts[i].P))
		}
		m.Points = fmt.Sprintf("points-%08d.bin", gen)
		if err := writeFileAtomic(s.dir, m.Points, encodePoints(pts)); err != nil {
			return geo.ImportResult{}, err
		}
	}
	var fresh map[string][]segRow
	if len(rows) > 0 {
		name := fmt.Sprintf("seg-%08d.bin", gen)
		fresh = map[string][]segRow{name: rows}
		if err := writeFileAtomic(s.dir, name, encodeSegment(rows)); err != nil {
			return geo.ImportResult{}, err
		}
		m.Segments = append(m.Segments, name)
	}
	data, err := json.MarshalIndent(&m, "", "  ")
	if err != nil {
		return geo.ImportResult{}, err
	}
	if err := syncDir(s.dir); err != nil {
		return geo.ImportResult{}, err
	}
	// The commit point.
	if err := writeFileAtomic(s.dir, manifestName, data); err != nil {
		return geo.ImportResult{}, err
	}
	if err := syncDir(s.dir); err != nil {
		return geo.ImportResult{}, err
	}
	if err := s.refreshLocked(ctx, fresh); err != nil {
		return res, fmt.Errorf("import committed, but reloading failed: %w", err)
	}
	s.collect(cur.man, &m)
	return res, nil
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

// collect removes files that neither the new manifest nor the one before it
// names. The previous generation's files stay so that a reader that has
// just read the old manifest can still open them; leftovers of crashed
// imports (temporary files, unreferenced segments) go, which is safe
// because the caller holds the directory lock.
func (s *Store) collect(prev, next *manifest) {
	keep := map[string]bool{manifestName: true, lockName: true, rejectsDir: true}
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
	for _, p := range []string{"seg-", "points-", "areas-", "population-", manifestName + ".tmp-"} {
		if strings.HasPrefix(name, p) {
			return true
		}
	}
	return false
}

// lockDir takes the data directory's write lock, waiting for another
// process's import to finish.
func lockDir(ctx context.Context, dir string) (func(), error) {
	f, err := os.OpenFile(filepath.Join(dir, lockName), os.O_CREATE|os.O_RDWR, 0o644)
	if err != nil {
		return nil, fmt.Errorf("embedded: lock: %w", err)
	}
	for {
		err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
		if err == nil {
			break
		}
		if !errors.Is(err, syscall.EWOULDBLOCK) {
			f.Close()
			return nil, fmt.Errorf("embedded: lock %s: %w", dir, err)
		}
		select {
		case <-ctx.Done():
			f.Close()
			return nil, fmt.Errorf("embedded: waiting for another import in %s: %w", dir, ctx.Err())
		case <-time.After(50 * time.Millisecond):
		}
	}
	return func() {
		_ = syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
		f.Close()
	}, nil
}

// rejectsWriter keeps a run's rejected rows as CSV: file, line, reason,
// then the row's own fields, so they can be fixed and re-imported.
type rejectsWriter struct {
	f   *os.File
	w   *csv.Writer
	dir string
}

func newRejectsWriter(dir string) (*rejectsWriter, error) {
	d := filepath.Join(dir, rejectsDir)
	if err := os.MkdirAll(d, 0o755); err != nil {
		return nil, fmt.Errorf("rejects: %w", err)
	}
	f, err := os.CreateTemp(d, ".rejects-*.tmp")
	if err != nil {
		return nil, fmt.Errorf("rejects: %w", err)
	}
	w := csv.NewWriter(f)
	if err := w.Write([]string{"file", "line", "reason", "fields"}); err != nil {
		f.Close()
		return nil, err
	}
	return &rejectsWriter{f: f, w: w, dir: d}, nil
}

func (r *rejectsWriter) write(rej *geo.Reject) error {
	rec := append([]string{rej.File, strconv.Itoa(rej.Line), rej.Reason}, rej.Raw...)
	return r.w.Write(rec)
}

func (r *rejectsWriter) commit() (string, error) {
	r.w.Flush()
	if err := r.w.Error(); err != nil {
		r.abort()
		return "", fmt.Errorf("rejects: %w", err)
	}
	if err := r.f.Close(); err != nil {
		os.Remove(r.f.Name())
		return "", fmt.Errorf("rejects: %w", err)
	}
	name := filepath.Join(r.dir, fmt.Sprintf("rejects-%s-%d.csv", time.Now().UTC().Format("20060102T150405.000Z"), os.Getpid()))
	if err := os.Rename(r.f.Name(), name); err != nil {
		return "", fmt.Errorf("rejects: %w", err)
	}
	return name, nil
}

func (r *rejectsWriter) abort() {
	r.f.Close()
	os.Remove(r.f.Name())
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
