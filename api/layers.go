package api

import (
	"context"
	"io"

	"github.com/leicester-csp/hotspot/geo/layer"
)

// layerPaths are where each layer's list endpoint lives (DESIGN.md).
var layerPaths = map[string]string{
	"hex":       "/api/v1/hotspots/hex",
	"wards":     "/api/v1/hotspots/wards",
	"incidents": "/api/v1/incidents",
}

// layerBody answers a layer's list endpoint as GeoJSON or CSV.
func (s *Server) layerBody(l *layer.Layer) bodyFunc {
	return func(ctx context.Context, p *params, w io.Writer, src layer.Source) error {
		req := p.req
		req.Source = src
		if l.Paged && req.Limit == 0 {
			req.Limit = DefaultLimit
		}
		a, err := s.layers.Answer(ctx, l.Name, req)
		if err != nil {
			return err
		}
		if p.csv {
			return layer.WriteCSV(w, a)
		}
		return layer.WriteGeoJSON(w, a)
	}
}
