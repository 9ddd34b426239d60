package api

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/leicester-csp/hotspot/geo/layer"
	"github.com/leicester-csp/hotspot/internal/httpcache"
)

// defaultCacheBytes is the budget of encoded answers (and, separately,
// of tiles) kept in the process. Answers are keyed by ETag, so an entry is
// never stale, only evicted.
const defaultCacheBytes = 64 << 20

// answerCache keeps encoded answers, identity and gzip under their own
// keys. One answer larger than a quarter of the budget is not kept, so
// that it cannot flush everything else.
type answerCache struct {
	lru *httpcache.Cache
	max int
}

// newAnswerCache makes a cache of maxBytes (0: the default; negative:
// nothing is kept, which benchmarks use to measure the work itself).
func newAnswerCache(maxBytes int64) answerCache {
	if maxBytes == 0 {
		maxBytes = defaultCacheBytes
	}
	m := int(max(maxBytes, 0))
	return answerCache{lru: httpcache.NewCache(m), max: m}
}

func (c answerCache) get(key string) ([]byte, bool) { return c.lru.Get(key) }

func (c answerCache) put(key string, b []byte) {
	if len(b) <= c.max/4 {
		c.lru.Add(key, b)
	}
}

// tagFor hashes what determines an answer: the data version, the route,
// the canonical query, the synthetic flag, and the server's
// configuration (priorities), which a restart may change under the same
// data.
func (s *Server) tagFor(src layer.Source, route, query string) httpcache.Tag {
	return httpcache.NewTag(s.config, src.Version, route, query, strconv.FormatBool(src.Synthetic))
}

// source reads what every answer's provenance shares, once per request
// and before the work, so that the ETag and the body agree.
func (s *Server) source(ctx context.Context) (layer.Source, error) {
	version, err := s.store.Version(ctx)
	if err != nil {
		return layer.Source{}, err
	}
	return layer.Source{Version: version, Synthetic: s.synthetic(ctx)}, nil
}

// bodyFunc encodes one answer into w.
type bodyFunc func(ctx context.Context, p *params, w io.Writer, src layer.Source) error

// cached serves an answer that depends only on the data version, the
// query and the synthetic flag: it validates the query, answers 304 or
// a cached body when it can, and does the work only otherwise.
func (s *Server) cached(route, contentType string, allowed []string, build bodyFunc) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		route, contentType := route, contentType
		p, err := parseParams(r.URL.RawQuery, allowed)
		if err != nil {
			return err
		}
		var vary []string
		if slices.Contains(allowed, "format") {
			vary = []string{"Accept"}
			p.csv = p.csv || wantsCSV(r)
		}
		if p.csv {
			route, contentType = route+".csv", contentCSV
		}
		ctx := r.Context()
		src, err := s.source(ctx)
		if err != nil {
			return err
		}
		tag := s.tagFor(src, route, p.canonical)
		gz, fresh := httpcache.Conditional(w, r, tag, "no-cache", vary...)
		if fresh {
			return nil
		}
		body, err := s.body(ctx, tag, gz, src.Version, func(w io.Writer) error { return build(ctx, p, w, src) })
		if err != nil {
			return err
		}
		httpcache.WriteBody(w, r, contentType, gz, body)
		return nil
	}
}

// body returns an answer's bytes in the form asked for (gz), from the
// cache or by building it and keeping it.
func (s *Server) body(ctx context.Context, tag httpcache.Tag, gz bool, version string, build func(io.Writer) error) ([]byte, error) {
	body, hit := s.cache.get(tag.Key)
	var zbody []byte
	if hit && gz {
		zbody, _ = s.cache.get(tag.Key + "-gz")
	}
	if !hit {
		var buf bytes.Buffer
		if err := build(&buf); err != nil {
			return nil, err
		}
		body = buf.Bytes()
	}
	zipped := gz && zbody == nil
	if zipped {
		zbody = s.gzip.Compress(body)
	}
	// An import that landed while we worked makes the body newer than
	// its ETag says; send it, but do not keep it under that ETag.
	keep := hit
	if !hit {
		now, err := s.store.Version(ctx)
		keep = err == nil && now == version
		if keep {
			s.cache.put(tag.Key, body)
		}
	}
	if zipped && keep {
		s.cache.put(tag.Key+"-gz", zbody)
	}
	if gz {
		return zbody, nil
	}
	return body, nil
}

const contentCSV = "text/csv; charset=utf-8"

// wantsCSV reports whether the client asks for CSV before GeoJSON in
// Accept (a spreadsheet or a script); format=csv asks the same.
func wantsCSV(r *http.Request) bool {
	for _, h := range r.Header.Values("Accept") {
		for _, part := range strings.Split(h, ",") {
			name, _, _ := strings.Cut(part, ";")
			switch strings.ToLower(strings.TrimSpace(name)) {
			case "text/csv":
				return true
			case contentGeoJSON, contentJSON, "*/*":
				return false
			}
		}
	}
	return false
}
