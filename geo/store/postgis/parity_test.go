package postgis

import (
	"fmt"
	"reflect"
	"testing"

	"github.com/paulmach/orb"

	"github.com/leicester-csp/hotspot/geo"
	"github.com/leicester-csp/hotspot/geo/analysis"
	"github.com/leicester-csp/hotspot/geo/areas"
)

// TestParityShared loads the shared police.uk months, the Leicester
// wards, LSOAs and city, and the ward population into an embedded store
// and into PostGIS, and requires every answer to be identical. It also
// checks point by point that ST_Covers with the lowest-code rule assigns
// every map point to the same ward and LSOA as the embedded index.
func TestParityShared(t *testing.T) {
	emb, pg, er, pr := sharedPair(t)
	ctx := t.Context()
	er.RejectsAt, pr.RejectsAt = "", ""
	if er != pr {
		t.Fatalf("ingest results differ:\nembedded %+v\npostgis  %+v", er, pr)
	}
	if er.Read != 200775 || er.Imported == 0 {
		t.Fatalf("ingest: %+v, want the 200,775 shared rows", er)
	}

	same := func(what string, e, p any, eerr, perr error) {
		t.Helper()
		if eerr != nil || perr != nil {
			t.Errorf("%s: embedded error %v, postgis error %v", what, eerr, perr)
			return
		}
		if !reflect.DeepEqual(e, p) {
			t.Errorf("%s differ:\nembedded %s\npostgis  %s", what, short(e), short(p))
		}
	}

	em, eerr := emb.Months(ctx)
	pm, perr := pg.Months(ctx)
	same("Months", em, pm, eerr, perr)
	if len(em) != 22 {
		t.Fatalf("months: %v, want 22", em)
	}
	ec, eerr := emb.Categories(ctx)
	pc, perr := pg.Categories(ctx)
	same("Categories", ec, pc, eerr, perr)
	ep, eerr := emb.Population(ctx)
	pp, perr := pg.Population(ctx)
	same("Population", ep, pp, eerr, perr)

	stored := map[geo.AreaKind][]geo.Area{}
	for _, kind := range []geo.AreaKind{geo.KindWard, geo.KindLSOA, geo.KindCity} {
		ea, eerr := emb.Areas(ctx, kind)
		pa, perr := pg.Areas(ctx, kind)
		same(fmt.Sprintf("Areas(%s)", kind), ea, pa, eerr, perr)
		if len(ea) == 0 {
			t.Fatalf("no %s areas loaded", kind)
		}
		stored[kind] = ea
	}
	var off int
	if err := pg.db.QueryRowContext(ctx, pg.q(`SELECT count(*) FROM {s}.points WHERE ST_X(geom) <> lon OR ST_Y(geom) <> lat`)).Scan(&off); err != nil || off != 0 {
		t.Errorf("%d points whose geometry is not exactly their lon/lat (%v)", off, err)
	}
	checkAssignment(t, pg, stored[geo.KindWard], "ward_code")
	checkAssignment(t, pg, stored[geo.KindLSOA], "lsoa_code")

	wardCode := map[string]string{}
	for _, w := range stored[geo.KindWard] {
		wardCode[w.Name] = w.Code
	}
	castle := wardCode["Castle"]
	if castle == "" {
		t.Fatal("no ward named Castle")
	}
	all := geo.MonthRange{From: em[0], To: em[len(em)-1]}
	last12 := geo.MonthRange{From: all.To - 11, To: all.To}
	filters := []struct {
		name string
		f    geo.Filter
	}{
		{"all", geo.Filter{Months: all}},
		{"last 12 months", geo.Filter{Months: last12}},
		{"Castle", geo.Filter{Months: all, Wards: []string{castle}}},
		{"two wards, last 12", geo.Filter{Months: last12, Wards: []string{castle, wardCode["Abbey"]}}},
		{"unknown ward", geo.Filter{Months: all, Wards: []string{"E05999999"}}},
		{"unknown category", geo.Filter{Months: all, Categories: []string{"Piracy"}}},
	}
	for _, p := range geo.BuiltinPriorities() {
		f := geo.Filter{Months: last12, Categories: p.Categories}
		for _, name := range p.Area {
			f.Wards = append(f.Wards, wardCode[name])
		}
		filters = append(filters, struct {
			name string
			f    geo.Filter
		}{"priority " + p.ID, f})
	}

	for _, tc := range filters {
		for res := geo.MinRes; res <= geo.MaxRes; res++ {
			ec, eerr := emb.CellCounts(ctx, tc.f, res)
			pc, perr := pg.CellCounts(ctx, tc.f, res)
			same(fmt.Sprintf("CellCounts(%s, res %d)", tc.name, res), ec, pc, eerr, perr)
		}
		for _, res := range []int{8, 10} {
			ec, eerr := emb.CellMonthCounts(ctx, tc.f, res)
			pc, perr := pg.CellMonthCounts(ctx, tc.f, res)
			same(fmt.Sprintf("CellMonthCounts(%s, res %d)", tc.name, res), ec, pc, eerr, perr)
		}
		ew, eerr := emb.WardCounts(ctx, tc.f)
		pw, perr := pg.WardCounts(ctx, tc.f)
		same(fmt.Sprintf("WardCounts(%s)", tc.name), ew, pw, eerr, perr)
		es, eerr := emb.Series(ctx, tc.f, geo.SeriesKey{})
		ps, perr := pg.Series(ctx, tc.f, geo.SeriesKey{})
		same(fmt.Sprintf("Series(%s, area)", tc.name), es, ps, eerr, perr)
	}

	// Emerging hot spots, the whole analysis over each store, agree
	// exactly: same cells, bins, trends and patterns.
	ean, pan := analysis.New(emb, geo.BuiltinPriorities()), analysis.New(pg, geo.BuiltinPriorities())
	for _, p := range geo.BuiltinPriorities() {
		q := analysis.Query{Priority: p.ID, From: analysis.Month(all.From), To: analysis.Month(all.To), Res: 9}
		er, eerr := ean.Emerging(ctx, q)
		pr, perr := pan.Emerging(ctx, q)
		if eerr != nil || perr != nil {
			t.Errorf("Emerging(%s): embedded %v, postgis %v", p.ID, eerr, perr)
			continue
		}
		if len(er.Cells) == 0 {
			t.Errorf("Emerging(%s): no cells", p.ID)
		}
		same("Emerging("+p.ID+")", er.Cells, pr.Cells, nil, nil)
	}

	// Series for the busiest cell at two resolutions, and for wards.
	cc, _ := emb.CellCounts(ctx, geo.Filter{Months: all}, 9)
	var top geo.Cell
	for c, n := range cc {
		if top == 0 || n > cc[top] || (n == cc[top] && c < top) {
			top = c
		}
	}
	cc6, _ := emb.CellCounts(ctx, geo.Filter{Months: all}, 6)
	var top6 geo.Cell
	for c := range cc6 {
		top6 = max(top6, c)
	}
	keys := []geo.SeriesKey{{Cell: top, Res: 9}, {Cell: top6, Res: 6}, {Ward: castle}, {Ward: wardCode["Abbey"]}}
	for _, k := range keys {
		for _, f := range []geo.Filter{{Months: all}, {Months: last12, Categories: []string{"Shoplifting"}}} {
			es, eerr := emb.Series(ctx, f, k)
			ps, perr := pg.Series(ctx, f, k)
			same(fmt.Sprintf("Series(%+v, %v)", k, f.Categories), es, ps, eerr, perr)
		}
	}

	// Pages, with and without a box. One box's corners are map points, so
	// incidents on its boundary must be in it in both.
	first, _ := emb.Incidents(ctx, geo.Filter{Months: all}, geo.PageRequest{Limit: 5000})
	var corners []orb.Point
	for _, it := range first.Items {
		if it.HasLocation {
			corners = append(corners, it.Point)
		}
	}
	edgeBox := orb.Bound{Min: corners[0], Max: corners[0]}
	for _, p := range corners[:200] {
		edgeBox = edgeBox.Extend(p)
	}
	centre := orb.Bound{Min: orb.Point{-1.15, 52.62}, Max: orb.Point{-1.12, 52.64}}
	for _, tc := range []struct {
		name string
		f    geo.Filter
		box  *orb.Bound
	}{
		{"all", geo.Filter{Months: all}, nil},
		{"all, centre box", geo.Filter{Months: all}, &centre},
		{"all, box through points", geo.Filter{Months: all}, &edgeBox},
		{"Castle", geo.Filter{Months: all, Wards: []string{castle}}, nil},
		{"violence, last 12, box", geo.Filter{Months: last12, Categories: geo.BuiltinPriorities()[0].Categories}, &centre},
	} {
		for _, off := range []int{0, 100000} {
			req := geo.PageRequest{Limit: 500, Offset: off, BBox: tc.box}
			ep, eerr := emb.Incidents(ctx, tc.f, req)
			pp, perr := pg.Incidents(ctx, tc.f, req)
			same(fmt.Sprintf("Incidents(%s, offset %d)", tc.name, off), ep, pp, eerr, perr)
		}
	}
	for _, it := range first.Items[:50] {
		ei, eerr := emb.Incident(ctx, it.ID)
		pi, perr := pg.Incident(ctx, it.ID)
		same("Incident("+it.ID+")", ei, pi, eerr, perr)
	}
}

// checkAssignment compares, for every stored map point, the area PostGIS
// assigned (ST_Covers, lowest code) with the embedded index's answer, and
// names every point where they differ.
func checkAssignment(t *testing.T, pg *Store, as []geo.Area, column string) {
	t.Helper()
	ix := areas.NewIndex(as)
	bounds := make([]orb.Bound, len(as))
	for i, a := range as {
		bounds[i] = a.Geometry.Bound()
	}
	rows, err := pg.db.QueryContext(t.Context(), pg.q("SELECT lon, lat, coalesce("+column+", '') FROM {s}.points ORDER BY id"))
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	n, onEdge, differ := 0, 0, 0
	for rows.Next() {
		var (
			p    orb.Point
			code string
		)
		if err := rows.Scan(&p[0], &p[1], &code); err != nil {
			t.Fatal(err)
		}
		n++
		want := ""
		var covering []string
		if i := ix.Locate(p); i >= 0 {
			want = ix.Area(i).Code
		}
		for i, a := range as {
			if bounds[i].Contains(p) && areas.Covers(a.Geometry, p) {
				covering = append(covering, a.Code)
			}
		}
		if len(covering) > 1 {
			onEdge++
			t.Logf("%s: point %v lies on the boundary shared by %v; embedded %q, postgis %q", column, p, covering, want, code)
		}
		if code != want {
			differ++
			if differ <= 20 {
				t.Errorf("%s of point %v: postgis %q, embedded %q (covered by %v by the embedded rule)", column, p, code, want, covering)
			}
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	if differ > 0 {
		t.Errorf("%s: %d of %d points assigned differently", column, differ, n)
	}
	t.Logf("%s: %d points compared, %d covered by more than one area, %d differ", column, n, onEdge, differ)
}

// short keeps failure messages readable for big values.
func short(v any) string {
	s := fmt.Sprintf("%+v", v)
	if len(s) > 2000 {
		s = s[:2000] + "…"
	}
	return s
}
