package api

import (
	"net/http"

	"github.com/gorilla/mux"

	"github.com/leicester-csp/hotspot/geo/layer"
)

// JSON Schemas of a collection, derived from its layer's declaration:
// the queryables (OGC API – Features Part 3) and the features' schema
// (Part 5), so that QGIS and GDAL learn the filters and property types
// without reading a feature first.

const jsonSchemaDialect = "https://json-schema.org/draft/2020-12/schema"

// jsonSchema is an object schema of named properties.
type jsonSchema struct {
	Schema      string                    `json:"$schema"`
	ID          string                    `json:"$id"`
	Type        string                    `json:"type"`
	Title       string                    `json:"title"`
	Properties  map[string]map[string]any `json:"properties"`
	Additional  bool                      `json:"additionalProperties"`
	Description string                    `json:"description,omitempty"`
}

func (s *Server) ogcQueryables(w http.ResponseWriter, r *http.Request) error {
	if err := noParams(r); err != nil {
		return err
	}
	c, err := s.collectionOf(r.Context(), mux.Vars(r)["collectionId"])
	if err != nil {
		return err
	}
	title, _ := c.describe()
	doc := jsonSchema{
		Schema: jsonSchemaDialect, ID: baseURL(r) + "/ogc/collections/" + c.id + "/queryables",
		Type: "object", Title: title, Properties: map[string]map[string]any{},
		Description: "Filters of the items besides bbox, limit, offset and datetime; each is an equality test.",
	}
	for _, name := range c.layer.Queryables {
		p, _ := layer.ParamOf(name)
		prop := map[string]any{"type": p.Type.Name(), "description": p.Description}
		if p.HasRange {
			prop["minimum"], prop["maximum"] = p.Min, p.Max
		}
		doc.Properties[name] = prop
	}
	return s.ogcJSON(w, r, contentSchema, doc)
}

func (s *Server) ogcSchema(w http.ResponseWriter, r *http.Request) error {
	if err := noParams(r); err != nil {
		return err
	}
	c, err := s.collectionOf(r.Context(), mux.Vars(r)["collectionId"])
	if err != nil {
		return err
	}
	sch := c.layer.Schema
	title, desc := c.describe()
	doc := jsonSchema{
		Schema: jsonSchemaDialect, ID: baseURL(r) + "/ogc/collections/" + c.id + "/schema",
		Type: "object", Title: title, Description: desc, Properties: map[string]map[string]any{},
	}
	geom := map[string]any{"x-ogc-role": "primary-geometry", "format": geometryFormat(sch.Geometry)}
	if sch.NullGeometry {
		geom["description"] = "null where the feature has no location (police.uk publishes some records without one)"
	}
	doc.Properties["geometry"] = geom
	for _, f := range sch.Fields {
		prop := map[string]any{"type": f.Type.Name(), "description": f.Description}
		if f.Nullable {
			prop["type"] = []string{f.Type.Name(), "null"}
		}
		if f.Type == layer.IntList {
			prop["items"] = map[string]any{"type": "integer"}
		}
		if f.Type == layer.Counts {
			prop["additionalProperties"] = map[string]any{"type": "integer"}
		}
		if f.Name == sch.IDField {
			prop["x-ogc-role"] = "id"
		}
		doc.Properties[f.Name] = prop
	}
	return s.ogcJSON(w, r, contentSchema, doc)
}

// geometryFormat is Part 5's name for a geometry type.
func geometryFormat(t layer.GeometryType) string {
	switch t {
	case layer.Point:
		return "geometry-point"
	case layer.MultiPolygon:
		return "geometry-multipolygon"
	}
	return "geometry-polygon"
}
