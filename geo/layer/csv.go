package layer

import (
	"encoding/csv"
	"io"
	"strings"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/wkt"
)

// CSVHeader returns a layer's CSV columns: its properties, then the
// geometry as a wkt column (polygons), which QGIS and GDAL read as
// geometry, or lon and lat columns (points).
func CSVHeader(s *Schema) []string {
	out := make([]string, 0, len(s.Fields)+2)
	for _, f := range s.Fields {
		out = append(out, f.Name)
	}
	if s.Geometry == Point {
		return append(out, "lon", "lat")
	}
	return append(out, "wkt")
}

// CSVTypes is the .csvt line GDAL reads beside a CSV file to type its
// columns (otherwise every column is text): one quoted type per column of
// CSVHeader. A list or counts column stays a String; the geometry is WKT,
// or the point's CoordX and CoordY.
func CSVTypes(s *Schema) string {
	types := make([]string, 0, len(s.Fields)+2)
	for _, f := range s.Fields {
		switch f.Type {
		case Integer:
			types = append(types, `"Integer"`)
		case Number:
			types = append(types, `"Real"`)
		default:
			types = append(types, `"String"`)
		}
	}
	if s.Geometry == Point {
		types = append(types, `"CoordX"`, `"CoordY"`)
	} else {
		types = append(types, `"WKT"`)
	}
	return strings.Join(types, ",") + "\n"
}

// WriteCSV writes an answer as CSV: CSVHeader, then one row per feature,
// an empty field standing for null and numbers spelled as in the JSON.
// A text cell that a spreadsheet would run as a formula (it begins with
// = + - @, a tab or a carriage return) is prefixed with ', as DESIGN.md's
// Access section asks: police.uk locations and partners' text are not
// ours to trust. CSV has no place for the provenance.
func WriteCSV(w io.Writer, a *Answer) error {
	cw := csv.NewWriter(w)
	_ = cw.Write(CSVHeader(a.Schema))
	row := make([]string, 0, len(a.Schema.Fields)+2)
	for i := range a.Features {
		f := &a.Features[i]
		row = row[:0]
		for _, v := range f.Values {
			row = append(row, csvCell(v))
		}
		row = appendGeometryFields(row, a.Schema.Geometry, f.Geometry())
		_ = cw.Write(row)
	}
	cw.Flush()
	return cw.Error()
}

func appendGeometryFields(row []string, t GeometryType, g orb.Geometry) []string {
	if t == Point {
		if p, ok := g.(orb.Point); ok {
			return append(row, FormatFloat(p[0]), FormatFloat(p[1]))
		}
		return append(row, "", "")
	}
	switch g := g.(type) {
	case orb.Polygon:
		if g == nil {
			return append(row, "")
		}
	case orb.MultiPolygon:
		if len(g) == 0 {
			return append(row, "")
		}
	case nil:
		return append(row, "")
	}
	return append(row, wkt.MarshalString(g))
}

// csvCell spells a value for CSV, defusing text a spreadsheet would run.
// Numbers are left alone: a negative gi_z is a number, not a formula.
func csvCell(v Value) string {
	s := v.String()
	if v.Type() == String && s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}
