package api

import (
	"encoding/csv"
	"io"
	"math"
	"strconv"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/wkt"

	"github.com/leicester-csp/hotspot/geo"
	"github.com/leicester-csp/hotspot/geo/analysis"
)

// The CSV writers take the GeoJSON writers' arguments so that export
// calls either alike. CSV has no place for the Meta; columns are the
// GeoJSON properties, an empty field standing for null. Geometry goes in
// a WKT column (hex, wards), which QGIS and GDAL read as geometry, or
// lon/lat columns (incidents).

// WriteHexCSV writes the hex layer as CSV with a wkt column.
func WriteHexCSV(w io.Writer, res *analysis.HexResult, _ Meta, bbox *orb.Bound) error {
	cw := csv.NewWriter(w)
	_ = cw.Write([]string{"h3", "count", "gi_z", "gi_p", "gi_bin", "wkt"})
	hexFeatures(res, bbox, func(c analysis.HexCell, poly orb.Polygon) {
		p := hexPropsOf(c)
		_ = cw.Write([]string{p.H3, strconv.Itoa(p.Count), floatField(p.GiZ), floatField(p.GiP), strconv.Itoa(p.GiBin), wktField(poly)})
	})
	cw.Flush()
	return cw.Error()
}

// WriteWardsCSV writes the ward layer as CSV with a wkt column.
func WriteWardsCSV(w io.Writer, res *analysis.WardResult, _ Meta, bbox *orb.Bound) error {
	cw := csv.NewWriter(w)
	_ = cw.Write([]string{"code", "name", "count", "population", "rate_per_1000", "prev_count", "change_pct", "wkt"})
	wardRows(res, bbox, func(row analysis.WardRow) {
		p := wardPropsOf(row)
		pop := ""
		if p.Population != nil {
			pop = strconv.Itoa(*p.Population)
		}
		var g orb.Geometry
		if len(row.Area.Geometry) > 0 {
			g = row.Area.Geometry
		}
		_ = cw.Write([]string{p.Code, p.Name, strconv.Itoa(p.Count), pop, floatField(p.RatePer1000),
			strconv.Itoa(p.PrevCount), floatField(p.ChangePct), wktField(g)})
	})
	cw.Flush()
	return cw.Error()
}

// WriteIncidentsCSV writes a page of incidents as CSV with lon and lat
// columns, empty for an incident without location.
func WriteIncidentsCSV(w io.Writer, page geo.Page, _ Meta, _, _ int) error {
	cw := csv.NewWriter(w)
	_ = cw.Write([]string{"id", "month", "category", "location", "ward", "ward_name", "outcome", "lon", "lat"})
	for _, in := range page.Items {
		p := incidentPropsOf(in)
		lon, lat := "", ""
		if in.HasLocation {
			lon, lat = formatFloat(in.Point[0]), formatFloat(in.Point[1])
		}
		_ = cw.Write([]string{p.ID, p.Month, p.Category, p.Location, strOrEmpty(p.Ward), strOrEmpty(p.WardName), p.Outcome, lon, lat})
	}
	cw.Flush()
	return cw.Error()
}

func strOrEmpty(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

func floatField(f *float64) string {
	if f == nil {
		return ""
	}
	return formatFloat(*f)
}

// formatFloat spells a number as encoding/json does, so that a CSV field
// and the API's JSON agree digit for digit.
func formatFloat(f float64) string {
	abs := math.Abs(f)
	format := byte('f')
	if abs != 0 && (abs < 1e-6 || abs >= 1e21) {
		format = 'e'
	}
	b := strconv.AppendFloat(nil, f, format, -1, 64)
	if format == 'e' {
		// e-07 → e-7, as encoding/json writes it.
		if n := len(b); n >= 4 && b[n-4] == 'e' && b[n-3] == '-' && b[n-2] == '0' {
			b[n-2] = b[n-1]
			b = b[:n-1]
		}
	}
	return string(b)
}

func wktField(g orb.Geometry) string {
	if g == nil {
		return ""
	}
	if p, ok := g.(orb.Polygon); ok && p == nil {
		return ""
	}
	return wkt.MarshalString(g)
}
