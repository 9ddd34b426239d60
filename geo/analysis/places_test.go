package analysis

import (
	"slices"
	"testing"

	"github.com/paulmach/orb"

	"github.com/leicester-csp/hotspot/geo"
	"github.com/leicester-csp/hotspot/geo/hex"
)

// A small ward over Leicester's centre, map points at chosen places and
// incidents with chosen locations: the cells named and the study areas
// can be worked out by hand.
func placesFixture(t *testing.T) (*Analyzer, map[string]orb.Point) {
	t.Helper()
	st := openStore(t)
	ward := geo.Area{Kind: geo.KindWard, Code: "E1", Name: "Castle",
		Geometry: orb.MultiPolygon{{{{-1.145, 52.628}, {-1.125, 52.628}, {-1.125, 52.640}, {-1.145, 52.640}, {-1.145, 52.628}}}}}
	pts := map[string]orb.Point{
		"clock": {-1.1355, 52.6345}, "market": {-1.1330, 52.6335}, "station": {-1.1260, 52.6310},
		"quiet": {-1.1440, 52.6390}, // a map point with only an old, other-category incident
	}
	m := geo.NewMonth(2024, 5)
	var rows []*geo.Located
	add := func(id, where, loc, cat string, month geo.Month) {
		p := pts[where]
		rows = append(rows, &geo.Located{Incident: geo.Incident{ID: id, Month: month, Category: cat, Location: loc,
			Outcome: "Under investigation", HasLocation: true, Point: p}, Cells: hex.CellsAt(p)})
	}
	// At the clock tower two locations tie at two each: byte order names
	// the cell.
	add("a1", "clock", "On or near Gallowtree Gate", "Shoplifting", m)
	add("a2", "clock", "On or near Gallowtree Gate", "Shoplifting", m)
	add("a3", "clock", "On or near Clock Tower", "Shoplifting", m)
	add("a4", "clock", "On or near Clock Tower", "Shoplifting", m)
	add("a5", "market", "On or near Market Place", "Shoplifting", m)
	add("a6", "station", "On or near London Road", "Shoplifting", m)
	add("a7", "station", "On or near London Road", "Shoplifting", m)
	add("a8", "station", "On or near Station Street", "Shoplifting", m)
	add("b1", "quiet", "On or near Back Lane", "Burglary", m-13)
	rows[5].Outcome = "" // a6: none recorded
	seq := func(yield func(geo.Row, error) bool) {
		for _, l := range rows {
			if !yield(geo.Row{Incident: l}, nil) {
				return
			}
		}
	}
	if _, err := st.Import(t.Context(), geo.ImportInput{Areas: []geo.Area{ward}, Rows: seq}); err != nil {
		t.Fatal(err)
	}
	return New(st, geo.BuiltinPriorities()), pts
}

func TestTopLocations(t *testing.T) {
	a, pts := placesFixture(t)
	month := Month(geo.NewMonth(2024, 5))
	res, err := a.Hex(t.Context(), Query{Category: "Shoplifting", From: month, To: month, Res: 10})
	if err != nil {
		t.Fatal(err)
	}
	want := map[geo.Cell]string{
		hex.CellAt(pts["clock"], 10):   "On or near Clock Tower", // 2–2 with Gallowtree Gate; "C" < "G"
		hex.CellAt(pts["market"], 10):  "On or near Market Place",
		hex.CellAt(pts["station"], 10): "On or near London Road",
	}
	named := 0
	for _, c := range res.Cells {
		if w, ok := want[c.Cell]; ok {
			named++
			if c.TopLocation != w {
				t.Errorf("cell %s named %q, want %q", hex.String(c.Cell), c.TopLocation, w)
			}
		} else if c.TopLocation != "" || c.Count != 0 {
			t.Errorf("cell %s: %d incidents named %q, want none", hex.String(c.Cell), c.Count, c.TopLocation)
		}
	}
	if named != len(want) || res.Total != 8 {
		t.Errorf("%d named cells, %d counted; want %d and 8", named, res.Total, len(want))
	}
}

func TestStudyPoints(t *testing.T) {
	a, pts := placesFixture(t)
	month := Month(geo.NewMonth(2024, 5))
	q := Query{Category: "Shoplifting", From: month, To: month, Res: 10}
	area, err := a.Hex(t.Context(), q)
	if err != nil {
		t.Fatal(err)
	}
	q.Study = StudyPoints
	points, err := a.Hex(t.Context(), q)
	if err != nil {
		t.Fatal(err)
	}
	// Every map point's cell, the quiet one too (any category, any
	// month), and nothing else.
	var want []geo.Cell
	for _, p := range pts {
		want = append(want, hex.CellAt(p, 10))
	}
	slices.Sort(want)
	want = slices.Compact(want)
	var got []geo.Cell
	for _, c := range points.Cells {
		got = append(got, c.Cell)
	}
	if !slices.Equal(got, want) || points.Query.Study != StudyPoints {
		t.Errorf("study=points cells %v, want %v", got, want)
	}
	if len(area.Cells) <= len(points.Cells) || area.Total != points.Total {
		t.Errorf("study=area has %d cells (%d counted), points %d (%d counted)", len(area.Cells), area.Total, len(points.Cells), points.Total)
	}
	if _, err := a.Hex(t.Context(), Query{Study: "everywhere"}); err == nil {
		t.Error("an unknown study area was accepted")
	}
}

func TestRepeats(t *testing.T) {
	a, pts := placesFixture(t)
	month := Month(geo.NewMonth(2024, 5))
	q := Query{Category: "Shoplifting", From: month, To: month}
	tests := []struct {
		min  int
		want []string // locations, ranked
		at   []string // their map points
	}{
		{2, []string{"On or near Clock Tower", "On or near London Road"}, []string{"clock", "station"}},
		{1, []string{"On or near Clock Tower", "On or near London Road", "On or near Market Place"}, []string{"clock", "station", "market"}},
		{5, nil, nil},
	}
	for _, tc := range tests {
		res, err := a.Repeats(t.Context(), q, tc.min)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for i, r := range res.Rows {
			got = append(got, r.Location)
			if r.Point != pts[tc.at[i]] || r.Ward != "E1" {
				t.Errorf("min %d, rank %d: point %v in %q, want %v in E1", tc.min, i+1, r.Point, r.Ward, pts[tc.at[i]])
			}
		}
		if !slices.Equal(got, tc.want) {
			t.Errorf("min %d: %q, want %q", tc.min, got, tc.want)
		}
	}
	if _, err := a.Repeats(t.Context(), q, 0); err == nil {
		t.Error("min 0 was accepted")
	}
}

func TestOutcomes(t *testing.T) {
	a, pts := placesFixture(t)
	month := Month(geo.NewMonth(2024, 5))
	q := Query{Category: "Shoplifting", From: month, To: month}
	tests := []struct {
		name string
		key  geo.SeriesKey
		want []OutcomeCount
	}{
		{"area", geo.SeriesKey{}, []OutcomeCount{{"Under investigation", 7, false}, {NoOutcome, 1, false}}},
		{"station cell", geo.SeriesKey{Cell: hex.CellAt(pts["station"], 10)}, []OutcomeCount{{"Under investigation", 2, false}, {NoOutcome, 1, false}}},
		{"ward", geo.SeriesKey{Ward: "E1"}, []OutcomeCount{{"Under investigation", 7, false}, {NoOutcome, 1, false}}},
		{"empty cell", geo.SeriesKey{Cell: hex.CellAt(pts["quiet"], 9)}, []OutcomeCount{}},
	}
	for _, tc := range tests {
		_, got, err := a.Outcomes(t.Context(), q, tc.key)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != len(tc.want) || (len(got) > 0 && !slices.Equal(got, tc.want)) {
			t.Errorf("%s: %v, want %v", tc.name, got, tc.want)
		}
	}
}
