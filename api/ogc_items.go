package api

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gorilla/mux"

	"github.com/leicester-csp/hotspot/geo"
	"github.com/leicester-csp/hotspot/geo/analysis"
	"github.com/leicester-csp/hotspot/geo/hex"
	"github.com/leicester-csp/hotspot/geo/layer"
)

// collection is one OGC collection: a layer, and for the hex layer the
// priority it is fixed to.
type collection struct {
	id       string
	layer    *layer.Layer
	priority *geo.Priority // hex-<priority> only
}

// collections lists the collections: incidents, wards, then one hex
// layer per priority.
func (s *Server) collections() []collection {
	incidents, _ := s.layers.Lookup("incidents")
	wards, _ := s.layers.Lookup("wards")
	hexes, _ := s.layers.Lookup("hex")
	out := []collection{{id: "incidents", layer: incidents}, {id: "wards", layer: wards}}
	for _, p := range s.an.Priorities() {
		out = append(out, collection{id: "hex-" + p.ID, layer: hexes, priority: &p})
	}
	return out
}

func (s *Server) collectionOf(id string) (collection, error) {
	for _, c := range s.collections() {
		if c.id == id {
			return c, nil
		}
	}
	return collection{}, missing("no collection %q: see /ogc/collections", truncate(id, 60))
}

// request turns an OGC query into the layer's request.
func (c collection) request(q *ogcQuery) (layer.Request, error) {
	req := layer.Request{BBox: q.bbox, Limit: q.limit, Offset: q.offset, Equals: map[string]string{}}
	req.Query = analysis.Query{From: q.from, To: q.to}
	switch {
	case c.layer.Paged:
		req.Query.AllMonths = true
		req.Query.Category, req.Query.Ward = q.props["category"], q.props["ward"]
	case c.priority == nil:
		req.Query.Priority, req.Query.Category = q.props["priority"], q.props["category"]
		if v, ok := q.props["code"]; ok {
			req.Equals["code"] = v
		}
	default:
		req.Query.Priority = c.priority.ID
		if err := hexFilters(q, &req); err != nil {
			return req, err
		}
	}
	return req, nil
}

// hexFilters reads the hex collections' own filters.
func hexFilters(q *ogcQuery, req *layer.Request) error {
	for _, name := range []string{"res", "k", "gi_bin"} {
		v, ok := q.props[name]
		if !ok {
			continue
		}
		p, _ := layer.ParamOf(name)
		n, err := intIn(name, v, p.Min, p.Max)
		if err != nil {
			return err
		}
		switch name {
		case "res":
			req.Query.Res = n
		case "k":
			req.Query.K = n
		default:
			req.Equals[name] = strconv.Itoa(n)
		}
	}
	if v, ok := q.props["h3"]; ok {
		if _, err := hex.Parse(v); err != nil {
			return badParam("h3", "%s is not an H3 cell index", strconv.Quote(truncate(v, 20)))
		}
		req.Equals["h3"] = v
	}
	return nil
}

// answer answers an OGC request from the collection's layer; with id
// set, just that feature.
func (s *Server) ogcAnswer(ctx context.Context, c collection, q *ogcQuery, id string) (*layer.Answer, error) {
	req, err := c.request(q)
	if err != nil {
		return nil, err
	}
	req.ID = id
	if req.Source, err = s.source(ctx); err != nil {
		return nil, err
	}
	return s.layers.Answer(ctx, c.layer.Name, req)
}

func (s *Server) ogcItems(w http.ResponseWriter, r *http.Request) error {
	c, err := s.collectionOf(mux.Vars(r)["collectionId"])
	if err != nil {
		return err
	}
	q, err := parseOGCQuery(r.URL.RawQuery, c.layer.Queryables)
	if err != nil {
		return err
	}
	a, err := s.ogcAnswer(r.Context(), c, q, "")
	if err != nil {
		return err
	}
	base := baseURL(r) + "/ogc/collections/" + c.id + "/items"
	self := base
	if r.URL.RawQuery != "" {
		self += "?" + r.URL.RawQuery
	}
	links := []link{
		{Href: self, Rel: "self", Type: contentGeoJSON, Title: "this page"},
		{Href: self, Rel: "alternate", Type: contentJSON, Title: "this page as JSON"},
		{Href: baseURL(r) + "/ogc/collections/" + c.id, Rel: "collection", Type: contentJSON, Title: "the collection"},
	}
	if next := q.offset + len(a.Features); next < a.Matched {
		links = append(links, link{Href: base + "?" + q.with(next), Rel: "next", Type: contentGeoJSON, Title: "next page"})
	}
	if q.offset > 0 {
		links = append(links, link{Href: base + "?" + q.with(max(0, q.offset-q.limit)), Rel: "prev", Type: contentGeoJSON, Title: "previous page"})
	}
	ogcHeaders(w, contentGeoJSON)
	if r.Method == http.MethodHead {
		return nil
	}
	return layer.WriteItems(w, a,
		layer.Member{Name: "timeStamp", Value: time.Now().UTC().Format(time.RFC3339)},
		layer.Member{Name: "links", Value: links})
}

func (s *Server) ogcItem(w http.ResponseWriter, r *http.Request) error {
	vars := mux.Vars(r)
	fid := vars["featureId"]
	if !isText(fid) {
		// No stored feature has such an id.
		return missing("no feature %q", truncate(fid, 40))
	}
	c, err := s.collectionOf(vars["collectionId"])
	if err != nil {
		return err
	}
	q, err := parseOGCQuery(r.URL.RawQuery, c.layer.Queryables)
	if err != nil {
		return err
	}
	a, err := s.ogcAnswer(r.Context(), c, q, fid)
	if err != nil && !isNotFound(err) {
		return err
	}
	if err != nil || len(a.Features) == 0 {
		return missing("no feature %q in %s", truncate(fid, 80), c.id)
	}
	coll := baseURL(r) + "/ogc/collections/" + c.id
	links := []link{
		{Href: coll + "/items/" + fid, Rel: "self", Type: contentGeoJSON, Title: "this feature"},
		{Href: coll, Rel: "collection", Type: contentJSON, Title: "the collection"},
	}
	ogcHeaders(w, contentGeoJSON)
	if r.Method == http.MethodHead {
		return nil
	}
	return layer.WriteItem(w, a.Schema, &a.Features[0], links)
}

func ogcHeaders(w http.ResponseWriter, contentType string) {
	h := w.Header()
	h.Set("Content-Type", contentType)
	h.Set("Cache-Control", "no-cache")
	w.WriteHeader(http.StatusOK)
}

// describe is a collection's title and description, from its layer's.
func (c collection) describe() (title, desc string) {
	s := c.layer.Schema
	title, desc = s.Title, s.Description
	if c.priority != nil {
		title = "Hotspots: " + c.priority.Name
		desc = "Counts of " + strings.Join(c.priority.Categories, ", ") + ". " + desc
	}
	return title, desc + " Filters: " + strings.Join(c.layer.Queryables, ", ") + "."
}
