package postgis

import (
	"encoding/hex"
	"fmt"

	"github.com/lib/pq"
	"github.com/paulmach/orb/encoding/wkb"

	"github.com/leicester-csp/hotspot/geo"
)

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

// assignAreas re-assigns the points stored before the run to the areas
// of a kind the run changed. The run's new points came with their areas
// (storePoints).
func (im *importer) assignAreas(wardsChanged, lsoasChanged bool, ph *phases) error {
	for _, a := range []struct {
		changed       bool
		clear, assign string
	}{{wardsChanged, im.q(sqlClearWards), im.q(sqlAssignWards)}, {lsoasChanged, im.q(sqlClearLSOAs), im.q(sqlAssignLSOAs)}} {
		if !a.changed || im.maxPoint == 0 {
			continue
		}
		if _, err := im.tx.ExecContext(im.ctx, a.clear, im.maxPoint); err != nil {
			return err
		}
		if _, err := im.tx.ExecContext(im.ctx, a.assign, im.maxPoint); err != nil {
			return fmt.Errorf("assign points to areas: %w", err)
		}
		ph.mark("assign")
	}
	if wardsChanged || lsoasChanged {
		if err := im.reassignPartnerPoints(); err != nil {
			return fmt.Errorf("assign partner points to areas: %w", err)
		}
	}
	return nil
}
