package api

import (
	"context"
	"io"
	"net/http"

	"github.com/leicester-csp/hotspot/geo"
	"github.com/leicester-csp/hotspot/geo/hex"
	"github.com/leicester-csp/hotspot/geo/layer"
)

// seriesPoint is one month; a count withheld from a partner caller is
// null with suppressed true.
type seriesPoint struct {
	Month      string `json:"month"`
	Count      *int   `json:"count"`
	Suppressed bool   `json:"suppressed,omitempty"`
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
	key, h3, ward, err := s.placeKey(ctx, p)
	if err != nil {
		return err
	}
	r, counts, err := s.an.Series(ctx, p.req.Query, key)
	if err != nil {
		return err
	}
	ans := seriesAnswer{Series: []seriesPoint{}, H3: h3, Ward: ward}
	for _, mc := range counts {
		sp := seriesPoint{Month: mc.Month.String(), Suppressed: mc.Suppressed}
		if !mc.Suppressed {
			sp.Count = ptr(mc.Count)
		}
		ans.Series = append(ans.Series, sp)
	}
	ans.Meta = layer.ProvenanceOf(r, src)
	return writeJSON(w, ans)
}

// placeKey reads what a series or an outcome breakdown is for: one cell
// (h3), one ward, or neither (the whole area).
func (s *Server) placeKey(ctx context.Context, p *params) (key geo.SeriesKey, h3, ward *string, err error) {
	key = geo.SeriesKey{Cell: p.cell, Ward: p.ward}
	if p.cell != 0 {
		h3 = ptr(hex.String(p.cell))
	}
	if p.ward != "" {
		// By code or by name; an unknown ward is the caller's mistake, a
		// 400 naming ward.
		code, err := s.an.WardCode(ctx, p.ward)
		if err != nil {
			return key, nil, nil, err
		}
		key.Ward, ward = code, ptr(code)
	}
	return key, h3, ward, nil
}

type outcomeJSON struct {
	Outcome    string `json:"outcome"`
	Count      *int   `json:"count"`
	Suppressed bool   `json:"suppressed,omitempty"`
}

// outcomesAnswer is the police.uk last outcomes of the counted incidents
// for one cell, one ward or (both null) the whole area.
type outcomesAnswer struct {
	Outcomes []outcomeJSON    `json:"outcomes"`
	H3       *string          `json:"h3"`
	Ward     *string          `json:"ward"`
	Meta     layer.Provenance `json:"meta"`
}

func (s *Server) outcomesBody(ctx context.Context, p *params, w io.Writer, _ http.Header, src layer.Source) error {
	key, h3, ward, err := s.placeKey(ctx, p)
	if err != nil {
		return err
	}
	r, counts, err := s.an.Outcomes(ctx, p.req.Query, key)
	if err != nil {
		return err
	}
	ans := outcomesAnswer{Outcomes: []outcomeJSON{}, H3: h3, Ward: ward, Meta: layer.ProvenanceOf(r, src)}
	for _, oc := range counts {
		oj := outcomeJSON{Outcome: oc.Outcome, Suppressed: oc.Suppressed}
		if !oc.Suppressed {
			oj.Count = ptr(oc.Count)
		}
		ans.Outcomes = append(ans.Outcomes, oj)
	}
	return writeJSON(w, ans)
}
