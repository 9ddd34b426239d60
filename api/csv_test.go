package api

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"slices"
	"strconv"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/wkt"

	"github.com/leicester-csp/hotspot/geo"
	"github.com/leicester-csp/hotspot/geo/analysis"
	"github.com/leicester-csp/hotspot/geo/hex"
)

// TestCSV checks that each CSV export holds the GeoJSON answer's rows,
// values and geometry.
func TestCSV(t *testing.T) {
	f := newFixture(t)
	ctx := t.Context()
	an := f.srv.an
	hexRes, err := an.Hex(ctx, analysis.Query{Priority: "asb", From: "2023-01", To: "2024-03"})
	if err != nil {
		t.Fatal(err)
	}
	wardRes, err := an.Wards(ctx, analysis.Query{})
	if err != nil {
		t.Fatal(err)
	}
	r, err := an.Resolve(ctx, analysis.Query{From: "2022-12"})
	if err != nil {
		t.Fatal(err)
	}
	page, err := an.Store().Incidents(ctx, r.Filter(), geo.PageRequest{Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	m := MetaFor(r, false)
	bbox := &orb.Bound{Min: orb.Point{-1.1360, 52.6325}, Max: orb.Point{-1.1345, 52.6335}}

	tests := []struct {
		name    string
		write   func(*bytes.Buffer) error
		geojson func(*bytes.Buffer) error
		header  []string
		check   func(t *testing.T, row []string, props map[string]any, geom any)
	}{
		{
			name:    "hex",
			write:   func(b *bytes.Buffer) error { return WriteHexCSV(b, hexRes, m, bbox) },
			geojson: func(b *bytes.Buffer) error { return WriteHexGeoJSON(b, hexRes, m, bbox) },
			header:  []string{"h3", "count", "gi_z", "gi_p", "gi_bin", "wkt"},
			check: func(t *testing.T, row []string, props map[string]any, _ any) {
				c, err := hex.Parse(row[0])
				if err != nil {
					t.Fatal(err)
				}
				g, err := wkt.Unmarshal(row[5])
				if err != nil || !orb.Equal(g, hex.Polygon(c)) {
					t.Errorf("wkt %s: %v, want the cell's outline", row[5], err)
				}
			},
		},
		{
			name:    "wards",
			write:   func(b *bytes.Buffer) error { return WriteWardsCSV(b, wardRes, m, nil) },
			geojson: func(b *bytes.Buffer) error { return WriteWardsGeoJSON(b, wardRes, m, nil) },
			header:  []string{"code", "name", "count", "population", "rate_per_1000", "prev_count", "change_pct", "wkt"},
			check: func(t *testing.T, row []string, _ map[string]any, _ any) {
				g, err := wkt.Unmarshal(row[7])
				i := slices.IndexFunc(fixtureWards(), func(a geo.Area) bool { return a.Code == row[0] })
				if err != nil || i < 0 || !orb.Equal(g, fixtureWards()[i].Geometry) {
					t.Errorf("wkt %s: %v", row[7], err)
				}
			},
		},
		{
			name:    "incidents",
			write:   func(b *bytes.Buffer) error { return WriteIncidentsCSV(b, page, m, 1000, 0) },
			geojson: func(b *bytes.Buffer) error { return WriteIncidentsGeoJSON(b, page, m, 1000, 0) },
			header:  []string{"id", "month", "category", "location", "ward", "ward_name", "outcome", "lon", "lat"},
			check: func(t *testing.T, row []string, _ map[string]any, geom any) {
				if geom == nil {
					if row[7] != "" || row[8] != "" {
						t.Errorf("%s: lon/lat %q %q for no location", row[0], row[7], row[8])
					}
					return
				}
				c := geom.(map[string]any)["coordinates"].([]any)
				lon, _ := strconv.ParseFloat(row[7], 64)
				lat, _ := strconv.ParseFloat(row[8], 64)
				if lon != c[0].(float64) || lat != c[1].(float64) {
					t.Errorf("%s: lon/lat %s %s, GeoJSON %v", row[0], row[7], row[8], c)
				}
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var cb, gb bytes.Buffer
			if err := tc.write(&cb); err != nil {
				t.Fatal(err)
			}
			if err := tc.geojson(&gb); err != nil {
				t.Fatal(err)
			}
			rows, err := csv.NewReader(&cb).ReadAll()
			if err != nil {
				t.Fatal(err)
			}
			var fc struct {
				Features []struct {
					Geometry   any
					Properties map[string]any
				}
			}
			if err := json.Unmarshal(gb.Bytes(), &fc); err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(rows[0], tc.header) {
				t.Fatalf("header %v, want %v", rows[0], tc.header)
			}
			if len(rows)-1 != len(fc.Features) || len(fc.Features) == 0 {
				t.Fatalf("%d rows, %d features", len(rows)-1, len(fc.Features))
			}
			for i, row := range rows[1:] {
				ft := fc.Features[i]
				// Every property column spells what the JSON holds.
				for j, col := range tc.header {
					v, ok := ft.Properties[col]
					if !ok {
						continue
					}
					want := ""
					switch v := v.(type) {
					case string:
						want = v
					case float64:
						raw, _ := json.Marshal(v)
						want = string(raw)
					}
					if row[j] != want {
						t.Errorf("row %d %s = %q, GeoJSON %v", i, col, row[j], v)
					}
				}
				tc.check(t, row, ft.Properties, ft.Geometry)
			}
		})
	}
}
