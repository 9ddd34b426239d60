package api

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/leicester-csp/hotspot/tiles"
)

// defaultCacheBytes is the budget of encoded answers (and, separately,
// of tiles) kept in the process. Answers are keyed by ETag, so an entry is
// never stale, only evicted.
const defaultCacheBytes = 64 << 20

// answerCache keeps encoded answers, identity and gzip under their own
// keys, in the same LRU the tiles use. One answer larger than a quarter
// of the budget is not kept, so that it cannot flush everything else.
type answerCache struct {
	lru *tiles.Cache
	max int
}

// newAnswerCache makes a cache of maxBytes (0: the default; negative:
// nothing is kept, which benchmarks use to measure the work itself).
func newAnswerCache(maxBytes int64) answerCache {
	if maxBytes == 0 {
		maxBytes = defaultCacheBytes
	}
	m := int(max(maxBytes, 0))
	return answerCache{lru: tiles.NewCache(m), max: m}
}

func (c answerCache) get(key string) ([]byte, bool) { return c.lru.Get(key) }

func (c answerCache) put(key string, b []byte) {
	if len(b) <= c.max/4 {
		c.lru.Add(key, b)
	}
}

// etag is the strong validator of an answer, one per representation: a
// strong ETag names exact bytes, and the gzip bytes differ.
type etag struct {
	key string // the hash, also the cache key
}

func (t etag) identity() string { return `"` + t.key + `"` }
func (t etag) gzip() string     { return `"` + t.key + `-gz"` }

// newETag hashes what determines an answer: the data version, the route,
// the canonical query, the synthetic flag, and the server's
// configuration (priorities), which a restart may change under the same
// data.
func newETag(config, version, route, query string, synthetic bool) etag {
	h := sha256.New()
	for _, s := range []string{config, version, route, query, strconv.FormatBool(synthetic)} {
		io.WriteString(h, s)
		h.Write([]byte{0})
	}
	return etag{key: hex.EncodeToString(h.Sum(nil)[:16])}
}

// matches reports whether an If-None-Match header names the tag of the
// form about to be sent (gz: the gzip form). RFC 9110 compares weakly
// here, so W/ tags count too; a tag of the other encoding does not, since
// the 304 would then confirm bytes the client does not hold.
func (t etag) matches(headers []string, gz bool) bool {
	want := t.identity()
	if gz {
		want = t.gzip()
	}
	for _, h := range headers {
		for _, tag := range strings.Split(h, ",") {
			tag = strings.TrimPrefix(strings.TrimSpace(tag), "W/")
			if tag == "*" || tag == want {
				return true
			}
		}
	}
	return false
}

// acceptsGzip reads Accept-Encoding, honouring q=0 refusals.
func acceptsGzip(headers []string) bool {
	gzipQ, anyQ := -1.0, -1.0
	for _, h := range headers {
		for _, part := range strings.Split(h, ",") {
			name, params, _ := strings.Cut(part, ";")
			q := 1.0
			for _, p := range strings.Split(params, ";") {
				k, v, ok := strings.Cut(strings.TrimSpace(p), "=")
				if ok && strings.EqualFold(strings.TrimSpace(k), "q") {
					if f, err := strconv.ParseFloat(strings.TrimSpace(v), 64); err == nil {
						q = f
					}
				}
			}
			switch strings.ToLower(strings.TrimSpace(name)) {
			case "gzip", "x-gzip":
				gzipQ = q
			case "*":
				anyQ = q
			}
		}
	}
	if gzipQ >= 0 {
		return gzipQ > 0
	}
	return anyQ > 0
}

// gzipBytes compresses an answer once for every later client. BestSpeed:
// a res-10 layer compresses ~5x at a fraction of the default level's
// cost, and cold answers are what a user waits for.
func (s *Server) gzipBytes(b []byte) []byte {
	var buf bytes.Buffer
	buf.Grow(len(b)/4 + 64)
	zw, _ := s.gzipPool.Get().(*gzip.Writer)
	if zw == nil {
		zw, _ = gzip.NewWriterLevel(&buf, gzip.BestSpeed)
	} else {
		zw.Reset(&buf)
	}
	// Writes to a bytes.Buffer cannot fail.
	_, _ = zw.Write(b)
	_ = zw.Close()
	s.gzipPool.Put(zw)
	return buf.Bytes()
}

// bodyFunc encodes one answer into w.
type bodyFunc func(ctx context.Context, p *params, w io.Writer, m metaBase) error

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
		if slices.Contains(allowed, "format") {
			w.Header().Set("Vary", "Accept")
			p.csv = p.csv || wantsCSV(r)
		}
		if p.csv {
			route, contentType = route+".csv", contentCSV
		}
		ctx := r.Context()
		st := s.an.Store()
		version, err := st.Version(ctx)
		if err != nil {
			return err
		}
		mb := metaBase{version: version, synthetic: s.synthetic(ctx)}
		tag := newETag(s.config, version, route, p.canonical, mb.synthetic)
		gz, fresh := conditional(w, r, tag)
		if fresh {
			return nil
		}

		body, hit := s.cache.get(tag.key)
		var zbody []byte
		if hit && gz {
			zbody, _ = s.cache.get(tag.key + "-gz")
		}
		if !hit {
			var buf bytes.Buffer
			if err := build(ctx, p, &buf, mb); err != nil {
				return err
			}
			body = buf.Bytes()
		}
		zipped := gz && zbody == nil
		if zipped {
			zbody = s.gzipBytes(body)
		}
		// An import that landed while we worked makes the body newer than
		// its ETag says; send it, but do not keep it under that ETag.
		keep := hit
		if !hit {
			now, err := st.Version(ctx)
			keep = err == nil && now == version
			if keep {
				s.cache.put(tag.key, body)
			}
		}
		if zipped && keep {
			s.cache.put(tag.key+"-gz", zbody)
		}

		out := body
		if gz {
			out = zbody
		}
		writeBody(w, r, contentType, gz, out)
		return nil
	}
}

// conditional sets the caching headers of an answer with this ETag and
// answers 304 when the client holds it already (fresh). gz says whether
// the answer goes gzip-encoded.
func conditional(w http.ResponseWriter, r *http.Request, tag etag) (gz, fresh bool) {
	gz = acceptsGzip(r.Header.Values("Accept-Encoding"))
	h := w.Header()
	h.Set("Cache-Control", "no-cache")
	if v := h.Get("Vary"); v != "" {
		h.Set("Vary", v+", Accept-Encoding")
	} else {
		h.Set("Vary", "Accept-Encoding")
	}
	if gz {
		h.Set("ETag", tag.gzip())
	} else {
		h.Set("ETag", tag.identity())
	}
	if tag.matches(r.Header.Values("If-None-Match"), gz) {
		w.WriteHeader(http.StatusNotModified)
		return gz, true
	}
	return gz, false
}

// writeBody sends an encoded answer (no body for HEAD).
func writeBody(w http.ResponseWriter, r *http.Request, contentType string, gz bool, body []byte) {
	h := w.Header()
	if gz {
		h.Set("Content-Encoding", "gzip")
	}
	h.Set("Content-Type", contentType)
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(http.StatusOK)
	if r.Method != http.MethodHead {
		_, _ = w.Write(body)
	}
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
