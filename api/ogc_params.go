package api

import (
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/paulmach/orb"

	"github.com/leicester-csp/hotspot/geo"
)

// ogcQuery is an OGC request's query: the Core parameters, the period
// from datetime, and the collection's own property filters.
type ogcQuery struct {
	bbox          *orb.Bound
	limit, offset int
	from, to      *geo.Month // nil for open or default
	props         map[string]string
	raw           url.Values
	// after continues a paged collection (incidents) past a key, as the
	// API's after= does; OGC offers no other order than oldest first.
	after *geo.PageKey
}

// parseOGCQuery checks a query against Core's parameters plus allowed
// (the collection's queryables). Unknown parameters are a 400, as the OGC
// test suite expects.
func parseOGCQuery(raw string, allowed []string) (*ogcQuery, error) {
	vals, err := url.ParseQuery(raw)
	if err != nil {
		return nil, badParam("", "malformed query string")
	}
	if err := checkText(vals); err != nil {
		return nil, err
	}
	q := &ogcQuery{limit: DefaultLimit, props: map[string]string{}, raw: vals}
	keys := make([]string, 0, len(vals))
	for k := range vals {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		core := k == "bbox" || k == "limit" || k == "offset" || k == "datetime" || k == "f" || k == "after"
		if !core && !slices.Contains(allowed, k) {
			return nil, badParam(k, "unknown parameter %s", strconv.Quote(truncate(k, 40)))
		}
		if len(vals[k]) > 1 {
			return nil, badParam(k, "parameter %s given more than once", k)
		}
		v := vals[k][0]
		switch k {
		case "f":
			if v != "json" && v != "geojson" && v != contentGeoJSON && v != contentJSON {
				return nil, badParam(k, "format %s is not offered: use json", strconv.Quote(truncate(v, 30)))
			}
		case "bbox":
			b, err := ParseBBox(v)
			if err != nil {
				return nil, err
			}
			q.bbox = &b
		case "limit":
			n, ok := nonNegative(v)
			if !ok || n == 0 {
				return nil, badParam(k, "limit must be a positive integer (at most %d)", MaxLimit)
			}
			q.limit = min(n, MaxLimit)
		case "offset":
			n, ok := nonNegative(v)
			if !ok {
				return nil, badParam(k, "offset must be an integer ≥ 0")
			}
			q.offset = n
		case "datetime":
			if q.from, q.to, err = parseDatetime(v); err != nil {
				return nil, err
			}
		case "after":
			key, newest, err := decodeCursor(v)
			if err != nil {
				return nil, err
			}
			if newest {
				return nil, badParam(k, "the cursor belongs to the API's order=newest: OGC pages run oldest first")
			}
			q.after = &key
		default:
			if v == "" {
				return nil, badParam(k, "empty %s", k)
			}
			q.props[k] = v
		}
	}
	return q, nil
}

// parseDatetime turns an OGC datetime (an instant, or an interval with
// ".." or empty for an open end) into the months it touches: data are
// monthly, so an instant selects its month and an interval every month
// it overlaps. "YYYY-MM" is taken as a month too.
func parseDatetime(v string) (from, to *geo.Month, err error) {
	bad := func() (*geo.Month, *geo.Month, error) {
		return nil, nil, badParam("datetime", "datetime %s is not an RFC 3339 instant or interval (start/end, '..' for open)", strconv.Quote(truncate(v, 60)))
	}
	start, end, isInterval := strings.Cut(v, "/")
	if !isInterval {
		m, ok := instantMonth(v)
		if !ok {
			return bad()
		}
		return m, m, nil
	}
	open := func(s string) bool { return s == ".." || s == "" }
	if open(start) && open(end) {
		return nil, nil, nil
	}
	if !open(start) {
		if from, isInterval = instantMonth(start); !isInterval {
			return bad()
		}
	}
	if !open(end) {
		var ok bool
		if to, ok = instantMonth(end); !ok {
			return bad()
		}
	}
	if from != nil && to != nil && *from > *to {
		return nil, nil, badParam("datetime", "datetime interval ends before it starts")
	}
	return from, to, nil
}

func instantMonth(s string) (*geo.Month, bool) {
	if m, err := geo.ParseMonth(s); err == nil {
		return &m, true
	}
	// RFC 3339 allows a lower-case t and z.
	s = strings.ToUpper(s)
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02"} {
		if t, err := time.Parse(layout, s); err == nil {
			// The month of the instant's own calendar date: police.uk
			// months are local months, and a client in the UK writing
			// 2024-10-01T00:30:00+01:00 means October.
			if t.Year() < 0 || t.Year() > 9999 {
				return nil, false
			}
			m := geo.NewMonth(t.Year(), int(t.Month()))
			return &m, true
		}
	}
	return nil, false
}

// query rebuilds the request's query with offset replaced, for paging
// links; the other parameters are kept as the client sent them.
func (q *ogcQuery) with(offset int) string {
	v := q.copyRaw()
	v.Del("after")
	v.Set("offset", strconv.Itoa(offset))
	v.Set("limit", strconv.Itoa(q.limit))
	return v.Encode()
}

// withAfter rebuilds the query to continue past key (a next link that
// costs what the first page did), offset dropped.
func (q *ogcQuery) withAfter(key geo.PageKey) string {
	v := q.copyRaw()
	v.Del("offset")
	v.Set("after", encodeCursor(key, false))
	v.Set("limit", strconv.Itoa(q.limit))
	return v.Encode()
}

func (q *ogcQuery) copyRaw() url.Values {
	v := url.Values{}
	for k, vs := range q.raw {
		v[k] = vs
	}
	return v
}
