package postgis

import (
	"maps"
	"slices"

	"github.com/lib/pq"
)

// Counts per month × category × ward (agg_ward, migration 0011): agg
// summed by the ward of each point, so that ward answers read a row per
// ward rather than one per point of the country.
const (
	// The counted rule is sqlCellCounts': only points inside a ward count
	// (agg_ward holds no others), and with no wards stored there are none.
	// $1, $2 months; $3 categories; $4 wards.
	sqlWardCounts = `
SELECT ward_code, n
FROM (
	SELECT ward_code, sum(
		coalesce(cum[least($2::integer - first_month + 1, cardinality(cum))], 0) -
		coalesce(cum[least($1::integer - first_month, cardinality(cum))], 0))::bigint AS n
	FROM {s}.agg_ward_run
	WHERE (cardinality($3::text[]) = 0 OR category = ANY($3::text[]))
	  AND (cardinality($4::text[]) = 0 OR ward_code = ANY($4::text[]))
	GROUP BY 1
) w
WHERE n > 0`

	// The running totals (migration 0018) are made again from agg_ward
	// whenever it changes: at national shape (3.5 M agg_ward rows, 98,000
	// totals) about 9 s of an import, which a ward answer then reads
	// once per ward instead of once per ward and month.
	sqlClearWardRuns   = `DELETE FROM {s}.agg_ward_run`
	sqlRebuildWardRuns = `
INSERT INTO {s}.agg_ward_run (category, ward_code, first_month, cum)
SELECT category, ward_code, min(m), array_agg(c ORDER BY m)
FROM (
	-- Each month's running total stands for the months up to the
	-- pair's next month with incidents, so the arrays have no gaps.
	SELECT r.category, r.ward_code, g.m, r.c
	FROM (
		SELECT category, ward_code, month, (sum(n) OVER w)::bigint AS c, lead(month) OVER w AS next
		FROM {s}.agg_ward
		WINDOW w AS (PARTITION BY category, ward_code ORDER BY month)
	) r
	CROSS JOIN LATERAL generate_series(r.month, coalesce(r.next - 1, r.month)) AS g(m)
) s
GROUP BY 1, 2`

	sqlCopyWardCounts = `COPY {s}.agg_ward (month, category, ward_code, n) FROM STDIN`

	sqlPointWards = `SELECT id, ward_code FROM {s}.points WHERE id = ANY($1::integer[]) AND ward_code IS NOT NULL`

	// agg_text keeps each row's ward (migration 0011) for tallies limited
	// to wards; new boundaries move the stored rows' points, before the
	// run's own rows are added with their wards.
	sqlReassignTextWards = `
UPDATE {s}.agg_text a SET ward_code = p.ward_code
FROM {s}.points p
WHERE p.id = a.point_id AND a.ward_code IS DISTINCT FROM p.ward_code`

	// New ward boundaries move points between wards, so every count is
	// made again from agg. DELETE rather than TRUNCATE: readers keep
	// reading the old counts until the import commits.
	sqlClearWardCounts   = `DELETE FROM {s}.agg_ward`
	sqlRebuildWardCounts = `
INSERT INTO {s}.agg_ward (month, category, ward_code, n)
SELECT a.month, a.category, p.ward_code, sum(a.n)
FROM {s}.agg a
JOIN {s}.points p ON p.id = a.point_id
WHERE p.ward_code IS NOT NULL
GROUP BY 1, 2, 3
ORDER BY 2, 1, 3`

	// A run into a store that held incidents staged its counts in s_agg
	// (aggregates.go); they are added by ward, updating the stored rows
	// of the same key and inserting the rest.
	sqlMergeWardCounts = `
WITH r AS (
	SELECT s.month, s.category, p.ward_code, sum(s.n) AS n
	FROM s_agg s
	JOIN {s}.points p ON p.id = s.point_id
	WHERE p.ward_code IS NOT NULL
	GROUP BY 1, 2, 3
), u AS (
	UPDATE {s}.agg_ward w SET n = w.n + r.n
	FROM r
	WHERE w.month = r.month AND w.category = r.category AND w.ward_code = r.ward_code
	RETURNING w.month, w.category, w.ward_code
)
INSERT INTO {s}.agg_ward (month, category, ward_code, n)
SELECT r.month, r.category, r.ward_code, r.n
FROM r
WHERE NOT EXISTS (SELECT 1 FROM u WHERE u.month = r.month AND u.category = r.category AND u.ward_code = r.ward_code)`
)

// storeWardCounts brings agg_ward up to date once points have their
// wards: the run's counts summed by ward when agg was empty before the
// run; rebuilt from agg when the wards changed or the run's counts were
// copied straight into agg, not staged; otherwise the run's staged
// counts added. Then the running totals are made from it.
func (im *importer) storeWardCounts(wardsChanged bool, wards map[int32]string, cats []int32) error {
	counted := len(im.counts) > 0
	// With nothing counted before the run, agg holds just its counts,
	// and each point's ward is now current.
	fresh := counted && !im.storedCounts
	var qs []string
	switch {
	case fresh:
		// Those counts are at hand: summed here by ward rather than
		// joined back to points in the database (4.6 s of a 45 s import
		// of 2 M national rows).
		if _, err := im.tx.ExecContext(im.ctx, im.q(sqlClearWardCounts)); err != nil {
			return err
		}
		if err := copyIn(im.ctx, im.conn, im.q(sqlCopyWardCounts), im.wardCounts(wards, cats)); err != nil {
			return err
		}
	case wardsChanged || (counted && !im.storedIncidents):
		qs = []string{sqlClearWardCounts, sqlRebuildWardCounts}
	case counted:
		qs = []string{sqlMergeWardCounts}
	}
	if counted || wardsChanged {
		qs = append(qs, sqlClearWardRuns, sqlRebuildWardRuns)
	}
	for _, q := range qs {
		if _, err := im.tx.ExecContext(im.ctx, im.q(q)); err != nil {
			return err
		}
	}
	return nil
}

// wardCounts sums the run's counts per month × category × ward of their
// points, as sqlRebuildWardCounts sums agg, encoded for sqlCopyWardCounts
// in its order (category, month, ward); cats are the run's categories in
// that order (sortedCounts). At national shape the run holds millions of
// counts: each is summed under one integer that packs the category's and
// the ward's ranks with the month, so the sums' map and their sort
// compare integers, not texts.
func (im *importer) wardCounts(wards map[int32]string, cats []int32) *copyText {
	codes := slices.Compact(slices.Sorted(maps.Values(wards)))
	wardRank := make(map[string]uint64, len(codes))
	for r, c := range codes {
		wardRank[c] = uint64(r)
	}
	ofPoint := make(map[int32]uint64, len(wards))
	for pt, w := range wards {
		ofPoint[pt] = wardRank[w]
	}
	catRank := make([]uint64, len(im.texts))
	for r, c := range cats {
		catRank[c] = uint64(r)
	}
	// A police.uk month (2010 on) fits in monthBits; wards and categories
	// are a few thousand and a few dozen.
	const monthBits, wardBits = 20, 24
	sums := make(map[uint64]int64, len(im.counts)/2)
	for k, n := range im.counts {
		if w, ok := ofPoint[k.point]; ok { // no point (0) has a ward
			sums[catRank[k.category]<<(monthBits+wardBits)|uint64(k.month)<<wardBits|w] += int64(n)
		}
	}
	keys := slices.Sorted(maps.Keys(sums))
	b := &im.buf
	b.reset()
	for _, key := range keys {
		b.int(int64(key >> wardBits & (1<<monthBits - 1)))
		b.str(im.texts[cats[key>>(monthBits+wardBits)]])
		b.str(codes[key&(1<<wardBits-1)])
		b.int(sums[key])
		b.end()
	}
	return b
}

// pointWards returns the ward of each point the run counted that lies
// in one.
func (im *importer) pointWards() (map[int32]string, error) {
	pts := im.countedPoints()
	out := make(map[int32]string, len(pts))
	if len(pts) == 0 {
		return out, nil
	}
	rows, err := im.tx.QueryContext(im.ctx, im.q(sqlPointWards), pq.Int64Array(pts))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var (
			id   int32
			ward string
		)
		if err := rows.Scan(&id, &ward); err != nil {
			return nil, err
		}
		out[id] = ward
	}
	return out, rows.Err()
}

// countedPoints lists, once each, the stored points the run counted
// incidents at.
func (im *importer) countedPoints() []int64 {
	var pts []int64
	seen := map[int32]bool{}
	for k := range im.counts {
		if k.point != 0 && !seen[k.point] {
			seen[k.point] = true
			pts = append(pts, int64(k.point))
		}
	}
	return pts
}
