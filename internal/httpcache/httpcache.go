// Package httpcache is how every answer of the service is cached and
// sent: an LRU of encoded bodies, strong ETags per representation,
// If-None-Match, one rule for Accept-Encoding, and pooled gzip writers.
// The API, the tiles and the web assets all use it, so that a 304, a gzip
// body and a Vary header mean the same thing on every path.
package httpcache

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
)

// Tag is the strong validator of an answer, one per representation: a
// strong ETag names exact bytes, and the gzip bytes differ.
type Tag struct {
	Key string // the hash, also the cache key
}

// NewTag hashes what determines an answer (data version, route, query,
// configuration …), each part kept distinct from its neighbours.
func NewTag(parts ...string) Tag {
	h := sha256.New()
	for _, s := range parts {
		io.WriteString(h, s)
		h.Write([]byte{0})
	}
	return Tag{Key: hex.EncodeToString(h.Sum(nil)[:16])}
}

// TagOf is the tag of fixed content (an asset).
func TagOf(body []byte) Tag {
	sum := sha256.Sum256(body)
	return Tag{Key: hex.EncodeToString(sum[:16])}
}

// ETag returns the header value of the identity (gz false) or gzip form.
func (t Tag) ETag(gz bool) string {
	if gz {
		return `"` + t.Key + `-gz"`
	}
	return `"` + t.Key + `"`
}

// Matches reports whether If-None-Match headers name the tag of the form
// about to be sent. RFC 9110 compares weakly here, so W/ tags count too;
// a tag of the other encoding does not, since the 304 would then confirm
// bytes the client does not hold.
func (t Tag) Matches(headers []string, gz bool) bool {
	want := t.ETag(gz)
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

// AcceptsGzip reads Accept-Encoding headers: gzip (or x-gzip) with a q
// above zero, or else "*" with a q above zero.
func AcceptsGzip(headers []string) bool {
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

// Gzipper compresses bodies at one level with pooled writers.
type Gzipper struct {
	level int
	pool  sync.Pool
}

// NewGzipper returns a compressor at level (gzip.BestSpeed for answers
// made per request, gzip.DefaultCompression for assets made once).
func NewGzipper(level int) *Gzipper { return &Gzipper{level: level} }

// Compress returns b gzip-encoded.
func (g *Gzipper) Compress(b []byte) []byte {
	var buf bytes.Buffer
	buf.Grow(len(b)/4 + 64)
	zw, _ := g.pool.Get().(*gzip.Writer)
	if zw == nil {
		zw, _ = gzip.NewWriterLevel(&buf, g.level)
	} else {
		zw.Reset(&buf)
	}
	// Writes to a bytes.Buffer cannot fail.
	_, _ = zw.Write(b)
	_ = zw.Close()
	g.pool.Put(zw)
	return buf.Bytes()
}

// Conditional sets the caching headers of an answer with this tag and
// answers 304 when the client holds it already (fresh). gz says whether
// the answer goes gzip-encoded. vary adds request headers, besides
// Accept-Encoding, that choose the representation.
func Conditional(w http.ResponseWriter, r *http.Request, tag Tag, cacheControl string, vary ...string) (gz, fresh bool) {
	gz = AcceptsGzip(r.Header.Values("Accept-Encoding"))
	h := w.Header()
	h.Set("Cache-Control", cacheControl)
	h.Set("Vary", strings.Join(append(vary, "Accept-Encoding"), ", "))
	h.Set("ETag", tag.ETag(gz))
	if tag.Matches(r.Header.Values("If-None-Match"), gz) {
		w.WriteHeader(http.StatusNotModified)
		return gz, true
	}
	return gz, false
}

// WriteBody sends an encoded answer (no body for HEAD).
func WriteBody(w http.ResponseWriter, r *http.Request, contentType string, gz bool, body []byte) {
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
