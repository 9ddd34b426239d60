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
)

// Incident page sizes of DESIGN.md.
const (
	DefaultLimit = 100
	MaxLimit     = 10000
)

// Parameter lists per endpoint: anything else is a 400, so that a typo
// ("categroy") is not silently answered with every category.
var (
	hexParams      = []string{"priority", "category", "from", "to", "res", "k", "bbox", "format"}
	wardParams     = []string{"priority", "category", "from", "to", "bbox", "format"}
	incidentParams = []string{"priority", "category", "from", "to", "bbox", "limit", "offset", "format"}
	seriesParams   = []string{"priority", "category", "from", "to", "h3", "ward"}
)

// params is a request's query, checked for shape. Whether a priority or
// category exists, and the month defaults, are the analyzer's to decide.
type params struct {
	// canonical is the query with keys sorted, for the ETag.
	canonical string
	query     analysis.Query
	bbox      *orb.Bound
	limit     int
	offset    int
	cell      geo.Cell
	ward      string
	// csv asks for the layer as CSV (format=csv or Accept: text/csv).
	csv bool
}

// parseParams checks a raw query string against the endpoint's list.
func parseParams(raw string, allowed []string) (*params, error) {
	vals, err := url.ParseQuery(raw)
	if err != nil {
		return nil, geo.InvalidParam("", "malformed query string (a bad %%-escape or a semicolon)")
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
			return nil, geo.InvalidParam(k, "unknown parameter %s", strconv.Quote(truncate(k, 40)))
		}
		if len(vals[k]) > 1 {
			return nil, geo.InvalidParam(k, "parameter %s given more than once", strconv.Quote(truncate(k, 40)))
		}
	}
	p := &params{canonical: vals.Encode(), limit: DefaultLimit}
	for _, k := range keys {
		if err := p.set(k, vals.Get(k)); err != nil {
			return nil, err
		}
	}
	if p.cell != 0 && p.ward != "" {
		return nil, geo.InvalidParam("ward", "give h3 or ward, not both")
	}
	if p.query.Priority != "" && p.query.Category != "" {
		return nil, geo.InvalidParam("category", "give a priority or a category, not both")
	}
	return p, nil
}

func (p *params) set(k, v string) error {
	switch k {
	case "priority", "category":
		if v == "" {
			return geo.InvalidParam(k, "empty %s", k)
		}
		if k == "priority" {
			p.query.Priority = v
		} else {
			p.query.Category = v
		}
	case "from", "to":
		// Checked here as well as in Resolve so that a bad month is a 400
		// before any store work.
		if _, err := geo.ParseMonth(v); err != nil {
			return geo.InvalidParam(k, "month %s is not YYYY-MM", strconv.Quote(truncate(v, 20)))
		}
		if k == "from" {
			p.query.From = v
		} else {
			p.query.To = v
		}
	case "res":
		n, err := intIn(k, v, geo.MinRes, geo.MaxRes)
		if err != nil {
			return err
		}
		p.query.Res = n
	case "k":
		n, err := intIn(k, v, analysis.MinK, analysis.MaxK)
		if err != nil {
			return err
		}
		p.query.K = n
	case "bbox":
		b, err := ParseBBox(v)
		if err != nil {
			return err
		}
		p.bbox = &b
	case "limit":
		n, ok := nonNegative(v)
		if !ok || n == 0 {
			return geo.InvalidParam(k, "limit must be a positive integer (at most %d)", MaxLimit)
		}
		p.limit = min(n, MaxLimit)
	case "offset":
		n, ok := nonNegative(v)
		if !ok {
			return geo.InvalidParam(k, "offset must be an integer ≥ 0")
		}
		p.offset = n
	case "h3":
		c, err := hex.Parse(v)
		if err != nil {
			return geo.InvalidParam(k, "%s is not an H3 cell index (15 lowercase hex digits)", strconv.Quote(truncate(v, 20)))
		}
		if r := hex.Res(c); !hex.ValidRes(r) {
			return geo.InvalidParam(k, "cell resolution %d is out of range %d–%d", r, geo.MinRes, geo.MaxRes)
		}
		p.cell = c
	case "format":
		switch v {
		case "csv":
			p.csv = true
		case "geojson", "json":
		default:
			return geo.InvalidParam(k, "format %s is not offered: use geojson or csv", strconv.Quote(truncate(v, 20)))
		}
	case "ward":
		if v == "" {
			return geo.InvalidParam(k, "empty ward code")
		}
		p.ward = v
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
		return 0, geo.InvalidParam(param, "%s must be an integer %d–%d", param, lo, hi)
	}
	if n < lo || n > hi {
		return 0, geo.InvalidParam(param, "%s %d is out of range %d–%d", param, n, lo, hi)
	}
	return n, nil
}

// ParseBBox reads minLon,minLat,maxLon,maxLat. Long decimals (GDAL sends
// %.18g) parse; a box crossing the antimeridian is refused, since nothing
// served lies near it.
func ParseBBox(v string) (orb.Bound, error) {
	parts := strings.Split(v, ",")
	if len(parts) != 4 {
		return orb.Bound{}, geo.InvalidParam("bbox", "bbox must be minLon,minLat,maxLon,maxLat")
	}
	var f [4]float64
	for i, s := range parts {
		x, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
		if err != nil || math.IsNaN(x) || math.IsInf(x, 0) {
			return orb.Bound{}, geo.InvalidParam("bbox", "bbox must be four finite numbers minLon,minLat,maxLon,maxLat")
		}
		f[i] = x
	}
	switch {
	case math.Abs(f[0]) > 180 || math.Abs(f[2]) > 180:
		return orb.Bound{}, geo.InvalidParam("bbox", "bbox longitudes must lie within ±180")
	case math.Abs(f[1]) > 90 || math.Abs(f[3]) > 90:
		return orb.Bound{}, geo.InvalidParam("bbox", "bbox latitudes must lie within ±90")
	case f[0] > f[2] || f[1] > f[3]:
		return orb.Bound{}, geo.InvalidParam("bbox", "bbox minimum exceeds maximum")
	}
	return orb.Bound{Min: orb.Point{f[0], f[1]}, Max: orb.Point{f[2], f[3]}}, nil
}

// checkText refuses parameters that are not text: invalid UTF-8 or a NUL
// byte can name nothing stored, and a database would refuse them.
func checkText(vals url.Values) error {
	for k, vs := range vals {
		if !isText(k) {
			return geo.InvalidParam("", "a parameter name is not UTF-8 text")
		}
		for _, v := range vs {
			if !isText(v) {
				return geo.InvalidParam(k, "%s is not UTF-8 text", k)
			}
		}
	}
	return nil
}

func isText(s string) bool { return utf8.ValidString(s) && strings.IndexByte(s, 0) < 0 }
