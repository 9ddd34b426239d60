package api

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strconv"

	"github.com/gorilla/mux"

	"github.com/leicester-csp/hotspot/api/brief"
	"github.com/leicester-csp/hotspot/geo"
	"github.com/leicester-csp/hotspot/geo/access"
	"github.com/leicester-csp/hotspot/geo/analysis"
	"github.com/leicester-csp/hotspot/geo/layer"
	"github.com/leicester-csp/hotspot/internal/httpcache"
)

const contentHTML = "text/html; charset=utf-8"

// Parameters of the briefing and the report.
var (
	briefParams  = append([]string{"priority", "month", "months", "format"}, layer.LocalFilters...)
	reportParams = []string{"quarter", "format"}
)

// printQuery checks a briefing's or report's query string: known
// parameters only, each once, as text. It returns the values and the
// canonical query for the ETag.
func printQuery(raw string, allowed []string) (url.Values, string, error) {
	vals, err := url.ParseQuery(raw)
	if err != nil {
		return nil, "", badParam("", "malformed query string (a bad %%-escape or a semicolon)")
	}
	if err := checkText(vals); err != nil {
		return nil, "", err
	}
	keys := slices.Sorted(func(yield func(string) bool) {
		for k := range vals {
			if !yield(k) {
				return
			}
		}
	})
	for _, k := range keys {
		if !slices.Contains(allowed, k) {
			return nil, "", badParam(k, "unknown parameter %s", strconv.Quote(truncate(k, 40)))
		}
		if len(vals[k]) > 1 {
			return nil, "", badParam(k, "parameter %s given more than once", strconv.Quote(truncate(k, 40)))
		}
	}
	return vals, vals.Encode(), nil
}

// printFormat reads format= among the offered ones (the first is the
// default).
func printFormat(vals url.Values, offered ...string) (string, error) {
	f := vals.Get("format")
	if f == "" {
		return offered[0], nil
	}
	if !slices.Contains(offered, f) {
		return "", badParam("format", "format %s is not offered: use one of %v", strconv.Quote(truncate(f, 20)), offered)
	}
	return f, nil
}

var formatTypes = map[string]string{"html": contentHTML, "json": contentJSON, "csv": contentCSV}

// briefing answers GET /briefings/wards/{code}: the ward briefing as a
// printable page or its content as JSON.
func (s *Server) briefing(w http.ResponseWriter, r *http.Request) error {
	vals, canonical, err := printQuery(r.URL.RawQuery, briefParams)
	if err != nil {
		return err
	}
	format, err := printFormat(vals, "html", "json")
	if err != nil {
		return err
	}
	bq := analysis.BriefQuery{Ward: mux.Vars(r)["code"], Priority: vals.Get("priority"), Local: analysis.BriefLocal{
		Source: vals.Get("source"), Flag: vals.Get("flag"), Days: vals.Get("days"), Hours: vals.Get("hours"),
	}}
	if v := vals.Get("month"); v != "" {
		m, err := geo.ParseMonth(v)
		if err != nil {
			return badParam("month", "month %s is not YYYY-MM", strconv.Quote(truncate(v, 20)))
		}
		bq.Month = &m
	}
	if vals.Has("months") {
		v := vals.Get("months")
		n, ok := nonNegative(v)
		if !ok || n == 0 {
			return badParam("months", "months must be a whole number 1–%d", analysis.MaxBriefMonths)
		}
		bq.Months = n
	}
	// Target areas are partner data: only callers who may list them see
	// them in a brief.
	var targets analysis.TargetAreaFunc
	if callerOf(r.Context()).role.AtLeast(access.Partner) {
		targets = s.targetAreas
	}
	build := func(ctx context.Context, w io.Writer) error {
		b, err := s.an.Brief(ctx, bq, targets)
		if err != nil {
			return err
		}
		c := brief.FromBrief(b)
		if format == "json" {
			return writeJSON(w, c)
		}
		return brief.WriteHTML(w, c)
	}
	return s.printAnswer(w, r, "briefing/"+bq.Ward+"?"+canonical, formatTypes[format], targets != nil, build)
}

// quarterly answers GET /reports/quarterly.
func (s *Server) quarterly(w http.ResponseWriter, r *http.Request) error {
	vals, canonical, err := printQuery(r.URL.RawQuery, reportParams)
	if err != nil {
		return err
	}
	format, err := printFormat(vals, "html", "csv", "json")
	if err != nil {
		return err
	}
	var quarter *geo.Quarter
	if vals.Has("quarter") {
		v := vals.Get("quarter")
		q, err := geo.ParseQuarter(v)
		if err != nil {
			return badParam("quarter", "quarter %s is not YYYYQn (such as 2025Q3)", strconv.Quote(truncate(v, 20)))
		}
		quarter = &q
	}
	build := func(ctx context.Context, w io.Writer) error {
		rep, err := s.an.Quarterly(ctx, quarter)
		if err != nil {
			return err
		}
		switch format {
		case "json":
			return writeJSON(w, brief.FromReport(rep))
		case "csv":
			return brief.WriteReportCSV(w, brief.FromReport(rep))
		}
		return brief.WriteReportHTML(w, rep)
	}
	return s.printAnswer(w, r, "quarterly?"+canonical, formatTypes[format], false, build)
}

// printAnswer serves a briefing or report: with an ETag and the answer
// cache when it depends only on the data and the query, or computed
// afresh (private, not stored) when it holds what the data version does
// not track (target areas).
func (s *Server) printAnswer(w http.ResponseWriter, r *http.Request, key, contentType string, fresh bool, build func(context.Context, io.Writer) error) error {
	ctx := r.Context()
	release, err := s.inflight.acquire()
	if err != nil {
		return err
	}
	defer release()
	if fresh {
		var buf bytes.Buffer
		if err := build(ctx, &buf); err != nil {
			return err
		}
		w.Header().Set("Cache-Control", "private, no-store")
		httpcache.WriteBody(w, r, contentType, false, buf.Bytes())
		return nil
	}
	src, err := s.source(ctx)
	if err != nil {
		return err
	}
	tag := s.tagFor(ctx, src, "print", key)
	cc, vary := cachePolicy(r)
	gz, isFresh := httpcache.Conditional(w, r, tag, cc, vary...)
	if isFresh {
		return nil
	}
	body, _, sent, err := s.body(ctx, tag, gz, src.DataVersion, "print", func(w io.Writer, _ http.Header) error { return build(ctx, w) })
	if err != nil {
		return err
	}
	defer sent()
	httpcache.WriteBody(w, r, contentType, gz, body)
	return nil
}
