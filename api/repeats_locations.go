package api

import (
	"context"
	"io"
	"net/http"
	"strconv"

	"github.com/leicester-csp/hotspot/geo/layer"
)

// locationJSON is one place of /api/v1/repeats/locations in DESIGN.md's
// list shape ({"locations": [...]}); the layer's other properties come
// too, so that the list loses nothing the GeoJSON carries but geometry.
type locationJSON struct {
	ID           string   `json:"id"`
	Rank         int      `json:"rank"`
	Longitude    *float64 `json:"longitude"`
	Latitude     *float64 `json:"latitude"`
	Location     string   `json:"location"`
	Premises     *string  `json:"premises"`
	Count        *int     `json:"count"`
	Suppressed   bool     `json:"suppressed"`
	PremisesName *string  `json:"premises_name"`
	PremisesKind *string  `json:"premises_kind"`
	TopOutcome   *string  `json:"top_outcome"`
	Ward         *string  `json:"ward"`
	H3           string   `json:"h3"`
}

type locationsAnswer struct {
	Locations []locationJSON `json:"locations"`
	// CountOf says what a count is: police.uk incidents and local
	// records differ, and the reader of a bare list cannot tell.
	CountOf string           `json:"count_of"`
	Meta    layer.Provenance `json:"meta"`
}

// repeatsBody answers the repeat locations as DESIGN.md's list, or as
// the layer's GeoJSON (format=geojson: the map, QGIS) or CSV.
func (s *Server) repeatsBody(l *layer.Layer) bodyFunc {
	features := s.layerBody(l)
	return func(ctx context.Context, p *params, w io.Writer, h http.Header, src layer.Source) error {
		if p.csv || p.geojson {
			return features(ctx, p, w, h, src)
		}
		req := p.req
		req.Source = src
		a, err := s.layers.Answer(ctx, l.Name, req)
		if err != nil {
			return err
		}
		ans := locationsAnswer{Locations: make([]locationJSON, 0, len(a.Features)), Meta: a.Provenance, CountOf: countOf(a.Provenance)}
		ans.Meta.SuppressBelow = nil
		if a.Provenance.Source != nil {
			if below := partnerBelow(ctx); below > 0 {
				ans.Meta.SuppressBelow = &below
			}
		}
		for i := range a.Features {
			ans.Locations = append(ans.Locations, locationOf(a.Schema, &a.Features[i]))
		}
		h.Set(rowsHeader, strconv.Itoa(len(ans.Locations)))
		return writeJSON(w, ans)
	}
}

func countOf(m layer.Provenance) string {
	if m.Source == nil {
		return "police.uk incidents at the map point over the period"
	}
	return "records at the place over the period: a local record at its premises, else at its exact point (with police.uk's incidents there for source=all)"
}

func locationOf(s *layer.Schema, f *layer.Feature) locationJSON {
	v := func(name string) layer.Value { return f.Value(s, name) }
	num := func(name string) *float64 {
		if x := v(name); !x.Null() {
			return ptr(x.Float())
		}
		return nil
	}
	txt := func(name string) *string {
		if x := v(name); !x.Null() {
			return ptr(x.Text())
		}
		return nil
	}
	out := locationJSON{ID: f.ID, Rank: v("rank").Int(), Longitude: num("longitude"), Latitude: num("latitude"),
		Location: v("location").Text(), Premises: txt("premises"), Suppressed: v("suppressed").String() == "true",
		PremisesName: txt("premises_name"), PremisesKind: txt("premises_kind"), TopOutcome: txt("top_outcome"), Ward: txt("ward"), H3: v("h3").Text()}
	if c := v("count"); !c.Null() {
		out.Count = ptr(c.Int())
	}
	return out
}
