package api

import (
	"context"
	"io"
	"net/http"

	"github.com/leicester-csp/hotspot/geo/layer"
)

// temporalDays are the matrix's rows, Monday first as ISO weeks and the
// days filter count them.
var temporalDays = []string{"mon", "tue", "wed", "thu", "fri", "sat", "sun"}

// temporalAnswer is the day × hour matrix of local records for one cell,
// one ward or (both null) the whole area: matrix[day][hour], local hours.
// A count withheld from a partner is null, and then (only then)
// suppressed is the parallel matrix saying which cells were withheld, so
// that a client can tell "withheld" from "no data" without a second rule.
type temporalAnswer struct {
	Days       []string         `json:"days"`
	Matrix     [7][24]*int      `json:"matrix"`
	Suppressed *[7][24]bool     `json:"suppressed,omitempty"`
	H3         *string          `json:"h3"`
	Ward       *string          `json:"ward"`
	CountsAre  string           `json:"counts_are"`
	Meta       layer.Provenance `json:"meta"`
}

// temporalCountsAre says what the matrix counts: with source=all the
// police.uk records are in the ward and hex totals but not here, and a
// reader comparing them should know why.
const temporalCountsAre = "partner records by the local day and hour they occurred; police.uk records have no time of day " +
	"and are never counted here, so with source=all this is less than the ward and hex totals. " +
	"Rows are calendar days: a Saturday 02:00 record is on Saturday's row, though days=fri with hours=20-04 counts it as Friday night."

func (s *Server) temporalBody(ctx context.Context, p *params, w io.Writer, _ http.Header, src layer.Source) error {
	key, h3, ward, err := s.placeKey(ctx, p)
	if err != nil {
		return err
	}
	r, m, err := s.an.Temporal(ctx, p.req.Query, key)
	if err != nil {
		return err
	}
	ans := temporalAnswer{Days: temporalDays, H3: h3, Ward: ward, CountsAre: temporalCountsAre, Meta: layer.ProvenanceOf(r, src)}
	for d := range m.Counts {
		for h, n := range m.Counts[d] {
			if m.Suppressed[d][h] {
				ans.Suppressed = &m.Suppressed
				continue
			}
			ans.Matrix[d][h] = ptr(n)
		}
	}
	return writeJSON(w, ans)
}
