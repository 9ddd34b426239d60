package postgis

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"time"

	"github.com/lib/pq"

	"github.com/leicester-csp/hotspot/geo"
)

// SQL of partner records' import; see migration 0006.
const (
	sqlCopyPartner      = `COPY {s}.partner_incidents (source, id, month, occurred, dow, hour, category, location, flags, premises, offender, point_id) FROM STDIN`
	sqlStoredPartnerIDs = `
SELECT i.source, i.id
FROM {s}.partner_incidents i
JOIN unnest($1::text[], $2::text[]) AS u(source, id) ON i.source = u.source AND i.id = u.id`
	sqlAddSources     = `INSERT INTO {s}.partner_sources (source) SELECT unnest($1::text[]) ON CONFLICT DO NOTHING`
	sqlAddPartnerCats = `INSERT INTO {s}.partner_categories (source, category) SELECT * FROM unnest($1::text[], $2::text[]) ON CONFLICT DO NOTHING`
	sqlMarkSynthetic  = `INSERT INTO {s}.synthetic_sources (source) SELECT unnest($1::text[]) ON CONFLICT DO NOTHING`
	sqlMergePremises  = `
INSERT INTO {s}.premises AS p (id, name, kind, lon, lat)
SELECT id, name, kind, nullif(lon, 'NaN'::float8), nullif(lat, 'NaN'::float8)
FROM unnest($1::text[], $2::text[], $3::text[], $4::float8[], $5::float8[]) AS u(id, name, kind, lon, lat)
ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, kind = EXCLUDED.kind, lon = EXCLUDED.lon, lat = EXCLUDED.lat
WHERE (p.name, p.kind, p.lon, p.lat) IS DISTINCT FROM (EXCLUDED.name, EXCLUDED.kind, EXCLUDED.lon, EXCLUDED.lat)`
)

// Kinds of rows a run streams: one run is police.uk's or local sources',
// never both, since the two go to different tables through one COPY.
const (
	runUndecided = iota
	runPoliceUK
	runPartner
)

// seenKey is an incident's identity within its source.
func seenKey(inc *geo.Located) string {
	if inc.Source == "" {
		return inc.ID
	}
	return inc.Source + "\x00" + inc.ID
}

// decideKind fixes the run's kind on its first incident and refuses a
// run that mixes police.uk rows with partner records.
func (im *importer) decideKind(inc *geo.Located) error {
	k := runPoliceUK
	if inc.Source != "" {
		k = runPartner
	}
	if im.marks != nil {
		im.marks[inc.Source] = true
	}
	if im.kind == runUndecided {
		im.kind = k
		if k == runPartner {
			// Partner points are numbered in their own table.
			im.nextPoint = im.maxPartnerPoint + 1
		}
	}
	if im.kind != k {
		return fmt.Errorf("%w: a run imports police.uk rows or partner records, not both", geo.ErrInvalid)
	}
	return nil
}

// encodePartner encodes one partner record as a COPY row.
func (im *importer) encodePartner(b *copyText, inc *geo.Located, pt int32) {
	t := inc.Occurred.In(geo.London)
	wd, h := geo.LocalDayHour(t)
	b.str(inc.Source)
	b.str(inc.ID)
	b.int(int64(inc.Month))
	b.str(t.Format(time.RFC3339Nano))
	b.int(int64(wd))
	b.int(int64(h))
	b.str(inc.Category)
	b.str(inc.Location)
	b.int(int64(inc.Flags))
	b.str(inc.Premises)
	b.str(inc.Offender)
	if pt != 0 {
		b.int(int64(pt))
	} else {
		b.null()
	}
	b.end()
	if pt != 0 {
		im.hex.add(hourOfWeek(wd, h), inc, pt)
	}
	im.sources[inc.Source] = true
	im.pcats[[2]string{inc.Source, inc.Category}] = true
}

// dropStoredPartner removes the batch's partner records whose (source, id)
// is stored already, counting them as duplicates.
func (im *importer) dropStoredPartner(ctx context.Context, batch []geo.Located) ([]geo.Located, error) {
	srcs, ids := make([]string, len(batch)), make([]string, len(batch))
	for i := range batch {
		srcs[i], ids[i] = batch[i].Source, batch[i].ID
	}
	rows, err := im.db.QueryContext(ctx, im.q(sqlStoredPartnerIDs), pq.StringArray(srcs), pq.StringArray(ids))
	if err != nil {
		return nil, fmt.Errorf("check stored IDs: %w", err)
	}
	defer rows.Close()
	stored := map[[2]string]bool{}
	for rows.Next() {
		var k [2]string
		if err := rows.Scan(&k[0], &k[1]); err != nil {
			return nil, err
		}
		stored[k] = true
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	out := batch[:0]
	for _, inc := range batch {
		if stored[[2]string{inc.Source, inc.ID}] {
			im.duplicates++
			continue
		}
		out = append(out, inc)
	}
	return out, nil
}

// markPoints records the local sources and categories a partner run
// added. (Every map point is police.uk's since migration 0015: partner
// records' points are partner_points.)
func (im *importer) markPoints() error {
	switch im.kind {
	case runPartner:
		srcs := make([]string, 0, len(im.sources))
		for s := range im.sources {
			srcs = append(srcs, s)
		}
		if _, err := im.tx.ExecContext(im.ctx, im.q(sqlAddSources), pq.StringArray(srcs)); err != nil {
			return err
		}
		var ps, cs []string
		for k := range im.pcats {
			ps, cs = append(ps, k[0]), append(cs, k[1])
		}
		_, err := im.tx.ExecContext(im.ctx, im.q(sqlAddPartnerCats), pq.StringArray(ps), pq.StringArray(cs))
		return err
	}
	return nil
}

// markSynthetic marks the sources of a synthetic run's rows; it reports
// whether any was not marked before.
func (im *importer) markSynthetic() (bool, error) {
	if len(im.marks) == 0 {
		return false, nil
	}
	srcs := make([]string, 0, len(im.marks))
	for s := range im.marks {
		srcs = append(srcs, cmp.Or(s, geo.SourcePoliceUK))
	}
	r, err := im.tx.ExecContext(im.ctx, im.q(sqlMarkSynthetic), pq.StringArray(srcs))
	if err != nil {
		return false, err
	}
	n, err := r.RowsAffected()
	return n > 0, err
}

// mergePremises merges the register entries by id; it reports whether
// any stored entry changed.
func (im *importer) mergePremises(ps []geo.Premises) (bool, error) {
	ids, names, kinds := make([]string, len(ps)), make([]string, len(ps)), make([]string, len(ps))
	lons, lats := make([]float64, len(ps)), make([]float64, len(ps))
	for i, p := range ps {
		ids[i], names[i], kinds[i] = p.ID, p.Name, p.Kind
		lons[i], lats[i] = math.NaN(), math.NaN() // NULL: no location
		if p.HasLocation {
			lons[i], lats[i] = p.Point[0], p.Point[1]
		}
	}
	r, err := im.tx.ExecContext(im.ctx, im.q(sqlMergePremises), pq.StringArray(ids), pq.StringArray(names), pq.StringArray(kinds), pq.Float64Array(lons), pq.Float64Array(lats))
	if err != nil {
		return false, err
	}
	n, err := r.RowsAffected()
	return n > 0, err
}
