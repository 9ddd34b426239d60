package api

import (
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/leicester-csp/hotspot/geo/access"
)

// checkRepeatWards: under ward= the premises and offender lists and the
// premises layer count only the ward's records (by code or by name, as
// every ward parameter), an unknown ward is a 400 naming ward, and the
// offender list is cut to limit with the total beside it. Counts worked
// by hand from repeatRecords.
func checkRepeatWards(t *testing.T, f *fixture, analyst []string) {
	t.Helper()
	const pointID0, pointID5 = "p:-1.1352,52.6331", "p:-1.1455,52.6322" // fixturePoints[0], [5]
	const period = "source=council&from=2024-02&to=2024-03"
	tests := []struct {
		target string
		list   string
		fields []string
		want   []string
	}{
		{"/api/v1/repeats/premises?ward=" + codeWestcotes + "&" + period, "premises", []string{"id", "count"}, []string{"P2/3", "P1/0", "P3/0", "P4/0"}},
		{"/api/v1/repeats/premises?ward=castle&" + period, "premises", []string{"id", "count"}, []string{"P1/6", "P2/0", "P3/0", "P4/0"}},
		{"/api/v1/repeats/offenders?ward=Westcotes&" + period, "offenders", []string{"id", "count"}, []string{offC + "/3"}},
		{"/api/v1/repeats/offenders?ward=" + codeCastle + "&" + period, "offenders", []string{"id", "count", "premises"}, []string{offA + "/4/[P1]", offB + "/4/[P1]"}},
		{"/api/v1/repeats/offenders?limit=1&" + period, "offenders", []string{"id", "count"}, []string{offA + "/4"}},
		{"/api/v1/premises?ward=westcotes&kind=retail,licensed&" + period, "features", []string{"id", "count"}, []string{"P2/3", "P1/0", "P4/0"}},
		{"/ogc/collections/premises/items?ward=Castle&source=council&datetime=2024-02-01T00:00:00Z/2024-03-31T23:59:59Z", "features", []string{"id", "count"},
			[]string{"P1/6", "P2/0", "P3/0", "P4/0"}},
		// Repeat places: The Crown's six records and the two unlinked ones
		// at its point lie in Castle; the Corner Shop's three in Westcotes
		// (the one unlinked record there is under min=2).
		{"/api/v1/repeats/locations?ward=castle&" + period, "locations", []string{"id", "count"}, []string{"premises:P1/6", pointID0 + "/2"}},
		{"/api/v1/repeats/locations?ward=" + codeWestcotes + "&" + period, "locations", []string{"id", "count"}, []string{"premises:P2/3"}},
		{"/api/v1/repeats/locations?format=geojson&ward=Westcotes&min=1&" + period, "features", []string{"id", "count"}, []string{"premises:P2/3", pointID5 + "/1"}},
	}
	for _, tc := range tests {
		got := rowsOf(t, getAs(t, f, tc.target, http.StatusOK, analyst)[tc.list], tc.fields...)
		if !slices.Equal(got, tc.want) {
			t.Errorf("%s:\n got %q\nwant %q", tc.target, got, tc.want)
		}
	}
	cut := getAs(t, f, "/api/v1/repeats/offenders?limit=1&"+period, http.StatusOK, analyst)
	if cut["total"] != 3.0 || obj(t, cut["meta"])["limit"] != 1.0 {
		t.Errorf("limit=1: total %v, meta %v; want 3 offenders in all, limit 1", cut["total"], cut["meta"])
	}
	if all := getAs(t, f, "/api/v1/repeats/offenders?"+period, http.StatusOK, analyst); obj(t, all["meta"])["limit"] != float64(DefaultOffenderLimit) {
		t.Errorf("default limit %v, want %d", obj(t, all["meta"])["limit"], DefaultOffenderLimit)
	}
	for _, target := range []string{"/api/v1/repeats/premises", "/api/v1/repeats/offenders", "/api/v1/premises", "/ogc/collections/premises/items", "/api/v1/repeats/locations"} {
		resp, body := f.get(t, target+"?ward=Nowhere&source=council", analyst...)
		if resp.StatusCode != http.StatusBadRequest || !strings.Contains(string(body), `"param":"ward"`) {
			t.Errorf("%s?ward=Nowhere: %d %s, want a 400 naming ward", target, resp.StatusCode, body)
		}
	}
	if resp, body := f.get(t, "/api/v1/repeats/offenders?limit=0&"+period, analyst...); resp.StatusCode != http.StatusBadRequest {
		t.Errorf("limit=0: %d %s, want 400", resp.StatusCode, body)
	}
}

func TestRepeatWardsEmbedded(t *testing.T) {
	f, auth, _ := embeddedRepeats(t)
	checkRepeatWards(t, f, auth[access.Analyst])
}

func TestRepeatWardsPostGIS(t *testing.T) {
	f, auth := repeatServer(t, testPostGIS(t, "wards"))
	checkRepeatWards(t, f, auth[access.Analyst])
}
