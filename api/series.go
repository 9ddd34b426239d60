package api

import (
	"context"
	"io"
	"net/http"
	"slices"
	"strconv"

	"github.com/leicester-csp/hotspot/geo"
	"github.com/leicester-csp/hotspot/geo/hex"
	"github.com/leicester-csp/hotspot/geo/layer"
)

type seriesPoint struct {
	Month string `json:"month"`
	Count int    `json:"count"`
}

// seriesAnswer is a monthly series for one cell, one ward or (both null)
// the whole area of the filters.
type seriesAnswer struct {
	Series []seriesPoint    `json:"series"`
	H3     *string          `json:"h3"`
	Ward   *string          `json:"ward"`
	Meta   layer.Provenance `json:"meta"`
}

func (s *Server) seriesBody(ctx context.Context, p *params, w io.Writer, _ http.Header, src layer.Source) error {
	key := geo.SeriesKey{Cell: p.cell, Ward: p.ward}
	ans := seriesAnswer{Series: []seriesPoint{}}
	if p.cell != 0 {
		ans.H3 = ptr(hex.String(p.cell))
	}
	if p.ward != "" {
		// An unknown ward is the caller's mistake, like an unknown
		// category, rather than a missing resource.
		wards, err := s.store.Areas(ctx, geo.KindWard)
		if err != nil {
			return err
		}
		if !slices.ContainsFunc(wards, func(a geo.Area) bool { return a.Code == p.ward }) {
			return badParam("ward", "unknown ward code %s", strconv.Quote(truncate(p.ward, 40)))
		}
		ans.Ward = ptr(p.ward)
	}
	r, counts, err := s.an.Series(ctx, p.req.Query, key)
	if err != nil {
		return err
	}
	for _, mc := range counts {
		ans.Series = append(ans.Series, seriesPoint{Month: mc.Month.String(), Count: mc.Count})
	}
	ans.Meta = layer.ProvenanceOf(r, src)
	return writeJSON(w, ans)
}
