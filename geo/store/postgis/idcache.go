package postgis

import (
	"cmp"
	"context"
	"fmt"
	"log/slog"
	"maps"
	"slices"
	"sync"

	"github.com/lib/pq"

	"github.com/leicester-csp/hotspot/geo"
)

// idCache keeps what a stored id names: the cells of each map point
// (points keep their coordinates) and the Location texts. Cell tallies
// of a priority's wards then read agg_text alone, by point and text id:
// at national shape, joining a city's 36,000 points and the texts in the
// database was 30 of the query's 40 ms, for answers that name the same
// points request after request. Only ids a tally has met are read, so a
// server holds the points of the places it is asked about. Entries are
// kept for one data Version: an import never changes a stored id, but a
// restored dump or a failover that lost an import could give an id to
// another point, and the next import shows as a new Version.
type idCache struct {
	mu      sync.Mutex
	version string
	// cells[r-MinRes][id] is point id's cell at resolution r; 0 for an
	// id not read yet (no cell is 0).
	cells  [geo.NumRes][]geo.Cell
	texts  map[int32]string
	tooBig string // a Version with a point id past the bound
	max    int    // the bound on point ids (0: maxHeldPoint)
}

// maxHeldPoint bounds the point ids the cache indexes (a slot of 8 bytes
// for each id up to the highest met, per resolution: 16 MB each here):
// national shape has 700,000 points. Past it, tallies join the points in
// the database.
const maxHeldPoint = 2 << 20

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

// sqlWardsAndVersion says whether wards are stored, and the Version.
const sqlWardsAndVersion = `SELECT EXISTS (SELECT 1 FROM {s}.areas WHERE kind = 'ward'), store_id, generation, public_generation FROM {s}.meta`

// cellTallyInWards adds the filter's police.uk (cell, Location, count)
// rows at res to acc from agg_text and the cache; ok is false when the
// points are too many to index (the caller joins them in the database).
func (s *Store) cellTallyInWards(ctx context.Context, version string, f geo.Filter, res int, acc *[]cellText) (ok bool, err error) {
	if s.ids.over(version) {
		return false, nil
	}
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
			s.ids.markOver(version)
			return false, nil
		}
		got = append(got, t)
	}
	if err := rows.Err(); err != nil {
		return false, wrap(ctx, "cell tallies", err)
	}
	points, texts := s.ids.missing(version, res, got)
	var cells map[int32]geo.Cell
	if len(points) > 0 {
		if cells, err = s.readPointCells(ctx, res, points); err != nil {
			return false, err
		}
	}
	names := map[int32]string{}
	if len(texts) > 0 {
		if err := s.readTexts(ctx, texts, names); err != nil {
			return false, err
		}
	}
	if dropped := s.ids.name(version, res, got, cells, names, acc); dropped > 0 {
		// The joins this replaces drop such rows too; they mean an
		// aggregate out of step with its points, which no import leaves.
		s.log.Warn("postgis: agg_text rows name points or texts not stored; left out of the tallies", slog.Int("rows", dropped))
	}
	return true, nil
}

func (c *idCache) over(version string) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.tooBig == version
}

func (c *idCache) markOver(version string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.tooBig = version
}

// reset empties the cache if it holds another Version; c.mu is held.
func (c *idCache) reset(version string) {
	if c.version != version {
		c.version, c.cells, c.texts = version, [geo.NumRes][]geo.Cell{}, map[int32]string{}
	}
}

// missing lists the point and text ids of the tallies the cache lacks,
// each once. The database is read for them without the lock held.
func (c *idCache) missing(version string, res int, got []pointTally) (points, texts []int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.reset(version)
	cells := c.cells[res-geo.MinRes]
	seenPoint, seenText := map[int32]bool{}, map[int32]bool{}
	for _, t := range got {
		if (int(t.point) >= len(cells) || cells[t.point] == 0) && !seenPoint[t.point] {
			seenPoint[t.point] = true
			points = append(points, int64(t.point))
		}
		if _, ok := c.texts[t.loc]; !ok && !seenText[t.loc] {
			seenText[t.loc] = true
			texts = append(texts, int64(t.loc))
		}
	}
	return points, texts
}

// name adds what was read to the cache (values never change, so a
// concurrent reader's copy agrees), then the tallies to acc by cell at
// res and Location text; it returns how many name an id not stored.
func (c *idCache) name(version string, res int, got []pointTally, cells map[int32]geo.Cell, texts map[int32]string, acc *[]cellText) (dropped int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.reset(version)
	held := c.cells[res-geo.MinRes]
	for id, cell := range cells {
		if int(id) >= len(held) {
			held = slices.Grow(held, int(id)+1-len(held))[:id+1]
		}
		held[id] = cell
	}
	c.cells[res-geo.MinRes] = held
	maps.Copy(c.texts, texts)
	for _, t := range got {
		loc, ok := c.texts[t.loc]
		if int(t.point) >= len(held) || held[t.point] == 0 || !ok {
			dropped++
			continue
		}
		*acc = append(*acc, cellText{held[t.point], loc, t.n})
	}
	return dropped
}

// readPointCells reads the points' cells at res.
func (s *Store) readPointCells(ctx context.Context, res int, ids []int64) (map[int32]geo.Cell, error) {
	q := fmt.Sprintf(`SELECT id, h3_r%d FROM {s}.points WHERE id = ANY($1::integer[])`, res)
	rows, err := s.db.QueryContext(ctx, s.q(q), pq.Int64Array(ids))
	if err != nil {
		return nil, wrap(ctx, "map points", err)
	}
	defer rows.Close()
	out := make(map[int32]geo.Cell, len(ids))
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
