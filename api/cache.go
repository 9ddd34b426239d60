package api

import (
	"bytes"
	"context"
	"encoding/binary"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/leicester-csp/hotspot/geo"
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
	// sizes is each route's latest answer size (route → *atomic.Int64),
	// so that the next answer's buffer is made once at about its size: a
	// 7.5 MB hex answer grown by doubling allocates, clears and copies
	// twice its size, a third of its encoding time.
	sizes *sync.Map
}

// newAnswerCache makes a cache of maxBytes (0: the default; negative:
// nothing is kept, which benchmarks use to measure the work itself).
func newAnswerCache(maxBytes int64) answerCache {
	if maxBytes == 0 {
		maxBytes = defaultCacheBytes
	}
	m := int(max(maxBytes, 0))
	return answerCache{lru: httpcache.NewCache(m), max: m, sizes: &sync.Map{}}
}

// An entry is the body, then the answer's own headers (X-Total-Count,
// Link) as "Name: value" lines, then the length of those headers in four
// bytes, so that a cached body never loses the headers that describe it,
// and a body built in a buffer with room to spare is kept without a copy.
func (c answerCache) get(key string) ([]byte, http.Header, bool) {
	e, ok := c.lru.Get(key)
	if !ok || len(e) < 4 {
		return nil, nil, false
	}
	n := int(binary.BigEndian.Uint32(e[len(e)-4:]))
	if 4+n > len(e) {
		return nil, nil, false
	}
	body := e[: len(e)-4-n : len(e)-4-n]
	if n == 0 {
		return body, nil, true
	}
	var h http.Header
	for _, line := range strings.Split(string(e[len(body):len(e)-4]), "\n") {
		if k, v, ok := strings.Cut(line, ": "); ok {
			if h == nil {
				h = http.Header{}
			}
			h.Add(k, v)
		}
	}
	return body, h, true
}

// put keeps b: its headers are appended in place when b has room for
// them and not much more (the cache counts what an entry holds, spare
// room included), else b is copied. It reports whether the cache now
// holds b's array, which the caller then gives up.
func (c answerCache) put(key string, b []byte, h http.Header) (holds bool) {
	var head strings.Builder
	for k, vs := range h {
		for _, v := range vs {
			head.WriteString(k + ": " + v + "\n")
		}
	}
	size := len(b) + head.Len() + 4
	if size > c.max/4 {
		return false
	}
	e := b
	holds = cap(b) >= size && cap(b)-size <= size/8
	if !holds {
		e = make([]byte, len(b), size)
		copy(e, b)
	}
	e = append(e, head.String()...)
	e = binary.BigEndian.AppendUint32(e, uint32(head.Len()))
	c.lru.Add(key, e)
	return holds
}

// maxPresize bounds the buffer an answer starts with: a city's hex
// answer at national shape (7.5 MB) fits.
const maxPresize = 16 << 20

// newBuffer is a buffer for an answer of route, made at about the size
// of its latest answer with room for the cache's headers.
func (c answerCache) newBuffer(route string) *bytes.Buffer {
	buf, _ := answerBuffers.Get().(*bytes.Buffer)
	if buf == nil {
		buf = new(bytes.Buffer)
	}
	buf.Reset()
	if v, ok := c.sizes.Load(route); ok {
		// At most maxPresize: one whole-country answer (38 MB) must not
		// make every small answer of the route that follows allocate as
		// much; a bigger one grows from there.
		n := min(v.(*atomic.Int64).Load(), maxPresize)
		buf.Grow(int(n + n/16 + 512))
	}
	return buf
}

// answerBuffers holds the buffers of answers sent and not kept by the
// cache (too big for it, made while an import landed, or with no cache),
// for the next answer to be built in. Memory fresh from the system costs
// a page fault per page: at national shape, clearing a new 3.5 MB ward
// answer's buffer was a fifth of the answer's CPU. The pool lets go of
// what stays unused over two garbage collections.
var answerBuffers sync.Pool

// recycle gives buf back for another answer, unless it grew past the
// largest buffer an answer starts in: a whole-country answer (38 MB)
// must not keep its buffer alive, nor a burst of them many.
func recycle(buf *bytes.Buffer) {
	if buf.Cap() <= maxPresize+maxPresize/8 {
		answerBuffers.Put(buf)
	}
}

// sized notes the size of route's latest answer.
func (c answerCache) sized(route string, n int) {
	v, ok := c.sizes.Load(route)
	if !ok {
		v, _ = c.sizes.LoadOrStore(route, new(atomic.Int64))
	}
	v.(*atomic.Int64).Store(int64(n))
}

// tagFor hashes what determines an answer: the data version, the route,
// the canonical query, the synthetic flag, the server's configuration
// (priorities), which a restart may change under the same data, and what
// the caller's role lets it see, so that one role's answer is never
// served from the cache to another.
func (s *Server) tagFor(ctx context.Context, src layer.Source, route, query string) httpcache.Tag {
	return httpcache.NewTag(s.config, src.Version, route, query, strconv.FormatBool(src.Synthetic), viewOf(callerOf(ctx).role))
}

// cachePolicy is what shared caches may do with an answer: a keyed
// caller's answer is theirs alone, and Vary tells caches that the key is
// part of the request.
func cachePolicy(r *http.Request, vary ...string) (string, []string) {
	if r.Header.Get("Authorization") != "" {
		return "private, no-cache", append(vary, "Authorization")
	}
	return "no-cache", vary
}

// source reads what every answer's provenance shares, once per request
// and before the work, so that the ETag and the body agree.
func (s *Server) source(ctx context.Context) (layer.Source, error) {
	version, err := s.store.Version(ctx)
	if err != nil {
		return layer.Source{}, err
	}
	infos, err := s.infosAt(ctx, version)
	if err != nil {
		return layer.Source{}, err
	}
	shown := version
	if viewOf(callerOf(ctx).role) == "public" {
		shown = geo.PublicVersion(version)
	}
	return layer.Source{Version: shown, DataVersion: version, Synthetic: s.synthetic(ctx), Marked: marked(infos)}, nil
}

// bodyFunc encodes one answer into w, and sets in h the headers that
// describe it (kept with it in the cache).
type bodyFunc func(ctx context.Context, p *params, w io.Writer, h http.Header, src layer.Source) error

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
			if !p.formatGiven {
				p.csv = wantsCSV(r)
			}
		}
		switch {
		case p.csv:
			route, contentType = route+".csv", contentCSV
		case p.geojson && contentType == contentJSON:
			// A list answer (repeat locations) that is also a layer.
			route, contentType = route+".geojson", contentGeoJSON
		}
		ctx := r.Context()
		query := p.canonical
		if slices.Contains(allowed, "after") {
			// Next links are absolute, so the host and prefix (from
			// trusted proxies) are part of the answer and of its tag.
			p.self = baseURL(r) + r.URL.EscapedPath()
			query += "\x00" + p.self
		}
		if slices.Contains(allowed, "priority") {
			// A bad query is a 400 even to a client holding an ETag
			// (If-None-Match: * would otherwise turn it into a 304).
			if _, err := s.an.Resolve(ctx, p.req.Query); err != nil {
				return err
			}
		}
		src, err := s.source(ctx)
		if err != nil {
			return err
		}
		tag := s.tagFor(ctx, src, route, query)
		cc, vary := cachePolicy(r, vary...)
		gz, fresh := httpcache.Conditional(w, r, tag, cc, vary...)
		if fresh {
			return nil
		}
		body, hdr, sent, err := s.body(ctx, tag, gz, src.DataVersion, route, func(w io.Writer, h http.Header) error { return build(ctx, p, w, h, src) })
		if err != nil {
			return err
		}
		defer sent()
		for k, vs := range hdr {
			w.Header()[k] = vs
		}
		httpcache.WriteBody(w, r, contentType, gz, body)
		return nil
	}
}

// body returns an answer's bytes in the form asked for (gz) and its own
// headers, from the cache or by building it and keeping it. The caller
// calls sent once the bytes are written, and never uses them after.
func (s *Server) body(ctx context.Context, tag httpcache.Tag, gz bool, version, route string, build func(io.Writer, http.Header) error) (_ []byte, _ http.Header, sent func(), _ error) {
	sent = func() {}
	body, hdr, hit := s.cache.get(tag.Key)
	s.metrics.Cache("answers", hit)
	var zbody []byte
	if hit && gz {
		zbody, _, _ = s.cache.get(tag.Key + "-gz")
	}
	var buf *bytes.Buffer
	if !hit {
		buf = s.cache.newBuffer(route)
		hdr = http.Header{}
		if err := build(ctxWriter{ctx, buf}, hdr); err != nil {
			recycle(buf)
			return nil, nil, sent, err
		}
		body = buf.Bytes()
		s.cache.sized(route, len(body))
	}
	zipped := gz && zbody == nil
	if zipped {
		zbody = s.gzip.Compress(body)
	}
	// An import that landed while we worked makes the body newer than
	// its ETag says; send it, but do not keep it under that ETag.
	keep, held := hit, false
	if !hit {
		now, err := s.store.Version(ctx)
		keep = err == nil && now == version
		if keep {
			held = s.cache.put(tag.Key, body, hdr)
		}
	}
	if zipped && keep {
		s.cache.put(tag.Key+"-gz", zbody, nil)
	}
	if buf != nil && !held {
		sent = func() { recycle(buf) }
	}
	if gz {
		return zbody, hdr, sent, nil
	}
	return body, hdr, sent, nil
}

// ctxWriter stops an encoding whose client has gone: the encoders write
// in pieces, so the next piece after the request ends fails with the
// context's error and the work stops there rather than at the end.
type ctxWriter struct {
	ctx context.Context
	w   io.Writer
}

func (c ctxWriter) Write(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.w.Write(p)
}

const contentCSV = "text/csv; charset=utf-8"

// wantsCSV reports whether the client's Accept header puts CSV before
// GeoJSON (a spreadsheet or a script); a media range with q=0 is refused,
// not asked for. An explicit format parameter overrides it.
func wantsCSV(r *http.Request) bool {
	for _, h := range r.Header.Values("Accept") {
		for _, part := range strings.Split(h, ",") {
			name, params, _ := strings.Cut(part, ";")
			if refused(params) {
				continue
			}
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

// refused reports whether media-range parameters carry q=0.
func refused(params string) bool {
	for _, p := range strings.Split(params, ";") {
		k, v, ok := strings.Cut(strings.TrimSpace(p), "=")
		if ok && strings.EqualFold(strings.TrimSpace(k), "q") {
			if q, err := strconv.ParseFloat(strings.TrimSpace(v), 64); err == nil && q <= 0 {
				return true
			}
		}
	}
	return false
}
