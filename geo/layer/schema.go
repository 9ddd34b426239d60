// Package layer declares each map layer once — its properties, geometry,
// filters and order — and derives from that one declaration what every
// output needs: GeoJSON and CSV bodies, MVT properties, TileJSON fields,
// OGC queryables and JSON Schemas, and the export command's files. A
// layer answers a Request from the analysis; api, tiles and cmd only
// choose the output.
package layer

import (
	"github.com/paulmach/orb"

	"github.com/leicester-csp/hotspot/geo"
	"github.com/leicester-csp/hotspot/geo/hex"
)

// Field describes one property of a layer's features.
type Field struct {
	Name        string
	Type        Type
	Nullable    bool // may be null (left out of vector tiles)
	Description string
}

// GeometryType is the one geometry type of a layer's features.
type GeometryType string

// Geometry types of the layers.
const (
	Point        GeometryType = "Point"
	Polygon      GeometryType = "Polygon"
	MultiPolygon GeometryType = "MultiPolygon"
)

// RankKey orders features when a vector tile holds more than it may:
// the features ranked first are kept.
type RankKey struct {
	Field string
	Abs   bool // rank on the absolute value (hot and cold alike)
	Desc  bool // larger first
}

// Schema is what a layer's features look like.
type Schema struct {
	Name        string
	Title       string
	Description string
	Geometry    GeometryType
	Fields      []Field
	// IDField names the property that identifies a feature (OGC ids).
	IDField string
	// NullGeometry says a feature may have no geometry (an incident
	// without a location).
	NullGeometry bool
	// Paged layers answer a page at a time with the number matched
	// (incidents); the others answer every feature the filters select.
	Paged bool
	// Simplify says polygons may be simplified for the zoom in tiles
	// (ward outlines); hex cells are kept exact.
	Simplify bool
	// TileRank says which features a full vector tile keeps; empty keeps
	// the first in the layer's order.
	TileRank []RankKey
	// Period layers' features carry the answer's months as from and to
	// (YYYY-MM): a file or a GIS layer saved from an answer keeps its
	// period when the answer's other members are gone (DESIGN.md, "The
	// map's places").
	Period bool
	// Live layers change without the data version (target areas, edited
	// by people): their answers are not cached on it, nor tiled.
	Live bool
}

// Index returns the position of the named field, or -1.
func (s *Schema) Index(name string) int {
	for i, f := range s.Fields {
		if f.Name == name {
			return i
		}
	}
	return -1
}

// Feature is one feature of an answer: its values in the order of the
// schema's fields, and its geometry.
type Feature struct {
	ID     string
	Values []Value
	geom   orb.Geometry // nil: no location (null geometry), or a cell's
	// A hex cell's outline is found only when asked for (a cgo call), from
	// a cache shared across requests: a tile needs a few hundred of a
	// layer's thousands.
	cell     geo.Cell
	outlines *outlines
	// shapes, when set, keeps geom's GeoJSON across requests (wards).
	shapes *shapes
}

// PointFeature is a feature at p holding values in the schema's field
// order, for point answers made outside this package (an encoder's tests
// and benchmarks).
func PointFeature(id string, p orb.Point, values []Value) Feature {
	return Feature{ID: id, Values: values, geom: p}
}

// Geometry returns the feature's geometry; nil for none.
func (f *Feature) Geometry() orb.Geometry {
	if f.cell != 0 {
		if o := f.outlines.get(f.cell); o.poly != nil {
			return o.poly
		}
		return nil
	}
	return f.geom
}

// Envelope returns a box the geometry surely lies in, found without the
// geometry where that is dearer (a cell: its centre grown by how far any
// cell of its resolution reaches); ok is false without a geometry.
func (f *Feature) Envelope() (b orb.Bound, ok bool) {
	if f.cell != 0 {
		c := f.outlines.centre(f.cell)
		dLon, dLat := hex.Reach(hex.Res(f.cell), c[1])
		return orb.Bound{Min: orb.Point{c[0] - dLon, c[1] - dLat}, Max: orb.Point{c[0] + dLon, c[1] + dLat}}, true
	}
	if f.geom == nil {
		return orb.Bound{}, false
	}
	return f.geom.Bound(), true
}

// appendGeoJSON appends the geometry's GeoJSON, a cell's from the cache.
func (f *Feature) appendGeoJSON(b []byte) []byte {
	if f.cell != 0 {
		return append(b, f.outlines.get(f.cell).geoJSON()...)
	}
	if mp, ok := f.geom.(orb.MultiPolygon); ok && f.shapes != nil {
		return f.shapes.appendJSON(b, mp)
	}
	return appendGeometry(b, f.geom)
}

// Value returns the named property, null when the schema has none.
func (f *Feature) Value(s *Schema, name string) Value {
	if i := s.Index(name); i >= 0 && i < len(f.Values) {
		return f.Values[i]
	}
	return Value{}
}

// Answer is a layer's answer to one request.
type Answer struct {
	Schema     *Schema
	Provenance Provenance
	Features   []Feature
	// Matched is every feature the filters select; a page or a window
	// holds Features of them. -1: not counted (a tile's page).
	Matched int
	// Next is where the page after this one starts, when one does (the
	// incident layer's keyset paging); nil on the last page.
	Next *geo.PageKey
}

// prop reads one property from a row of an analysis result.
type prop[R any] struct {
	Field
	get func(R) Value
}

// def is a layer declared over rows of type R.
type def[R any] struct {
	schema *Schema
	props  []prop[R]
	id     int // the IDField's position
}

func declare[R any](s Schema, props ...prop[R]) *def[R] {
	if s.Period {
		// Filled in per answer (stampPeriod): the months are the
		// answer's, not a row's.
		props = append(props,
			prop[R]{Field{"from", String, true, "first month of the answer's period, YYYY-MM"}, func(R) Value { return Value{typ: String} }},
			prop[R]{Field{"to", String, true, "last month of the answer's period, YYYY-MM"}, func(R) Value { return Value{typ: String} }})
	}
	for _, p := range props {
		s.Fields = append(s.Fields, p.Field)
	}
	return &def[R]{schema: &s, props: props, id: s.Index(s.IDField)}
}

// idOf is a feature's id: its IDField value, as Value.String spells it.
func (d *def[R]) idOf(vs []Value) string { return vs[d.id].String() }

// values reads every property of a row into the next len(props) values
// of slab, so that an answer's values share one allocation (an incident
// page holds 70,000 of them).
func (d *def[R]) values(r R, slab *[]Value) []Value {
	if cap(*slab)-len(*slab) < len(d.props) {
		*slab = make([]Value, 0, max(64*len(d.props), 2*cap(*slab)))
	}
	start := len(*slab)
	for _, p := range d.props {
		*slab = append(*slab, p.get(r))
	}
	return (*slab)[start:len(*slab):len(*slab)]
}

// slabFor returns room for the values of n rows.
func (d *def[R]) slabFor(n int) []Value { return make([]Value, 0, n*len(d.props)) }

// matches reports whether a row passes property filters (name → the
// value as Value.String spells it).
func (d *def[R]) matches(r R, equals map[string]string) bool {
	for name, want := range equals {
		i := d.schema.Index(name)
		if i < 0 || d.props[i].get(r).String() != want {
			return false
		}
	}
	return true
}

func text[R any](name, desc string, get func(R) string) prop[R] {
	return prop[R]{Field{name, String, false, desc}, func(r R) Value { return Str(get(r)) }}
}

func optText[R any](name, desc string, get func(R) string) prop[R] {
	return prop[R]{Field{name, String, true, desc}, func(r R) Value { return OptStr(get(r)) }}
}

func integer[R any](name, desc string, get func(R) int) prop[R] {
	return prop[R]{Field{name, Integer, false, desc}, func(r R) Value { return Int(get(r)) }}
}

func optInteger[R any](name, desc string, get func(R) Value) prop[R] {
	return prop[R]{Field{name, Integer, true, desc}, get}
}

func number[R any](name, desc string, get func(R) Value) prop[R] {
	return prop[R]{Field{name, Number, true, desc}, get}
}
