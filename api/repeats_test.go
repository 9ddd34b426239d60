package api

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/leicester-csp/hotspot/geo"
	"github.com/leicester-csp/hotspot/geo/access"
	"github.com/leicester-csp/hotspot/geo/analysis"
	"github.com/leicester-csp/hotspot/geo/hex"
	"github.com/leicester-csp/hotspot/geo/store/embedded"
)

// Pseudonyms of the repeat fixture.
const (
	offA = "aaaa000011112222"
	offB = "bbbb000011112222"
	offC = "cccc000011112222"
)

// repeatRecords: council records in 2024-02/03. At Castle's point 0:
// six linked to P1 (offender A on four, one of them in February; B on
// two) and two unlinked (B). At Westcotes' point 5: three linked to P2
// (C; one with the knife flag) and one unlinked, no offender.
func repeatRecords(t testing.TB) []*geo.Located {
	var recs []*geo.Located
	add := func(when string, pt int, premises, offender string, flags geo.Flags) {
		at, err := time.ParseInLocation("2006-01-02 15:04", when, geo.London)
		if err != nil {
			t.Fatal(err)
		}
		p := fixturePoints[pt]
		recs = append(recs, &geo.Located{Incident: geo.Incident{
			ID: fmt.Sprintf("rp%02d", len(recs)), Month: geo.NewMonth(at.Year(), int(at.Month())), Category: "Street drinking",
			Location: "Clock Tower", HasLocation: true, Point: p, Source: "council", Occurred: at, Flags: flags,
			Premises: premises, Offender: offender,
		}, Cells: hex.CellsAt(p)})
	}
	add("2024-02-23 21:00", 0, "P1", offA, 0)
	for i := range 3 {
		add(fmt.Sprintf("2024-03-%02d 21:00", 1+i), 0, "P1", offA, 0)
	}
	for i := range 2 {
		add(fmt.Sprintf("2024-03-%02d 22:00", 8+i), 0, "P1", offB, 0)
		add(fmt.Sprintf("2024-03-%02d 23:00", 8+i), 0, "", offB, 0)
	}
	for i := range 3 {
		fl := geo.Flags(0)
		if i == 0 {
			fl = fl.With(geo.Knife)
		}
		add(fmt.Sprintf("2024-03-%02d 14:00", 12+i), 5, "P2", offC, fl)
	}
	add("2024-03-20 14:00", 5, "", "", 0)
	return recs
}

func repeatPremises() []geo.Premises {
	return []geo.Premises{
		{ID: "P1", Name: "The Crown", Kind: "licensed", HasLocation: true, Point: fixturePoints[0]},
		{ID: "P2", Name: "Corner Shop", Kind: "retail", HasLocation: true, Point: fixturePoints[5]},
		{ID: "P3", Name: "Vape World", Kind: "knife-vape-seller", HasLocation: true, Point: fixturePoints[3]},
		{ID: "P4", Name: "Market Stall", Kind: "retail"},
	}
}

// repeatServer loads the API fixture, the repeat records and the
// register into st and serves it with a key per role.
func repeatServer(t testing.TB, st geo.Store) (*fixture, map[access.Role][]string) {
	t.Helper()
	ctx := t.Context()
	in := changeInput()
	in.Premises = repeatPremises()
	if _, err := st.Import(ctx, in); err != nil {
		t.Fatal(err)
	}
	recs := repeatRecords(t)
	rows := func(yield func(geo.Row, error) bool) {
		for _, r := range recs {
			if !yield(geo.Row{Incident: r}, nil) {
				return
			}
		}
	}
	if _, err := st.Import(ctx, geo.ImportInput{Rows: rows}); err != nil {
		t.Fatal(err)
	}
	ring := st.(access.Keyring)
	auth := map[access.Role][]string{}
	for _, role := range access.Roles()[1:] {
		k, tok, err := access.NewKey("test "+role.String(), role, time.Now())
		if err != nil {
			t.Fatal(err)
		}
		if err := ring.AddKey(ctx, k); err != nil {
			t.Fatal(err)
		}
		auth[role] = bearer(tok)
	}
	srv := New(Config{Store: st, Analyzer: analysis.New(st, geo.BuiltinPriorities()), Keys: ring, CacheBytes: -1})
	return &fixture{srv: srv}, auth
}

func embeddedRepeats(t testing.TB) (*fixture, map[access.Role][]string, access.Keyring) {
	t.Helper()
	st, err := embedded.Open(t.Context(), t.TempDir(), embedded.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	f, auth := repeatServer(t, st)
	return f, auth, st
}

// getAs fetches target as a caller and decodes a JSON object.
func getAs(t *testing.T, f *fixture, target string, want int, auth []string) map[string]any {
	t.Helper()
	resp, body := f.get(t, target, auth...)
	if resp.StatusCode != want {
		t.Fatalf("GET %s: %d, want %d; %s", target, resp.StatusCode, want, body)
	}
	var v map[string]any
	if err := json.Unmarshal(body, &v); err != nil {
		t.Fatalf("GET %s: %v", target, err)
	}
	return v
}

// rowsOf spells each row of a list (features' properties or plain
// objects) as the named fields joined by "/", nulls as "-".
func rowsOf(t *testing.T, list any, fields ...string) []string {
	t.Helper()
	var out []string
	for _, it := range arr(t, list) {
		o := obj(t, it)
		if p, ok := o["properties"]; ok {
			o = obj(t, p)
		}
		var parts []string
		for _, f := range fields {
			switch v := o[f].(type) {
			case nil:
				parts = append(parts, "-")
			case float64:
				parts = append(parts, fmt.Sprint(v))
			case []any:
				var s []string
				for _, e := range v {
					s = append(s, fmt.Sprint(e))
				}
				parts = append(parts, "["+strings.Join(s, ",")+"]")
			default:
				parts = append(parts, fmt.Sprint(v))
			}
		}
		out = append(out, strings.Join(parts, "/"))
	}
	return out
}

// checkRepeatLists checks the three lists against the fixture's counts,
// worked by hand, as an analyst.
func checkRepeatLists(t *testing.T, f *fixture, analyst []string) {
	t.Helper()
	period := "&from=2024-02&to=2024-03"
	p0 := fmt.Sprintf("p:%v,%v", fixturePoints[0][0], fixturePoints[0][1])
	p5 := fmt.Sprintf("p:%v,%v", fixturePoints[5][0], fixturePoints[5][1])
	tests := []struct {
		target string
		list   string
		fields []string
		want   []string
	}{
		{"/api/v1/repeats/locations?source=council&min=1" + period, "locations", []string{"rank", "id", "premises", "premises_name", "count", "ward"},
			[]string{"1/premises:P1/P1/The Crown/6/" + codeCastle, "2/premises:P2/P2/Corner Shop/3/" + codeWestcotes, "3/" + p0 + "/-/-/2/" + codeCastle, "4/" + p5 + "/-/-/1/" + codeWestcotes}},
		{"/api/v1/repeats/locations?source=council&min=3" + period, "locations", []string{"id", "count"}, []string{"premises:P1/6", "premises:P2/3"}},
		{"/api/v1/repeats/locations?source=council&min=1&flag=knife" + period, "locations", []string{"id", "count"}, []string{"premises:P2/1"}},
		{"/api/v1/repeats/locations?source=council&min=1&days=fri" + period, "locations", []string{"id", "count"}, []string{"premises:P1/3", p0 + "/1"}}, // 23 Feb, 1 and 8 Mar at P1; 8 Mar unlinked
		{"/api/v1/repeats/locations?source=council&min=1&hours=13-15" + period, "locations", []string{"id", "count"}, []string{"premises:P2/3", p5 + "/1"}},
		{"/api/v1/repeats/premises?source=council" + period, "premises", []string{"id", "name", "kind", "count", "suppressed"},
			[]string{"P1/The Crown/licensed/6/false", "P2/Corner Shop/retail/3/false", "P3/Vape World/knife-vape-seller/0/false", "P4/Market Stall/retail/0/false"}},
		{"/api/v1/repeats/premises?source=council&kind=retail,licensed&from=2024-03&to=2024-03", "premises", []string{"id", "count", "longitude"},
			[]string{"P1/5/" + fmt.Sprint(fixturePoints[0][0]), "P2/3/" + fmt.Sprint(fixturePoints[5][0]), "P4/0/-"}},
		{"/api/v1/repeats/premises" + strings.Replace(period, "&", "?", 1), "premises", []string{"id", "count"}, []string{"P1/0", "P2/0", "P3/0", "P4/0"}},
		{"/api/v1/premises?source=council&kind=retail" + period, "features", []string{"id", "kind", "count"}, []string{"P2/retail/3", "P4/retail/0"}},
		{"/ogc/collections/premises/items?source=council&kind=licensed&datetime=2024-02-01T00:00:00Z/2024-03-31T23:59:59Z", "features", []string{"id", "name", "count"}, []string{"P1/The Crown/6"}},
		{"/api/v1/repeats/offenders?source=council" + period, "offenders", []string{"id", "count", "first_month", "last_month", "premises"},
			[]string{offA + "/4/2024-02/2024-03/[P1]", offB + "/4/2024-03/2024-03/[P1]", offC + "/3/2024-03/2024-03/[P2]"}},
		{"/api/v1/repeats/offenders?source=council&min=4&from=2024-03&to=2024-03", "offenders", []string{"id", "count", "first_month"},
			[]string{offB + "/4/2024-03"}},
		{"/api/v1/repeats/offenders?source=all&flag=knife" + period, "offenders", []string{"id", "count"}, nil},
		{"/api/v1/repeats/offenders?source=all&flag=knife&min=1" + period, "offenders", []string{"id", "count", "premises"}, []string{offC + "/1/[P2]"}},
		{"/api/v1/repeats/offenders" + strings.Replace(period, "&", "?", 1), "offenders", []string{"id"}, nil},
	}
	for _, tc := range tests {
		got := rowsOf(t, getAs(t, f, tc.target, http.StatusOK, analyst)[tc.list], tc.fields...)
		if !slices.Equal(got, tc.want) {
			t.Errorf("%s:\n got %q\nwant %q", tc.target, got, tc.want)
		}
	}
}

func TestRepeatListsEmbedded(t *testing.T) {
	f, auth, _ := embeddedRepeats(t)
	checkRepeatLists(t, f, auth[access.Analyst])
}

func TestRepeatListsPostGIS(t *testing.T) {
	f, auth := repeatServer(t, testPostGIS(t, "hotspot_test_repeats"))
	checkRepeatLists(t, f, auth[access.Analyst])
}
