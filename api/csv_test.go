package api

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/wkt"

	"github.com/leicester-csp/hotspot/geo"
	"github.com/leicester-csp/hotspot/geo/hex"
)

// TestCSV checks that each layer's CSV answer (format=csv, and Accept:
// text/csv) holds the GeoJSON answer's rows, values and geometry.
func TestCSV(t *testing.T) {
	f := newFixture(t)
	get := func(target string, headers ...string) func(*bytes.Buffer) error {
		return func(b *bytes.Buffer) error {
			resp, body := f.get(t, target, headers...)
			if resp.StatusCode != http.StatusOK {
				return fmt.Errorf("GET %s: %d %s", target, resp.StatusCode, body)
			}
			b.Write(body)
			return nil
		}
	}
	hexURL := "/api/v1/hotspots/hex?priority=asb&from=2023-01&to=2024-03&bbox=-1.1360,52.6325,-1.1345,52.6335"
	incURL := "/api/v1/incidents?from=2022-12&limit=1000"
	tests := []struct {
		name    string
		write   func(*bytes.Buffer) error
		geojson func(*bytes.Buffer) error
		header  []string
		check   func(t *testing.T, row []string, props map[string]any, geom any)
	}{
		{
			name:    "hex",
			write:   get(hexURL + "&format=csv"),
			geojson: get(hexURL),
			header:  []string{"h3", "count", "gi_z", "gi_p", "gi_bin", "top_location", "suppressed", "from", "to", "wkt"},
			check: func(t *testing.T, row []string, props map[string]any, _ any) {
				c, err := hex.Parse(row[0])
				if err != nil {
					t.Fatal(err)
				}
				g, err := wkt.Unmarshal(row[9])
				if err != nil || !orb.Equal(g, hex.Polygon(c)) {
					t.Errorf("wkt %s: %v, want the cell's outline", row[9], err)
				}
			},
		},
		{
			name:    "wards",
			write:   get("/api/v1/hotspots/wards", "Accept", "text/csv"),
			geojson: get("/api/v1/hotspots/wards"),
			header:  []string{"code", "name", "count", "population", "rate_per_1000", "prev_count", "change_pct", "change_p", "change_bin", "suppressed", "from", "to", "wkt"},
			check: func(t *testing.T, row []string, _ map[string]any, _ any) {
				g, err := wkt.Unmarshal(row[12])
				i := slices.IndexFunc(fixtureWards(), func(a geo.Area) bool { return a.Code == row[0] })
				if err != nil || i < 0 || !orb.Equal(g, fixtureWards()[i].Geometry) {
					t.Errorf("wkt %s: %v", row[12], err)
				}
			},
		},
		{
			name:    "incidents",
			write:   get(incURL + "&format=csv"),
			geojson: get(incURL),
			header:  []string{"id", "month", "category", "location", "ward", "ward_name", "outcome", "source", "occurred", "flags", "premises", "offender", "lon", "lat"},
			check: func(t *testing.T, row []string, _ map[string]any, geom any) {
				if geom == nil {
					if row[12] != "" || row[13] != "" {
						t.Errorf("%s: lon/lat %q %q for no location", row[0], row[12], row[13])
					}
					return
				}
				c := geom.(map[string]any)["coordinates"].([]any)
				lon, _ := strconv.ParseFloat(row[12], 64)
				lat, _ := strconv.ParseFloat(row[13], 64)
				if lon != c[0].(float64) || lat != c[1].(float64) {
					t.Errorf("%s: lon/lat %s %s, GeoJSON %v", row[0], row[12], row[13], c)
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
					case bool:
						want = strconv.FormatBool(v)
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
