package api

import (
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/paulmach/orb"

	"github.com/leicester-csp/hotspot/geo"
)

func TestIncidents(t *testing.T) {
	f := newFixture(t)
	incProps := []string{"id", "month", "category", "location", "ward", "ward_name", "outcome", "source", "occurred", "flags", "premises", "offender"}
	window := expected{from: "2023-04", to: "2024-03"}
	tests := []struct {
		name          string
		query         url.Values
		want          expected
		limit, offset int
		bbox          *orb.Bound
	}{
		{name: "defaults", want: window, limit: 100},
		{name: "page", query: url.Values{"limit": {"5"}, "offset": {"3"}}, want: window, limit: 5, offset: 3},
		{name: "offset past the end", query: url.Values{"offset": {"1000"}}, want: window, limit: 100, offset: 1000},
		{name: "clamped", query: url.Values{"limit": {"20000"}, "from": {"2022-12"}}, want: expected{from: "2022-12", to: "2024-03"}, limit: 10000},
		{name: "priority area", query: url.Values{"priority": {"city-centre-violence"}, "from": {"2022-12"}},
			want: expected{from: "2022-12", to: "2024-03", cats: violence, wards: []string{codeCastle}}, limit: 100},
		{name: "category", query: url.Values{"category": {"Burglary"}}, want: expected{from: "2023-04", to: "2024-03", cats: []string{"Burglary"}}, limit: 100},
		{name: "bbox", query: url.Values{"bbox": {"-1.15,52.63,-1.14,52.636"}}, want: window, limit: 100,
			bbox: &orb.Bound{Min: orb.Point{-1.15, 52.63}, Max: orb.Point{-1.14, 52.636}}},
		{name: "ward by name, any case", query: url.Values{"ward": {"wEsTcOtEs"}}, want: expected{from: "2023-04", to: "2024-03", wards: []string{codeWestcotes}}, limit: 100},
		{name: "ward by code", query: url.Values{"ward": {codeAbbey}}, want: expected{from: "2023-04", to: "2024-03", wards: []string{codeAbbey}}, limit: 100},
		{name: "scope area: only inside the wards", query: url.Values{"scope": {"area"}, "from": {"2022-12"}},
			want: expected{from: "2022-12", to: "2024-03", wards: []string{codeCastle, codeWestcotes, codeAbbey}}, limit: 100},
		{name: "scope all", query: url.Values{"scope": {"all"}}, want: window, limit: 100},
		{name: "at a map point", query: url.Values{"at": {"-1.1352,52.6331"}, "from": {"2022-12"}}, want: expected{from: "2022-12", to: "2024-03"}, limit: 100,
			bbox: &orb.Bound{Min: orb.Point{-1.1352, 52.6331}, Max: orb.Point{-1.1352, 52.6331}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			resp, body := f.get(t, "/api/v1/incidents?"+tc.query.Encode())
			if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "application/geo+json" {
				t.Fatalf("status %d, type %q: %s", resp.StatusCode, resp.Header.Get("Content-Type"), body)
			}
			var fc map[string]any
			if err := json.Unmarshal(body, &fc); err != nil {
				t.Fatal(err)
			}
			all := tc.want.listed()
			if tc.bbox != nil {
				all = slices.DeleteFunc(all, func(l *geo.Located) bool { return !l.HasLocation || !tc.bbox.Contains(l.Point) })
			}
			members := []string{"numberMatched", "numberReturned"}
			if tc.offset+tc.limit < len(all) {
				// Absent on the last page (DESIGN.md, "Keyset pages").
				members = append(members, "next")
			}
			feats, meta := checkCollection(t, fc, incProps, members...)
			if len(all) == 0 {
				t.Fatal("the case selects no incident of the fixture, so it checks nothing")
			}
			page := all[min(tc.offset, len(all)):min(tc.offset+tc.limit, len(all))]
			if int(num(t, fc["numberMatched"])) != len(all) || int(num(t, fc["numberReturned"])) != len(page) || len(feats) != len(page) {
				t.Fatalf("matched %v returned %v features %d; want %d, %d", fc["numberMatched"], fc["numberReturned"], len(feats), len(all), len(page))
			}
			if int(num(t, meta["limit"])) != tc.limit || int(num(t, meta["offset"])) != tc.offset {
				t.Errorf("meta limit/offset %v/%v, want %d/%d", meta["limit"], meta["offset"], tc.limit, tc.offset)
			}
			for i, ft := range feats {
				p, l := obj(t, ft["properties"]), page[i]
				if p["id"] != l.ID || p["month"] != l.Month.String() || p["category"] != l.Category {
					t.Errorf("feature %d: %v, want %s %s", i, p, l.ID, l.Month)
				}
				ward := wardOf(l.Point)
				switch {
				case !l.HasLocation:
					if ft["geometry"] != nil || p["ward"] != nil || p["ward_name"] != nil {
						t.Errorf("%s has no location: geometry %v ward %v %v, want null", l.ID, ft["geometry"], p["ward"], p["ward_name"])
					}
				case ward == "":
					if p["ward"] != nil || p["ward_name"] != nil {
						t.Errorf("%s lies outside the wards: ward %v %v, want null", l.ID, p["ward"], p["ward_name"])
					}
				default:
					g := obj(t, ft["geometry"])
					c := arr(t, g["coordinates"])
					if g["type"] != "Point" || num(t, c[0]) != l.Point[0] || num(t, c[1]) != l.Point[1] {
						t.Errorf("%s: geometry %v, want point %v exactly", l.ID, g, l.Point)
					}
					if p["ward"] != ward {
						t.Errorf("%s: ward %v, want %s", l.ID, p["ward"], ward)
					}
				}
			}
		})
	}
	// Some page must show an incident without location, or the null
	// geometry case above was never run.
	fc := f.getJSON(t, "/api/v1/incidents?from=2022-12&limit=10000", http.StatusOK)
	nulls := 0
	for _, ft := range arr(t, fc["features"]) {
		if obj(t, ft)["geometry"] == nil {
			nulls++
		}
	}
	if nulls == 0 {
		t.Error("no incident without location in the fixture's answer")
	}
}

// TestIncidentPlaceErrors: a ward, scope or point the API cannot use is a
// 400 naming the parameter.
func TestIncidentPlaceErrors(t *testing.T) {
	f := newFixture(t)
	for _, tc := range []struct{ query, param string }{
		{"ward=Narnia", "ward"},
		{"ward=", "ward"},
		{"scope=city", "scope"},
		{"at=-1.1,52.6,3", "at"},
		{"at=west,north", "at"},
		{"at=-200,52", "at"},
		{"order=latest", "order"},
	} {
		resp, body := f.get(t, "/api/v1/incidents?"+tc.query)
		var e errorBody
		_ = json.Unmarshal(body, &e)
		if resp.StatusCode != http.StatusBadRequest || e.Param != tc.param {
			t.Errorf("%s: %d %s; want 400 naming %s", tc.query, resp.StatusCode, body, tc.param)
		}
	}
	// At a point and by name in the series too.
	fc := f.getJSON(t, "/api/v1/series?ward=castle&from=2022-12", http.StatusOK)
	if fc["ward"] != codeCastle {
		t.Errorf("series?ward=castle answered ward %v; want %s", fc["ward"], codeCastle)
	}
}

// TestMapPoints: every map point with a counted incident, its count split
// by crime type, and ?at= on its coordinates lists exactly its incidents.
func TestMapPoints(t *testing.T) {
	f := newFixture(t)
	const period = "from=2022-12&to=2024-03"
	fc := f.getJSON(t, "/api/v1/points?"+period, http.StatusOK)
	feats := arr(t, fc["features"])
	// The fixture's counted incidents: located inside a ward.
	want := map[orb.Point]int{}
	for _, l := range (expected{from: "2022-12", to: "2024-03"}).listed() {
		if l.HasLocation && wardOf(l.Point) != "" {
			want[l.Point]++
		}
	}
	if len(feats) != len(want) || len(want) == 0 {
		t.Fatalf("%d points, want %d", len(feats), len(want))
	}
	for _, ft := range feats {
		p := obj(t, obj(t, ft)["properties"])
		c := arr(t, obj(t, obj(t, ft)["geometry"])["coordinates"])
		pt := orb.Point{num(t, c[0]), num(t, c[1])}
		n := int(num(t, p["count"]))
		if n != want[pt] {
			t.Errorf("point %v: count %d, want %d", pt, n, want[pt])
		}
		sum := 0
		for _, v := range obj(t, p["categories"]) {
			sum += int(num(t, v))
		}
		if sum != n {
			t.Errorf("point %v: categories %v add to %d, not %d", pt, p["categories"], sum, n)
		}
		at := strings.TrimPrefix(p["id"].(string), "p:")
		inc := f.getJSON(t, "/api/v1/incidents?scope=area&limit=1000&"+period+"&at="+at, http.StatusOK)
		if got := int(num(t, inc["numberMatched"])); got != n {
			t.Errorf("incidents?at=%s: %d, want the point's %d", at, got, n)
		}
	}
	// CSV carries the counts as JSON text.
	resp, body := f.get(t, "/api/v1/points?format=csv&"+period)
	if resp.StatusCode != 200 || !strings.Contains(string(body), `"{""`) {
		t.Errorf("points CSV: %d %.300s", resp.StatusCode, body)
	}
}

// TestIncidentsNewestFirst: order=newest pages newest month first, so a
// capped map loses the oldest months, not the latest.
func TestIncidentsNewestFirst(t *testing.T) {
	f := newFixture(t)
	fc := f.getJSON(t, "/api/v1/incidents?from=2022-12&limit=10000&order=newest", http.StatusOK)
	var months []string
	for _, ft := range arr(t, fc["features"]) {
		months = append(months, obj(t, obj(t, ft)["properties"])["month"].(string))
	}
	if len(months) < 2 || !slices.IsSortedFunc(months, func(a, b string) int { return strings.Compare(b, a) }) || months[0] != "2024-03" {
		t.Errorf("months %v: want newest first from 2024-03", months)
	}
}
