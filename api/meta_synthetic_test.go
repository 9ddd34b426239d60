package api

import (
	"reflect"
	"testing"
	"time"

	"github.com/leicester-csp/hotspot/geo"
	"github.com/leicester-csp/hotspot/geo/access"
	"github.com/leicester-csp/hotspot/geo/hex"
	"github.com/leicester-csp/hotspot/geo/layer"
	"github.com/leicester-csp/hotspot/geo/store/embedded"
)

// importGenerated adds a local source "gen" whose import declares its
// rows generated, with a category no other source has.
func importGenerated(t *testing.T, st geo.Store) {
	t.Helper()
	var recs []*geo.Located
	for i := range 6 {
		at := time.Date(2024, 3, 1+i, 22, 0, 0, 0, geo.London)
		p := fixturePoints[1]
		recs = append(recs, &geo.Located{Incident: geo.Incident{ID: "g" + string(rune('0'+i)), Month: geo.NewMonth(2024, 3), Category: "Rough sleeping",
			Location: "Doorway", HasLocation: true, Point: p, Source: "gen", Occurred: at}, Cells: hex.CellsAt(p)})
	}
	rows := func(yield func(geo.Row, error) bool) {
		for _, r := range recs {
			if !yield(geo.Row{Incident: r}, nil) {
				return
			}
		}
	}
	if _, err := st.Import(t.Context(), geo.ImportInput{Rows: rows, Synthetic: true}); err != nil {
		t.Fatal(err)
	}
}

// Meta lists a local source's categories to the callers who may see it
// (never to the public), says which sources are synthetic, and every
// answer counting a synthetic source says synthetic: true.
func TestMetaLocalCategoriesAndSynthetic(t *testing.T) {
	st, err := embedded.Open(t.Context(), t.TempDir(), embedded.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	f, auth := repeatServer(t, st)
	importGenerated(t, st)
	tests := []struct {
		role       access.Role
		cats       []string // after police.uk's
		bySource   map[string]any
		synthetic  bool
		syntheticS []string
	}{
		{access.Public, nil, nil, false, []string{}},
		{access.Partner, []string{"Rough sleeping", "Street drinking"}, map[string]any{"council": []any{"Street drinking"}, "gen": []any{"Rough sleeping"}}, true, []string{"gen"}},
		{access.Analyst, []string{"Rough sleeping", "Street drinking"}, map[string]any{"council": []any{"Street drinking"}, "gen": []any{"Rough sleeping"}}, true, []string{"gen"}},
	}
	for _, tc := range tests {
		m := getAs(t, f, "/api/v1/meta", 200, auth[tc.role])
		var local []string
		for _, c := range arr(t, m["categories"]) {
			if !geo.IsCategory(c.(string)) {
				local = append(local, c.(string))
			}
		}
		if !reflect.DeepEqual(local, tc.cats) {
			t.Errorf("%s: local categories %q, want %q", tc.role, local, tc.cats)
		}
		if lc, _ := m["local_categories"].([]any); len(lc) != len(tc.cats) {
			t.Errorf("%s: local_categories %v, want %q", tc.role, m["local_categories"], tc.cats)
		}
		if got, _ := m["source_categories"].(map[string]any); !reflect.DeepEqual(got, tc.bySource) {
			t.Errorf("%s: source_categories %v, want %v", tc.role, m["source_categories"], tc.bySource)
		}
		if m["synthetic"] != tc.synthetic || !equalJSON(m["synthetic_sources"], tc.syntheticS) {
			t.Errorf("%s: synthetic %v, synthetic_sources %v; want %v, %v", tc.role, m["synthetic"], m["synthetic_sources"], tc.synthetic, tc.syntheticS)
		}
		pr := getAs(t, f, "/api/v1/priorities", 200, auth[tc.role])
		if n := len(arr(t, pr["categories"])); n != len(geo.Categories)+len(tc.cats) {
			t.Errorf("%s: priorities list %d categories, want police.uk's %d and %d local", tc.role, n, len(geo.Categories), len(tc.cats))
		}
	}
	analyst := auth[access.Analyst]
	provenance := func(target, member string) map[string]any {
		t.Helper()
		return obj(t, getAs(t, f, target, 200, analyst)[member])
	}
	for _, tc := range []struct {
		target, member string
		synthetic      bool
	}{
		{"/api/v1/temporal?source=gen&from=2024-03&to=2024-03", "meta", true},
		{"/api/v1/temporal?source=council&from=2024-03&to=2024-03", "meta", false},
		{"/api/v1/temporal?source=all&from=2024-03&to=2024-03", "meta", true},
		{"/api/v1/hotspots/wards?source=gen&from=2024-03&to=2024-03", "hotspot", true},
		{"/api/v1/hotspots/wards?from=2024-03&to=2024-03", "hotspot", false},
		{"/api/v1/repeats/locations?category=Rough%20sleeping&source=gen&from=2024-03&to=2024-03", "meta", true},
	} {
		p := provenance(tc.target, tc.member)
		want := layer.SourcePoliceUK
		if tc.synthetic {
			want = layer.SourceGenerated
		}
		if p["synthetic"] != tc.synthetic || (tc.synthetic && p["generated_from"] != want) {
			t.Errorf("%s: synthetic %v (%v), want %v", tc.target, p["synthetic"], p["generated_from"], tc.synthetic)
		}
	}
	// police.uk rows declared generated: now the public is told too.
	in := changeInput()
	in.Synthetic = true
	if _, err := st.Import(t.Context(), in); err != nil {
		t.Fatal(err)
	}
	m := getAs(t, f, "/api/v1/meta", 200, nil)
	if m["synthetic"] != true || !equalJSON(m["synthetic_sources"], []string{"policeuk"}) {
		t.Errorf("public meta after a generated police.uk run: synthetic %v, %v", m["synthetic"], m["synthetic_sources"])
	}
	if p := provenance("/api/v1/hotspots/wards?from=2024-03&to=2024-03", "hotspot"); p["synthetic"] != true {
		t.Errorf("police.uk wards after a generated run: %v", p)
	}
}
