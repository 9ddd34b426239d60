package api

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strconv"

	"github.com/leicester-csp/hotspot/geo/layer"
)

// layerPaths are where each layer's list endpoint lives (DESIGN.md).
var layerPaths = map[string]string{
	"hex":       "/api/v1/hotspots/hex",
	"wards":     "/api/v1/hotspots/wards",
	"change":    "/api/v1/hotspots/change",
	"incidents": "/api/v1/incidents",
	"repeats":   "/api/v1/repeats/locations",
	"points":    "/api/v1/points",
	"emerging":  "/api/v1/hotspots/emerging",
	"forecast":  "/api/v1/hotspots/forecast",
	"premises":  "/api/v1/premises",

	"target-areas": targetAreasPath,
}

// layerBody answers a layer's list endpoint as GeoJSON or CSV.
func (s *Server) layerBody(l *layer.Layer) bodyFunc {
	return func(ctx context.Context, p *params, w io.Writer, h http.Header, src layer.Source) error {
		req := p.req
		req.Source = src
		if slices.Contains(l.Params, "ward") {
			// Only a layer that declares ward narrows its query by it.
			req.Query.Ward = p.ward
		}
		if l.Paged && req.Limit == 0 {
			req.Limit = DefaultLimit
		}
		a, err := s.layers.Answer(ctx, l.Name, req)
		if err != nil {
			return err
		}
		h.Set(rowsHeader, strconv.Itoa(len(a.Features)))
		if !p.csv {
			var members []layer.Member
			if next := nextQuery(p.canonical, req, a); l.Paged && next != "" {
				members = append(members, layer.Member{Name: "next", Value: p.self + "?" + next})
			}
			return layer.WriteGeoJSON(w, a, members...)
		}
		if l.Paged {
			pageHeaders(h, p.canonical, req, a)
		}
		return layer.WriteCSV(w, a)
	}
}

// nextQuery is the query of the page after a, "" on the last page: the
// same query less offset, with after= the cursor past a's last incident,
// so that each next page costs what the first did.
func nextQuery(canonical string, req layer.Request, a *layer.Answer) string {
	if a.Next == nil {
		return ""
	}
	q, _ := url.ParseQuery(canonical)
	q.Del("offset")
	q.Set("after", encodeCursor(*a.Next, req.Newest))
	q.Set("limit", strconv.Itoa(req.Limit))
	return q.Encode()
}

// pageHeaders say in headers what a CSV page cannot say in its body: how
// many rows match in all, and where the next page is (RFC 8288; the
// reference is relative to the request).
func pageHeaders(h http.Header, canonical string, req layer.Request, a *layer.Answer) {
	h.Set("X-Total-Count", strconv.Itoa(a.Matched))
	if next := nextQuery(canonical, req, a); next != "" {
		h.Set("Link", "<?"+next+`>; rel="next"`)
	}
}
