package api

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/paulmach/orb"

	"github.com/leicester-csp/hotspot/geo"
	"github.com/leicester-csp/hotspot/geo/access"
	"github.com/leicester-csp/hotspot/geo/analysis"
	"github.com/leicester-csp/hotspot/geo/hex"
	"github.com/leicester-csp/hotspot/geo/store/embedded"
)

// Brief fixture: a large ward "Central" (about 3.4 × 3.3 km, so its
// study area has cells enough for Gi* to find a cluster) beside "Quiet",
// with a cluster of cells around one point in 2024 (12 incidents in the
// middle cell, 3 to 8 in its ring) and single incidents scattered in a
// row across Central, all robberies.
const (
	codeCentral = "E09000001"
	codeQuiet   = "E09000002"
)

var briefCentre = orb.Point{-1.1300, 52.6350}

func briefInput() geo.ImportInput {
	wards := []geo.Area{
		{Kind: geo.KindWard, Code: codeCentral, Name: "Central", Geometry: square(-1.155, 52.620, -1.105, 52.650)},
		{Kind: geo.KindWard, Code: codeQuiet, Name: "Quiet", Geometry: square(-1.205, 52.620, -1.155, 52.650)},
	}
	var incs []*geo.Located
	add := func(p orb.Point, n int, loc string) {
		for range n {
			m := geo.NewMonth(2024, 1+len(incs)%12)
			incs = append(incs, &geo.Located{Incident: geo.Incident{ID: fmt.Sprintf("b%04d", len(incs)), Month: m, Category: "Robbery",
				Location: loc, Outcome: "Under investigation", HasLocation: true, Point: p}, Cells: hex.CellsAt(p)})
		}
	}
	mid := hex.CellAt(briefCentre, 9)
	add(briefCentre, 12, "On or near Clock Tower")
	for i, c := range hex.Disk(mid, 1) {
		if c != mid {
			add(hex.Center(c), 3+i%6, fmt.Sprintf("On or near Ring Road %d", i))
		}
	}
	for i := range 20 {
		add(orb.Point{-1.152 + float64(i)*0.0022, 52.623}, 1, "On or near Long Lane")
	}
	rows := func(yield func(geo.Row, error) bool) {
		for _, l := range incs {
			if !yield(geo.Row{Incident: l}, nil) {
				return
			}
		}
	}
	return geo.ImportInput{Areas: wards, Rows: rows}
}

func briefServer(tb testing.TB, st geo.Store) *fixture {
	tb.Helper()
	if _, err := st.Import(tb.Context(), briefInput()); err != nil {
		tb.Fatal(err)
	}
	prios := []geo.Priority{{ID: "robbery", Name: "Robbery", Categories: []string{"Robbery"}}}
	ms := []geo.Measure{{ID: "central-robbery", Name: "Robbery in Central", Categories: []string{"Robbery"}, Area: []string{"Central"}, Goal: geo.GoalReduce}}
	return &fixture{srv: New(Config{Store: st, Analyzer: analysis.New(st, prios).WithMeasures(ms), CacheBytes: -1})}
}

func embeddedBrief(tb testing.TB) *fixture {
	tb.Helper()
	st, err := embedded.Open(tb.Context(), tb.TempDir(), embedded.Options{})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { st.Close() })
	return briefServer(tb, st)
}

// TestBriefingTopFive checks the brief's hot spots against the hex
// answer for the same priority and period: its cells centred in the ward
// (a rectangle here) with gi_bin > 0 and incidents, by bin, then z, then
// H3 index, the first five.
func TestBriefingTopFive(t *testing.T) {
	f := embeddedBrief(t)
	b := f.getJSON(t, "/briefings/wards/Central?priority=robbery&month=2024-12&months=12&format=json", http.StatusOK)
	fc := f.getJSON(t, "/api/v1/hotspots/hex?priority=robbery&from=2024-01&to=2024-12&res=9&k=1", http.StatusOK)
	type cell struct {
		h3       string
		bin      int
		z        float64
		count    int
		location any
	}
	var want []cell
	for _, ft := range arr(t, fc["features"]) {
		p := obj(t, obj(t, ft)["properties"])
		c, err := hex.Parse(p["h3"].(string))
		if err != nil {
			t.Fatal(err)
		}
		ctr := hex.Center(c)
		inside := ctr[0] > -1.155 && ctr[0] < -1.105 && ctr[1] > 52.620 && ctr[1] < 52.650
		if inside && num(t, p["gi_bin"]) > 0 && num(t, p["count"]) > 0 {
			want = append(want, cell{p["h3"].(string), int(num(t, p["gi_bin"])), num(t, p["gi_z"]), int(num(t, p["count"])), p["top_location"]})
		}
	}
	// Insertion sort by the rule, written out separately from the code
	// under test.
	for i := 1; i < len(want); i++ {
		for j := i; j > 0; j-- {
			a, b := want[j-1], want[j]
			less := b.bin > a.bin || (b.bin == a.bin && (b.z > a.z || (b.z == a.z && hexLess(b.h3, a.h3))))
			if !less {
				break
			}
			want[j-1], want[j] = b, a
		}
	}
	if len(want) < 2 {
		t.Fatalf("the fixture has %d hot cells; it should have a cluster", len(want))
	}
	want = want[:min(5, len(want))]
	got := arr(t, b["hotspots"])
	if len(got) != len(want) || int(num(t, b["hot_cells"])) < len(want) {
		t.Fatalf("%d hot spots, want %d", len(got), len(want))
	}
	for i, g := range got {
		g := obj(t, g)
		w := want[i]
		if g["h3"] != w.h3 || int(num(t, g["gi_bin"])) != w.bin || num(t, g["gi_z"]) != w.z || int(num(t, g["count"])) != w.count || g["top_location"] != w.location {
			t.Errorf("hot spot %d: %v, want %+v", i+1, g, w)
		}
	}
	if obj(t, got[0])["top_location"] != "On or near Clock Tower" {
		t.Errorf("the cluster's middle is not first: %v", got[0])
	}
	quiet := f.getJSON(t, "/briefings/wards/Quiet?priority=robbery&month=2024-12&format=json", http.StatusOK)
	if len(arr(t, quiet["hotspots"])) != 0 || !strings.Contains(fmt.Sprint(quiet["notes"]), "No hot spots") {
		t.Errorf("a quiet ward: %v, notes %v", quiet["hotspots"], quiet["notes"])
	}
	if n := len(arr(t, b["trend"])); n != 12 {
		t.Errorf("trend of %d months", n)
	}
	// A ward outside a priority's area: a page that says so.
	small := newFixture(t)
	out := small.getJSON(t, "/briefings/wards/Westcotes?priority=city-centre-violence&format=json", http.StatusOK)
	if out["outside_area"] != true || len(arr(t, out["hotspots"])) != 0 || !strings.Contains(fmt.Sprint(out["notes"]), "outside the area") {
		t.Errorf("outside the area: %v", out)
	}
	if resp, body := small.get(t, "/briefings/wards/Westcotes?priority=city-centre-violence"); resp.StatusCode != http.StatusOK || !bytes.Contains(body, []byte("outside the area")) {
		t.Errorf("outside the area, HTML: %d %.300s", resp.StatusCode, body)
	}
	if e := obj(t, b["emerging"]); e["available"] != true {
		t.Errorf("emerging %v", e)
	}
	if b["target_areas_note"] == "" || len(arr(t, b["target_areas"])) != 0 {
		t.Errorf("target areas %v %v", b["target_areas"], b["target_areas_note"])
	}
}

// hexLess compares H3 indexes as unsigned integers (15 hex digits each).
func hexLess(a, b string) bool { return len(a) < len(b) || (len(a) == len(b) && a < b) }

func TestBriefingBadInput(t *testing.T) {
	f := newFixture(t)
	for _, tc := range []struct{ target, param string }{
		{"/briefings/wards/" + codeCastle, "priority"},
		{"/briefings/wards/Nowhere?priority=asb", "ward"},
		{"/briefings/wards/Castle?priority=nope", "priority"},
		{"/briefings/wards/Castle?priority=asb&month=2024-13", "month"},
		{"/briefings/wards/Castle?priority=asb&month=2031-01", "month"},
		// 12 months ending 2023-01 would start before the data (2022-12).
		{"/briefings/wards/Castle?priority=asb&month=2023-01&months=12", "month"},
		{"/briefings/wards/Castle?priority=asb&months=0", "months"},
		{"/briefings/wards/Castle?priority=asb&months=13", "months"},
		{"/briefings/wards/Castle?priority=asb&months=x", "months"},
		{"/briefings/wards/Castle?priority=asb&format=pdf", "format"},
		{"/briefings/wards/Castle?priority=asb&from=2024-01", "from"},
		{"/briefings/wards/Castle?priority=asb&priority=asb", "priority"},
		{"/reports/quarterly?quarter=2024Q5", "quarter"},
		{"/reports/quarterly?quarter=2024-Q1", "quarter"},
		{"/reports/quarterly?quarter=", "quarter"},
		{"/briefings/wards/Castle?priority=asb&months=", "months"},
		{"/reports/quarterly?quarter=2030Q1", "quarter"},
		{"/reports/quarterly?quarter=2022Q4", "quarter"},
		{"/reports/quarterly?format=xml", "format"},
		{"/reports/quarterly?month=2024-01", "month"},
	} {
		resp, body := f.get(t, tc.target)
		var e errorBody
		if resp.StatusCode != http.StatusBadRequest || json.Unmarshal(body, &e) != nil || e.Param != tc.param {
			t.Errorf("%s: %d %s, want 400 naming %s", tc.target, resp.StatusCode, body, tc.param)
		}
	}
}

// evilFixture names a ward, a priority and a location as markup would.
func evilFixture(t *testing.T) *fixture {
	t.Helper()
	st, err := embedded.Open(t.Context(), t.TempDir(), embedded.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	wards := fixtureWards()
	wards[0].Name = `Castle <script>alert("w")</script> & "Co"`
	var incs []*geo.Located
	for i := range 30 {
		p := fixturePoints[i%3]
		incs = append(incs, &geo.Located{Incident: geo.Incident{ID: fmt.Sprintf("e%02d", i), Month: geo.NewMonth(2024, 1+i%12),
			Category: "Robbery", Location: `On or near <img src=x onerror=alert(1)> Street`, HasLocation: true, Point: p}, Cells: hex.CellsAt(p)})
	}
	rows := func(yield func(geo.Row, error) bool) {
		for _, l := range incs {
			if !yield(geo.Row{Incident: l}, nil) {
				return
			}
		}
	}
	if _, err := st.Import(t.Context(), geo.ImportInput{Areas: wards, Rows: rows}); err != nil {
		t.Fatal(err)
	}
	prios := []geo.Priority{{ID: "evil", Name: `Night <b onmouseover="x">economy</b>`, Categories: []string{"Robbery"}}}
	ms := []geo.Measure{{ID: "evil-measure", Name: `=HYPERLINK("http://x") <i>`, Categories: []string{"Robbery"}, Goal: geo.GoalReduce}}
	an := analysis.New(st, prios).WithMeasures(ms)
	targets := func(context.Context, string) ([]analysis.AreaSummary, error) {
		panic("a public caller's brief must not ask for target areas")
	}
	return &fixture{srv: New(Config{Store: st, Analyzer: an, TargetAreas: targets})}
}

// tagsOf returns a page's tags alone: escaped text holds no "<", so what
// is left is markup a browser would act on.
func tagsOf(page string) string {
	return strings.Join(regexp.MustCompile(`<[^>]*>`).FindAllString(page, -1), "\n")
}

var externalRef = regexp.MustCompile(`(?i)(src|href|xlink:href|url)\s*[=(]\s*["']?\s*(https?:|//)`)

// TestPrintedPagesAreSafe: names from data files are escaped, and the
// pages refer to nothing outside themselves.
func TestPrintedPagesAreSafe(t *testing.T) {
	f := evilFixture(t)
	for _, target := range []string{"/briefings/wards/" + codeCastle + "?priority=evil", "/reports/quarterly"} {
		resp, body := f.get(t, target)
		if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") {
			t.Fatalf("%s: %d %s %.300s", target, resp.StatusCode, resp.Header.Get("Content-Type"), body)
		}
		for _, raw := range []string{"<script", "<img", "<b ", "<i>", "onerror=alert", `onmouseover="x"`} {
			if bytes.Contains(body, []byte(raw)) {
				t.Errorf("%s holds unescaped %q", target, raw)
			}
		}
		// The one link is an empty data: icon, so that browsers do not ask
		// for /favicon.ico.
		tags := strings.Replace(tagsOf(string(body)), `<link rel="icon" href="data:,">`, "", 1)
		if m := externalRef.FindString(tags); m != "" {
			t.Errorf("%s refers outside itself: %s", target, m)
		}
		if strings.Contains(tags, "<link") || strings.Contains(tags, "<script") {
			t.Errorf("%s links a style sheet or script", target)
		}
	}
	_, body := f.get(t, "/briefings/wards/"+codeCastle+"?priority=evil")
	if !bytes.Contains(body, []byte("&lt;script&gt;")) {
		t.Errorf("the escaped names are missing: %.2000s", body)
	}
	_, body = f.get(t, "/reports/quarterly?format=csv")
	rows, err := csv.NewReader(bytes.NewReader(body)).ReadAll()
	if err != nil || rows[len(rows)-1][1] != `'=HYPERLINK("http://x") <i>` {
		t.Errorf("the CSV does not defuse a formula: %v %v", rows, err)
	}
}

// TestQuarterlyAnswers: the JSON has DESIGN.md's keys exactly, the
// default quarter is the latest complete one, and a comparison quarter
// before the data is null.
func TestQuarterlyAnswers(t *testing.T) {
	f := embeddedChange(t)
	rep := f.getJSON(t, "/reports/quarterly?format=json", http.StatusOK)
	if rep["quarter"] != "2025Q2" || len(rep) != 2 {
		t.Fatalf("default quarter %v (%v)", rep["quarter"], rep)
	}
	want := "change_p_previous,change_p_year,count,id,last_year,name,off_track,previous"
	for _, r := range arr(t, rep["rows"]) {
		var keys []string
		for k := range obj(t, r) {
			keys = append(keys, k)
		}
		if got := strings.Join(sortedStrings(keys), ","); got != want {
			t.Errorf("row keys %s, want %s", got, want)
		}
	}
	first := f.getJSON(t, "/reports/quarterly?quarter=2023Q1&format=json", http.StatusOK)
	for _, r := range arr(t, first["rows"]) {
		r := obj(t, r)
		if r["previous"] != nil || r["last_year"] != nil || r["change_p_year"] != nil || r["off_track"] != false {
			t.Errorf("2023Q1 compares with a quarter before the data: %v", r)
		}
	}
	resp, body := f.get(t, "/reports/quarterly?quarter=2025Q2&format=csv")
	if resp.StatusCode != http.StatusOK || !strings.HasPrefix(string(body), "id,name,count,previous,last_year,change_p_previous,change_p_year,off_track\n") {
		t.Errorf("CSV: %d %.200s", resp.StatusCode, body)
	}
}

func sortedStrings(s []string) []string {
	out := append([]string(nil), s...)
	for i := range out {
		for j := i + 1; j < len(out); j++ {
			if out[j] < out[i] {
				out[i], out[j] = out[j], out[i]
			}
		}
	}
	return out
}

// TestBriefTargetAreas: the target-area seam is asked only for callers
// who may list target areas (partner and above), whose briefs are not
// kept in any cache; the public is told none are shown.
func TestBriefTargetAreas(t *testing.T) {
	var asked []string
	wdq := 0.5
	seam := func(_ context.Context, ward string) ([]analysis.AreaSummary, error) {
		asked = append(asked, ward)
		return []analysis.AreaSummary{{ID: "7", Name: "Market <Square>", Priority: "asb", Start: geo.NewMonth(2023, 10), Actions: "patrols",
			Evaluation: &analysis.AreaFigures{TBefore: 9, TAfter: 4, WDQ: &wdq}}}, nil
	}
	f, tokens := keyedFixture(t, func(c *Config) { c.TargetAreas = seam })
	const target = "/briefings/wards/Castle?priority=asb&format=json"
	pub := f.getJSON(t, target, http.StatusOK)
	if len(asked) != 0 || len(arr(t, pub["target_areas"])) != 0 {
		t.Fatalf("a public brief asked for target areas (%v): %v", asked, pub["target_areas"])
	}
	for _, role := range []access.Role{access.Partner, access.Analyst} {
		resp, body := f.get(t, target, bearer(tokens[role])...)
		var b map[string]any
		if resp.StatusCode != http.StatusOK || json.Unmarshal(body, &b) != nil {
			t.Fatalf("%s: %d %s", role, resp.StatusCode, body)
		}
		ta := arr(t, b["target_areas"])
		if len(ta) != 1 || obj(t, ta[0])["name"] != "Market <Square>" || obj(t, obj(t, ta[0])["evaluation"])["wdq"] != 0.5 {
			t.Errorf("%s: target areas %v", role, b["target_areas"])
		}
		if cc := resp.Header.Get("Cache-Control"); cc != "private, no-store" {
			t.Errorf("%s: Cache-Control %q", role, cc)
		}
	}
	if len(asked) != 2 || asked[0] != codeCastle {
		t.Errorf("the seam was asked for %v", asked)
	}
}
