package postgis

import (
	"fmt"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/wkb"

	"github.com/leicester-csp/hotspot/geo"
	"github.com/leicester-csp/hotspot/geo/areas"
)

// Partner records' map points (migration 0015). Their areas are assigned
// here, in Go, by the rule PostGIS's ST_Covers join applies to points
// (geo/areas: covering area, lowest code on a shared edge), so that they
// are copied in finished: no staging table, no spatial index, no join.
const (
	sqlStoredPartnerPoints = `
SELECT u.lon, u.lat, p.id, p.ward_code, p.h3_r6, p.h3_r7, p.h3_r8, p.h3_r9, p.h3_r10
FROM unnest($1::float8[], $2::float8[]) AS u(lon, lat)
JOIN {s}.partner_points p ON p.lon = u.lon AND p.lat = u.lat`
	sqlCopyPartnerPoints = `COPY {s}.partner_points (id, lon, lat, h3_r6, h3_r7, h3_r8, h3_r9, h3_r10, ward_code, lsoa_code) FROM STDIN`

	// The areas of a kind whose box meets a box (&& compares float4
	// boxes rounded outward, so none that covers a point in it is left
	// out), read in the import's transaction: the run's own areas are
	// stored by then.
	sqlAreasInBox = `
SELECT code, name, ST_AsBinary(geom) FROM {s}.areas
WHERE kind = $1 AND geom && ST_MakeEnvelope($2, $3, $4, $5, 4326)`

	// New boundaries: partner points stored before the run ($1 the last
	// id) are read, assigned again in Go, and those whose areas changed
	// are staged and updated.
	sqlPartnerPointsBefore  = `SELECT id, lon, lat, coalesce(ward_code, ''), coalesce(lsoa_code, '') FROM {s}.partner_points WHERE id <= $1`
	sqlPartnerPointsExtent  = `SELECT min(lon), min(lat), max(lon), max(lat) FROM {s}.partner_points WHERE id <= $1`
	sqlCreatePartnerAreaStg = `CREATE TEMP TABLE s_partner_areas (id integer, ward_code text COLLATE "C", lsoa_code text COLLATE "C") ON COMMIT DROP`
	sqlCopyPartnerAreaStg   = `COPY s_partner_areas (id, ward_code, lsoa_code) FROM STDIN`
	sqlUpdatePartnerAreas   = `
UPDATE {s}.partner_points p SET ward_code = s.ward_code, lsoa_code = s.lsoa_code
FROM s_partner_areas s
WHERE p.id = s.id`
)

// pointAreas are the codes of a point's ward and LSOA ("": none).
type pointAreas struct{ ward, lsoa string }

// locator assigns points to the wards and LSOAs stored in the import's
// transaction.
type locator struct{ wards, lsoas *areas.Index }

// newLocator reads the wards and LSOAs whose box meets b.
func (im *importer) newLocator(b orb.Bound) (*locator, error) {
	var ix [2]*areas.Index
	for i, kind := range []geo.AreaKind{geo.KindWard, geo.KindLSOA} {
		as, err := im.areasIn(kind, b)
		if err != nil {
			return nil, fmt.Errorf("%s areas: %w", kind, err)
		}
		ix[i] = areas.NewIndex(as)
	}
	return &locator{wards: ix[0], lsoas: ix[1]}, nil
}

// areas returns the codes of the ward and LSOA covering p ("" for none).
func (l *locator) areas(p orb.Point) (ward, lsoa string) {
	if i := l.wards.Locate(p); i >= 0 {
		ward = l.wards.Area(i).Code
	}
	if i := l.lsoas.Locate(p); i >= 0 {
		lsoa = l.lsoas.Area(i).Code
	}
	return ward, lsoa
}

func (im *importer) areasIn(kind geo.AreaKind, b orb.Bound) ([]geo.Area, error) {
	rows, err := im.tx.QueryContext(im.ctx, im.q(sqlAreasInBox), string(kind), b.Min[0], b.Min[1], b.Max[0], b.Max[1])
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []geo.Area
	for rows.Next() {
		a := geo.Area{Kind: kind}
		var w []byte
		if err := rows.Scan(&a.Code, &a.Name, &w); err != nil {
			return nil, err
		}
		g, err := wkb.Unmarshal(w)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", a.Code, err)
		}
		mp, ok := g.(orb.MultiPolygon)
		if !ok {
			return nil, fmt.Errorf("%s is a %s, not a MultiPolygon", a.Code, g.GeoJSONType())
		}
		a.Geometry = mp
		out = append(out, a)
	}
	return out, rows.Err()
}

// storePartnerPoints gives the run's new partner points their ward and
// LSOA and copies them into partner_points, in id order (the primary
// key's), with its indexes built afterwards when planBulk chose it.
func (im *importer) storePartnerPoints() error {
	b := orb.Bound{Min: im.newPoints[0].p, Max: im.newPoints[0].p}
	for _, p := range im.newPoints {
		b = b.Extend(p.p)
	}
	loc, err := im.newLocator(b)
	if err != nil {
		return err
	}
	// newPoints are in id order (resolvePoints numbers them as it adds
	// them), the primary key's.
	im.newAreas = make([]pointAreas, len(im.newPoints))
	for i := range im.newPoints {
		a := &im.newAreas[i]
		a.ward, a.lsoa = loc.areas(im.newPoints[i].p)
	}
	return im.bulkWrite("partner_points", func() error {
		return copyChunked(im.ctx, im.conn, im.q(sqlCopyPartnerPoints), len(im.newPoints), func(c *copyText, i int) {
			p := &im.newPoints[i]
			c.int(int64(p.id))
			c.float(p.p[0])
			c.float(p.p[1])
			for _, cell := range p.cells {
				c.int(int64(cell))
			}
			strOrNull(c, im.newAreas[i].ward)
			strOrNull(c, im.newAreas[i].lsoa)
			c.end()
		})
	})
}

// strOrNull appends s, or NULL for "" (no area).
func strOrNull(c *copyText, s string) {
	if s == "" {
		c.null()
		return
	}
	c.str(s)
}

// reassignPartnerPoints assigns the partner points stored before the run
// to the run's new boundaries (their new points got them already). The
// points are read and located in Go; only those whose ward or LSOA
// changed are written.
func (im *importer) reassignPartnerPoints() error {
	if im.maxPartnerPoint == 0 {
		return nil
	}
	var ext [4]*float64
	if err := im.tx.QueryRowContext(im.ctx, im.q(sqlPartnerPointsExtent), im.maxPartnerPoint).Scan(&ext[0], &ext[1], &ext[2], &ext[3]); err != nil {
		return err
	}
	if ext[0] == nil {
		return nil
	}
	loc, err := im.newLocator(orb.Bound{Min: orb.Point{*ext[0], *ext[1]}, Max: orb.Point{*ext[2], *ext[3]}})
	if err != nil {
		return err
	}
	type change struct {
		id         int32
		ward, lsoa string
	}
	var changes []change
	rows, err := im.tx.QueryContext(im.ctx, im.q(sqlPartnerPointsBefore), im.maxPartnerPoint)
	if err != nil {
		return err
	}
	for rows.Next() {
		var (
			c          change
			p          orb.Point
			ward, lsoa string
		)
		if err := rows.Scan(&c.id, &p[0], &p[1], &ward, &lsoa); err != nil {
			rows.Close()
			return err
		}
		if c.ward, c.lsoa = loc.areas(p); c.ward != ward || c.lsoa != lsoa {
			changes = append(changes, c)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	if len(changes) == 0 {
		return nil
	}
	if _, err := im.tx.ExecContext(im.ctx, sqlCreatePartnerAreaStg); err != nil {
		return err
	}
	err = copyChunked(im.ctx, im.conn, sqlCopyPartnerAreaStg, len(changes), func(c *copyText, i int) {
		c.int(int64(changes[i].id))
		strOrNull(c, changes[i].ward)
		strOrNull(c, changes[i].lsoa)
		c.end()
	})
	if err != nil {
		return err
	}
	_, err = im.tx.ExecContext(im.ctx, im.q(sqlUpdatePartnerAreas))
	return err
}
