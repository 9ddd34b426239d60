package embedded

import (
	"encoding/csv"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"github.com/leicester-csp/hotspot/geo"
)

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
		return nil, fmt.Errorf("create the rejects directory: %w", err)
	}
	f, err := os.CreateTemp(d, ".rejects-*.tmp")
	if err != nil {
		return nil, fmt.Errorf("create a rejects file: %w", err)
	}
	w := csv.NewWriter(f)
	if err := w.Write([]string{"file", "line", "reason", "fields"}); err != nil {
		f.Close()
		return nil, fmt.Errorf("write rejects: %w", err)
	}
	return &rejectsWriter{f: f, w: w, dir: d}, nil
}

func (r *rejectsWriter) write(rej *geo.Reject) error {
	rec := append([]string{rej.File, strconv.Itoa(rej.Line), rej.Reason}, rej.Raw...)
	return r.w.Write(rec)
}

// commit gives the file its final name. The name carries the time and
// process so that runs never overwrite each other's rejects.
func (r *rejectsWriter) commit() (string, error) {
	r.w.Flush()
	if err := r.w.Error(); err != nil {
		r.abort()
		return "", fmt.Errorf("write rejects: %w", err)
	}
	if err := r.f.Close(); err != nil {
		os.Remove(r.f.Name())
		return "", fmt.Errorf("write rejects: %w", err)
	}
	name := filepath.Join(r.dir, fmt.Sprintf("rejects-%s-%d.csv", time.Now().UTC().Format("20060102T150405.000Z"), os.Getpid()))
	if err := os.Rename(r.f.Name(), name); err != nil {
		return "", fmt.Errorf("keep rejects: %w", err)
	}
	return name, nil
}

func (r *rejectsWriter) abort() {
	r.f.Close()
	os.Remove(r.f.Name())
}
