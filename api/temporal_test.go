package api

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/leicester-csp/hotspot/geo"
	"github.com/leicester-csp/hotspot/geo/access"
	"github.com/leicester-csp/hotspot/geo/analysis"
	"github.com/leicester-csp/hotspot/geo/hex"
	"github.com/leicester-csp/hotspot/geo/store/embedded"
)

type temporalJSON struct {
	Days       []string       `json:"days"`
	Matrix     [][]*int       `json:"matrix"`
	Suppressed [][]bool       `json:"suppressed"`
	CountsAre  string         `json:"counts_are"`
	Meta       map[string]any `json:"meta"`
}

// cells lists the matrix's non-zero cells as "day hour" → count, and a
// withheld one as -1.
func (m temporalJSON) cells(t *testing.T) map[string]int {
	t.Helper()
	if len(m.Days) != 7 || m.Days[0] != "mon" || m.Days[6] != "sun" || len(m.Matrix) != 7 {
		t.Fatalf("shape: days %v, %d rows", m.Days, len(m.Matrix))
	}
	out := map[string]int{}
	for d, row := range m.Matrix {
		if len(row) != 24 {
			t.Fatalf("row %d has %d hours", d, len(row))
		}
		for h, c := range row {
			hidden := m.Suppressed != nil && m.Suppressed[d][h]
			switch {
			case c == nil && hidden:
				out[fmt.Sprintf("%s %02d", m.Days[d], h)] = -1
			case c == nil || hidden:
				t.Fatalf("%s %02d: count %v, suppressed %v", m.Days[d], h, c, hidden)
			case *c != 0:
				out[fmt.Sprintf("%s %02d", m.Days[d], h)] = *c
			}
		}
	}
	return out
}

func getTemporal(t *testing.T, f *fixture, target string, auth ...string) temporalJSON {
	t.Helper()
	resp, body := f.get(t, target, auth...)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("%s: %d %s", target, resp.StatusCode, body)
	}
	var m temporalJSON
	if err := json.Unmarshal(body, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

// localRecords are records of source src at local wall times (Europe/London),
// all at the Castle hot point.
func localRecords(t testing.TB, src string, whens ...string) geo.ImportInput {
	var recs []*geo.Located
	for i, when := range whens {
		at, err := time.ParseInLocation("2006-01-02 15:04", when, geo.London)
		if err != nil {
			t.Fatal(err)
		}
		p := fixturePoints[0]
		recs = append(recs, &geo.Located{Incident: geo.Incident{
			ID: fmt.Sprintf("%s%03d", src, i), Month: geo.NewMonth(at.Year(), int(at.Month())), Category: "Street drinking",
			Location: "Clock Tower", HasLocation: true, Point: p, Source: src, Occurred: at,
		}, Cells: hex.CellsAt(p)})
	}
	return geo.ImportInput{Rows: func(yield func(geo.Row, error) bool) {
		for _, r := range recs {
			if !yield(geo.Row{Incident: r}, nil) {
				return
			}
		}
	}}
}

// dstTimes: both 2024 clock changes and a Monday 00:30 BST that is Sunday
// in UTC. 2024-03-31 01:xx never happened; 01:30 on 2024-10-27 happened
// twice and is hour 1 either way.
var dstTimes = []string{"2024-03-31 00:30", "2024-03-31 02:30", "2024-10-27 01:30", "2024-07-01 00:30"}

// The partner fixture by hand: Fridays 1, 8, 15 March at 20:00 (r0, r4),
// 21:00 (r1, r5), 22:00 (r2, r6), 23:00 (r3); Tuesday 5 March 14:00 (w1).
func TestTemporal(t *testing.T) {
	f, tokens := partnerFixture(t)
	if _, err := f.store.Import(t.Context(), localRecords(t, "nights", dstTimes...)); err != nil {
		t.Fatal(err)
	}
	analyst := bearer(tokens[access.Analyst])
	m := getTemporal(t, f, "/api/v1/temporal?source=council&from=2024-03&to=2024-03", analyst...)
	want := map[string]int{"fri 20": 2, "fri 21": 2, "fri 22": 2, "fri 23": 1, "tue 14": 1}
	if got := m.cells(t); fmt.Sprint(got) != fmt.Sprint(want) || m.Suppressed != nil {
		t.Errorf("council: %v (suppressed %v), want %v", got, m.Suppressed, want)
	}
	// With source=all the matrix holds fewer than the ward totals: the
	// answer says why.
	if all := getTemporal(t, f, "/api/v1/temporal?source=all&from=2024-03&to=2024-03", analyst...); !strings.Contains(all.CountsAre, "police.uk records have no time of day") {
		t.Errorf("counts_are %q does not say police.uk records are left out", all.CountsAre)
	}
	if m.Meta["from"] != "2024-03" || m.Meta["source"] != "council" {
		t.Errorf("meta %v, want from 2024-03 and source council", m.Meta)
	}
	for target, want := range map[string]map[string]int{
		"/api/v1/temporal?source=council&from=2024-03&to=2024-03&ward=Westcotes":       {"tue 14": 1},
		"/api/v1/temporal?source=council&from=2024-03&to=2024-03&flag=knife":           {"fri 20": 1, "fri 21": 1},
		"/api/v1/temporal?source=council&from=2024-03&to=2024-03&days=fri&hours=21-23": {"fri 21": 2, "fri 22": 2},
		"/api/v1/temporal?source=nights&from=2024-03&to=2024-10":                       {"sun 00": 1, "sun 02": 1, "sun 01": 1, "mon 00": 1},
		"/api/v1/temporal?source=nights&from=2024-03&to=2024-10&h3=" + cellText(9):     {"sun 00": 1, "sun 02": 1, "sun 01": 1, "mon 00": 1},
		"/api/v1/temporal?source=nights&from=2024-03&to=2024-10&days=sun&hours=23-01":  {"mon 00": 1},
	} {
		if got := getTemporal(t, f, target, analyst...).cells(t); fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("%s: %v, want %v", target, got, want)
		}
	}
}

// A partner sees no count from 1 to 4 and, when exactly one is withheld,
// not the next smallest either.
func TestTemporalSuppression(t *testing.T) {
	f, tokens := partnerFixture(t)
	var whens []string
	for i := range 6 {
		whens = append(whens, fmt.Sprintf("2024-03-02 10:%02d", i)) // Saturday 10:00, 6
	}
	for i := range 5 {
		whens = append(whens, fmt.Sprintf("2024-03-03 11:%02d", i)) // Sunday 11:00, 5
	}
	whens = append(whens, "2024-03-04 09:00") // Monday 09:00, 1
	if _, err := f.store.Import(t.Context(), localRecords(t, "bid", whens...)); err != nil {
		t.Fatal(err)
	}
	partner := bearer(tokens[access.Partner])
	for target, want := range map[string]map[string]int{
		"/api/v1/temporal?source=council&from=2024-03&to=2024-03": {"fri 20": -1, "fri 21": -1, "fri 22": -1, "fri 23": -1, "tue 14": -1},
		"/api/v1/temporal?source=bid&from=2024-03&to=2024-03":     {"sat 10": 6, "sun 11": -1, "mon 09": -1},
	} {
		if got := getTemporal(t, f, target, partner...).cells(t); fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("partner %s: %v, want %v", target, got, want)
		}
	}
	got := getTemporal(t, f, "/api/v1/temporal?source=bid&from=2024-03&to=2024-03", bearer(tokens[access.Analyst])...).cells(t)
	if want := map[string]int{"sat 10": 6, "sun 11": 5, "mon 09": 1}; fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("analyst bid: %v, want %v", got, want)
	}
}

func TestTemporalErrors(t *testing.T) {
	f, tokens := partnerFixture(t)
	analyst := bearer(tokens[access.Analyst])
	for _, tc := range []struct {
		target string
		auth   []string
		status int
		param  string
	}{
		{"/api/v1/temporal", analyst, 400, "source"},
		{"/api/v1/temporal?source=policeuk", analyst, 400, "source"},
		{"/api/v1/temporal?source=all", nil, 400, "source"}, // public: all is police.uk
		{"/api/v1/temporal?source=council", nil, 403, "source"},
		{"/api/v1/temporal?source=council&hours=25-03", analyst, 400, "hours"},
		{"/api/v1/temporal?source=council&days=fri,someday", analyst, 400, "days"},
		{"/api/v1/temporal?source=council&ward=Nowhere", analyst, 400, "ward"},
		{"/api/v1/temporal?source=council&res=9", analyst, 400, "res"},
	} {
		resp, body := f.get(t, tc.target, tc.auth...)
		if resp.StatusCode != tc.status || !strings.Contains(string(body), `"param":"`+tc.param+`"`) {
			t.Errorf("%s: %d %s; want %d naming %s", tc.target, resp.StatusCode, body, tc.status, tc.param)
		}
	}
	if _, body := f.get(t, "/api/v1/temporal", analyst...); !strings.Contains(string(body), "no time of day") {
		t.Errorf("policeuk: %s does not say why", body)
	}
}

// TestStoresAgreeOnTemporal: the same records in the embedded store and
// PostGIS (HOTSPOT_TEST_DATABASE_URL) give byte-identical matrices.
func TestStoresAgreeOnTemporal(t *testing.T) {
	pg := testPostGIS(t, "hotspot_test_temporal")
	emb, err := embedded.Open(t.Context(), t.TempDir(), embedded.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { emb.Close() })
	whens := append([]string{"2024-03-01 20:00", "2024-03-01 21:15", "2024-03-08 20:59", "2024-06-15 13:00"}, dstTimes...)
	var servers []*fixture
	k, tok, err := access.NewKey("test analyst", access.Analyst, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	for _, st := range []geo.Store{emb, pg} {
		if _, err := st.Import(t.Context(), changeInput()); err != nil {
			t.Fatal(err)
		}
		if _, err := st.Import(t.Context(), localRecords(t, "council", whens...)); err != nil {
			t.Fatal(err)
		}
		keys := st.(access.Keyring)
		if err := keys.AddKey(t.Context(), k); err != nil {
			t.Fatal(err)
		}
		servers = append(servers, &fixture{srv: New(Config{Store: st, Analyzer: analysis.New(st, geo.BuiltinPriorities()), CacheBytes: -1, Keys: keys})})
	}
	for _, target := range []string{
		"/api/v1/temporal?source=council&from=2024-01&to=2024-12",
		"/api/v1/temporal?source=all&from=2024-03&to=2024-03&ward=" + codeCastle,
		"/api/v1/temporal?source=council&from=2024-01&to=2024-12&days=fri&hours=20-22&h3=" + cellText(8),
		"/api/v1/temporal?source=council&from=2024-01&to=2024-12&ward=Westcotes",
	} {
		er, eb := servers[0].get(t, target, bearer(tok)...)
		pr, pb := servers[1].get(t, target, bearer(tok)...)
		if er.StatusCode != http.StatusOK || pr.StatusCode != http.StatusOK {
			t.Errorf("%s: embedded %d, postgis %d: %s", target, er.StatusCode, pr.StatusCode, pb)
			continue
		}
		var m temporalJSON
		if err := json.Unmarshal(eb, &m); err != nil || len(m.cells(t)) == 0 && !strings.Contains(target, "Westcotes") {
			t.Errorf("%s: nothing counted (%v): %.400s", target, err, eb)
		}
		eb, pb = versionMember.ReplaceAll(eb, nil), versionMember.ReplaceAll(pb, nil)
		if !bytes.Equal(eb, pb) {
			t.Errorf("%s differs:\nembedded %.400s\npostgis  %.400s", target, eb, pb)
		}
	}
}
