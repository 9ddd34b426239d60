package postgis

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"sync"

	"github.com/lib/pq"

	"github.com/leicester-csp/hotspot/geo"
)

// idCache keeps what a stored id names and never stops naming: the
// cells of each map point (points are never deleted and keep their
// coordinates) and the Location texts. Cell tallies of a priority's
// wards then read agg_text alone, by point and text id: at national
// shape, joining a city's 36,000 points and the texts in the database
// was 30 of the query's 40 ms, for answers that name the same points
// request after request. Only ids a tally has met are read, so a server
// holds the points of the places it is asked about.
type idCache struct {
	store string // the store id the entries were read from
	// cells[r-MinRes][id] is point id's cell at resolution r; 0 for
	// an id not read yet (no cell is 0).
	cells [geo.NumRes][]geo.Cell
	texts map[int32]string

	max int // the bound on point ids (0: maxHeldPoint)

	// lock is held by the one caller reading or extending the cache; a
	// waiter gives up when its request does.
	lock chan struct{}
	once sync.Once
}

// maxHeldPoint bounds the point ids the cache indexes (a slot of 8 bytes
// for each id below the highest met, per resolution): national shape has
// 700,000 points. Past it, tallies join the points in the database.
const maxHeldPoint = 8 << 20

// pointTally is one (point, Location, count) row of agg_text.
type pointTally struct {
	point, loc int32
	n          int
}

// sqlTextTalliesByPoint is sqlCellTalliesInWards without the points and
// the texts, which idCache names: agg_text carries its point's ward.
// $1, $2 months; $3 categories; $4 wards.
const sqlTextTalliesByPoint = `
SELECT a.point_id, a.location, sum(a.n)
FROM {s}.agg_text a
WHERE a.ward_code = ANY($4::text[])
  AND a.month BETWEEN $1 AND $2
  AND (cardinality($3::text[]) = 0 OR a.category = ANY($3::text[]))
GROUP BY 1, 2`

// sqlWardsAndStore says whether wards are stored, and which store this
// is (the ids of another store name other things).
const sqlWardsAndStore = `SELECT EXISTS (SELECT 1 FROM {s}.areas WHERE kind = 'ward'), (SELECT store_id FROM {s}.meta)`

// cellTallyInWards adds the filter's police.uk (cell, Location, count)
// rows at res to acc from agg_text and the cache; ok is false when the
// points are too many to index (the caller joins them in the database).
func (s *Store) cellTallyInWards(ctx context.Context, store string, f geo.Filter, res int, acc *[]cellText) (ok bool, err error) {
	rows, err := s.db.QueryContext(ctx, s.q(sqlTextTalliesByPoint), filterArgs(f)...)
	if err != nil {
		return false, wrap(ctx, "cell tallies", err)
	}
	defer rows.Close()
	var got []pointTally
	for rows.Next() {
		var t pointTally
		if err := rows.Scan(&t.point, &t.loc, &t.n); err != nil {
			return false, wrap(ctx, "cell tallies", err)
		}
		if t.point <= 0 || int(t.point) > cmp.Or(s.ids.max, maxHeldPoint) {
			return false, nil
		}
		got = append(got, t)
	}
	if err := rows.Err(); err != nil {
		return false, wrap(ctx, "cell tallies", err)
	}
	return true, s.ids.name(ctx, s, store, res, got, acc)
}

// name adds the tallies to acc by cell at res and Location text, reading
// from the database the points and texts the cache lacks.
func (c *idCache) name(ctx context.Context, s *Store, store string, res int, got []pointTally, acc *[]cellText) error {
	c.once.Do(func() { c.lock = make(chan struct{}, 1) })
	select {
	case c.lock <- struct{}{}:
		defer func() { <-c.lock }()
	case <-ctx.Done():
		return wrap(ctx, "map points", ctx.Err())
	}
	if c.store != store {
		c.store, c.cells, c.texts = store, [geo.NumRes][]geo.Cell{}, map[int32]string{}
	}
	cells := c.cells[res-geo.MinRes]
	var points, texts []int64
	for _, t := range got {
		if int(t.point) >= len(cells) || cells[t.point] == 0 {
			points = append(points, int64(t.point))
		}
		if _, ok := c.texts[t.loc]; !ok {
			texts = append(texts, int64(t.loc))
		}
	}
	var err error
	if len(points) > 0 {
		if cells, err = s.readPointCells(ctx, res, points, cells); err != nil {
			return err
		}
		c.cells[res-geo.MinRes] = cells
	}
	if len(texts) > 0 {
		if err := s.readTexts(ctx, texts, c.texts); err != nil {
			return err
		}
	}
	for _, t := range got {
		if int(t.point) >= len(cells) || cells[t.point] == 0 {
			return fmt.Errorf("postgis cell tallies: agg_text names point %d, which is not stored", t.point)
		}
		loc, ok := c.texts[t.loc]
		if !ok {
			return fmt.Errorf("postgis cell tallies: agg_text names text %d, which is not stored", t.loc)
		}
		*acc = append(*acc, cellText{cells[t.point], loc, t.n})
	}
	return nil
}

// readPointCells reads the points' cells at res into cells, grown to
// hold the highest id.
func (s *Store) readPointCells(ctx context.Context, res int, ids []int64, cells []geo.Cell) ([]geo.Cell, error) {
	q := fmt.Sprintf(`SELECT id, h3_r%d FROM {s}.points WHERE id = ANY($1::integer[])`, res)
	rows, err := s.db.QueryContext(ctx, s.q(q), pq.Int64Array(ids))
	if err != nil {
		return nil, wrap(ctx, "map points", err)
	}
	defer rows.Close()
	top := int64(len(cells) - 1)
	for _, id := range ids {
		top = max(top, id)
	}
	out := cells
	if int(top) >= len(cells) {
		out = slices.Grow(cells, int(top)+1-len(cells))[:top+1]
	}
	for rows.Next() {
		var (
			id   int32
			cell int64
		)
		if err := rows.Scan(&id, &cell); err != nil {
			return nil, wrap(ctx, "map points", err)
		}
		out[id] = geo.Cell(uint64(cell))
	}
	return out, wrap(ctx, "map points", rows.Err())
}

// readTexts adds the texts of the ids to into.
func (s *Store) readTexts(ctx context.Context, ids []int64, into map[int32]string) error {
	rows, err := s.db.QueryContext(ctx, s.q(`SELECT id, text FROM {s}.texts WHERE id = ANY($1::integer[])`), pq.Int64Array(ids))
	if err != nil {
		return wrap(ctx, "texts", err)
	}
	defer rows.Close()
	for rows.Next() {
		var (
			id   int32
			text string
		)
		if err := rows.Scan(&id, &text); err != nil {
			return wrap(ctx, "texts", err)
		}
		into[id] = text
	}
	return wrap(ctx, "texts", rows.Err())
}
