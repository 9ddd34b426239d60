package api

import (
	"bytes"
	"net/http"
	"testing"
)

// TestStoresAgreeOnBriefs loads the brief fixture into the embedded
// store and PostGIS (HOTSPOT_TEST_DATABASE_URL) and requires
// byte-identical briefings and reports in every format.
func TestStoresAgreeOnBriefs(t *testing.T) {
	pg := testPostGIS(t, "hotspot_test_brief")
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
