package storetest

import (
	"iter"
	"testing"

	"github.com/paulmach/orb"

	"github.com/leicester-csp/hotspot/geo"
)

// Fixture geometry: two unit-ish squares side by side sharing the edge
// lon = 0.01. W2 lies west, W1 east, so a point on the shared edge must go
// to W1, the lower code, although W2 comes first geographically.
var (
	west = geo.Area{Kind: geo.KindWard, Code: "W2", Name: "West", Geometry: square(0, 0, 0.01, 0.01)}
	east = geo.Area{Kind: geo.KindWard, Code: "W1", Name: "East", Geometry: square(0.01, 0, 0.02, 0.01)}
)

func square(x0, y0, x1, y1 float64) orb.MultiPolygon {
	return orb.MultiPolygon{{{{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}, {x0, y0}}}}
}

// Fake cells: the suite checks that stores keep and group by the cells
// they are given, not H3 itself; cell c at resolution r is c*16 + r.
func cells(c uint64) [geo.NumRes]geo.Cell {
	var out [geo.NumRes]geo.Cell
	for r := range out {
		out[r] = geo.Cell(c*16 + uint64(r+geo.MinRes))
	}
	return out
}

func inc(id string, month string, cat string, p *orb.Point, cell uint64) *geo.Located {
	m, err := geo.ParseMonth(month)
	if err != nil {
		panic(err)
	}
	l := &geo.Located{Incident: geo.Incident{
		ID: id, Month: m, ReportedBy: "Test Police", FallsWithin: "Test Police",
		Location: "On or near Test Street", LSOACode: "E01000001", LSOAName: "Test 001A",
		Category: cat, Outcome: "Under investigation",
	}}
	if p != nil {
		l.HasLocation = true
		l.Point = *p
		l.Cells = cells(cell)
	} else {
		l.Location = "No Location"
	}
	return l
}

var (
	pWest = &orb.Point{0.005, 0.005}
	pEast = &orb.Point{0.015, 0.005}
	pEdge = &orb.Point{0.01, 0.005}
	pOut  = &orb.Point{0.05, 0.05}
)

// fixture returns a dozen incidents over three months.
func fixture() []*geo.Located {
	const (
		asb  = "Anti-social behaviour"
		viol = "Violence and sexual offences"
		shop = "Shoplifting"
	)
	return []*geo.Located{
		inc("c01", "2024-01", viol, pWest, 1),
		inc("c02", "2024-01", viol, pWest, 1),
		inc("c03", "2024-01", shop, pEast, 2),
		inc("asb-0001", "2024-01", asb, pEdge, 3),
		inc("c04", "2024-02", viol, pEast, 2),
		inc("c05", "2024-02", viol, nil, 0),
		inc("c06", "2024-02", asb, pOut, 9),
		inc("B07", "2024-02", viol, pWest, 1), // "B07" < "c04" byte-wise
		inc("c08", "2024-03", shop, pEast, 2),
		inc("c09", "2024-03", viol, pEdge, 3),
		inc("c10", "2024-03", asb, pWest, 1),
		inc("c11", "2024-03", asb, nil, 0),
	}
}

func rowsOf(incs []*geo.Located, rejects ...geo.Reject) iter.Seq2[geo.Row, error] {
	return func(yield func(geo.Row, error) bool) {
		for _, l := range incs {
			if !yield(geo.Row{Incident: l}, nil) {
				return
			}
		}
		for i := range rejects {
			if !yield(geo.Row{Reject: &rejects[i]}, nil) {
				return
			}
		}
	}
}

func all() geo.MonthRange {
	return geo.MonthRange{From: geo.NewMonth(2000, 1), To: geo.NewMonth(2100, 12)}
}

func mustImport(t *testing.T, st geo.Store, in geo.ImportInput) geo.ImportResult {
	t.Helper()
	res, err := st.Import(t.Context(), in)
	if err != nil {
		t.Fatalf("import: %v", err)
	}
	return res
}

func mustVersion(t *testing.T, st geo.Store) string {
	t.Helper()
	v, err := st.Version(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func loaded(t *testing.T, open Opener) (geo.Store, func() geo.Store) {
	t.Helper()
	st, reopen := open(t)
	mustImport(t, st, geo.ImportInput{Areas: []geo.Area{west, east}, Population: map[string]int{"W1": 2000, "W2": 500}})
	res := mustImport(t, st, geo.ImportInput{Rows: rowsOf(fixture())})
	if res.Imported != 12 || res.Duplicates != 0 {
		t.Fatalf("import fixture: %+v, want 12 imported", res)
	}
	return st, reopen
}
