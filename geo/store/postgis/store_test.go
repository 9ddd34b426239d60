package postgis

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"iter"
	"os"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/lib/pq"
	"github.com/paulmach/orb"

	"github.com/leicester-csp/hotspot/geo"
	"github.com/leicester-csp/hotspot/internal/storetest"
)

// testURL returns the database the tests may create schemas in, or skips.
func testURL(tb testing.TB) string {
	tb.Helper()
	u := os.Getenv("HOTSPOT_TEST_DATABASE_URL")
	if u == "" {
		tb.Skip("HOTSPOT_TEST_DATABASE_URL not set (e.g. postgres://postgres@127.0.0.1:5432/hotspot_test?sslmode=disable)")
	}
	return u
}

// freshSchema names a schema of its own for one test and drops it (with
// everything in it) when the test ends.
func freshSchema(tb testing.TB, url string) string {
	tb.Helper()
	var b [6]byte
	_, _ = rand.Read(b[:])
	schema := "hotspot_test_" + hex.EncodeToString(b[:])
	tb.Cleanup(func() {
		db, err := sql.Open("postgres", url)
		if err != nil {
			tb.Errorf("drop schema %s: %v", schema, err)
			return
		}
		defer db.Close()
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if _, err := db.ExecContext(ctx, "DROP SCHEMA IF EXISTS "+pq.QuoteIdentifier(schema)+" CASCADE"); err != nil {
			tb.Errorf("drop schema %s: %v", schema, err)
		}
	})
	return schema
}

func openTest(tb testing.TB, url string, opt Options) *Store {
	tb.Helper()
	st, err := Open(context.Background(), url, opt)
	if err != nil {
		tb.Fatalf("open: %v", err)
	}
	// Registered after freshSchema's cleanup, so it runs first: the pool
	// is closed before the schema is dropped.
	tb.Cleanup(func() { st.Close() })
	return st
}

func opener(t *testing.T) (geo.Store, func() geo.Store) {
	url := testURL(t)
	opt := Options{Schema: freshSchema(t, url)}
	return openTest(t, url, opt), func() geo.Store { return openTest(t, url, opt) }
}

func TestStore(t *testing.T) {
	testURL(t)
	storetest.Run(t, opener)
}

func incident(id string, month geo.Month, cat string, p *orb.Point) geo.Row {
	l := &geo.Located{Incident: geo.Incident{ID: id, Month: month, Category: cat, ReportedBy: "Test Police", Location: "On or near\tTab \\ Street\n"}}
	if p != nil {
		l.HasLocation, l.Point = true, *p
		for r := range l.Cells {
			l.Cells[r] = geo.Cell(uint64(0x8a195da49b7ffff) + uint64(r))
		}
	}
	return geo.Row{Incident: l}
}

func rowsOf(rows ...geo.Row) iter.Seq2[geo.Row, error] {
	return func(yield func(geo.Row, error) bool) {
		for _, r := range rows {
			if !yield(r, nil) {
				return
			}
		}
	}
}

// Stores opened at the same moment on a new schema all migrate it (one
// of them does, under the migration lock) and then agree.
func TestOpenConcurrently(t *testing.T) {
	url := testURL(t)
	opt := Options{Schema: freshSchema(t, url)}
	var wg sync.WaitGroup
	stores := make([]*Store, 6)
	errs := make([]error, len(stores))
	for i := range stores {
		wg.Go(func() { stores[i], errs[i] = Open(t.Context(), url, opt) })
	}
	wg.Wait()
	var version string
	for i, st := range stores {
		if errs[i] != nil {
			t.Fatalf("open %d: %v", i, errs[i])
		}
		defer st.Close()
		v, err := st.Version(t.Context())
		if err != nil || (version != "" && v != version) {
			t.Errorf("store %d: version %q, %v; want %q", i, v, err, version)
		}
		version = v
	}
}

// A schema migrated by a newer binary is refused, not misread.
func TestNewerSchemaRefused(t *testing.T) {
	url := testURL(t)
	opt := Options{Schema: freshSchema(t, url)}
	st := openTest(t, url, opt)
	if _, err := st.db.ExecContext(t.Context(), st.q(`INSERT INTO {s}.schema_migrations (version, name) VALUES (9999, 'future.sql')`)); err != nil {
		t.Fatal(err)
	}
	if _, err := Open(t.Context(), url, opt); !errors.Is(err, geo.ErrInvalid) {
		t.Fatalf("open a schema at migration 9999 = %v, want ErrInvalid", err)
	}
}

// A cancelled import leaves nothing behind, for this store or another.
func TestImportCancelled(t *testing.T) {
	url := testURL(t)
	opt := Options{Schema: freshSchema(t, url)}
	st := openTest(t, url, opt)
	p := orb.Point{-1.13, 52.63}
	jan := geo.NewMonth(2024, 1)
	if _, err := st.Import(t.Context(), geo.ImportInput{Rows: rowsOf(incident("a", jan, "Drugs", &p))}); err != nil {
		t.Fatal(err)
	}
	v, _ := st.Version(t.Context())
	for _, at := range []int{10, 20000} { // in the first batch, and after batches were copied
		ctx, cancel := context.WithCancel(t.Context())
		rows := func(yield func(geo.Row, error) bool) {
			for i := range at + 10 {
				if i == at {
					cancel()
				}
				q := orb.Point{-1.1 - float64(i)*1e-5, 52.6}
				if !yield(incident(fmt.Sprintf("x%06d", i), jan+1, "Drugs", &q), nil) {
					return
				}
			}
		}
		_, err := st.Import(ctx, geo.ImportInput{Rows: rows, Population: map[string]int{"W1": 5}})
		if !errors.Is(err, context.Canceled) {
			t.Errorf("cancelled at row %d: %v, want context.Canceled", at, err)
		}
		for name, s := range map[string]*Store{"same": st, "reopened": openTest(t, url, opt)} {
			if v2, _ := s.Version(t.Context()); v2 != v {
				t.Errorf("%s: version %s → %s after a cancelled import", name, v, v2)
			}
			ms, _ := s.Months(t.Context())
			pop, _ := s.Population(t.Context())
			if len(ms) != 1 || len(pop) != 0 {
				t.Errorf("%s: months %v, population %v after a cancelled import", name, ms, pop)
			}
		}
	}
}

// Two imports at once of overlapping runs store each incident once and
// count every row as imported by exactly one of them or as a duplicate.
func TestConcurrentImports(t *testing.T) {
	url := testURL(t)
	opt := Options{Schema: freshSchema(t, url)}
	a, b := openTest(t, url, opt), openTest(t, url, opt)
	jan := geo.NewMonth(2024, 1)
	run := func(from, to int) iter.Seq2[geo.Row, error] {
		return func(yield func(geo.Row, error) bool) {
			for i := from; i < to; i++ {
				p := orb.Point{-1.1 - float64(i%500)*1e-4, 52.6}
				if !yield(incident(fmt.Sprintf("c%06d", i), jan+geo.Month(i%3), "Drugs", &p), nil) {
					return
				}
			}
		}
	}
	var wg sync.WaitGroup
	var ra, rb geo.ImportResult
	var ea, eb error
	wg.Go(func() { ra, ea = a.Import(t.Context(), geo.ImportInput{Rows: run(0, 30000)}) })
	wg.Go(func() { rb, eb = b.Import(t.Context(), geo.ImportInput{Rows: run(20000, 50000)}) })
	wg.Wait()
	if ea != nil || eb != nil {
		t.Fatalf("imports: %v, %v", ea, eb)
	}
	if ra.Imported+rb.Imported != 50000 || ra.Duplicates+rb.Duplicates != 10000 {
		t.Errorf("imports: %+v and %+v, want 50,000 imported and 10,000 duplicates between them", ra, rb)
	}
	all := geo.Filter{Months: geo.MonthRange{From: jan, To: jan + 2}}
	page, err := a.Incidents(t.Context(), all, geo.PageRequest{Limit: 1})
	if err != nil || page.Total != 50000 {
		t.Errorf("stored: %d, %v; want 50,000", page.Total, err)
	}
	cc, _ := b.CellCounts(t.Context(), all, 9)
	n := 0
	for _, c := range cc {
		n += c
	}
	if n != 50000 {
		t.Errorf("aggregates count %d incidents, want 50,000", n)
	}
	var points int
	if err := a.db.QueryRowContext(t.Context(), a.q(`SELECT count(*) FROM {s}.points`)).Scan(&points); err != nil || points != 500 {
		t.Errorf("points: %d, %v; want 500, each stored once", points, err)
	}
}

// Geometry comes back bit for bit: a multipolygon with a hole, rings in
// the orientation given, coordinates with no short decimal form.
func TestAreasExact(t *testing.T) {
	url := testURL(t)
	st := openTest(t, url, Options{Schema: freshSchema(t, url)})
	ctx := t.Context()
	odd := 0.1 + 0.2 // 0.30000000000000004
	mp := orb.MultiPolygon{
		{
			{{0, 0}, {1, 0}, {1, 1}, {0, 1}, {0, 0}},
			{{odd, odd}, {odd, 0.6}, {0.6, 0.6}, {0.6, odd}, {odd, odd}}, // hole, clockwise
		},
		{
			{{2, 2}, {2, 3}, {3, 3}, {3, 2}, {2, 2}}, // clockwise exterior, kept as given
		},
		{
			{{-1.1234567890123457, 52.98765432109876}, {-1.1, 52.98765432109876}, {-1.1, 53}, {-1.1234567890123457, 52.98765432109876}},
		},
	}
	lsoa := geo.Area{Kind: geo.KindLSOA, Code: "L1", Name: "Odd", Geometry: mp}
	city := geo.Area{Kind: geo.KindCity, Code: "C1", Name: "City", Geometry: orb.MultiPolygon{{{{-5, -5}, {5, -5}, {5, 5}, {-5, 5}, {-5, -5}}}}}
	wardB := geo.Area{Kind: geo.KindWard, Code: "Wb", Name: "B", Geometry: orb.MultiPolygon{{{{0, 0}, {1, 0}, {1, 1}, {0, 1}, {0, 0}}}}}
	wardA := geo.Area{Kind: geo.KindWard, Code: "WB", Name: "A", Geometry: orb.MultiPolygon{{{{1, 0}, {2, 0}, {2, 1}, {1, 1}, {1, 0}}}}}
	in := geo.ImportInput{Areas: []geo.Area{wardB, lsoa, city, wardA}, Population: map[string]int{"Wb": 10}}
	if _, err := st.Import(ctx, in); err != nil {
		t.Fatal(err)
	}
	for kind, want := range map[geo.AreaKind][]geo.Area{
		geo.KindLSOA: {lsoa}, geo.KindCity: {city},
		geo.KindWard: {wardA, wardB}, // "WB" < "Wb" byte-wise
	} {
		got, err := st.Areas(ctx, kind)
		if err != nil || !reflect.DeepEqual(got, want) {
			t.Errorf("Areas(%s) = %+v, %v\nwant %+v", kind, got, err, want)
		}
	}
	if _, err := st.Areas(ctx, "county"); !errors.Is(err, geo.ErrInvalid) {
		t.Errorf("Areas(county): %v, want ErrInvalid", err)
	}

	// The same boundaries and population again change nothing; a renamed
	// ward does, and only the kinds given are replaced.
	v, _ := st.Version(ctx)
	if _, err := st.Import(ctx, geo.ImportInput{Areas: []geo.Area{wardA, city, lsoa, wardB}, Population: map[string]int{"Wb": 10}}); err != nil {
		t.Fatal(err)
	}
	if v2, _ := st.Version(ctx); v2 != v {
		t.Errorf("version changed on loading the same areas: %s → %s", v, v2)
	}
	wardA.Name = "A renamed"
	if _, err := st.Import(ctx, geo.ImportInput{Areas: []geo.Area{wardA}}); err != nil {
		t.Fatal(err)
	}
	if v2, _ := st.Version(ctx); v2 == v {
		t.Error("version unchanged after replacing the wards")
	}
	got, _ := st.Areas(ctx, geo.KindWard)
	if len(got) != 1 || got[0].Name != "A renamed" {
		t.Errorf("wards after replacing them: %+v", got)
	}
	if got, _ := st.Areas(ctx, geo.KindLSOA); len(got) != 1 {
		t.Errorf("LSOAs after replacing the wards: %+v", got)
	}
	// A point on the shared edge x = 1 goes to the lowest code of those
	// covering it, byte-wise: "WB" before "Wb".
	if _, err := st.Import(ctx, geo.ImportInput{Areas: []geo.Area{wardA, wardB}}); err != nil {
		t.Fatal(err)
	}
	edge := orb.Point{1, 0.5}
	if _, err := st.Import(ctx, geo.ImportInput{Rows: rowsOf(incident("e", geo.NewMonth(2024, 1), "Drugs", &edge))}); err != nil {
		t.Fatal(err)
	}
	if got, err := st.Incident(ctx, "e"); err != nil || got.Ward != "WB" || got.WardName != "A renamed" {
		t.Errorf("incident on the shared edge: %+v, %v; want ward WB", got, err)
	}

	dup := geo.ImportInput{Areas: []geo.Area{wardA, wardA}}
	if _, err := st.Import(ctx, dup); !errors.Is(err, geo.ErrInvalid) {
		t.Errorf("one ward twice: %v, want ErrInvalid", err)
	}
}

// Rejects are kept with the run, file, line, reason and the raw fields;
// strings with COPY's special characters survive the trip.
func TestRejectsTable(t *testing.T) {
	url := testURL(t)
	st := openTest(t, url, Options{Schema: freshSchema(t, url)})
	ctx := t.Context()
	raw := []string{"x", "2024-13", `a "quoted", \ back`, "", "tab\there"}
	rej := geo.Row{Reject: &geo.Reject{File: "bad.csv", Line: 7, Reason: "Month is not YYYY-MM", Raw: raw}}
	p := orb.Point{-1.13, 52.63}
	res, err := st.Import(ctx, geo.ImportInput{Rows: rowsOf(incident("ok", geo.NewMonth(2024, 1), "Drugs", &p), rej)})
	if err != nil {
		t.Fatal(err)
	}
	var run int64
	if _, err := fmt.Sscanf(res.RejectsAt, "table "+st.schema+".rejects (run %d)", &run); err != nil || res.Rejected != 1 {
		t.Fatalf("result %+v: RejectsAt not \"table <schema>.rejects (run N)\": %v", res, err)
	}
	var (
		file, reason string
		line         int
		got          pq.StringArray
	)
	err = st.db.QueryRowContext(ctx, st.q(`SELECT file, line, reason, raw FROM {s}.rejects WHERE run = $1`), run).Scan(&file, &line, &reason, &got)
	if err != nil || file != "bad.csv" || line != 7 || reason != "Month is not YYYY-MM" || !slices.Equal(got, raw) {
		t.Errorf("stored reject: %q %d %q %q, %v", file, line, reason, got, err)
	}
	inc, err := st.Incident(ctx, "ok")
	if err != nil || inc.Location != "On or near\tTab \\ Street\n" {
		t.Errorf("incident with tabs, backslashes and newlines: %+v, %v", inc, err)
	}
	// Rejects alone are kept but are not a change of data.
	v, _ := st.Version(ctx)
	if _, err := st.Import(ctx, geo.ImportInput{Rows: rowsOf(rej)}); err != nil {
		t.Fatal(err)
	}
	if v2, _ := st.Version(ctx); v2 != v {
		t.Errorf("a run of rejects only changed the version: %s → %s", v, v2)
	}
}

// A role that may not create PostGIS is told what to ask for.
func TestPostGISMissing(t *testing.T) {
	url := testURL(t)
	admin, err := sql.Open("postgres", url)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	ctx := t.Context()
	var b [4]byte
	_, _ = rand.Read(b[:])
	name := "hotspot_noext_" + hex.EncodeToString(b[:])
	if _, err := admin.ExecContext(ctx, "CREATE ROLE "+name+" LOGIN NOSUPERUSER"); err != nil {
		t.Skipf("cannot create a role to test with: %v", err)
	}
	defer admin.ExecContext(context.Background(), "DROP ROLE IF EXISTS "+name)
	if _, err := admin.ExecContext(ctx, "CREATE DATABASE "+name+" OWNER "+name); err != nil {
		t.Skipf("cannot create a database to test with: %v", err)
	}
	defer admin.ExecContext(context.Background(), "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)")
	cfg, err := pq.NewConfig(url)
	if err != nil {
		t.Fatal(err)
	}
	u := fmt.Sprintf("postgres://%s@%s:%d/%s?sslmode=disable", name, cfg.Host, cfg.Port, name)
	_, err = Open(ctx, u, Options{})
	if err == nil || !strings.Contains(err.Error(), "CREATE EXTENSION postgis;") {
		t.Fatalf("open without PostGIS as an unprivileged role = %v, want advice to run CREATE EXTENSION postgis;", err)
	}
}

// A row the database refuses (text cannot hold NUL) fails the import
// from inside the COPY, after earlier batches were sent, and leaves the
// store as it was.
func TestCopyRefused(t *testing.T) {
	url := testURL(t)
	st := openTest(t, url, Options{Schema: freshSchema(t, url)})
	ctx := t.Context()
	v, _ := st.Version(ctx)
	rows := func(yield func(geo.Row, error) bool) {
		for i := range 3 * batchRows {
			id := fmt.Sprintf("r%06d", i)
			if i == 2*batchRows+5 {
				id = "bad\x00id"
			}
			if !yield(incident(id, geo.NewMonth(2024, 1), "Drugs", nil), nil) {
				return
			}
		}
	}
	_, err := st.Import(ctx, geo.ImportInput{Rows: rows})
	if err == nil || !strings.Contains(err.Error(), "0x00") {
		t.Fatalf("import with a NUL in an ID = %v, want the database's refusal", err)
	}
	if v2, _ := st.Version(ctx); v2 != v {
		t.Errorf("version %s → %s after a refused import", v, v2)
	}
	if ms, _ := st.Months(ctx); len(ms) != 0 {
		t.Errorf("months %v after a refused import", ms)
	}
}
