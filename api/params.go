package api

import (
	"errors"
	"math"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/paulmach/orb"

	"github.com/leicester-csp/hotspot/geo"
	"github.com/leicester-csp/hotspot/geo/analysis"
	"github.com/leicester-csp/hotspot/geo/hex"
	"github.com/leicester-csp/hotspot/geo/layer"
)

// Incident page sizes of DESIGN.md.
const (
	DefaultLimit = layer.DefaultLimit
	MaxLimit     = layer.MaxLimit
)

// seriesParams are the series endpoint's; the layers declare their own.
// Anything else is a 400, so that a typo ("categroy") is not silently
// answered with every category.
var seriesParams = append([]string{"priority", "category", "from", "to", "h3", "ward"}, layer.LocalFilters...)

// params is a request's query, checked for shape. Whether a priority or
// category exists, and the month defaults, are the analysis' to decide.
type params struct {
	// canonical is the query with keys sorted, for the ETag.
	canonical string
	req       layer.Request
	cell      geo.Cell
	ward      string
	kmax      int // the scale run's largest neighbourhood
	// csv asks for the layer as CSV (format=csv or Accept: text/csv);
	// formatGiven says the format parameter chose, whatever Accept says;
	// geojson asks a list answer for its layer's features instead.
	csv, formatGiven, geojson bool
	// afterNewest is the order an after= cursor was made in; it must be
	// the request's.
	afterNewest bool
	// self is the request's absolute URL less its query (honouring
	// trusted proxies), for next links; set by the handler.
	self string
}

// parseParams checks a raw query string against the endpoint's list.
func parseParams(raw string, allowed []string) (*params, error) {
	vals, err := url.ParseQuery(raw)
	if err != nil {
		return nil, badParam("", "malformed query string (a bad %%-escape or a semicolon)")
	}
	keys := make([]string, 0, len(vals))
	for k := range vals {
		keys = append(keys, k)
	}
	// Report the first offender in a stable order.
	slices.Sort(keys)
	if err := checkText(vals); err != nil {
		return nil, err
	}
	for _, k := range keys {
		if !slices.Contains(allowed, k) {
			return nil, badParam(k, "unknown parameter %s", strconv.Quote(truncate(k, 40)))
		}
		if len(vals[k]) > 1 {
			return nil, badParam(k, "parameter %s given more than once", strconv.Quote(truncate(k, 40)))
		}
	}
	p := &params{canonical: vals.Encode()}
	for _, k := range keys {
		if err := p.set(k, vals.Get(k)); err != nil {
			return nil, err
		}
	}
	if p.cell != 0 && p.ward != "" {
		return nil, badParam("ward", "give h3 or ward, not both")
	}
	if p.req.Query.Priority != "" && p.req.Query.Category != "" {
		return nil, badParam("category", "give a priority or a category, not both")
	}
	if p.req.After != nil && p.afterNewest != p.req.Newest {
		return nil, badParam("after", "the cursor belongs to the other order: keep order as it was on the page it came from")
	}
	return p, nil
}

func (p *params) set(k, v string) error {
	switch k {
	case "priority", "category", "from", "to", "res", "k", "min", "study", "inference", "permutations", "seed", "kmax", "compare",
		"method", "coverage", "train", "bandwidth", "source", "flag", "days", "hours":
		return p.setQuery(k, v)
	case "bbox":
		b, err := ParseBBox(v)
		if err != nil {
			return err
		}
		p.req.BBox = &b
	case "limit":
		n, ok := nonNegative(v)
		if !ok || n == 0 {
			return badParam(k, "limit must be a positive integer (at most %d)", MaxLimit)
		}
		p.req.Limit = min(n, MaxLimit)
	case "offset":
		n, ok := nonNegative(v)
		if !ok {
			return badParam(k, "offset must be an integer ≥ 0")
		}
		p.req.Offset = n
	case "after":
		key, newest, err := decodeCursor(v)
		if err != nil {
			return err
		}
		p.req.After, p.afterNewest = &key, newest
	case "h3":
		c, err := hex.Parse(v)
		if err != nil {
			return badParam(k, "%s is not an H3 cell index (15 lowercase hex digits)", strconv.Quote(truncate(v, 20)))
		}
		if r := hex.Res(c); !hex.ValidRes(r) {
			return badParam(k, "cell resolution %d is out of range %d–%d", r, geo.MinRes, geo.MaxRes)
		}
		p.cell = c
	case "format":
		p.formatGiven = true
		if v != "csv" && v != "geojson" && v != "json" {
			return badParam(k, "format %s is not offered: use geojson or csv", strconv.Quote(truncate(v, 20)))
		}
		p.csv = v == "csv"
		p.geojson = v == "geojson"
	case "ward":
		if v == "" {
			return badParam(k, "empty ward")
		}
		p.ward = v
		p.req.SetText(k, v)
	case "kind":
		if v == "" {
			return badParam(k, "empty kind")
		}
		p.req.SetText(k, v)
	case "scope":
		if v == "" {
			return badParam(k, "empty scope: use area or all")
		}
		p.req.SetText(k, v)
	case "order":
		if v != "oldest" && v != "newest" {
			return badParam(k, "order %s is not oldest or newest", strconv.Quote(truncate(v, 20)))
		}
		p.req.Newest = v == "newest"
	case "at":
		pt, err := geo.ParsePoint(v)
		if err != nil {
			return badParam(k, "%s", strings.TrimPrefix(err.Error(), geo.ErrInvalid.Error()+": "))
		}
		p.req.At = &pt
	}
	return nil
}

// setQuery sets a field of the analysis query; integers are checked
// against the ranges the layers declare.
func (p *params) setQuery(k, v string) error {
	q := &p.req.Query
	switch k {
	case "priority", "category":
		if v == "" {
			return badParam(k, "empty %s", k)
		}
		p.req.SetText(k, v)
	case "from", "to":
		m, err := geo.ParseMonth(v)
		if err != nil {
			return badParam(k, "month %s is not YYYY-MM", strconv.Quote(truncate(v, 20)))
		}
		if k == "from" {
			q.From = &m
		} else {
			q.To = &m
		}
	case "study", "inference", "compare", "method", "coverage", "source", "flag", "days", "hours":
		if v == "" {
			return badParam(k, "empty %s", k)
		}
		p.req.SetText(k, v)
	case "k":
		if v == "auto" {
			q.AutoK = true
			return nil
		}
		if _, err := strconv.Atoi(v); err != nil {
			return badParam(k, "k must be an integer %d–%d or auto", analysis.MinK, analysis.MaxK)
		}
		return p.setInt(k, v)
	default:
		return p.setInt(k, v)
	}
	return nil
}

// setInt sets an integer parameter, checked against the range the layers
// declare for it.
func (p *params) setInt(k, v string) error {
	d, _ := layer.ParamOf(k)
	n, err := intIn(k, v, d.Min, d.Max)
	if err != nil {
		return err
	}
	if k == "kmax" {
		p.kmax = n
	} else {
		p.req.SetInt(k, n)
	}
	return nil
}

// nonNegative parses an integer ≥ 0; one too large for int saturates,
// since a huge limit is clamped and a huge offset is past the end anyway.
func nonNegative(v string) (int, bool) {
	n, err := strconv.Atoi(v)
	switch {
	case err == nil:
		return n, n >= 0
	case errors.Is(err, strconv.ErrRange) && !strings.HasPrefix(v, "-"):
		return math.MaxInt, true
	}
	return 0, false
}

func intIn(param, v string, lo, hi int) (int, error) {
	n, err := strconv.Atoi(v)
	if err != nil {
		return 0, badParam(param, "%s must be an integer %d–%d", param, lo, hi)
	}
	if n < lo || n > hi {
		return 0, badParam(param, "%s %d is out of range %d–%d", param, n, lo, hi)
	}
	return n, nil
}

// ParseBBox reads a bbox parameter; a bad one is a 400 naming bbox.
func ParseBBox(v string) (orb.Bound, error) {
	b, err := geo.ParseBBox(v)
	if err != nil {
		return b, badParam("bbox", "%s", strings.TrimPrefix(err.Error(), geo.ErrInvalid.Error()+": "))
	}
	return b, nil
}

// checkText refuses parameters that are not text: invalid UTF-8 or a NUL
// byte can name nothing stored, and a database would refuse them.
func checkText(vals url.Values) error {
	for k, vs := range vals {
		if !isText(k) {
			return badParam("", "a parameter name is not UTF-8 text")
		}
		for _, v := range vs {
			if !isText(v) {
				return badParam(k, "%s is not UTF-8 text", k)
			}
		}
	}
	return nil
}

func isText(s string) bool { return utf8.ValidString(s) && strings.IndexByte(s, 0) < 0 }
