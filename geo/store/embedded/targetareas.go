package embedded

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/paulmach/orb"

	"github.com/leicester-csp/hotspot/geo"
)

// Target areas live beside the keys, in target-areas.json, rewritten
// whole (temporary file, then rename) under a lock of their own, like
// keys.json: few, small, and edited by people, never by imports. Every
// read reads the file, so another process's edit is seen at once.
const (
	areasName     = "target-areas.json"
	areasLockName = "TARGET-AREAS.LOCK"
)

var _ geo.TargetAreaStore = (*Store)(nil)

type areasFile struct {
	// Version counts the edits, for caches of answers about areas.
	Version int64        `json:"version"`
	Areas   []storedArea `json:"areas"`
}

type storedArea struct {
	ID       string           `json:"id"`
	Name     string           `json:"name"`
	Priority string           `json:"priority"`
	Start    string           `json:"start"`
	Actions  string           `json:"actions"`
	Owner    string           `json:"owner"`
	Geometry orb.MultiPolygon `json:"geometry"`
	Created  time.Time        `json:"created"`
	Updated  time.Time        `json:"updated"`
}

func toStored(a geo.TargetArea) storedArea {
	return storedArea{ID: a.ID, Name: a.Name, Priority: a.Priority, Start: a.Start.String(), Actions: a.Actions,
		Owner: a.Owner, Geometry: a.Geometry, Created: a.Created.UTC(), Updated: a.Updated.UTC()}
}

func (sa storedArea) area() (geo.TargetArea, error) {
	m, err := geo.ParseMonth(sa.Start)
	if err != nil {
		return geo.TargetArea{}, fmt.Errorf("target area %s: %w", sa.ID, err)
	}
	return geo.TargetArea{ID: sa.ID, Name: sa.Name, Priority: sa.Priority, Start: m, Actions: sa.Actions,
		Owner: sa.Owner, Geometry: sa.Geometry, Created: sa.Created, Updated: sa.Updated}, nil
}

func (s *Store) readAreas(ctx context.Context) (areasFile, error) {
	if err := ctx.Err(); err != nil {
		return areasFile{}, err
	}
	path := filepath.Join(s.dir, areasName)
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return areasFile{}, nil
	}
	if err != nil {
		return areasFile{}, fmt.Errorf("embedded: read target areas: %w", err)
	}
	var f areasFile
	if err := json.Unmarshal(b, &f); err != nil {
		return areasFile{}, fmt.Errorf("embedded: %s is damaged: %w", path, err)
	}
	return f, nil
}

// editAreas rewrites target-areas.json with what edit makes of it,
// holding the lock so that two processes' edits never lose one another.
func (s *Store) editAreas(ctx context.Context, edit func([]storedArea) ([]storedArea, error)) error {
	unlock, err := lockFile(ctx, s.dir, areasLockName)
	if err != nil {
		return fmt.Errorf("embedded: target areas: %w", err)
	}
	defer unlock()
	f, err := s.readAreas(ctx)
	if err != nil {
		return err
	}
	if f.Areas, err = edit(f.Areas); err != nil {
		return err
	}
	f.Version++
	slices.SortStableFunc(f.Areas, func(a, b storedArea) int {
		return cmp.Or(a.Created.Compare(b.Created), strings.Compare(a.ID, b.ID))
	})
	b, err := json.Marshal(f)
	if err != nil {
		return fmt.Errorf("embedded: encode target areas: %w", err)
	}
	if err := writeFileAtomic(s.dir, areasName, append(b, '\n')); err != nil {
		return fmt.Errorf("embedded: target areas: %w", err)
	}
	return nil
}

// AddTargetArea stores a new area.
func (s *Store) AddTargetArea(ctx context.Context, a geo.TargetArea) error {
	return s.editAreas(ctx, func(as []storedArea) ([]storedArea, error) {
		if slices.ContainsFunc(as, func(o storedArea) bool { return o.ID == a.ID }) {
			return nil, fmt.Errorf("embedded: target area %s already stored", a.ID)
		}
		return append(as, toStored(a)), nil
	})
}

// TargetAreas lists every area by creation time.
func (s *Store) TargetAreas(ctx context.Context) ([]geo.TargetArea, error) {
	f, err := s.readAreas(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]geo.TargetArea, 0, len(f.Areas))
	for _, sa := range f.Areas {
		a, err := sa.area()
		if err != nil {
			return nil, fmt.Errorf("embedded: %w", err)
		}
		out = append(out, a)
	}
	return out, nil
}

// TargetArea returns one area.
func (s *Store) TargetArea(ctx context.Context, id string) (geo.TargetArea, error) {
	f, err := s.readAreas(ctx)
	if err != nil {
		return geo.TargetArea{}, err
	}
	for _, sa := range f.Areas {
		if sa.ID == id {
			return sa.area()
		}
	}
	return geo.TargetArea{}, fmt.Errorf("embedded: target area %q: %w", id, geo.ErrNotFound)
}

// UpdateTargetArea replaces an area, keeping its owner and creation.
func (s *Store) UpdateTargetArea(ctx context.Context, a geo.TargetArea) error {
	return s.editAreas(ctx, func(as []storedArea) ([]storedArea, error) {
		i := slices.IndexFunc(as, func(o storedArea) bool { return o.ID == a.ID })
		if i < 0 {
			return nil, fmt.Errorf("embedded: target area %q: %w", a.ID, geo.ErrNotFound)
		}
		n := toStored(a)
		n.Owner, n.Created = as[i].Owner, as[i].Created
		as[i] = n
		return as, nil
	})
}

// DeleteTargetArea removes an area.
func (s *Store) DeleteTargetArea(ctx context.Context, id string) error {
	return s.editAreas(ctx, func(as []storedArea) ([]storedArea, error) {
		i := slices.IndexFunc(as, func(o storedArea) bool { return o.ID == id })
		if i < 0 {
			return nil, fmt.Errorf("embedded: target area %q: %w", id, geo.ErrNotFound)
		}
		return slices.Delete(as, i, i+1), nil
	})
}

// TargetAreasVersion is the count of edits the file has seen.
func (s *Store) TargetAreasVersion(ctx context.Context) (string, error) {
	f, err := s.readAreas(ctx)
	if err != nil {
		return "", err
	}
	return strconv.FormatInt(f.Version, 10), nil
}
