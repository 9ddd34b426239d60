package api

import (
	"database/sql"
	"fmt"
	"math/rand/v2"
	"os"
	"testing"

	"github.com/leicester-csp/hotspot/geo/store/postgis"
)

// testPostGIS opens a PostGIS store in a schema of its own on
// HOTSPOT_TEST_DATABASE_URL, dropped when the test ends; without the
// variable the test is skipped.
func testPostGIS(tb testing.TB, prefix string) *postgis.Store {
	tb.Helper()
	url := os.Getenv("HOTSPOT_TEST_DATABASE_URL")
	if url == "" {
		tb.Skip("HOTSPOT_TEST_DATABASE_URL not set")
	}
	schema := fmt.Sprintf("%s_%08x", prefix, rand.Uint32())
	st, err := postgis.Open(tb.Context(), url, postgis.Options{Schema: schema})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() {
		st.Close()
		db, err := sql.Open("postgres", url)
		if err == nil {
			_, err = db.Exec(`DROP SCHEMA IF EXISTS "` + schema + `" CASCADE`)
			db.Close()
		}
		if err != nil {
			tb.Errorf("drop schema %s: %v", schema, err)
		}
	})
	return st
}
