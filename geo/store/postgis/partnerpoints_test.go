package postgis

import (
	"fmt"
	"iter"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/paulmach/orb"

	"github.com/leicester-csp/hotspot/geo"
	"github.com/leicester-csp/hotspot/geo/ingest"
	"github.com/leicester-csp/hotspot/internal/synth"
)

// boundaryRecords are partner records of src at every vertex of the
// areas' outer rings, the midpoint of every edge and a point just off
// each midpoint on either side: the points where ST_Covers and the Go
// rule could part (shared edges, ties between areas).
func boundaryRecords(as []geo.Area, src string) iter.Seq[geo.Incident] {
	return func(yield func(geo.Incident) bool) {
		seen := map[orb.Point]bool{}
		i := 0
		emit := func(p orb.Point) bool {
			if seen[p] {
				return true
			}
			seen[p] = true
			inc := geo.Incident{
				Source: src, ID: fmt.Sprintf("%s-b%05d", src, i), Month: geo.NewMonth(2024, 1+i%3), Category: "Begging",
				Location: "On or near the edge", HasLocation: true, Point: p,
				Occurred: time.Date(2024, time.Month(1+i%3), 1+i%28, i%24, 0, 0, 0, geo.London),
			}
			i++
			return yield(inc)
		}
		for _, a := range as {
			for _, poly := range a.Geometry {
				r := poly[0]
				for k := 0; k+1 < len(r); k++ {
					m := orb.Point{(r[k][0] + r[k+1][0]) / 2, (r[k][1] + r[k+1][1]) / 2}
					for _, p := range []orb.Point{r[k], m, {m[0] + 1e-9, m[1]}, {m[0] - 1e-9, m[1]}, {m[0], m[1] + 1e-9}} {
						if !emit(p) {
							return
						}
					}
				}
			}
		}
	}
}

// lsoasOf makes LSOAs of the wards' shapes whose codes run the other
// way, so that an edge shared by two wards goes to the other one of the
// pair as an LSOA.
func lsoasOf(wards []geo.Area) []geo.Area {
	out := make([]geo.Area, len(wards))
	for i, w := range wards {
		out[i] = geo.Area{Kind: geo.KindLSOA, Code: fmt.Sprintf("L%03d", len(wards)-i), Name: w.Name, Geometry: w.Geometry}
	}
	return out
}

// checkPartnerAreas requires every partner point's ward and LSOA, given
// in Go, to be the ones PostGIS's rule (ST_Covers, lowest code) gives,
// and returns how many points it compared.
func checkPartnerAreas(t *testing.T, st *Store) int {
	t.Helper()
	const q = `
SELECT pp.lon, pp.lat, coalesce(pp.ward_code, ''), coalesce(pp.lsoa_code, ''),
       coalesce((SELECT a.code FROM {s}.areas a WHERE a.kind = 'ward' AND ST_Covers(a.geom, ST_SetSRID(ST_MakePoint(pp.lon, pp.lat), 4326)) ORDER BY a.code COLLATE "C" LIMIT 1), ''),
       coalesce((SELECT a.code FROM {s}.areas a WHERE a.kind = 'lsoa' AND ST_Covers(a.geom, ST_SetSRID(ST_MakePoint(pp.lon, pp.lat), 4326)) ORDER BY a.code COLLATE "C" LIMIT 1), '')
FROM {s}.partner_points pp`
	rows, err := st.db.QueryContext(t.Context(), st.q(q))
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	n, differ := 0, 0
	for rows.Next() {
		var (
			p                  orb.Point
			ward, lsoa, sw, sl string
		)
		if err := rows.Scan(&p[0], &p[1], &ward, &lsoa, &sw, &sl); err != nil {
			t.Fatal(err)
		}
		n++
		if ward != sw || lsoa != sl {
			if differ++; differ <= 20 {
				t.Errorf("partner point %v: ward %q, LSOA %q in Go; PostGIS %q, %q", p, ward, lsoa, sw, sl)
			}
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	if differ > 0 {
		t.Errorf("%d of %d partner points assigned differently", differ, n)
	}
	return n
}

// Partner points get their areas in Go; on area boundaries (vertices,
// shared edges) and after new boundaries they must be PostGIS's.
func TestPartnerAreasAgreeWithPostGIS(t *testing.T) {
	url := testURL(t)
	st := openTest(t, url, Options{Schema: freshSchema(t, url)})
	ctx := t.Context()
	city := synth.NewCity(1)
	as := append(slices.Clone(city.Wards), lsoasOf(city.Wards)...)
	if _, err := st.Import(ctx, geo.ImportInput{Areas: as}); err != nil {
		t.Fatal(err)
	}
	in := func(yield func(geo.Incident) bool) {
		for inc := range boundaryRecords(city.Wards, "council") {
			if !yield(inc) {
				return
			}
		}
		for inc := range partnerRecords(city, "council", 3000) {
			if !yield(inc) {
				return
			}
		}
	}
	if _, err := st.Import(ctx, geo.ImportInput{Rows: ingest.Incidents(ctx, in)}); err != nil {
		t.Fatal(err)
	}
	if n := checkPartnerAreas(t, st); n < 1000 {
		t.Fatalf("%d partner points compared, want the boundary points and the records'", n)
	}
	// New boundaries: the wards shifted by a fraction of a ward, so that
	// points change ward; the stored partner points are assigned again,
	// and partner_hex follows their wards.
	moved := slices.Clone(city.Wards)
	for i := range moved {
		var mp orb.MultiPolygon
		for _, poly := range moved[i].Geometry {
			var np orb.Polygon
			for _, r := range poly {
				nr := make(orb.Ring, len(r))
				for k, p := range r {
					nr[k] = orb.Point{p[0] + 0.003, p[1] - 0.002}
				}
				np = append(np, nr)
			}
			mp = append(mp, np)
		}
		moved[i].Geometry = mp
	}
	if _, err := st.Import(ctx, geo.ImportInput{Areas: moved}); err != nil {
		t.Fatal(err)
	}
	checkPartnerAreas(t, st)
	var stale int
	if err := st.db.QueryRowContext(ctx, st.q(`SELECT count(*) FROM {s}.partner_hex h JOIN {s}.partner_points p ON p.id = h.point_id WHERE h.ward_code IS DISTINCT FROM p.ward_code`)).Scan(&stale); err != nil || stale != 0 {
		t.Errorf("%d partner_hex rows with another ward than their point's (%v)", stale, err)
	}
}

// unmigratePartnerPoints puts a store back in the shape it had before
// migration 0015: partner records' points in points, sharing police.uk's
// point at the same coordinates and marked not police.uk's otherwise.
func unmigratePartnerPoints(t *testing.T, st *Store) {
	t.Helper()
	const q = `
BEGIN;
CREATE TEMP TABLE s_map ON COMMIT DROP AS
SELECT pp.id AS old, coalesce(p.id, o.top + row_number() OVER (ORDER BY pp.id)::integer) AS new, p.id IS NULL AS fresh
FROM {s}.partner_points pp
LEFT JOIN {s}.points p ON p.lon = pp.lon AND p.lat = pp.lat
CROSS JOIN (SELECT coalesce(max(id), 0) AS top FROM {s}.points) o;
INSERT INTO {s}.points (id, lon, lat, geom, h3_r6, h3_r7, h3_r8, h3_r9, h3_r10, ward_code, lsoa_code, policeuk)
SELECT m.new, pp.lon, pp.lat, ST_SetSRID(ST_MakePoint(pp.lon, pp.lat), 4326), pp.h3_r6, pp.h3_r7, pp.h3_r8, pp.h3_r9, pp.h3_r10, pp.ward_code, pp.lsoa_code, false
FROM {s}.partner_points pp JOIN s_map m ON m.old = pp.id WHERE m.fresh;
UPDATE {s}.partner_incidents i SET point_id = m.new FROM s_map m WHERE i.point_id = m.old;
UPDATE {s}.partner_hex h SET point_id = m.new FROM s_map m WHERE h.point_id = m.old;
DROP TABLE {s}.partner_points;
CREATE INDEX partner_hex_point ON {s}.partner_hex (point_id);
DELETE FROM {s}.schema_migrations WHERE version = 15;
SELECT setval(pg_get_serial_sequence('{s}.points', 'id'), (SELECT max(id) FROM {s}.points));
COMMIT`
	if _, err := st.db.ExecContext(t.Context(), st.q(q)); err != nil {
		t.Fatalf("back to the shape before migration 0015: %v", err)
	}
}

// partnerAnswers are a store's answers about partner records and map
// points, for comparing a store with itself across a migration.
func partnerAnswers(t *testing.T, st *Store, wards []geo.Area) []any {
	t.Helper()
	ctx := t.Context()
	months := geo.MonthRange{From: geo.NewMonth(2024, 1), To: geo.NewMonth(2024, 3)}
	var out []any
	add := func(what string, v any, err error) {
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		out = append(out, v)
	}
	for _, f := range []geo.Filter{
		{Months: months, Source: "council"},
		{Months: months, Source: geo.SourceAll, Flags: geo.Flags(0).With(geo.StreetLifestyle), Within: geo.Within{Days: 1<<4 | 1<<5, Hours: 0xF0_000F, Shift: 4}},
		{Months: months, Source: "council", Wards: []string{wards[1].Code}},
	} {
		ct, err := st.CellTallies(ctx, f, 9)
		add("cell tallies", ct, err)
		pt, err := st.PointTallies(ctx, f)
		add("point tallies", pt, err)
		wc, err := st.WardCounts(ctx, f)
		add("ward counts", wc, err)
		dh, err := st.DayHourCounts(ctx, f, geo.SeriesKey{})
		add("day-hour counts", dh, err)
		pl, err := st.PlaceTallies(ctx, f)
		add("place tallies", pl, err)
		pg, err := st.Incidents(ctx, f, geo.PageRequest{Limit: 200, Offset: 100})
		add("incidents", pg, err)
	}
	mp, err := st.MapPoints(ctx)
	add("map points", mp, err)
	return out
}

// A store made before migration 0015, with police.uk points and partner
// records sharing some of them, moves its partner points out of points
// when opened and answers as before; a later import and new boundaries
// work on the moved store.
func TestPartnerPointsMigrated(t *testing.T) {
	url := testURL(t)
	opt := Options{Schema: freshSchema(t, url)}
	st := openTest(t, url, opt)
	ctx := t.Context()
	city := synth.NewCity(1)
	if _, err := st.Import(ctx, geo.ImportInput{Rows: ingest.Incidents(ctx, city.Incidents(synth.Options{Seed: 3, From: geo.NewMonth(2024, 1), Months: 3, Rows: 3000})), Areas: city.Wards}); err != nil {
		t.Fatal(err)
	}
	// partnerRecords are at police.uk's points: those are shared.
	if _, err := st.Import(ctx, geo.ImportInput{Rows: ingest.Incidents(ctx, partnerRecords(city, "council", 2000))}); err != nil {
		t.Fatal(err)
	}
	if _, err := st.Import(ctx, geo.ImportInput{Rows: ingest.Incidents(ctx, boundaryRecords(city.Wards, "bid"))}); err != nil {
		t.Fatal(err)
	}
	want := partnerAnswers(t, st, city.Wards)
	unmigratePartnerPoints(t, st)
	var shared, own int
	if err := st.db.QueryRowContext(ctx, st.q(`SELECT count(*) FILTER (WHERE p.policeuk), count(*) FILTER (WHERE NOT p.policeuk) FROM {s}.points p WHERE p.id IN (SELECT point_id FROM {s}.partner_incidents)`)).Scan(&shared, &own); err != nil || shared == 0 || own == 0 {
		t.Fatalf("old shape: partner records at %d police.uk points and %d of their own (%v), want both", shared, own, err)
	}
	re := openTest(t, url, opt)
	got := partnerAnswers(t, re, city.Wards)
	for i := range want {
		if !reflect.DeepEqual(got[i], want[i]) {
			t.Errorf("answer %d after the migration:\n%s\nwant\n%s", i, short(got[i]), short(want[i]))
		}
	}
	var left, moved int
	if err := re.db.QueryRowContext(ctx, re.q(`SELECT (SELECT count(*) FROM {s}.points WHERE NOT policeuk), (SELECT count(*) FROM {s}.partner_points)`)).Scan(&left, &moved); err != nil || left != 0 || moved != shared+own {
		t.Errorf("after the migration: %d points not police.uk's, %d partner points (%v); want 0, %d", left, moved, err, shared+own)
	}
	// A re-import adds nothing; a new source's records at the moved
	// points find them; new boundaries reach them.
	res, err := re.Import(ctx, geo.ImportInput{Rows: ingest.Incidents(ctx, boundaryRecords(city.Wards, "bid"))})
	if err != nil || res.Imported != 0 {
		t.Errorf("re-import after the migration: %+v, %v; want nothing imported", res, err)
	}
	if _, err := re.Import(ctx, geo.ImportInput{Rows: ingest.Incidents(ctx, boundaryRecords(city.Wards, "pub"))}); err != nil {
		t.Fatal(err)
	}
	var after int
	if err := re.db.QueryRowContext(ctx, re.q(`SELECT count(*) FROM {s}.partner_points`)).Scan(&after); err != nil || after != moved {
		t.Errorf("partner points after a source at the same places: %d (%v), want %d", after, err, moved)
	}
	if _, err := re.Import(ctx, geo.ImportInput{Areas: lsoasOf(city.Wards)}); err != nil {
		t.Fatal(err)
	}
	checkPartnerAreas(t, re)
}
