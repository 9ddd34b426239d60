package api

import (
	"math"
	"net/http"
	"net/url"
	"slices"
	"strconv"

	"github.com/gorilla/mux"

	"github.com/leicester-csp/hotspot/geo"
	"github.com/leicester-csp/hotspot/geo/analysis"
)

var evaluationParams = []string{"before", "after", "buffer", "control"}

// evaluationBody is the answer of /api/v1/target-areas/{id}/evaluation:
// DESIGN.md's keys, then what they were counted over and the verdict.
type evaluationBody struct {
	TBefore int      `json:"t_before"`
	TAfter  int      `json:"t_after"`
	DBefore int      `json:"d_before"`
	DAfter  int      `json:"d_after"`
	CBefore int      `json:"c_before"`
	CAfter  int      `json:"c_after"`
	WDQ     *float64 `json:"wdq"`
	WDD     float64  `json:"wdd"`
	WDDSE   *float64 `json:"wdd_se"`
	WDDZ    *float64 `json:"wdd_z"`
	WDDP    *float64 `json:"wdd_p"`
	Verdict string   `json:"verdict"`

	ID       string      `json:"id"`
	Name     string      `json:"name"`
	Priority string      `json:"priority"`
	Start    string      `json:"start"`
	Before   window      `json:"before"`
	After    window      `json:"after"`
	Buffer   float64     `json:"buffer"`
	Control  controlInfo `json:"control"`
}

type window struct {
	From   string `json:"from"`
	To     string `json:"to"`
	Months int    `json:"months"`
	// Complete is false while the window runs past the latest month held.
	Complete bool `json:"complete"`
}

type controlInfo struct {
	Kind string `json:"kind"` // "ward" or "area"
	Code string `json:"code"`
	Name string `json:"name"`
}

func windowOf(r geo.MonthRange, complete bool) window {
	return window{From: r.From.String(), To: r.To.String(), Months: r.Len(), Complete: complete}
}

// EvaluationBody is the JSON an evaluation answers with, for the command
// line's --json.
func EvaluationBody(ev *analysis.AreaEvaluation) any {
	return evaluationBody{
		TBefore: ev.TBefore, TAfter: ev.TAfter, DBefore: ev.DBefore, DAfter: ev.DAfter, CBefore: ev.CBefore, CAfter: ev.CAfter,
		WDQ: ev.WDQ, WDD: ev.WDD, WDDSE: ev.WDDSE, WDDZ: ev.WDDZ, WDDP: ev.WDDP, Verdict: ev.Verdict,
		ID: ev.Area.ID, Name: ev.Area.Name, Priority: ev.Area.Priority, Start: ev.Area.Start.String(),
		Before: windowOf(ev.Before, ev.BeforeComplete), After: windowOf(ev.After, ev.AfterComplete), Buffer: ev.Buffer,
		Control: controlInfo{Kind: ev.ControlKind, Code: ev.Control, Name: ev.ControlName},
	}
}

func (s *Server) evaluateTargetArea(w http.ResponseWriter, r *http.Request) error {
	q, err := parseEvalQuery(r.URL.RawQuery)
	if err != nil {
		return err
	}
	if _, err := s.storedArea(r); err != nil {
		return err
	}
	release, err := s.inflight.acquire()
	if err != nil {
		return err
	}
	defer release()
	ev, err := s.an.EvaluateTargetArea(r.Context(), mux.Vars(r)["id"], q)
	if err != nil {
		return err
	}
	liveHeaders(w, contentJSON)
	if r.Method == http.MethodHead {
		return nil
	}
	return writeJSON(w, EvaluationBody(ev))
}

func parseEvalQuery(raw string) (analysis.EvalQuery, error) {
	var q analysis.EvalQuery
	vals, err := url.ParseQuery(raw)
	if err != nil {
		return q, badParam("", "malformed query string (a bad %%-escape or a semicolon)")
	}
	if err := checkText(vals); err != nil {
		return q, err
	}
	keys := make([]string, 0, len(vals))
	for k := range vals {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		if !slices.Contains(evaluationParams, k) {
			return q, badParam(k, "unknown parameter %s (this endpoint takes %v)", strconv.Quote(truncate(k, 40)), evaluationParams)
		}
		if len(vals[k]) > 1 {
			return q, badParam(k, "parameter %s given more than once", strconv.Quote(k))
		}
		v := vals.Get(k)
		switch k {
		case "before", "after":
			n, err := strconv.Atoi(v)
			if err != nil || n < 1 || n > analysis.MaxWindow {
				return q, badParam(k, "%s must be a whole number of months, 1–%d", k, analysis.MaxWindow)
			}
			if k == "before" {
				q.Before = n
			} else {
				q.After = n
			}
		case "buffer":
			f, err := strconv.ParseFloat(v, 64)
			if err != nil || math.IsNaN(f) || f < 0 || f > analysis.MaxBuffer {
				return q, badParam(k, "buffer must be a distance in metres, 0–%g", analysis.MaxBuffer)
			}
			q.Buffer = &f
		case "control":
			q.Control = v
		}
	}
	return q, nil
}
