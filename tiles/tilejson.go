package tiles

import (
	"encoding/json"
	"fmt"
	"math"
	"strings"

	"github.com/paulmach/orb"

	"github.com/leicester-csp/hotspot/geo"
	"github.com/leicester-csp/hotspot/geo/layer"
)

// DefaultAttribution credits the data the layers are made from.
const DefaultAttribution = "police.uk / ONS, OGL v3"

// webMercatorMaxLat is where the square Web Mercator world ends.
const webMercatorMaxLat = 85.0511287798066

// TileJSON returns the TileJSON 3.0.0 document of layer. tileURL is the
// tile URL template with {z}, {x} and {y}, carrying the request's filters
// in its query string so that every tile a client fetches answers the same
// query. bounds, when not empty, says where the data is (clamped to the
// Web Mercator world); attribution "" means DefaultAttribution.
//
// Each vector layer lists every property a feature can carry; those that
// can be left out are documented in the package doc.
func TileJSON(s *layer.Schema, tileURL string, bounds orb.Bound, attribution string) ([]byte, error) {
	if s == nil {
		return nil, fmt.Errorf("tiles: %w: no such layer", geo.ErrNotFound)
	}
	fs := fields(s)
	for _, p := range []string{"{z}", "{x}", "{y}"} {
		if !strings.Contains(tileURL, p) {
			return nil, fmt.Errorf("tiles: %w: tile URL %q lacks %s", geo.ErrInvalid, tileURL, p)
		}
	}
	if attribution == "" {
		attribution = DefaultAttribution
	}
	doc := tileJSON{
		TileJSON:    "3.0.0",
		Name:        s.Name,
		Tiles:       []string{tileURL},
		Scheme:      "xyz",
		MinZoom:     MinZoom,
		MaxZoom:     MaxZoom,
		Attribution: attribution,
		VectorLayers: []vectorLayer{{
			ID:      s.Name,
			Fields:  fs,
			MinZoom: MinZoom,
			MaxZoom: MaxZoom,
		}},
	}
	if bb, ok := clampBounds(bounds); ok {
		doc.Bounds = &bb
	}
	b, err := json.Marshal(doc)
	if err != nil {
		return nil, fmt.Errorf("tiles: tilejson %s: %w", s.Name, err)
	}
	return b, nil
}

type tileJSON struct {
	TileJSON     string        `json:"tilejson"`
	Name         string        `json:"name"`
	Tiles        []string      `json:"tiles"`
	Scheme       string        `json:"scheme"`
	MinZoom      int           `json:"minzoom"`
	MaxZoom      int           `json:"maxzoom"`
	Bounds       *[4]float64   `json:"bounds,omitempty"`
	Attribution  string        `json:"attribution"`
	VectorLayers []vectorLayer `json:"vector_layers"`
}

type vectorLayer struct {
	ID      string            `json:"id"`
	Fields  map[string]string `json:"fields"`
	MinZoom int               `json:"minzoom"`
	MaxZoom int               `json:"maxzoom"`
}

// fields returns a layer's properties and their types in the words
// TileJSON consumers (tippecanoe, Maputnik, QGIS) use.
func fields(s *layer.Schema) map[string]string {
	out := make(map[string]string, len(s.Fields))
	for _, f := range s.Fields {
		out[f.Name] = "Number"
		switch f.Type {
		case layer.String, layer.IntList, layer.Counts:
			out[f.Name] = "String"
		case layer.Boolean:
			out[f.Name] = "Boolean"
		}
	}
	return out
}

// clampBounds turns b into TileJSON's [west, south, east, north], or
// reports false when there is nothing to say (an empty or non-finite
// bound), leaving clients to assume the whole world.
func clampBounds(b orb.Bound) ([4]float64, bool) {
	v := [4]float64{
		math.Max(b.Min[0], -180), math.Max(b.Min[1], -webMercatorMaxLat),
		math.Min(b.Max[0], 180), math.Min(b.Max[1], webMercatorMaxLat),
	}
	for _, x := range v {
		if !finite(x) {
			return v, false
		}
	}
	if b == (orb.Bound{}) || v[0] > v[2] || v[1] > v[3] {
		return v, false
	}
	return v, true
}
