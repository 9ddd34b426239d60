package analysis

import (
	"errors"
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/paulmach/orb"

	"github.com/leicester-csp/hotspot/geo"
	"github.com/leicester-csp/hotspot/geo/hex"
	"github.com/leicester-csp/hotspot/geo/store/embedded"
)

// metresPerDegreeLon is the contract's projection at a latitude, worked
// out here from DESIGN.md's radius rather than taken from the code.
func metresPerDegreeLon(lat float64) float64 {
	return 6371008.8 * math.Pi / 180 * math.Cos(lat*math.Pi/180)
}

func box(x0, y0, x1, y1 float64) orb.MultiPolygon {
	return orb.MultiPolygon{{{{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}, {x0, y0}}}}
}

type placed struct {
	p             orb.Point
	before, after int
	category      string
}

// evalFixture: ward E1 holds the area (a box centred at −1.15, 52.63)
// and points 249 m and 251 m east of its east edge, at the centroid's
// latitude; ward E2 lies east of it.
func evalFixture(t *testing.T) (*Analyzer, geo.TargetArea) {
	t.Helper()
	st := openStore(t)
	k := metresPerDegreeLon(52.63)
	pts := []placed{
		{orb.Point{-1.15, 52.63}, 5, 2, "Anti-social behaviour"},
		{orb.Point{-1.14, 52.625}, 1, 0, "Anti-social behaviour"}, // on the area's edge: inside
		{orb.Point{-1.14 + 249/k, 52.63}, 3, 3, "Anti-social behaviour"},
		{orb.Point{-1.14 + 251/k, 52.63}, 4, 1, "Anti-social behaviour"},
		{orb.Point{-1.19, 52.61}, 10, 10, "Anti-social behaviour"},
		{orb.Point{-1.15, 52.631}, 7, 7, "Shoplifting"},          // not the priority's
		{orb.Point{-1.05, 52.63}, 9, 9, "Anti-social behaviour"}, // in E2
	}
	var incs []*geo.Located
	for i, pl := range pts {
		for j := range pl.before + pl.after {
			m := geo.NewMonth(2024, 1+j%6)
			if j >= pl.before {
				m = geo.NewMonth(2024, 7+j%6)
			}
			incs = append(incs, &geo.Located{Incident: geo.Incident{ID: fmt.Sprintf("p%d-%d", i, j), Month: m, Category: pl.category, HasLocation: true, Point: pl.p}, Cells: hex.CellsAt(pl.p)})
		}
	}
	wards := []geo.Area{
		{Kind: geo.KindWard, Code: "E1", Name: "West ward", Geometry: box(-1.20, 52.60, -1.10, 52.66)},
		{Kind: geo.KindWard, Code: "E2", Name: "East ward", Geometry: box(-1.10, 52.60, -1.00, 52.66)},
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
	a := New(st, geo.BuiltinPriorities())
	area := geo.TargetArea{ID: "ta1", Name: "Clock Tower", Priority: "asb", Start: geo.NewMonth(2024, 7), Geometry: box(-1.16, 52.62, -1.14, 52.64)}
	if err := st.AddTargetArea(t.Context(), area); err != nil {
		t.Fatal(err)
	}
	return a, area
}

func TestEvaluateCounts(t *testing.T) {
	a, area := evalFixture(t)
	buf := func(v float64) *float64 { return &v }
	cases := []struct {
		name   string
		buffer *float64
		want   [6]int // T before, after; D before, after; C before, after
	}{
		// 249 m is in the buffer, 251 m is not (the control has it).
		{"buffer 250", nil, [6]int{6, 2, 3, 3, 14, 11}},
		{"buffer 249.5", buf(249.5), [6]int{6, 2, 3, 3, 14, 11}},
		{"buffer 248.5", buf(248.5), [6]int{6, 2, 0, 0, 17, 14}},
		{"buffer 251.5", buf(251.5), [6]int{6, 2, 7, 4, 10, 10}},
		{"no buffer", buf(0), [6]int{6, 2, 0, 0, 17, 14}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ev, err := a.Evaluate(t.Context(), area, EvalQuery{Control: "E1", Buffer: c.buffer})
			if err != nil {
				t.Fatal(err)
			}
			got := [6]int{ev.TBefore, ev.TAfter, ev.DBefore, ev.DAfter, ev.CBefore, ev.CAfter}
			if got != c.want {
				t.Errorf("counts = %v; want %v", got, c.want)
			}
			if ev.Before != (geo.MonthRange{From: geo.NewMonth(2024, 1), To: geo.NewMonth(2024, 6)}) || ev.After.From != geo.NewMonth(2024, 7) {
				t.Errorf("windows %v, %v", ev.Before, ev.After)
			}
			if (ev.WDQ == nil) != (c.buffer != nil && *c.buffer == 0) && ev.Buffer == 0 {
				t.Errorf("wdq = %v with buffer %v", ev.WDQ, ev.Buffer)
			}
			if ev.Verdict == "" || ev.ControlName != "West ward" {
				t.Errorf("verdict %q, control %q", ev.Verdict, ev.ControlName)
			}
		})
	}
}

func TestEvaluateBadInput(t *testing.T) {
	a, area := evalFixture(t)
	neg, big := -1.0, 2001.0
	late := area
	late.Start = geo.NewMonth(2025, 1)
	first := area
	first.Start = geo.NewMonth(2024, 1)
	cases := []struct {
		name  string
		area  geo.TargetArea
		q     EvalQuery
		field string
	}{
		{"no control", area, EvalQuery{}, "control"},
		{"unknown control", area, EvalQuery{Control: "E9"}, "control"},
		{"itself as control", area, EvalQuery{Control: "ta1"}, "control"},
		{"negative buffer", area, EvalQuery{Control: "E1", Buffer: &neg}, "buffer"},
		{"buffer too wide", area, EvalQuery{Control: "E1", Buffer: &big}, "buffer"},
		{"before too long", area, EvalQuery{Control: "E1", Before: 37}, "before"},
		{"after negative", area, EvalQuery{Control: "E1", After: -1}, "after"},
		{"start after the data", late, EvalQuery{Control: "E1"}, "start"},
		{"start at the first month", first, EvalQuery{Control: "E1"}, "start"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := a.Evaluate(t.Context(), c.area, c.q)
			var fe *FieldError
			if !errors.As(err, &fe) || fe.Field != c.field {
				t.Fatalf("err = %v; want a FieldError naming %s", err, c.field)
			}
		})
	}
	if _, err := a.EvaluateTargetArea(t.Context(), "nope", EvalQuery{Control: "E1"}); !errors.Is(err, geo.ErrNotFound) {
		t.Errorf("unknown area: %v; want ErrNotFound", err)
	}
}

func TestEvaluateAreaControl(t *testing.T) {
	a, area := evalFixture(t)
	ctl := geo.TargetArea{ID: "ta2", Name: "Far corner", Priority: "asb", Start: geo.NewMonth(2024, 7), Geometry: box(-1.20, 52.60, -1.18, 52.62)}
	if err := a.TargetAreaStore().AddTargetArea(t.Context(), ctl); err != nil {
		t.Fatal(err)
	}
	ev, err := a.Evaluate(t.Context(), area, EvalQuery{Control: "ta2"})
	if err != nil {
		t.Fatal(err)
	}
	if ev.CBefore != 10 || ev.CAfter != 10 || ev.ControlKind != "area" {
		t.Errorf("control counts %d, %d (%s); want 10, 10 from the other area", ev.CBefore, ev.CAfter, ev.ControlKind)
	}
}

func TestAreasTouching(t *testing.T) {
	a, _ := evalFixture(t)
	across := geo.TargetArea{ID: "ta3", Name: "Across", Priority: "asb", Start: geo.NewMonth(2024, 7), Geometry: box(-1.11, 52.62, -1.09, 52.64)}
	if err := a.TargetAreaStore().AddTargetArea(t.Context(), across); err != nil {
		t.Fatal(err)
	}
	for ward, want := range map[string][]string{"E1": {"ta1", "ta3"}, "East ward": {"ta3"}} {
		evs, err := a.AreasTouching(t.Context(), ward)
		if err != nil {
			t.Fatal(err)
		}
		var ids []string
		for _, ev := range evs {
			ids = append(ids, ev.Area.ID)
			if ev.Verdict == "" || ev.ControlKind != "ward" {
				t.Errorf("%s: %+v", ev.Area.ID, ev)
			}
		}
		if fmt.Sprint(ids) != fmt.Sprint(want) {
			t.Errorf("areas touching %s = %v; want %v", ward, ids, want)
		}
	}
}

// tallyOnly hides the store's window counts, so that evaluations take
// the point-tally path.
type tallyOnly struct{ geo.Store }

// TestEvaluateReadsAgree: the window-count read and the point-tally read
// give the same evaluation.
func TestEvaluateReadsAgree(t *testing.T) {
	a, area := evalFixture(t)
	st := a.TargetAreaStore().(*embedded.Store)
	slow := New(tallyOnly{st}, geo.BuiltinPriorities()).WithTargetAreas(st)
	for _, q := range []EvalQuery{{Control: "E1"}, {Control: "E2"}, {Control: "E1", Before: 3, After: 9}} {
		for _, buf := range []float64{0, 100, 249.5, 2000} {
			q.Buffer = &buf
			fast, err := a.Evaluate(t.Context(), area, q)
			if err != nil {
				t.Fatal(err)
			}
			other, err := slow.Evaluate(t.Context(), area, q)
			if err != nil {
				t.Fatal(err)
			}
			if fast.Counts != other.Counts || fast.Verdict != other.Verdict {
				t.Errorf("%+v buffer %v: window counts %+v, point tallies %+v", q, buf, fast.Counts, other.Counts)
			}
		}
	}
}

// TestAreaSummaries: the briefing's view of the areas touching a ward
// carries each area's counts and figures as its evaluation computed them.
func TestAreaSummaries(t *testing.T) {
	a, _ := evalFixture(t)
	evs, err := a.AreasTouching(t.Context(), "E1")
	if err != nil || len(evs) == 0 {
		t.Fatalf("areas touching E1: %v, %v", evs, err)
	}
	sums, err := a.AreaSummaries(t.Context(), "E1")
	if err != nil || len(sums) != len(evs) {
		t.Fatalf("summaries %v, %v", sums, err)
	}
	for i, s := range sums {
		ev := evs[i]
		if s.ID != ev.Area.ID || !strings.HasSuffix(s.Verdict, ": "+ev.Verdict) || !strings.Contains(s.Verdict, "rest of the ward ("+ev.ControlName) || s.Evaluation == nil {
			t.Fatalf("summary %+v of %+v", s, ev)
		}
		e := s.Evaluation
		if e.TBefore != ev.TBefore || e.TAfter != ev.TAfter || e.CBefore != ev.CBefore || e.CAfter != ev.CAfter ||
			e.WDD == nil || *e.WDD != ev.WDD || fmt.Sprint(deref(e.WDQ), deref(e.WDDP)) != fmt.Sprint(deref(ev.WDQ), deref(ev.WDDP)) {
			t.Errorf("figures %+v; evaluation %+v", e, ev.Result)
		}
	}
}
