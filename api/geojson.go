package api

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io"
	"math"

	"github.com/paulmach/orb"

	"github.com/leicester-csp/hotspot/geo/analysis"
)

// Sources named in every answer, so that a screenshot of synthetic data
// cannot pass for the real city.
const (
	SourcePoliceUK  = "police.uk street-level crime (OGL v3)"
	SourceSynthetic = "synthetic demo city — not real data"
)

// Meta says which filters an answer is for. It travels as the foreign
// member "hotspot" of every FeatureCollection (and "meta" elsewhere);
// fields are in a fixed order so that answers are byte-stable.
type Meta struct {
	Priority *string `json:"priority"`
	Category *string `json:"category"`
	// Categories answered; null means every category.
	Categories []string `json:"categories"`
	From       *string  `json:"from"` // YYYY-MM; null when the store is empty
	To         *string  `json:"to"`
	Months     int      `json:"months"`
	// Res, K and Cells belong to the hex layer, Limit and Offset to
	// incident pages; the writers fill them in.
	Res   *int `json:"res,omitempty"`
	K     *int `json:"k,omitempty"`
	Cells *int `json:"cells,omitempty"`
	// Area lists the ward codes a priority is limited to; null for the
	// whole city.
	Area []string `json:"area"`
	// The ward layer's previous period, and whether the data cover all
	// of it (change_pct is null for every ward when they do not).
	PreviousFrom     *string `json:"previous_from,omitempty"`
	PreviousTo       *string `json:"previous_to,omitempty"`
	PreviousComplete *bool   `json:"previous_complete,omitempty"`
	Limit            *int    `json:"limit,omitempty"`
	Offset           *int    `json:"offset,omitempty"`
	Synthetic        bool    `json:"synthetic"`
	Version          string  `json:"version"` // the store's data version; the caller sets it
	GeneratedFrom    string  `json:"generated_from"`
}

// MetaFor describes a resolved query. Version is left for the caller,
// which knows which store version it read.
func MetaFor(r *analysis.Resolved, synthetic bool) Meta {
	m := Meta{Synthetic: synthetic, GeneratedFrom: SourcePoliceUK}
	if synthetic {
		m.GeneratedFrom = SourceSynthetic
	}
	if r == nil {
		return m
	}
	if r.Priority != nil {
		m.Priority = ptr(r.Priority.ID)
	}
	if r.Category != "" {
		m.Category = ptr(r.Category)
	}
	if len(r.Categories) > 0 {
		m.Categories = append([]string(nil), r.Categories...)
	}
	if !r.NoData {
		m.From, m.To = ptr(r.Months.From.String()), ptr(r.Months.To.String())
		m.Months = r.Months.Len()
	}
	if len(r.AreaWards) > 0 {
		m.Area = append([]string(nil), r.AreaWards...)
	}
	return m
}

func ptr[T any](v T) *T { return &v }

// finite turns NaN (undefined Gi*) into JSON null.
func finite(f float64) *float64 {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return nil
	}
	return &f
}

// jsonStream writes one JSON document piece by piece: fixed punctuation
// raw, values through encoding/json. Features are encoded one at a time so
// that a large layer never exists twice in memory. The first error sticks.
type jsonStream struct {
	w       *bufio.Writer
	scratch bytes.Buffer
	enc     *json.Encoder
	err     error
}

func newJSONStream(w io.Writer) *jsonStream {
	s := &jsonStream{w: bufio.NewWriterSize(w, 64<<10)}
	s.enc = json.NewEncoder(&s.scratch)
	// Locations like "On or near A & B" read better unescaped; the
	// answers are never embedded in HTML.
	s.enc.SetEscapeHTML(false)
	return s
}

func (s *jsonStream) raw(text string) {
	if s.err == nil {
		_, s.err = s.w.WriteString(text)
	}
}

func (s *jsonStream) value(v any) {
	if s.err != nil {
		return
	}
	s.scratch.Reset()
	if s.err = s.enc.Encode(v); s.err != nil {
		return
	}
	b := s.scratch.Bytes()
	_, s.err = s.w.Write(b[:len(b)-1]) // Encode's trailing newline
}

func (s *jsonStream) close() error {
	if s.err != nil {
		return s.err
	}
	return s.w.Flush()
}

// writeJSON writes one value as a document of its own.
func writeJSON(w io.Writer, v any) error {
	s := newJSONStream(w)
	s.value(v)
	s.raw("\n")
	return s.close()
}

// feature is a GeoJSON Feature; Geometry nil encodes as null, which RFC
// 7946 allows for an unlocated feature.
type feature[P any] struct {
	Type       string `json:"type"`
	Geometry   any    `json:"geometry"`
	Properties P      `json:"properties"`
}

func newFeature[P any](g any, props P) feature[P] {
	return feature[P]{Type: "Feature", Geometry: g, Properties: props}
}

// Geometry members; orb's coordinate types encode as nested arrays of
// longitude, latitude, and encoding/json writes floats in their shortest
// round-tripping form.
type (
	pointGeom struct {
		Type        string    `json:"type"`
		Coordinates orb.Point `json:"coordinates"`
	}
	polygonGeom struct {
		Type        string      `json:"type"`
		Coordinates orb.Polygon `json:"coordinates"`
	}
	multiPolygonGeom struct {
		Type        string           `json:"type"`
		Coordinates orb.MultiPolygon `json:"coordinates"`
	}
)

// collection writes a FeatureCollection: the features, then foreign
// members in the order given. Features are written by each, which calls
// emit once per feature.
type collection struct {
	s *jsonStream
	n int
}

func startCollection(w io.Writer) *collection {
	c := &collection{s: newJSONStream(w)}
	c.s.raw(`{"type":"FeatureCollection","features":[`)
	return c
}

func (c *collection) feature(f any) {
	if c.n > 0 {
		c.s.raw(",")
	}
	c.s.value(f)
	c.n++
}

// rawFeature writes a feature whose geometry is already encoded (nil:
// null); the bytes equal those of feature() for the same values.
func (c *collection) rawFeature(geometry []byte, props any) {
	if c.n > 0 {
		c.s.raw(",")
	}
	c.s.raw(`{"type":"Feature","geometry":`)
	if geometry == nil {
		c.s.raw("null")
	} else if c.s.err == nil {
		_, c.s.err = c.s.w.Write(geometry)
	}
	c.s.raw(`,"properties":`)
	c.s.value(props)
	c.s.raw("}")
	c.n++
}

// member is one foreign member, written after the features.
type member struct {
	name  string
	value any
}

func (c *collection) finish(members ...member) error {
	c.s.raw("]")
	for _, m := range members {
		c.s.raw(`,"` + m.name + `":`)
		c.s.value(m.value)
	}
	c.s.raw("}\n")
	return c.s.close()
}
