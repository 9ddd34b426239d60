package brief

import (
	"bytes"
	"math"
	"regexp"
	"strings"
	"testing"

	"github.com/paulmach/orb"

	"github.com/leicester-csp/hotspot/geo"
	"github.com/leicester-csp/hotspot/geo/analysis"
	"github.com/leicester-csp/hotspot/geo/hex"
)

const evil = `<script>alert("x")</script><img src=http://evil.example/x.png onerror=alert(1)>`

func evilBrief() *analysis.Brief {
	ward := orb.MultiPolygon{{{{-1.14, 52.63}, {-1.13, 52.63}, {-1.13, 52.636}, {-1.14, 52.636}, {-1.14, 52.63}}}}
	c := hex.CellAt(orb.Point{-1.135, 52.633}, 9)
	hot := analysis.HexCell{Cell: c, Count: 7, Z: 3.2, Bin: 2, TopLocation: "On or near " + evil}
	b := &analysis.Brief{
		Ward:     geo.Area{Kind: geo.KindWard, Code: "E1", Name: "Ward " + evil, Geometry: ward},
		Priority: geo.Priority{ID: "p", Name: "Priority " + evil, Categories: []string{"Robbery " + evil}},
		Period:   geo.MonthRange{From: geo.NewMonth(2024, 4), To: geo.NewMonth(2024, 6)},
		Count:    7, Cells: []analysis.HexCell{hot, {Cell: hex.Disk(c, 1)[1], Z: math.NaN()}}, MapCells: []analysis.HexCell{hot}, Hotspots: []analysis.HexCell{hot}, HotCells: 1,
		Types:        []analysis.CategoryCount{{Category: "Robbery " + evil, Count: 7}},
		TargetsKnown: true,
		Targets:      []analysis.AreaSummary{{ID: "1", Name: "Target " + evil, Actions: "Patrols " + evil, Start: geo.NewMonth(2024, 1)}},
		Emerging:     analysis.BriefEmerging{Available: true, Patterns: []analysis.PatternCount{{Pattern: "new_hot", Cells: 1}}},
		DataFrom:     geo.NewMonth(2023, 1), DataTo: geo.NewMonth(2024, 6),
	}
	for m := b.Period.To - 11; m <= b.Period.To; m++ {
		b.Trend = append(b.Trend, analysis.MonthCount{Month: m, Count: int(m) % 7})
	}
	return b
}

// Tags returns a page's tags alone: escaped text holds no "<", so what
// is left is markup a browser would act on.
func Tags(page string) string {
	return strings.Join(regexp.MustCompile(`<[^>]*>`).FindAllString(page, -1), "\n")
}

// outside matches a reference a browser would fetch from elsewhere; an
// empty data: icon (which stops Chromium asking for /favicon.ico) is the
// page's own.
var outside = regexp.MustCompile(`(?i)(src|href|xlink:href)\s*=\s*["']?\s*([a-z]+:|//)|url\(\s*["']?\s*([a-z]+:|//)|@import`)

func withoutIcon(tags string) string {
	return strings.Replace(tags, `<link rel="icon" href="data:,">`, "", 1)
}

func TestBriefHTMLEscapesAndStaysHome(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteHTML(&buf, FromBrief(evilBrief())); err != nil {
		t.Fatal(err)
	}
	page := buf.String()
	for _, raw := range []string{"<script", "<img"} {
		if strings.Contains(page, raw) {
			t.Errorf("the page holds unescaped %q", raw)
		}
	}
	// Every text, the location of a hot spot included, arrives escaped.
	if n := strings.Count(page, "&lt;img src=http://evil.example/x.png onerror=alert(1)&gt;"); n < 6 {
		t.Errorf("the names appear escaped %d times, want at least 6", n)
	}
	for _, ref := range []string{`<img src="https://x/y.png">`, `<a href=//x>`, `<rect fill="url( 'http://x' )">`, `<link href="data:x">`} {
		if outside.FindString(Tags(ref)) == "" {
			t.Fatalf("the check misses %s", ref)
		}
	}
	if m := outside.FindString(withoutIcon(Tags(page))); m != "" {
		t.Errorf("the page refers outside itself: %s", m)
	}
	for _, want := range []string{"<svg class=\"map\"", "Top five hot spots", ">N</text>", "clipPath", "Target "} {
		if !strings.Contains(page, want) {
			t.Errorf("the page lacks %q", want)
		}
	}
}

func TestScaleBar(t *testing.T) {
	for _, tc := range []struct {
		bound orb.Bound
		label string
	}{
		// 680 × 667 m, fitted to 352 units of height (0.53 a metre): a
		// fifth of the 600-unit width is about 227 m → 200 m.
		{orb.Bound{Min: orb.Point{-1.14, 52.630}, Max: orb.Point{-1.13, 52.636}}, "200 m"},
		// Ten times as large → 2 km.
		{orb.Bound{Min: orb.Point{-1.20, 52.60}, Max: orb.Point{-1.10, 52.66}}, "2 km"},
	} {
		p := newProjection(tc.bound)
		sb := scaleFor(p)
		if sb.Label != tc.label {
			t.Errorf("%v: scale bar %q, want %q", tc.bound, sb.Label, tc.label)
		}
		// The bar's length in metres, measured back through the drawing.
		metres := sb.Width / p.scale * metresPerDegree
		if want := map[string]float64{"200 m": 200, "2 km": 2000}[tc.label]; math.Abs(metres-want) > 1e-6*want {
			t.Errorf("%v: the bar is %v m long", tc.bound, metres)
		}
	}
}

func TestChangeWords(t *testing.T) {
	p := func(v float64) *float64 { return &v }
	n := func(v int) *int { return &v }
	for _, tc := range []struct {
		count int
		prev  *int
		p     *float64
		want  string
	}{
		{12, n(4), p(0.0768), "Up 200 % on x (12 against 4); within chance (exact test, change_p 0.077)."},
		{12, n(1), p(0.0034), "Up 1100 % on x (12 against 1); a significant change (exact test, change_p 0.003)."},
		{0, n(6), p(0.03125), "Down 100 % on x (0 against 6); a significant change (exact test, change_p 0.031)."},
		{3, n(0), p(0.25), "Up from none on x (3 against 0); within chance (exact test, change_p 0.250)."},
		{0, n(0), nil, "Level with x (0 against 0)."},
		{5, nil, nil, "No comparison with x: the data do not cover all of it."},
		{5, n(5), p(1), "Level with x (5 against 5); within chance (exact test, change_p 1.000)."},
	} {
		if got := ChangeWords(tc.count, tc.prev, tc.p, "x"); got != tc.want {
			t.Errorf("%d vs %v: %q, want %q", tc.count, tc.prev, got, tc.want)
		}
	}
}

// TestTrendBeforeTheData: months of the trend before the data's first
// month are unknown (null, a dash on the chart), not 0.
func TestTrendBeforeTheData(t *testing.T) {
	b := evilBrief()
	b.DataFrom = geo.NewMonth(2024, 1)
	c := FromBrief(b)
	var known int
	for _, m := range c.Trend {
		if (m.Count == nil) != (m.Month < "2024-01") {
			t.Errorf("%s: count %v", m.Month, m.Count)
		}
		if m.Count != nil {
			known++
		}
	}
	if known != 6 {
		t.Errorf("%d months known, want 6", known)
	}
	dashes := 0
	for _, bar := range c.TrendChart.Bars {
		if bar.Count == "–" {
			dashes++
		}
	}
	if dashes != 6 {
		t.Errorf("%d dashes on the chart, want 6", dashes)
	}
}
