package api

import (
	"bytes"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"net/http"
	"os"
	"testing"

	"github.com/leicester-csp/hotspot/geo/store/postgis"
)

// TestStoresAgreeOnBriefs loads the brief fixture into the embedded
// store and PostGIS (HOTSPOT_TEST_DATABASE_URL) and requires
// byte-identical briefings and reports in every format.
func TestStoresAgreeOnBriefs(t *testing.T) {
	url := os.Getenv("HOTSPOT_TEST_DATABASE_URL")
	if url == "" {
		t.Skip("HOTSPOT_TEST_DATABASE_URL not set")
	}
	schema := fmt.Sprintf("hotspot_test_brief_%08x", rand.Uint32())
	pg, err := postgis.Open(t.Context(), url, postgis.Options{Schema: schema})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		pg.Close()
		db, err := sql.Open("postgres", url)
		if err == nil {
			_, err = db.Exec(`DROP SCHEMA IF EXISTS "` + schema + `" CASCADE`)
			db.Close()
		}
		if err != nil {
			t.Errorf("drop schema %s: %v", schema, err)
		}
	})
	emb, pgf := embeddedBrief(t), briefServer(t, pg)
	for _, target := range []string{
		"/briefings/wards/Central?priority=robbery&month=2024-12&format=json",
		"/briefings/wards/Central?priority=robbery&month=2024-12&months=12&format=json",
		"/briefings/wards/" + codeCentral + "?priority=robbery&month=2024-06",
		"/briefings/wards/Quiet?priority=robbery&format=json",
		"/briefings/wards/Central?priority=robbery&month=2024-03&months=2&format=json",
		"/reports/quarterly?format=json",
		"/reports/quarterly?quarter=2024Q1&format=csv",
		"/reports/quarterly?quarter=2024Q3",
	} {
		er, eb := emb.get(t, target)
		pr, pb := pgf.get(t, target)
		if er.StatusCode != http.StatusOK || pr.StatusCode != http.StatusOK {
			t.Errorf("%s: embedded %d, postgis %d: %s", target, er.StatusCode, pr.StatusCode, pb)
			continue
		}
		if !bytes.Equal(eb, pb) {
			t.Errorf("%s differs:\nembedded %.400s\npostgis  %.400s", target, eb, pb)
		}
	}
}
