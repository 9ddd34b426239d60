package api

import (
	"context"
	"io"
	"math"
	"net/http"

	"github.com/leicester-csp/hotspot/geo/analysis"
	"github.com/leicester-csp/hotspot/geo/layer"
)

// scaleParams are the scale run's: the hex layer's filters and how far
// to look.
var scaleParams = []string{"priority", "category", "from", "to", "res", "study", "kmax"}

type scaleRowJSON struct {
	K         int      `json:"k"`
	MoranI    *float64 `json:"moran_i"`
	Z         *float64 `json:"z"`
	P         *float64 `json:"p"`
	DistanceM float64  `json:"distance_m"`
}

// scaleAnswer is an incremental spatial autocorrelation run: Global
// Moran's I per neighbourhood size, and the peak that k=auto uses.
type scaleAnswer struct {
	Res   int            `json:"res"`
	Study string         `json:"study"`
	Rows  []scaleRowJSON `json:"rows"`
	PeakK *int           `json:"peak_k"`
	// Peaked says peak_k is an interior peak, not an end of the range.
	Peaked bool             `json:"peaked"`
	Meta   layer.Provenance `json:"meta"`
}

func (s *Server) scaleBody(ctx context.Context, p *params, w io.Writer, _ http.Header, src layer.Source) error {
	kmax := p.kmax
	if kmax == 0 {
		kmax = analysis.DefaultKMax
	}
	res, err := s.an.Scale(ctx, p.req.Query, kmax)
	if err != nil {
		return err
	}
	ans := scaleAnswer{Rows: []scaleRowJSON{}, Meta: layer.ProvenanceOf(res.Query, src)}
	if r := res.Query; r != nil {
		ans.Res, ans.Study = r.Res, r.Study
	}
	for _, row := range res.Rows {
		ans.Rows = append(ans.Rows, scaleRowJSON{K: row.K, MoranI: finite(row.I), Z: finite(row.Z), P: finite(row.P), DistanceM: row.Distance})
	}
	if res.PeakK > 0 {
		ans.PeakK, ans.Peaked = ptr(res.PeakK), res.Peaked
	}
	return writeJSON(w, ans)
}

// finite turns NaN (an undefined statistic) into JSON null.
func finite(f float64) *float64 {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return nil
	}
	return &f
}
