package layer

import (
	"bytes"
	"encoding/json"
	"io"

	"github.com/leicester-csp/hotspot/geo/analysis"
)

// BacktestJSON is the backtest's answer (DESIGN.md, "Backtest"), the
// same object from the API and from hotspot backtest --json.
type BacktestJSON struct {
	Rows    []BacktestRowJSON `json:"rows"`
	Means   []MeanJSON        `json:"means"`
	Hotspot Provenance        `json:"hotspot"`
}

// BacktestRowJSON is one test month, method and coverage.
type BacktestRowJSON struct {
	Month     string   `json:"month"`
	Method    string   `json:"method"`
	Coverage  float64  `json:"coverage"`
	Cells     int      `json:"cells"`
	Selected  int      `json:"selected"`
	Incidents int      `json:"incidents"`
	Hits      int      `json:"hits"`
	PAI       *float64 `json:"pai"`
	PEI       *float64 `json:"pei"`
	RRI       *float64 `json:"rri"`
}

// Backtest is a backtest's answer with its provenance (the test months
// as from and to).
func Backtest(res *analysis.BacktestResult, src Source) *BacktestJSON {
	out := &BacktestJSON{Rows: []BacktestRowJSON{}, Means: []MeanJSON{}, Hotspot: ProvenanceOf(res.Query, src)}
	if q := res.Query; q != nil {
		out.Hotspot.Res, out.Hotspot.K = ptr(q.Res), ptr(q.K)
	}
	out.Hotspot.Train, out.Hotspot.Bandwidth = ptr(res.Train), ptr(res.Bandwidth)
	for _, r := range res.Rows {
		out.Rows = append(out.Rows, BacktestRowJSON{Month: r.Month.String(), Method: r.Method, Coverage: r.Coverage,
			Cells: r.Cells, Selected: r.Selected, Incidents: r.Incidents, Hits: r.Hits, PAI: r.PAI, PEI: r.PEI, RRI: r.RRI})
	}
	for _, m := range res.Means {
		out.Means = append(out.Means, meanJSON(m))
	}
	return out
}

// WriteJSON writes the answer as one line of JSON, as the API does.
func (b *BacktestJSON) WriteJSON(w io.Writer) error {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(b); err != nil {
		return err
	}
	_, err := w.Write(buf.Bytes())
	return err
}
