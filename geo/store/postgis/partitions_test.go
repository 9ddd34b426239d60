package postgis

import (
	"reflect"
	"strings"
	"testing"

	"github.com/paulmach/orb"

	"github.com/leicester-csp/hotspot/geo"
)

// unmigratePartitions puts a store back to before migration 0008, as a
// store made by an older binary is: one incidents table keyed by id. It
// adds an index of its own, as a migration before 0008 might have.
func unmigratePartitions(t *testing.T, st *Store) {
	t.Helper()
	for _, q := range []string{
		`DROP VIEW {s}.incident_points`,
		`CREATE TABLE {s}.incidents_old (
			id text COLLATE "C" PRIMARY KEY, month integer NOT NULL, reported_by text NOT NULL,
			falls_within text NOT NULL, location text NOT NULL, lsoa_code text NOT NULL, lsoa_name text NOT NULL,
			category text COLLATE "C" NOT NULL, outcome text NOT NULL, context text NOT NULL, point_id integer)`,
		`INSERT INTO {s}.incidents_old SELECT id, month, reported_by, falls_within, location, lsoa_code, lsoa_name, category, outcome, context, point_id FROM {s}.incidents`,
		`DROP TABLE {s}.incidents`,
		`ALTER TABLE {s}.incidents_old RENAME TO incidents`,
		`CREATE INDEX incidents_category_month_id ON {s}.incidents (category, month, id)`,
		`CREATE VIEW {s}.incident_points AS SELECT i.id FROM {s}.incidents i`,
		`DELETE FROM {s}.schema_migrations WHERE version = 8`,
	} {
		if _, err := st.db.ExecContext(t.Context(), st.q(q)); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
}

// A store made before month partitions keeps every incident, in the same
// order, when opened: the migration moves them into partitions, keeps
// the indexes earlier migrations made, and later imports find what it
// moved (a re-import adds nothing) and add months of their own.
func TestPartitionsMigrated(t *testing.T) {
	url := testURL(t)
	opt := Options{Schema: freshSchema(t, url)}
	st := openTest(t, url, opt)
	jan := geo.NewMonth(2024, 1)
	a := orb.Point{-1.13, 52.63}
	first := []geo.Row{incident("b", jan, "Drugs", &a), incident("a", jan, "Drugs", nil), incident("c", jan+1, "Robbery", &a)}
	if _, err := st.Import(t.Context(), geo.ImportInput{Rows: rowsOf(first...)}); err != nil {
		t.Fatal(err)
	}
	all := geo.Filter{Months: geo.MonthRange{From: jan, To: jan + 3}}
	want, err := st.Incidents(t.Context(), all, geo.PageRequest{Limit: 10})
	if err != nil || want.Total != 3 || len(want.Items) != 3 {
		t.Fatalf("before: %+v, %v", want, err)
	}
	unmigratePartitions(t, st)

	re := openTest(t, url, opt)
	got, err := re.Incidents(t.Context(), all, geo.PageRequest{Limit: 10})
	if err != nil || !reflect.DeepEqual(got, want) {
		t.Errorf("after the migration: %+v, %v; want %+v", got, err, want)
	}
	if inc, err := re.Incident(t.Context(), "c"); err != nil || inc.Category != "Robbery" {
		t.Errorf("incident c after the migration: %+v, %v", inc, err)
	}
	var parts, kept int
	err = re.db.QueryRowContext(t.Context(), re.q(`SELECT
		(SELECT count(*) FROM pg_inherits WHERE inhparent = '{s}.incidents'::regclass),
		(SELECT count(*) FROM pg_indexes WHERE schemaname = $1 AND tablename = 'incidents' AND indexdef LIKE '%(category, month, id)%')`), opt.Schema).Scan(&parts, &kept)
	if err != nil || parts != 2 || kept != 1 {
		t.Errorf("partitions %d (want 2), the earlier index kept %d (want 1), %v", parts, kept, err)
	}

	more := append(first, incident("d", jan+1, "Drugs", &a), incident("e", jan+2, "Drugs", &a))
	res, err := re.Import(t.Context(), geo.ImportInput{Rows: rowsOf(more...)})
	if err != nil || res.Imported != 2 || res.Duplicates != 3 {
		t.Fatalf("import after the migration: %+v, %v", res, err)
	}
	got, err = re.Incidents(t.Context(), all, geo.PageRequest{Limit: 10})
	if err != nil || got.Total != 5 || got.Items[3].ID != "d" || got.Items[4].ID != "e" {
		t.Errorf("after importing more: %+v, %v", got, err)
	}
}

// A query for some months reads only their partitions.
func TestPartitionsPruned(t *testing.T) {
	url := testURL(t)
	st := openTest(t, url, Options{Schema: freshSchema(t, url)})
	jan := geo.NewMonth(2024, 1)
	var rows []geo.Row
	for m := range geo.Month(6) {
		rows = append(rows, incident("i"+m.String(), jan+m, "Drugs", nil))
	}
	if _, err := st.Import(t.Context(), geo.ImportInput{Rows: rowsOf(rows...)}); err != nil {
		t.Fatal(err)
	}
	plan, err := queryStrings(t.Context(), st.db, "EXPLAIN "+st.q(`SELECT count(*) FROM {s}.incidents WHERE month BETWEEN 24290 AND 24291`))
	if err != nil {
		t.Fatal(err)
	}
	text := strings.Join(plan, "\n")
	for _, p := range []string{"incidents_2024_03", "incidents_2024_04"} {
		if !strings.Contains(text, p) {
			t.Errorf("plan does not read %s:\n%s", p, text)
		}
	}
	for _, p := range []string{"incidents_2024_01", "incidents_2024_02", "incidents_2024_05", "incidents_2024_06"} {
		if strings.Contains(text, p) {
			t.Errorf("plan reads %s:\n%s", p, text)
		}
	}
}

func TestIncidentKey(t *testing.T) {
	// md5("a") = 0cc175b9c0f1b6a8…
	if got, want := incidentKey("a"), int64(0x0cc175b9c0f1b6a8); got != want {
		t.Errorf("incidentKey(a) = %x, want %x", got, want)
	}
}
