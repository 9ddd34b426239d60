package fallback

import (
	"strings"
	"testing"

	"github.com/paulmach/orb"

	"github.com/leicester-csp/hotspot/geo"
	"github.com/leicester-csp/hotspot/geo/store/embedded"
)

func open(t *testing.T) *embedded.Store {
	t.Helper()
	st, err := embedded.Open(t.Context(), t.TempDir(), embedded.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

func one(id string) func(func(geo.Row, error) bool) {
	return func(yield func(geo.Row, error) bool) {
		yield(geo.Row{Incident: &geo.Located{Incident: geo.Incident{ID: id, Month: geo.NewMonth(2024, 1), Category: "Drugs", HasLocation: true, Point: orb.Point{1, 1}}}}, nil)
	}
}

func TestSwitchesToPrimaryOnImport(t *testing.T) {
	primary, demo := open(t), open(t)
	if _, err := demo.Import(t.Context(), geo.ImportInput{Rows: one("demo")}); err != nil {
		t.Fatal(err)
	}
	fb := &Store{Primary: primary, Demo: demo}
	ctx := t.Context()
	if !fb.Synthetic(ctx) {
		t.Fatal("an empty primary should give the demo")
	}
	if v, _ := fb.Version(ctx); !strings.HasPrefix(v, "demo-") {
		t.Errorf("demo version %q lacks its prefix", v)
	}
	if _, err := fb.Incident(ctx, "demo"); err != nil {
		t.Errorf("demo incident: %v", err)
	}
	// Imports go to the primary, which then answers.
	if _, err := fb.Import(ctx, geo.ImportInput{Rows: one("real")}); err != nil {
		t.Fatal(err)
	}
	if fb.Synthetic(ctx) {
		t.Fatal("still synthetic after an import")
	}
	if _, err := fb.Incident(ctx, "real"); err != nil {
		t.Errorf("real incident: %v", err)
	}
	if _, err := fb.Incident(ctx, "demo"); err == nil {
		t.Error("demo data served after the switch")
	}
	if v, _ := fb.Version(ctx); strings.HasPrefix(v, "demo-") {
		t.Errorf("version %q still the demo's", v)
	}
}

// A run that loads only boundaries is real data: the demo goes.
func TestBoundariesAloneEndTheDemo(t *testing.T) {
	primary, demo := open(t), open(t)
	fb := &Store{Primary: primary, Demo: demo}
	if !fb.Synthetic(t.Context()) {
		t.Fatal("an empty primary should give the demo")
	}
	ward := geo.Area{Kind: geo.KindWard, Code: "W1", Name: "One", Geometry: orb.MultiPolygon{{{{0, 0}, {1, 0}, {1, 1}, {0, 1}, {0, 0}}}}}
	if _, err := fb.Import(t.Context(), geo.ImportInput{Areas: []geo.Area{ward}}); err != nil {
		t.Fatal(err)
	}
	if fb.Synthetic(t.Context()) {
		t.Error("still the demo after real wards were loaded")
	}
}
