package postgis

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"slices"

	"github.com/lib/pq"
	"github.com/paulmach/orb"

	"github.com/leicester-csp/hotspot/geo"
)

type newPoint struct {
	id    int32
	p     orb.Point
	cells [geo.NumRes]geo.Cell
}

// resolvePoints gives every located incident of the batch a point id in
// ids (0: no location): the stored point at exactly its coordinates, or
// a new one. With nothing stored to look up, a point is numbered as it is
// first seen; otherwise the batch's new points are looked up together.
func (im *importer) resolvePoints(ctx context.Context, batch []geo.Located, ids []int32) error {
	partner := im.kind == runPartner
	lookUp := (partner && im.maxPartnerPoint > 0) || (!partner && im.maxPoint > 0)
	var fresh []*geo.Located // first incident at each point new to the run
	pending := false
	for i := range batch {
		inc := &batch[i]
		ids[i] = 0
		if !inc.HasLocation {
			continue
		}
		id, ok := im.lps[inc.Point]
		switch {
		case ok && id != 0:
			ids[i] = id
		case ok: // placeholder: seen earlier in this batch
			ids[i], pending = -1, true
		case !lookUp:
			ids[i] = im.addPoint(inc)
		default:
			im.lps[inc.Point] = 0
			fresh = append(fresh, inc)
			ids[i], pending = -1, true
		}
	}
	if !pending {
		return nil
	}
	if err := im.lookUpPoints(ctx, fresh); err != nil {
		return fmt.Errorf("look up points: %w", err)
	}
	for _, inc := range fresh {
		if im.lps[inc.Point] == 0 {
			im.addPoint(inc)
		}
	}
	for i := range batch {
		if ids[i] < 0 {
			ids[i] = im.lps[batch[i].Point]
		}
	}
	return nil
}

// addPoint numbers inc's point as new to the store.
func (im *importer) addPoint(inc *geo.Located) int32 {
	id := im.nextPoint
	im.nextPoint++
	im.lps[inc.Point] = id
	im.newPoints = append(im.newPoints, newPoint{id: id, p: inc.Point, cells: inc.Cells})
	return id
}

// lookUpPoints finds the stored points at the coordinates of fresh, in
// the run's points table: police.uk's points or partner points, whose
// areas and cells partner_hex copies are kept too.
func (im *importer) lookUpPoints(ctx context.Context, fresh []*geo.Located) error {
	partner := im.kind == runPartner
	lons := make([]float64, len(fresh))
	lats := make([]float64, len(fresh))
	for i, inc := range fresh {
		lons[i], lats[i] = inc.Point[0], inc.Point[1]
	}
	query := sqlStoredPoints
	if partner {
		query = sqlStoredPartnerPoints
	}
	rows, err := im.db.QueryContext(ctx, im.q(query), pq.Float64Array(lons), pq.Float64Array(lats))
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var (
			p  orb.Point
			id int32
		)
		if !partner {
			if err := rows.Scan(&p[0], &p[1], &id); err != nil {
				return err
			}
			im.lps[p] = id
			continue
		}
		var (
			a    pointAttrs
			ward sql.NullString
			c    [geo.NumRes]int64 // not geo.Cell: a named type is scanned by reflection
		)
		if err := rows.Scan(&p[0], &p[1], &id, &ward, &c[0], &c[1], &c[2], &c[3], &c[4]); err != nil {
			return err
		}
		for i, v := range c {
			a.cells[i] = geo.Cell(v)
		}
		a.ward = ward.String
		im.lps[p] = id
		im.hex.stored[id] = a
	}
	return rows.Err()
}

// storePoints adds the run's new points with the ward and LSOA that cover
// them. They are staged in a temporary table and assigned there, set-based,
// so that each goes into points once, finished: assigning them after the
// copy rewrote every new point and its entries in all of points' indexes
// (a partner run adds a point per record). The areas are final by now:
// the run's own were stored first.
func (im *importer) storePoints() error {
	if len(im.newPoints) == 0 {
		return nil
	}
	if im.kind == runPartner {
		return im.storePartnerPoints()
	}
	const policeUK = "t"
	// In the order of their finest cell, so that neighbouring points go
	// to neighbouring places of the spatial index, which keeps the pages
	// it writes in memory.
	slices.SortFunc(im.newPoints, func(a, b newPoint) int { return cmp.Compare(a.cells[geo.NumRes-1], b.cells[geo.NumRes-1]) })
	b := &im.buf
	b.reset()
	for i, p := range im.newPoints {
		b.int(int64(i))
		b.int(int64(p.id))
		b.float(p.p[0])
		b.float(p.p[1])
		b.pointEWKB(p.p[0], p.p[1])
		for _, c := range p.cells {
			b.int(int64(c))
		}
		b.str(policeUK)
		b.end()
	}
	if _, err := im.tx.ExecContext(im.ctx, im.q(sqlCreatePointStage)); err != nil {
		return err
	}
	if err := copyIn(im.ctx, im.conn, im.q(sqlCopyPointStage), b); err != nil {
		return err
	}
	var areas bool
	if err := im.tx.QueryRowContext(im.ctx, im.q(sqlAreasStored)).Scan(&areas); err != nil {
		return err
	}
	insert := sqlInsertStagedPoints
	if areas {
		// The staged points' own index lets each area find the points
		// in its box, as sqlAssignWards does for stored ones.
		if _, err := im.tx.ExecContext(im.ctx, sqlIndexPointStage); err != nil {
			return err
		}
		insert = sqlInsertStagedPointsInAreas
	}
	err := im.bulkWrite("points", func() error {
		_, err := im.tx.ExecContext(im.ctx, im.q(insert))
		return err
	})
	if err != nil {
		return err
	}
	_, err = im.tx.ExecContext(im.ctx, im.q(sqlSyncPointSeq), im.quoted+".points", im.nextPoint-1)
	return err
}
