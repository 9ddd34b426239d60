package api

import (
	"context"
	"io"
	"net/http"

	"github.com/leicester-csp/hotspot/geo/layer"
)

// backtestParams are the backtest's (DESIGN.md, "Backtest"): the test
// months, the training window and the rankings to score.
var backtestParams = append([]string{"priority", "category", "from", "to", "train", "res", "k", "method", "coverage", "bandwidth"}, layer.LocalFilters...)

func (s *Server) backtestBody(ctx context.Context, p *params, w io.Writer, _ http.Header, src layer.Source) error {
	res, err := s.an.Backtest(ctx, p.req.Query, p.req.Backtest)
	if err != nil {
		return err
	}
	return layer.Backtest(res, src).WriteJSON(w)
}
