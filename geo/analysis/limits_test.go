package analysis

import (
	"errors"
	"testing"
	"time"

	"github.com/paulmach/orb"

	"github.com/leicester-csp/hotspot/geo"
)

// A study area too large to fill is refused before any fill, naming res.
func TestMaxCells(t *testing.T) {
	st := openStore(t)
	huge := geo.Area{Kind: geo.KindWard, Code: "E1", Name: "Continent",
		Geometry: orb.MultiPolygon{{{{-10, 40}, {30, 40}, {30, 60}, {-10, 60}, {-10, 40}}}}}
	m := geo.NewMonth(2024, 1)
	seq := func(yield func(geo.Row, error) bool) {
		yield(geo.Row{Incident: &geo.Located{Incident: geo.Incident{ID: "a", Month: m, Category: "Robbery", HasLocation: true, Point: orb.Point{0, 50}}}}, nil)
	}
	if _, err := st.Import(t.Context(), geo.ImportInput{Areas: []geo.Area{huge}, Rows: seq}); err != nil {
		t.Fatal(err)
	}
	a := New(st, geo.BuiltinPriorities())
	start := time.Now()
	_, err := a.Hex(t.Context(), Query{Res: 8})
	var fe *FieldError
	if !errors.As(err, &fe) || fe.Field != "res" {
		t.Fatalf("res 8 over a continent: %v, want a FieldError naming res", err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("refusing took %v: the area was filled first", d)
	}
	if _, err := a.WithMaxCells(10).Hex(t.Context(), Query{Res: 6}); !errors.As(err, &fe) {
		t.Errorf("res 6 with a limit of 10 cells: %v, want refused", err)
	}
}
