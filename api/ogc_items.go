package api

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gorilla/mux"

	"github.com/leicester-csp/hotspot/geo"
	"github.com/leicester-csp/hotspot/geo/analysis"
	"github.com/leicester-csp/hotspot/geo/hex"
	"github.com/leicester-csp/hotspot/geo/layer"
)

// collection is one OGC collection: a layer, and for a layer offered
// per priority the priority it is fixed to.
type collection struct {
	id       string
	layer    *layer.Layer
	priority *geo.Priority
}

// collections lists the collections: each layer, or for a layer offered
// per priority (hex) one collection per priority, named layer-priority.
func (s *Server) collections() []collection {
	var out []collection
	for _, l := range s.layers.Layers() {
		if !l.PerPriority {
			out = append(out, collection{id: l.Name, layer: l})
			continue
		}
		for _, p := range s.an.Priorities() {
			out = append(out, collection{id: l.Name + "-" + p.ID, layer: l, priority: &p})
		}
	}
	return out
}

func (s *Server) collectionOf(ctx context.Context, id string) (collection, error) {
	vis, _ := analysis.VisibilityOf(ctx)
	for _, c := range s.collections() {
		if c.id != id {
			continue
		}
		// A local priority's collections are not listed to the public
		// (ogcCollections): they do not exist for it either.
		if p := c.priority; p != nil && p.Source != "" && p.Source != geo.SourcePoliceUK && vis == analysis.SeePoliceUK {
			break
		}
		return c, nil
	}
	return collection{}, missing("no collection %q: see /ogc/collections", truncate(id, 60))
}

// request turns an OGC query into the layer's request. A queryable that
// is a query field (priority, category, res, k, ward …) goes to the
// analysis, so that it is applied before any paging; the others are
// property filters.
func (c collection) request(q *ogcQuery) (layer.Request, error) {
	req := layer.Request{BBox: q.bbox, Limit: q.limit, Offset: q.offset, After: q.after, Equals: map[string]string{}}
	if q.after != nil && !c.layer.Paged {
		return req, badParam("after", "only the incidents collection pages with after: use offset")
	}
	// A paged collection (incidents) is every incident unless datetime
	// narrows it; the others default to the latest 12 months.
	req.Query = analysis.Query{From: q.from, To: q.to, AllMonths: c.layer.Paged}
	if c.priority != nil {
		req.Query.Priority = c.priority.ID
	}
	names := make([]string, 0, len(q.props))
	for name := range q.props {
		names = append(names, name)
	}
	// In a stable order, so that of two bad filters the same is named.
	slices.Sort(names)
	for _, name := range names {
		v, err := checkQueryable(name, q.props[name])
		if err != nil {
			return req, err
		}
		n, isInt := strconv.Atoi(v)
		if !req.SetText(name, v) && !(isInt == nil && req.SetInt(name, n)) {
			req.Equals[name] = v
		}
	}
	return req, nil
}

// checkQueryable checks a queryable's value against its declaration and
// spells it as the layer's values are spelled.
func checkQueryable(name, v string) (string, error) {
	p, _ := layer.ParamOf(name)
	switch {
	case p.HasRange:
		n, err := intIn(name, v, p.Min, p.Max)
		return strconv.Itoa(n), err
	case name == "h3":
		if _, err := hex.Parse(v); err != nil {
			return v, badParam("h3", "%s is not an H3 cell index", strconv.Quote(truncate(v, 20)))
		}
	}
	return v, nil
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
	release, err := s.inflight.acquire()
	if err != nil {
		return nil, err
	}
	defer release()
	a, err := s.layers.Answer(ctx, c.layer.Name, req)
	var fe *analysis.FieldError
	if errors.As(err, &fe) && (fe.Field == "from" || fe.Field == "to") {
		// The months came from datetime; name what the client sent.
		return nil, badParam("datetime", "%s", fe.Msg)
	}
	return a, err
}

func (s *Server) ogcItems(w http.ResponseWriter, r *http.Request) error {
	c, err := s.collectionOf(r.Context(), mux.Vars(r)["collectionId"])
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
	switch next := q.offset + len(a.Features); {
	case a.Next != nil:
		links = append(links, link{Href: base + "?" + q.withAfter(*a.Next), Rel: "next", Type: contentGeoJSON, Title: "next page"})
	case c.layer.Paged:
		// The last page of a keyset list, whatever its offset says.
	case next < a.Matched:
		links = append(links, link{Href: base + "?" + q.with(next), Rel: "next", Type: contentGeoJSON, Title: "next page"})
	}
	if q.offset > 0 && q.after == nil {
		links = append(links, link{Href: base + "?" + q.with(max(0, q.offset-q.limit)), Rel: "prev", Type: contentGeoJSON, Title: "previous page"})
	}
	ogcHeaders(w, contentGeoJSON)
	// The records on this page, for the audit log and for clients.
	w.Header().Set(rowsHeader, strconv.Itoa(len(a.Features)))
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
	c, err := s.collectionOf(r.Context(), vars["collectionId"])
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
	w.Header().Set(rowsHeader, "1")
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
		// The hex collections keep the title GIS users know them by; the
		// other per-priority layers say what they are.
		prefix := "Hotspots"
		if c.layer.Name != "hex" {
			prefix = s.Title
		}
		title = prefix + ": " + c.priority.Name
		desc = "Counts of " + strings.Join(c.priority.Categories, ", ") + ". " + desc
	}
	return title, desc + " Filters: " + strings.Join(c.layer.Queryables, ", ") + "."
}
