package analysis

import (
	"context"
	"errors"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/leicester-csp/hotspot/geo"
	"github.com/leicester-csp/hotspot/geo/stats"
)

func TestTopHotspots(t *testing.T) {
	nan := math.NaN()
	cells := []HexCell{
		{Cell: 10, Count: 3, Z: 2.0, Bin: 1},
		{Cell: 11, Count: 9, Z: 4.0, Bin: 3},
		{Cell: 12, Count: 0, Z: 5.0, Bin: 3}, // no incidents: never a hot spot
		{Cell: 13, Count: 4, Z: 3.5, Bin: 2},
		{Cell: 14, Count: 5, Z: 4.0, Bin: 3}, // ties 11 on bin and z: index decides
		{Cell: 9, Count: 5, Z: 4.5, Bin: 3},
		{Cell: 15, Count: 7, Z: -3, Bin: -3}, // cold
		{Cell: 16, Count: 2, Z: 1.0, Bin: 0},
		{Cell: 17, Count: 2, Z: nan, Bin: 1},
		{Cell: 18, Count: 2, Z: 1.9, Bin: 1},
	}
	for _, tc := range []struct {
		n    int
		want []geo.Cell
	}{
		{5, []geo.Cell{9, 11, 14, 13, 10}},
		{10, []geo.Cell{9, 11, 14, 13, 10, 18, 17}},
		{2, []geo.Cell{9, 11}},
		{0, []geo.Cell{}},
	} {
		var got []geo.Cell
		for _, c := range TopHotspots(cells, tc.n) {
			got = append(got, c.Cell)
		}
		if !slices.Equal(got, tc.want) && !(len(got) == 0 && len(tc.want) == 0) {
			t.Errorf("top %d: %v, want %v", tc.n, got, tc.want)
		}
	}
	if got := TopHotspots(nil, 5); len(got) != 0 {
		t.Errorf("no cells: %v", got)
	}
}

func robberyAnalyzer(t *testing.T) *Analyzer {
	t.Helper()
	a, _ := changeStore(t)
	a.priorities = []geo.Priority{{ID: "robbery", Name: "Robbery", Categories: []string{"Robbery"}}}
	return a
}

// TestBrief works changeStore's figures by hand (see TestChange): West
// holds 10 robberies in 2024-04…06, 2 in 2024-01…03 and 3 in 2023-04…06;
// East none, 6 and 6.
func TestBrief(t *testing.T) {
	a := robberyAnalyzer(t)
	ctx := t.Context()
	june := geo.NewMonth(2024, 6)
	var asked []string
	targets := func(_ context.Context, ward string) ([]AreaSummary, error) {
		asked = append(asked, ward)
		return []AreaSummary{{ID: "t1", Name: "Market", Priority: "robbery", Start: geo.NewMonth(2024, 1)}}, nil
	}
	b, err := a.Brief(ctx, BriefQuery{Ward: "west", Priority: "robbery", Month: &june}, targets)
	if err != nil {
		t.Fatal(err)
	}
	if b.Ward.Code != "W1" || b.Period.String() != "2024-04/2024-06" || b.Count != 10 {
		t.Fatalf("ward %s, period %s, count %d", b.Ward.Code, b.Period, b.Count)
	}
	if *b.Previous.Count != 2 || *b.Year.Count != 3 {
		t.Errorf("previous %d, year %d; want 2 and 3", *b.Previous.Count, *b.Year.Count)
	}
	// 2·(1+12+66)/2^12 and 2·(1+13+78+286)/2^13, summed by hand.
	if p := *b.Previous.ChangeP; math.Abs(p-158.0/4096) > 1e-12 {
		t.Errorf("change_p on the previous period %v", p)
	}
	if p := *b.Year.ChangeP; math.Abs(p-756.0/8192) > 1e-12 {
		t.Errorf("change_p on last year %v", p)
	}
	wantTrend := map[string]int{"2024-01": 2, "2024-04": 4, "2024-05": 3, "2024-06": 3}
	if len(b.Trend) != 12 || b.Trend[0].Month.String() != "2023-07" {
		t.Fatalf("trend %v", b.Trend)
	}
	for _, m := range b.Trend {
		if m.Count != wantTrend[m.Month.String()] {
			t.Errorf("trend %s: %d, want %d", m.Month, m.Count, wantTrend[m.Month.String()])
		}
	}
	if len(b.Types) != 1 || b.Types[0] != (CategoryCount{"Robbery", 10}) {
		t.Errorf("types %v", b.Types)
	}
	if !b.Emerging.Available || b.Emerging.Period.String() != "2023-07/2024-06" {
		t.Errorf("emerging %+v", b.Emerging)
	}
	if !b.TargetsKnown || len(b.Targets) != 1 || !slices.Equal(asked, []string{"W1"}) {
		t.Errorf("targets %v (asked for %v)", b.Targets, asked)
	}
	for i, h := range b.Hotspots {
		if h.Bin <= 0 || h.Count == 0 || !centredIn(b.Ward.Geometry)(h.Cell) {
			t.Errorf("hot spot %d %+v is not a hot cell of the ward", i, h)
		}
	}
}

func TestBriefQuiet(t *testing.T) {
	a := robberyAnalyzer(t)
	june := geo.NewMonth(2024, 6)
	b, err := a.Brief(t.Context(), BriefQuery{Ward: "W2", Priority: "robbery", Month: &june}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if b.Count != 0 || len(b.Hotspots) != 0 || b.HotCells != 0 || b.TargetsKnown {
		t.Errorf("East: count %d, hot spots %v, targets known %v", b.Count, b.Hotspots, b.TargetsKnown)
	}
	// 0 against 6: 2/2^6.
	if p := *b.Previous.ChangeP; p != 2.0/64 {
		t.Errorf("change_p %v", p)
	}
	// The data start in 2023-01: a brief on 2023-03 has no base periods
	// and too few months for emerging patterns.
	march := geo.NewMonth(2023, 3)
	b, err = a.Brief(t.Context(), BriefQuery{Ward: "W1", Priority: "robbery", Month: &march}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if b.Previous.Count != nil || b.Year.Count != nil || b.Previous.ChangeP != nil {
		t.Errorf("base periods before the data: %+v %+v", b.Previous, b.Year)
	}
	if b.Emerging.Available || !strings.Contains(b.Emerging.Note, "at least 10 months") {
		t.Errorf("emerging %+v", b.Emerging)
	}
	// A priority limited to East says a West brief is outside its area.
	a.priorities = append(a.priorities, geo.Priority{ID: "east-robbery", Name: "East robbery", Categories: []string{"Robbery"}, Area: []string{"East"}})
	b, err = a.Brief(t.Context(), BriefQuery{Ward: "W1", Priority: "east-robbery", Month: &june}, nil)
	if err != nil || !b.OutsideArea || b.Count != 0 || len(b.Hotspots) != 0 || b.Previous.Period.String() != "2024-01/2024-03" {
		t.Errorf("outside the area: %+v, %v", b, err)
	}
	for _, p := range b.Emerging.Patterns {
		if !slices.Contains(stats.Patterns(), p.Pattern) {
			t.Errorf("pattern %q", p.Pattern)
		}
	}
}

func TestBriefBadInput(t *testing.T) {
	a := robberyAnalyzer(t)
	m := func(y, mo int) *geo.Month { v := geo.NewMonth(y, mo); return &v }
	for _, tc := range []struct {
		q     BriefQuery
		field string
	}{
		{BriefQuery{Ward: "W1"}, "priority"},
		{BriefQuery{Ward: "W1", Priority: "nope"}, "priority"},
		{BriefQuery{Ward: "Nowhere", Priority: "robbery"}, "ward"},
		{BriefQuery{Ward: "W1", Priority: "robbery", Months: 13}, "months"},
		{BriefQuery{Ward: "W1", Priority: "robbery", Months: -1}, "months"},
		{BriefQuery{Ward: "W1", Priority: "robbery", Month: m(2024, 7)}, "month"},
		{BriefQuery{Ward: "W1", Priority: "robbery", Month: m(2022, 12)}, "month"},
	} {
		_, err := a.Brief(t.Context(), tc.q, nil)
		var fe *FieldError
		if !errors.As(err, &fe) || fe.Field != tc.field {
			t.Errorf("%+v: %v, want a FieldError on %s", tc.q, err, tc.field)
		}
	}
}
