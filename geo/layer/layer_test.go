package layer

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"math"
	"strings"
	"testing"

	"github.com/paulmach/orb"

	"github.com/leicester-csp/hotspot/geo"
	"github.com/leicester-csp/hotspot/geo/analysis"
	"github.com/leicester-csp/hotspot/geo/hex"
)

// Every declared property is documented, named once, and read with its
// declared type; null only where declared nullable.
func TestDeclarations(t *testing.T) {
	centre := hex.CellAt(orb.Point{-1.1305, 52.6341}, 9)
	rate := 2.5
	answers := map[string]*Answer{
		"hex": HexAnswer(&analysis.HexResult{Cells: []analysis.HexCell{
			{Cell: centre, Count: 3, Z: 2.1, P: 0.03, Bin: 2},
			{Cell: centre + 1, Count: 1, Z: math.NaN(), P: math.NaN()},
		}}),
		"wards": WardAnswer(&analysis.WardResult{Wards: []analysis.WardRow{
			{Area: geo.Area{Code: "E05000001", Name: "Castle"}, Count: 5, Population: 2000, Rate: &rate, PrevCount: 0},
		}}),
		"incidents": IncidentAnswer([]geo.StoredIncident{
			{Incident: geo.Incident{ID: "a", Month: geo.NewMonth(2024, 3), Category: "Robbery", HasLocation: true, Point: orb.Point{-1.13, 52.63}}, Ward: "E05000001", WardName: "Castle"},
			{Incident: geo.Incident{ID: "b", Month: geo.NewMonth(2024, 3), Category: "Robbery"}},
		}),
	}
	for name, a := range answers {
		t.Run(name, func(t *testing.T) {
			s := a.Schema
			if s.Name != name || s.Title == "" || s.Description == "" || s.Index(s.IDField) < 0 {
				t.Errorf("schema %+v: name, title, description or id field missing", s)
			}
			seen := map[string]bool{}
			for _, f := range s.Fields {
				if f.Description == "" || seen[f.Name] {
					t.Errorf("field %q: undocumented or declared twice", f.Name)
				}
				seen[f.Name] = true
			}
			for _, r := range s.TileRank {
				if s.Index(r.Field) < 0 {
					t.Errorf("tile rank on undeclared field %q", r.Field)
				}
			}
			for _, f := range a.Features {
				if len(f.Values) != len(s.Fields) {
					t.Fatalf("%d values for %d fields", len(f.Values), len(s.Fields))
				}
				for i, v := range f.Values {
					if v.Type() != s.Fields[i].Type || (v.Null() && !s.Fields[i].Nullable) {
						t.Errorf("%s: value %v of type %v (null %v) against %+v", f.ID, v, v.Type(), v.Null(), s.Fields[i])
					}
				}
			}
		})
	}
}

// A small answer written by hand: what the GeoJSON and CSV writers must
// give for it.
func TestWriters(t *testing.T) {
	a := IncidentAnswer([]geo.StoredIncident{
		{Incident: geo.Incident{ID: "x1", Month: geo.NewMonth(2024, 10), Category: "Shoplifting", Location: "On or near A & B",
			HasLocation: true, Point: orb.Point{-1.1305, 52.6341}, Outcome: "Under investigation"}, Ward: "E1", WardName: "Castle"},
		{Incident: geo.Incident{ID: "x2", Month: geo.NewMonth(2024, 11), Category: "Robbery", Location: `"quoted", comma`}},
	})
	a.Provenance = ProvenanceOf(nil, Source{Version: "v1"})
	var g bytes.Buffer
	if err := WriteGeoJSON(&g, a); err != nil {
		t.Fatal(err)
	}
	want := `{"type":"FeatureCollection","features":[` +
		`{"type":"Feature","geometry":{"type":"Point","coordinates":[-1.1305,52.6341]},"properties":{"id":"x1","month":"2024-10","category":"Shoplifting","location":"On or near A & B","ward":"E1","ward_name":"Castle","outcome":"Under investigation","source":null,"occurred":null,"flags":null,"premises":null,"offender":null}},` +
		`{"type":"Feature","geometry":null,"properties":{"id":"x2","month":"2024-11","category":"Robbery","location":"\"quoted\", comma","ward":null,"ward_name":null,"outcome":"","source":null,"occurred":null,"flags":null,"premises":null,"offender":null}}],` +
		`"numberMatched":2,"numberReturned":2,"hotspot":{"priority":null,"category":null,"categories":null,"from":null,"to":null,"months":0,"area":null,"synthetic":false,"version":"v1","generated_from":"police.uk street-level crime (OGL v3)"}}` + "\n"
	if g.String() != want {
		t.Errorf("GeoJSON\n got %s\nwant %s", g.String(), want)
	}
	if !json.Valid(g.Bytes()) {
		t.Error("GeoJSON is not valid JSON")
	}
	var c bytes.Buffer
	if err := WriteCSV(&c, a); err != nil {
		t.Fatal(err)
	}
	wantCSV := "id,month,category,location,ward,ward_name,outcome,source,occurred,flags,premises,offender,lon,lat\n" +
		"x1,2024-10,Shoplifting,On or near A & B,E1,Castle,Under investigation,,,,,,-1.1305,52.6341\n" +
		"x2,2024-11,Robbery,\"\"\"quoted\"\", comma\",,,,,,,,,,\n"
	if c.String() != wantCSV {
		t.Errorf("CSV\n got %q\nwant %q", c.String(), wantCSV)
	}
	rows, err := csv.NewReader(strings.NewReader(c.String())).ReadAll()
	if err != nil || len(rows) != 3 || rows[2][3] != `"quoted", comma` {
		t.Errorf("CSV does not read back: %v %q", err, rows)
	}
}

// Requests select by bbox, property and window without touching what
// was matched in all.
func TestWindowAndFilters(t *testing.T) {
	var cells []analysis.HexCell
	for i, c := range hex.Disk(hex.CellAt(orb.Point{-1.1305, 52.6341}, 9), 2) {
		cells = append(cells, analysis.HexCell{Cell: c, Count: i, Bin: i % 2})
	}
	res := &analysis.HexResult{Cells: cells}
	all := hexAnswer(res, Request{}, nil)
	if len(all.Features) != len(cells) || all.Matched != len(cells) || *all.Provenance.Cells != len(cells) {
		t.Fatalf("every cell: %d features, %d matched", len(all.Features), all.Matched)
	}
	hot := hexAnswer(res, Request{Equals: map[string]string{"gi_bin": "1"}, Limit: 3, Offset: 2}, nil)
	if hot.Matched != len(cells)/2 || len(hot.Features) != 3 {
		t.Fatalf("gi_bin=1 window: %d features of %d matched", len(hot.Features), hot.Matched)
	}
	for _, f := range hot.Features {
		if f.Value(hot.Schema, "gi_bin").Int() != 1 {
			t.Errorf("%s: gi_bin %v", f.ID, f.Value(hot.Schema, "gi_bin"))
		}
	}
	centre := hex.Polygon(cells[0].Cell).Bound()
	boxed := hexAnswer(res, Request{BBox: &orb.Bound{Min: centre.Center(), Max: centre.Center()}}, nil)
	if boxed.Matched < 1 || boxed.Matched > 3 || *boxed.Provenance.Cells != len(cells) {
		t.Errorf("a point bbox matched %d cells; statistics over %d", boxed.Matched, *boxed.Provenance.Cells)
	}
}

// Text a spreadsheet would run is defused; numbers are left alone.
func TestCSVDefusesFormulas(t *testing.T) {
	a := IncidentAnswer([]geo.StoredIncident{
		{Incident: geo.Incident{ID: "=HYPERLINK(\"http://x\")", Month: geo.NewMonth(2024, 1), Category: "+cmd|' /C calc'!A0",
			Location: "@SUM(1,2)", Outcome: "-1+1"}},
		{Incident: geo.Incident{ID: "ok", Month: geo.NewMonth(2024, 1), Category: "\tTab", Location: "\rCR", Outcome: "On or near = Street"}},
	})
	var b bytes.Buffer
	if err := WriteCSV(&b, a); err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(&b).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	want := [][]string{
		{"'=HYPERLINK(\"http://x\")", "2024-01", "'+cmd|' /C calc'!A0", "'@SUM(1,2)", "", "", "'-1+1", "", "", "", "", "", "", ""},
		{"ok", "2024-01", "'\tTab", "'\rCR", "", "", "On or near = Street", "", "", "", "", "", "", ""},
	}
	for i, w := range want {
		if strings.Join(rows[i+1], "|") != strings.Join(w, "|") {
			t.Errorf("row %d: %q, want %q", i+1, rows[i+1], w)
		}
	}
	h := HexAnswer(&analysis.HexResult{Cells: []analysis.HexCell{{Cell: hex.CellAt(orb.Point{-1.13, 52.63}, 9), Count: 1, Z: -2.5, P: 0.01, Bin: -2}}})
	b.Reset()
	if err := WriteCSV(&b, h); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), ",-2.5,0.01,-2,") {
		t.Errorf("negative numbers changed: %s", b.String())
	}
}
