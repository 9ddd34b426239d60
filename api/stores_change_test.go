package api

import (
	"bytes"
	"fmt"
	"net/http"
	"regexp"
	"testing"

	"github.com/leicester-csp/hotspot/geo"
	"github.com/leicester-csp/hotspot/geo/analysis"
	h3 "github.com/leicester-csp/hotspot/geo/hex"
	"github.com/leicester-csp/hotspot/geo/store/embedded"
)

// changeInput is the fixture plus changes large enough to be significant,
// in months of their own (2024-06, 2025-05, 2025-06): Castle's hot spot
// rises 5 → 30 (4 a year earlier), a Westcotes point falls 20 → 2 (15),
// an Abbey point moves 6 → 8 (7).
func changeInput() geo.ImportInput {
	incs := fixtureIncidents()
	add := func(pt, n int, month string) {
		m, _ := geo.ParseMonth(month)
		for range n {
			p := fixturePoints[pt]
			incs = append(incs, &geo.Located{Incident: geo.Incident{
				ID: fmt.Sprintf("chg%04d", len(incs)), Month: m, Category: "Shoplifting", Location: "On or near Market Street",
				Outcome: "Under investigation", HasLocation: true, Point: p}, Cells: h3.CellsAt(p)})
		}
	}
	for _, c := range []struct {
		pt                    int
		year, before, current int
	}{{0, 4, 5, 30}, {5, 15, 20, 2}, {7, 7, 6, 8}} {
		add(c.pt, c.year, "2024-06")
		add(c.pt, c.before, "2025-05")
		add(c.pt, c.current, "2025-06")
	}
	rows := func(yield func(geo.Row, error) bool) {
		for _, l := range incs {
			if !yield(geo.Row{Incident: l}, nil) {
				return
			}
		}
	}
	return geo.ImportInput{Areas: fixtureWards(), Population: fixturePopulation(), Rows: rows}
}

func serverOn(tb testing.TB, st geo.Store) *fixture {
	tb.Helper()
	if _, err := st.Import(tb.Context(), changeInput()); err != nil {
		tb.Fatal(err)
	}
	return &fixture{srv: New(Config{Store: st, Analyzer: analysis.New(st, geo.BuiltinPriorities()), CacheBytes: -1})}
}

func embeddedChange(tb testing.TB) *fixture {
	tb.Helper()
	st, err := embedded.Open(tb.Context(), tb.TempDir(), embedded.Options{})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { st.Close() })
	return serverOn(tb, st)
}

// TestChangeSignificant: 30 against 5 (p = 2·384168/2^35 ≈ 2.2e-5) and 2
// against 20 (p = 2·254/2^22 ≈ 1.2e-4) stay below 0.01 after BH over the
// three places with a test (×3 at most); 8 against 6 (p = 2·6476/2^14 ≈
// 0.79) is not significant. A year earlier: 30 against 4, 2 against 15,
// 8 against 7.
func TestChangeSignificant(t *testing.T) {
	f := embeddedChange(t)
	for _, q := range []string{"from=2025-06&to=2025-06", "from=2025-06&to=2025-06&compare=year"} {
		for _, path := range []string{"/api/v1/hotspots/wards?", "/api/v1/hotspots/change?res=9&"} {
			fc := f.getJSON(t, path+q, http.StatusOK)
			got := map[string]float64{}
			for _, ft := range arr(t, fc["features"]) {
				p := obj(t, obj(t, ft)["properties"])
				if num(t, p["count"])+num(t, p["prev_count"]) > 0 {
					got[fmt.Sprint(p["count"])] = num(t, p["change_bin"])
					if want := refChangeP(int(num(t, p["count"])), int(num(t, p["prev_count"]))); num(t, p["change_p"]) != want {
						t.Errorf("%s%s: change_p %v, want %v", path, q, p["change_p"], want)
					}
				}
			}
			if want := map[string]float64{"30": 3, "2": -3, "8": 0}; fmt.Sprint(got) != fmt.Sprint(want) {
				t.Errorf("%s%s: bins by count %v, want %v", path, q, got, want)
			}
		}
	}
}

var versionMember = regexp.MustCompile(`"version":"[^"]*"`)

// TestStoresAgreeOnChange loads the same data into the embedded store and
// PostGIS (HOTSPOT_TEST_DATABASE_URL) and requires byte-identical answers
// from the change, ward and concentration endpoints, the data version
// aside.
func TestStoresAgreeOnChange(t *testing.T) {
	pg := testPostGIS(t, "hotspot_test_api")
	emb, pgf := embeddedChange(t), serverOn(t, pg)
	for _, target := range []string{
		"/api/v1/hotspots/wards?from=2025-06&to=2025-06",
		"/api/v1/hotspots/wards?from=2025-06&to=2025-06&compare=year",
		"/api/v1/hotspots/wards?priority=city-centre-violence&from=2023-08&to=2024-03&compare=year",
		"/api/v1/hotspots/wards?from=2023-01&to=2023-05",
		"/api/v1/hotspots/change?from=2025-06&to=2025-06&res=9",
		"/api/v1/hotspots/change?from=2025-06&to=2025-06&res=10&compare=year",
		"/api/v1/hotspots/change?from=2025-01&to=2025-06&res=8&priority=retail-crime",
		"/api/v1/hotspots/change?from=2023-08&to=2024-03&res=9&format=csv",
		"/api/v1/hotspots/change?from=2025-06&to=2025-06&bbox=-1.1355,52.6325,-1.1345,52.6335",
		"/api/v1/concentration?res=9&from=2022-12&to=2025-06",
		"/api/v1/concentration?res=10&priority=retail-crime&from=2025-06&to=2025-06",
		"/api/v1/concentration?res=8&ward=" + codeCastle,
		"/api/v1/concentration?from=2019-01",
		"/tiles/change/14/8140/5378.mvt?from=2025-06&to=2025-06",
		"/ogc/collections/change-retail-crime/items?compare=year&datetime=2025-06",
	} {
		er, eb := emb.get(t, target)
		pr, pb := pgf.get(t, target)
		if er.StatusCode != http.StatusOK || pr.StatusCode != http.StatusOK {
			t.Errorf("%s: embedded %d, postgis %d: %s", target, er.StatusCode, pr.StatusCode, pb)
			continue
		}
		eb, pb = versionMember.ReplaceAll(eb, nil), versionMember.ReplaceAll(pb, nil)
		if !bytes.Equal(eb, pb) {
			t.Errorf("%s differs:\nembedded %.400s\npostgis  %.400s", target, eb, pb)
		}
	}
}
