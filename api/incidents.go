package api

import (
	"context"
	"io"

	"github.com/leicester-csp/hotspot/geo"
)

// incidentProps are an incident's properties, exactly those of DESIGN.md.
type incidentProps struct {
	ID       string  `json:"id"`
	Month    string  `json:"month"`
	Category string  `json:"category"`
	Location string  `json:"location"`
	Ward     *string `json:"ward"`
	WardName *string `json:"ward_name"`
	Outcome  string  `json:"outcome"`
}

func incidentPropsOf(in geo.StoredIncident) incidentProps {
	p := incidentProps{ID: in.ID, Month: in.Month.String(), Category: in.Category, Location: in.Location, Outcome: in.Outcome}
	if in.Ward != "" {
		p.Ward, p.WardName = ptr(in.Ward), ptr(in.WardName)
	}
	return p
}

// WriteIncidentsGeoJSON writes a page of incidents with OGC's
// numberMatched (every incident the filters select) and numberReturned.
// An incident without location has a null geometry.
func WriteIncidentsGeoJSON(w io.Writer, page geo.Page, m Meta, limit, offset int) error {
	m.Limit, m.Offset = ptr(limit), ptr(offset)
	fc := startCollection(w)
	for _, in := range page.Items {
		var g any
		if in.HasLocation {
			g = pointGeom{Type: "Point", Coordinates: in.Point}
		}
		fc.feature(newFeature(g, incidentPropsOf(in)))
	}
	return fc.finish(
		member{"numberMatched", page.Total},
		member{"numberReturned", len(page.Items)},
		member{"hotspot", m},
	)
}

func (s *Server) incidentsBody(ctx context.Context, p *params, w io.Writer, m metaBase) error {
	r, err := s.an.Resolve(ctx, p.query)
	if err != nil {
		return err
	}
	if err := checkResolved(r); err != nil {
		return err
	}
	var page geo.Page
	if !r.NoData {
		page, err = s.an.Store().Incidents(ctx, r.Filter(), geo.PageRequest{BBox: p.bbox, Limit: p.limit, Offset: p.offset})
		if err != nil {
			return err
		}
	}
	if p.csv {
		return WriteIncidentsCSV(w, page, m.meta(r), p.limit, p.offset)
	}
	return WriteIncidentsGeoJSON(w, page, m.meta(r), p.limit, p.offset)
}
