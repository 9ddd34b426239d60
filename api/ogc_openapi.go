package api

import (
	"net/http"

	"github.com/leicester-csp/hotspot/geo/layer"
)

// The OpenAPI 3.0 document of the /ogc API. It declares every parameter
// the service takes — and so, by omission, those it refuses — with the
// limit's default and maximum, as OGC API – Features /conf/oas30 asks.

type oaParam struct {
	Name        string         `json:"name"`
	In          string         `json:"in"`
	Description string         `json:"description,omitempty"`
	Required    bool           `json:"required"`
	Style       string         `json:"style,omitempty"`
	Explode     *bool          `json:"explode,omitempty"`
	Schema      map[string]any `json:"schema"`
}

func queryParam(name, desc string, schema map[string]any) oaParam {
	return oaParam{Name: name, In: "query", Description: desc, Schema: schema, Style: "form", Explode: ptr(false)}
}

func coreParams() []oaParam {
	return []oaParam{
		queryParam("bbox", "Only features that intersect the box minLon,minLat,maxLon,maxLat (CRS84). Never changes statistics.",
			map[string]any{"type": "array", "minItems": 4, "maxItems": 4, "items": map[string]any{"type": "number"}}),
		queryParam("limit", "Features per page; larger values are clamped to the maximum.",
			map[string]any{"type": "integer", "minimum": 1, "maximum": MaxLimit, "default": DefaultLimit}),
		queryParam("offset", "Features to skip (the next link of a collection not paged by key carries it).", map[string]any{"type": "integer", "minimum": 0, "default": 0}),
		queryParam("datetime", "An RFC 3339 instant or interval ('..' for an open end); data are monthly, so every month it touches is selected. Hex and ward collections default to the 12 months ending at the latest.",
			map[string]any{"type": "string"}),
		queryParam("f", "Response format; only JSON is offered.", map[string]any{"type": "string", "enum": []string{"json", "geojson"}}),
	}
}

// collectionParams are Core's parameters and the collection's
// queryables, as its layer declares them.
func collectionParams(c collection) []oaParam {
	ps := coreParams()
	if c.layer.Paged {
		ps = append(ps, queryParam("after", "Continue after this cursor (an incidents page's next link carries it): a page costs the same at any depth.",
			map[string]any{"type": "string"}))
	}
	for _, name := range c.layer.Queryables {
		p, _ := layer.ParamOf(name)
		schema := map[string]any{"type": p.Type.Name()}
		if p.HasRange {
			schema["minimum"], schema["maximum"] = p.Min, p.Max
			if name == "res" || name == "k" {
				schema["default"] = p.Default
			}
		}
		ps = append(ps, queryParam(name, p.Description, schema))
	}
	return ps
}

func response(desc, contentType string) map[string]any {
	return map[string]any{"description": desc, "content": map[string]any{contentType: map[string]any{"schema": map[string]any{"type": "object"}}}}
}

func errorResponses(m map[string]any) map[string]any {
	m["400"] = response("A bad parameter; the body names it.", contentJSON)
	m["404"] = response("No such collection or feature.", contentJSON)
	m["503"] = response("The store cannot answer now.", contentJSON)
	return m
}

func (s *Server) ogcOpenAPI(w http.ResponseWriter, r *http.Request) error {
	if err := noParams(r); err != nil {
		return err
	}
	base := baseURL(r) + "/ogc"
	get := func(summary, id string, params []oaParam, responses map[string]any) map[string]any {
		return map[string]any{"get": map[string]any{"summary": summary, "operationId": id, "parameters": params, "responses": errorResponses(responses)}}
	}
	noP := []oaParam{}
	paths := map[string]any{
		"/":            get("Landing page", "getLandingPage", noP, map[string]any{"200": response("Links to the API.", contentJSON)}),
		"/conformance": get("Conformance classes", "getConformance", noP, map[string]any{"200": response("The classes implemented.", contentJSON)}),
		"/api":         get("This document", "getAPI", noP, map[string]any{"200": response("The OpenAPI document.", contentOpenAPI)}),
		"/collections": get("The collections", "getCollections", noP, map[string]any{"200": response("Every collection.", contentJSON)}),
	}
	for _, c := range s.collections() {
		id := c.id
		paths["/collections/"+id] = get("Collection "+id, "describe-"+id, noP,
			map[string]any{"200": response("The collection.", contentJSON)})
		paths["/collections/"+id+"/queryables"] = get("Queryables of "+id, "queryables-"+id, noP,
			map[string]any{"200": response("A JSON Schema of the filters the items take.", contentSchema)})
		paths["/collections/"+id+"/schema"] = get("Schema of "+id, "schema-"+id, noP,
			map[string]any{"200": response("A JSON Schema of the features' properties.", contentSchema)})
		paths["/collections/"+id+"/items"] = get("Features of "+id, "items-"+id, collectionParams(c),
			map[string]any{"200": response("A page of features with numberMatched, numberReturned and paging links.", contentGeoJSON)})
		paths["/collections/"+id+"/items/{featureId}"] = get("One feature of "+id, "item-"+id,
			[]oaParam{{Name: "featureId", In: "path", Required: true, Schema: map[string]any{"type": "string"}}},
			map[string]any{"200": response("The feature.", contentGeoJSON)})
	}
	return s.ogcJSON(w, r, contentOpenAPI, map[string]any{
		"openapi": "3.0.3",
		"info": map[string]any{
			"title":   "hotspot OGC API – Features",
			"version": "1.0.0",
			"description": "Crime incidents, ward figures and Getis–Ord Gi* hotspots for the Community Safety Partnership. " +
				"Contains public sector information licensed under the Open Government Licence v3.0.",
		},
		"servers": []map[string]string{{"url": base}},
		"paths":   paths,
	})
}
