package api

import (
	"context"
	"io"
	"net/http"

	"github.com/leicester-csp/hotspot/geo/layer"
)

// concentrationParams are the concentration endpoint's: the usual
// filters, one ward, and the resolution of the cells.
var concentrationParams = append([]string{"priority", "category", "from", "to", "ward", "res"}, layer.LocalFilters...)

// concentrationAnswer says how concentrated the incidents are over the
// study area's cells (DESIGN.md, "Concentration"). With no incidents
// every figure but the counts is null: shares of nothing are undefined.
type concentrationAnswer struct {
	Incidents  int              `json:"incidents"`
	Cells      int              `json:"cells"`
	CellsFor50 *int             `json:"cells_for_50pct"`
	CellsFor80 *int             `json:"cells_for_80pct"`
	ShareFor50 *float64         `json:"share_for_50pct"`
	ShareFor80 *float64         `json:"share_for_80pct"`
	Gini       *float64         `json:"gini"`
	Lorenz     [][2]float64     `json:"lorenz"`
	Provenance layer.Provenance `json:"hotspot"`
}

func (s *Server) concentrationBody(ctx context.Context, p *params, w io.Writer, _ http.Header, src layer.Source) error {
	q := p.req.Query
	q.Ward = p.ward
	res, err := s.an.Concentration(ctx, q)
	if err != nil {
		return err
	}
	c := res.Concentration
	ans := concentrationAnswer{Incidents: c.Incidents, Cells: c.Cells, Provenance: layer.ProvenanceOf(res.Query, src)}
	if r := res.Query; r != nil {
		ans.Provenance.Res = ptr(r.Res)
		ans.Provenance.Study = ptr(r.Study)
	}
	ans.Provenance.Cells = ptr(c.Cells)
	if c.Defined {
		ans.CellsFor50, ans.CellsFor80 = ptr(c.CellsFor50), ptr(c.CellsFor80)
		ans.ShareFor50, ans.ShareFor80 = ptr(c.Share50), ptr(c.Share80)
		ans.Gini, ans.Lorenz = ptr(c.Gini), c.Lorenz
	}
	return writeJSON(w, ans)
}
