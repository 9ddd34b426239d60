package api

import (
	"context"
	"net/http"
	"strings"

	"github.com/gorilla/mux"

	"github.com/leicester-csp/hotspot/geo"
	"github.com/leicester-csp/hotspot/geo/analysis"
)

// OGC API – Features, Part 1 Core with GeoJSON and OpenAPI 3.0, under
// /ogc: GIS desktops (QGIS, GDAL's OAPIF driver) connect to the service
// directly. Collections: every incident, the wards with their counts, and
// one hex hotspot layer per priority.

const (
	contentOpenAPI = "application/vnd.oai.openapi+json;version=3.0"
	contentSchema  = "application/schema+json"

	confCore    = "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core"
	confGeoJSON = "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson"
	confOAS30   = "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30"

	crs84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"
)

type link struct {
	Href  string `json:"href"`
	Rel   string `json:"rel"`
	Type  string `json:"type,omitempty"`
	Title string `json:"title,omitempty"`
}

func (s *Server) mountOGC(r *mux.Router) {
	get := func(path string, h handlerFunc) {
		r.Handle(path, s.handle(h)).Methods(http.MethodGet, http.MethodHead)
	}
	get("/ogc", s.ogcLanding)
	get("/ogc/", s.ogcLanding)
	get("/ogc/conformance", s.ogcConformance)
	get("/ogc/api", s.ogcOpenAPI)
	get("/ogc/collections", s.ogcCollections)
	get("/ogc/collections/{collectionId}", s.ogcCollection)
	get("/ogc/collections/{collectionId}/queryables", s.ogcQueryables)
	get("/ogc/collections/{collectionId}/schema", s.ogcSchema)
	get("/ogc/collections/{collectionId}/items", s.ogcItems)
	get("/ogc/collections/{collectionId}/items/{featureId}", s.ogcItem)
}

// baseURL is the absolute root the client reached us at; behind a proxy
// the X-Forwarded-* headers say what it was, since every href must be
// absolute and usable by the client. Only a trusted proxy's headers
// reach here (dropForwarded), and a malformed host or prefix is ignored.
func baseURL(r *http.Request) string {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	if p := firstHeader(r, "X-Forwarded-Proto"); p == "http" || p == "https" {
		scheme = p
	}
	host := r.Host
	if h := firstHeader(r, "X-Forwarded-Host"); validHost(h) {
		host = h
	}
	prefix := strings.TrimRight(firstHeader(r, "X-Forwarded-Prefix"), "/")
	if !validPrefix(prefix) {
		prefix = ""
	}
	if prefix != "" && !strings.HasPrefix(prefix, "/") {
		prefix = "/" + prefix
	}
	return scheme + "://" + host + prefix
}

// firstHeader takes the first of a comma-separated header list (the
// client-most proxy's view).
func firstHeader(r *http.Request, name string) string {
	v, _, _ := strings.Cut(r.Header.Get(name), ",")
	return strings.TrimSpace(v)
}

// noParams refuses any query parameter but f (the format, which must be
// JSON here) on the OGC resources that take none.
func noParams(r *http.Request) error {
	q, err := parseOGCQuery(r.URL.RawQuery, nil)
	if err != nil {
		return err
	}
	for _, k := range []string{"bbox", "limit", "offset", "datetime"} {
		if _, ok := q.raw[k]; ok {
			return badParam(k, "unknown parameter %q here: only items take it", k)
		}
	}
	return nil
}

func (s *Server) ogcJSON(w http.ResponseWriter, r *http.Request, contentType string, v any) error {
	h := w.Header()
	h.Set("Content-Type", contentType)
	h.Set("Cache-Control", "no-cache")
	w.WriteHeader(http.StatusOK)
	if r.Method == http.MethodHead {
		return nil
	}
	return writeJSON(w, v)
}

func (s *Server) ogcLanding(w http.ResponseWriter, r *http.Request) error {
	if err := noParams(r); err != nil {
		return err
	}
	base := baseURL(r) + "/ogc"
	return s.ogcJSON(w, r, contentJSON, map[string]any{
		"title":       "hotspot — crime hotspots for the Community Safety Partnership",
		"description": "Incidents, ward figures and Getis–Ord Gi* hex hotspots per priority, from police.uk street-level crime data (OGL v3).",
		"links": []link{
			{Href: base, Rel: "self", Type: contentJSON, Title: "this document"},
			{Href: base + "/api", Rel: "service-desc", Type: contentOpenAPI, Title: "the API definition"},
			{Href: base + "/conformance", Rel: "conformance", Type: contentJSON, Title: "conformance classes"},
			{Href: base + "/collections", Rel: "data", Type: contentJSON, Title: "the collections"},
		},
	})
}

func (s *Server) ogcConformance(w http.ResponseWriter, r *http.Request) error {
	if err := noParams(r); err != nil {
		return err
	}
	return s.ogcJSON(w, r, contentJSON, map[string]any{"conformsTo": []string{confCore, confGeoJSON, confOAS30}})
}

// ogcCollectionInfo describes one collection.
type ogcCollectionInfo struct {
	ID          string   `json:"id"`
	Title       string   `json:"title"`
	Description string   `json:"description"`
	Links       []link   `json:"links"`
	Extent      any      `json:"extent"`
	ItemType    string   `json:"itemType"`
	CRS         []string `json:"crs"`
}

func (s *Server) collectionInfo(ctx context.Context, r *http.Request, c collection) (ogcCollectionInfo, error) {
	base := baseURL(r) + "/ogc/collections/" + c.id
	info := ogcCollectionInfo{ID: c.id, ItemType: "feature", CRS: []string{crs84}}
	info.Title, info.Description = c.describe()
	info.Links = []link{
		{Href: base, Rel: "self", Type: contentJSON, Title: "this collection"},
		{Href: base + "/items", Rel: "items", Type: contentGeoJSON, Title: "the features"},
		{Href: base + "/queryables", Rel: "http://www.opengis.net/def/rel/ogc/1.0/queryables", Type: contentSchema, Title: "what the items can be filtered on"},
		{Href: base + "/schema", Rel: "http://www.opengis.net/def/rel/ogc/1.0/schema", Type: contentSchema, Title: "the features' properties"},
	}
	ext, err := s.extent(ctx)
	if err != nil {
		return info, err
	}
	info.Extent = ext
	return info, nil
}

// extent is the data's spatial and temporal extent: the wards' bound (or
// a whole-world box without wards) and the months held.
func (s *Server) extent(ctx context.Context) (any, error) {
	st := s.store
	wards, err := st.Areas(ctx, geo.KindWard)
	if err != nil {
		return nil, err
	}
	bbox := []float64{-180, -90, 180, 90}
	if len(wards) > 0 {
		b := wards[0].Geometry.Bound()
		for _, w := range wards[1:] {
			b = b.Union(w.Geometry.Bound())
		}
		bbox = []float64{b.Min[0], b.Min[1], b.Max[0], b.Max[1]}
	}
	months, err := st.Months(ctx)
	if err != nil {
		return nil, err
	}
	interval := []any{nil, nil}
	if len(months) > 0 {
		first, last := months[0], months[len(months)-1]
		interval = []any{monthStart(first), monthStart(last + 1)}
	}
	return map[string]any{
		"spatial":  map[string]any{"bbox": [][]float64{bbox}, "crs": crs84},
		"temporal": map[string]any{"interval": [][]any{interval}, "trs": "http://www.opengis.net/def/uom/ISO-8601/0/Gregorian"},
	}, nil
}

func monthStart(m geo.Month) string { return m.String() + "-01T00:00:00Z" }

func (s *Server) ogcCollections(w http.ResponseWriter, r *http.Request) error {
	if err := noParams(r); err != nil {
		return err
	}
	var cols []ogcCollectionInfo
	role := callerOf(r.Context()).role
	vis, _ := analysis.VisibilityOf(r.Context())
	for _, c := range s.collections() {
		if !role.AtLeast(layerRule(c.layer.Name).min) {
			continue // a collection the caller may not read is not listed
		}
		if p := c.priority; p != nil && p.Source != "" && p.Source != geo.SourcePoliceUK && vis == analysis.SeePoliceUK {
			continue // no local source is listed to the public
		}
		info, err := s.collectionInfo(r.Context(), r, c)
		if err != nil {
			return err
		}
		cols = append(cols, info)
	}
	base := baseURL(r) + "/ogc/collections"
	return s.ogcJSON(w, r, contentJSON, map[string]any{
		"links":       []link{{Href: base, Rel: "self", Type: contentJSON, Title: "the collections"}},
		"collections": cols,
	})
}

func (s *Server) ogcCollection(w http.ResponseWriter, r *http.Request) error {
	if err := noParams(r); err != nil {
		return err
	}
	c, err := s.collectionOf(r.Context(), mux.Vars(r)["collectionId"])
	if err != nil {
		return err
	}
	info, err := s.collectionInfo(r.Context(), r, c)
	if err != nil {
		return err
	}
	return s.ogcJSON(w, r, contentJSON, info)
}
