package api

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gorilla/mux"

	"github.com/leicester-csp/hotspot/geo"
	"github.com/leicester-csp/hotspot/geo/analysis"
	"github.com/leicester-csp/hotspot/geo/hex"
)

// ogcFeature is a GeoJSON feature with the id OGC clients key on.
type ogcFeature struct {
	Type       string `json:"type"`
	ID         string `json:"id"`
	Geometry   any    `json:"geometry"`
	Properties any    `json:"properties"`
	Links      []link `json:"links,omitempty"`
}

type ogcItems struct {
	Type           string       `json:"type"`
	Features       []ogcFeature `json:"features"`
	NumberMatched  int          `json:"numberMatched"`
	NumberReturned int          `json:"numberReturned"`
	TimeStamp      string       `json:"timeStamp"`
	Links          []link       `json:"links"`
	Hotspot        Meta         `json:"hotspot"`
}

// Queryables: the property filters each kind of collection takes, besides
// Core's bbox, limit, offset and datetime.
var (
	incidentQueryables = []string{"category", "ward"}
	wardQueryables     = []string{"priority", "category", "code"}
	hexQueryables      = []string{"res", "k", "gi_bin", "h3"}
)

func queryablesOf(id string) []string {
	switch {
	case id == "incidents":
		return incidentQueryables
	case id == "wards":
		return wardQueryables
	}
	return hexQueryables
}

// allMonths is the period of an incidents request without datetime: the
// collection is every stored incident.
var allMonths = geo.MonthRange{From: geo.NewMonth(0, 1), To: geo.NewMonth(9999, 12)}

// collectionPage is one page of a collection's features: what matched in
// all and the page itself, in the collection's order.
type collectionPage struct {
	matched  int
	features []ogcFeature
	meta     Meta
}

func (s *Server) ogcItems(w http.ResponseWriter, r *http.Request) error {
	id := mux.Vars(r)["collectionId"]
	if _, err := s.collectionInfo(r.Context(), r, id); err != nil {
		return err
	}
	q, err := parseOGCQuery(r.URL.RawQuery, queryablesOf(id))
	if err != nil {
		return err
	}
	page, err := s.collectionFeatures(r.Context(), id, q, "")
	if err != nil {
		return err
	}
	base := baseURL(r) + "/ogc/collections/" + id + "/items"
	self := base
	if r.URL.RawQuery != "" {
		self += "?" + r.URL.RawQuery
	}
	links := []link{
		{Href: self, Rel: "self", Type: contentGeoJSON, Title: "this page"},
		{Href: self, Rel: "alternate", Type: contentJSON, Title: "this page as JSON"},
		{Href: baseURL(r) + "/ogc/collections/" + id, Rel: "collection", Type: contentJSON, Title: "the collection"},
	}
	if next := q.offset + len(page.features); next < page.matched {
		links = append(links, link{Href: base + "?" + q.with(next), Rel: "next", Type: contentGeoJSON, Title: "next page"})
	}
	if q.offset > 0 {
		links = append(links, link{Href: base + "?" + q.with(max(0, q.offset-q.limit)), Rel: "prev", Type: contentGeoJSON, Title: "previous page"})
	}
	return s.ogcJSON(w, r, contentGeoJSON, ogcItems{
		Type: "FeatureCollection", Features: nonNil(page.features),
		NumberMatched: page.matched, NumberReturned: len(page.features),
		TimeStamp: time.Now().UTC().Format(time.RFC3339), Links: links, Hotspot: page.meta,
	})
}

func (s *Server) ogcItem(w http.ResponseWriter, r *http.Request) error {
	vars := mux.Vars(r)
	id, fid := vars["collectionId"], vars["featureId"]
	if !isText(fid) {
		// No stored feature has such an id.
		return fmt.Errorf("feature %q: %w", truncate(fid, 40), geo.ErrNotFound)
	}
	if _, err := s.collectionInfo(r.Context(), r, id); err != nil {
		return err
	}
	q, err := parseOGCQuery(r.URL.RawQuery, queryablesOf(id))
	if err != nil {
		return err
	}
	page, err := s.collectionFeatures(r.Context(), id, q, fid)
	if err != nil {
		return err
	}
	if len(page.features) == 0 {
		return fmt.Errorf("feature %q in %s: %w", truncate(fid, 80), id, geo.ErrNotFound)
	}
	f := page.features[0]
	coll := baseURL(r) + "/ogc/collections/" + id
	f.Links = []link{
		{Href: coll + "/items/" + fid, Rel: "self", Type: contentGeoJSON, Title: "this feature"},
		{Href: coll, Rel: "collection", Type: contentJSON, Title: "the collection"},
	}
	return s.ogcJSON(w, r, contentGeoJSON, f)
}

// collectionFeatures selects a collection's features for q; with only
// set, just the feature with that id (paging ignored).
func (s *Server) collectionFeatures(ctx context.Context, id string, q *ogcQuery, only string) (collectionPage, error) {
	version, err := s.an.Store().Version(ctx)
	if err != nil {
		return collectionPage{}, err
	}
	mb := metaBase{version: version, synthetic: s.synthetic(ctx)}
	switch id {
	case "incidents":
		return s.incidentFeatures(ctx, q, only, mb)
	case "wards":
		return s.wardFeatures(ctx, q, only, mb)
	}
	return s.hexFeatures(ctx, strings.TrimPrefix(id, "hex-"), q, only, mb)
}

// window returns the part of n items a page shows.
func window(n int, q *ogcQuery, only string) (lo, hi int) {
	if only != "" {
		return 0, n
	}
	lo = min(q.offset, n)
	return lo, min(n, lo+q.limit)
}

func (s *Server) incidentFeatures(ctx context.Context, q *ogcQuery, only string, mb metaBase) (collectionPage, error) {
	if only != "" {
		in, err := s.an.Store().Incident(ctx, only)
		if err != nil {
			return collectionPage{}, err
		}
		return collectionPage{matched: 1, features: []ogcFeature{incidentFeature(in)}, meta: mb.meta(nil)}, nil
	}
	r, err := s.an.Resolve(ctx, analysis.Query{Category: q.props["category"]})
	if err != nil {
		return collectionPage{}, err
	}
	f := r.Filter()
	f.Months = allMonths
	if q.from != "" || q.to != "" {
		if q.from != "" {
			f.Months.From, _ = geo.ParseMonth(q.from)
		}
		if q.to != "" {
			f.Months.To, _ = geo.ParseMonth(q.to)
		}
	}
	if w := q.props["ward"]; w != "" {
		f.Wards = []string{w}
	}
	page, err := s.an.Store().Incidents(ctx, f, geo.PageRequest{BBox: q.bbox, Limit: q.limit, Offset: q.offset})
	if err != nil {
		return collectionPage{}, err
	}
	out := collectionPage{matched: page.Total, meta: mb.meta(r)}
	out.meta.From, out.meta.To, out.meta.Months = nil, nil, 0
	for _, in := range page.Items {
		out.features = append(out.features, incidentFeature(in))
	}
	return out, nil
}

func incidentFeature(in geo.StoredIncident) ogcFeature {
	f := ogcFeature{Type: "Feature", ID: in.ID, Properties: incidentPropsOf(in)}
	if in.HasLocation {
		f.Geometry = pointGeom{Type: "Point", Coordinates: in.Point}
	}
	return f
}

func (s *Server) wardFeatures(ctx context.Context, q *ogcQuery, only string, mb metaBase) (collectionPage, error) {
	res, err := s.an.Wards(ctx, analysis.Query{Priority: q.props["priority"], Category: q.props["category"], From: q.from, To: q.to})
	if err != nil {
		return collectionPage{}, err
	}
	if err := checkResolved(res.Query); err != nil {
		return collectionPage{}, err
	}
	var all []ogcFeature
	wardRows(res, q.bbox, func(row analysis.WardRow) {
		if only != "" && row.Area.Code != only {
			return
		}
		if c := q.props["code"]; c != "" && row.Area.Code != c {
			return
		}
		all = append(all, ogcFeature{Type: "Feature", ID: row.Area.Code,
			Geometry:   multiPolygonGeom{Type: "MultiPolygon", Coordinates: row.Area.Geometry},
			Properties: wardPropsOf(row)})
	})
	lo, hi := window(len(all), q, only)
	return collectionPage{matched: len(all), features: all[lo:hi], meta: mb.meta(res.Query)}, nil
}

func (s *Server) hexFeatures(ctx context.Context, priority string, q *ogcQuery, only string, mb metaBase) (collectionPage, error) {
	hq := analysis.Query{Priority: priority, From: q.from, To: q.to}
	if v, ok := q.props["res"]; ok {
		n, err := intIn("res", v, geo.MinRes, geo.MaxRes)
		if err != nil {
			return collectionPage{}, err
		}
		hq.Res = n
	}
	if v, ok := q.props["k"]; ok {
		n, err := intIn("k", v, analysis.MinK, analysis.MaxK)
		if err != nil {
			return collectionPage{}, err
		}
		hq.K = n
	}
	binFilter, hasBin := 0, false
	if v, ok := q.props["gi_bin"]; ok {
		n, err := strconv.Atoi(v)
		if err != nil || n < -3 || n > 3 {
			return collectionPage{}, geo.InvalidParam("gi_bin", "gi_bin must be an integer −3…3")
		}
		binFilter, hasBin = n, true
	}
	cellFilter := q.props["h3"]
	if only != "" {
		cellFilter = only
	}
	if cellFilter != "" {
		if _, err := hex.Parse(cellFilter); err != nil {
			if only != "" {
				return collectionPage{}, fmt.Errorf("feature %q: %w", truncate(only, 40), geo.ErrNotFound)
			}
			return collectionPage{}, geo.InvalidParam("h3", "%s is not an H3 cell index", strconv.Quote(truncate(cellFilter, 20)))
		}
	}
	res, err := s.an.Hex(ctx, hq)
	if err != nil {
		return collectionPage{}, err
	}
	if err := checkResolved(res.Query); err != nil {
		return collectionPage{}, err
	}
	var all []ogcFeature
	for _, c := range res.Cells {
		if hasBin && c.Bin != binFilter {
			continue
		}
		h := hex.String(c.Cell)
		if cellFilter != "" && h != cellFilter {
			continue
		}
		o := s.outlines.get(c.Cell)
		if q.bbox != nil && !cellInBox(c.Cell, o, *q.bbox) {
			continue
		}
		var g any
		if o.geometry != nil {
			g = json.RawMessage(o.geometry)
		}
		all = append(all, ogcFeature{Type: "Feature", ID: h, Geometry: g, Properties: hexPropsOf(c)})
	}
	lo, hi := window(len(all), q, only)
	return collectionPage{matched: len(all), features: all[lo:hi], meta: hexMeta(res, mb.meta(res.Query))}, nil
}
