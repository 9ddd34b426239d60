package basemap

import (
	"compress/gzip"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"

	"github.com/leicester-csp/hotspot/internal/glyphs"
	"github.com/leicester-csp/hotspot/internal/httpcache"
)

// Where the map finds the basemap. Prefix is the one path the handler
// answers below; the map reads the other two from /api/v1/meta.
const (
	Prefix      = "/basemap/"
	ArchivePath = Prefix + "basemap.pmtiles"
	// GlyphsURL is the style's "glyphs" template, as MapLibre fills it.
	GlyphsURL  = Prefix + "fonts/{fontstack}/{range}.pbf"
	fontPrefix = Prefix + "fonts/"
)

// Handler serves the archive (with Range) and the glyph ranges.
type Handler struct {
	archive *Archive
	etag    string
	gzip    *httpcache.Gzipper
	mu      sync.Mutex
	ranges  map[string]*glyphRange // by face and start: a bounded set
}

type glyphRange struct {
	once     sync.Once
	err      error
	body, gz []byte
	tag      httpcache.Tag
}

// NewHandler serves a (checked) archive.
func NewHandler(a *Archive) *Handler {
	return &Handler{
		archive: a,
		// Size and modification time name this file's content for as long
		// as the server holds it open; a replaced file is served after a
		// restart, with a new tag, so the browser's reader never mixes the
		// directories of one archive with the tiles of another.
		etag:   fmt.Sprintf(`"%x-%x"`, a.size, a.modTime.UnixNano()),
		gzip:   httpcache.NewGzipper(gzip.DefaultCompression),
		ranges: map[string]*glyphRange{},
	}
}

func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	w.Header().Set("X-Content-Type-Options", "nosniff")
	switch p := r.URL.Path; {
	case p == ArchivePath:
		h.serveArchive(w, r)
	case strings.HasPrefix(p, fontPrefix):
		h.serveGlyphs(w, r, strings.TrimPrefix(p, fontPrefix))
	default:
		http.NotFound(w, r)
	}
}

func (h *Handler) serveArchive(w http.ResponseWriter, r *http.Request) {
	hdr := w.Header()
	hdr.Set("Content-Type", "application/vnd.pmtiles")
	hdr.Set("ETag", h.etag)
	// Revalidated, not kept blindly: a restart with another archive must
	// show at once. Tiles are already gzip-compressed inside the archive,
	// and byte ranges must address the stored bytes, so no
	// Content-Encoding is ever applied.
	hdr.Set("Cache-Control", "public, max-age=0, must-revalidate")
	// A SectionReader per request: it reads with ReadAt, so concurrent
	// requests share the one open file without sharing a seek offset.
	http.ServeContent(w, r, "basemap.pmtiles", h.archive.modTime, io.NewSectionReader(h.archive.file, 0, h.archive.size))
}

// serveGlyphs answers "{fontstack}/{start}-{end}.pbf". Any stack name is
// accepted and drawn with the closest compiled-in face (regular, medium
// or italic), so a style's Noto Sans names need no rewriting.
func (h *Handler) serveGlyphs(w http.ResponseWriter, r *http.Request, rest string) {
	stack, file, ok := strings.Cut(rest, "/")
	start, end, ok2 := strings.Cut(strings.TrimSuffix(file, ".pbf"), "-")
	from, err1 := strconv.Atoi(start)
	to, err2 := strconv.Atoi(end)
	if !ok || !ok2 || !strings.HasSuffix(file, ".pbf") || err1 != nil || err2 != nil || to != from+glyphs.RangeSize-1 || stack == "" ||
		from < 0 || from%glyphs.RangeSize != 0 || from > glyphs.MaxCodePoint {
		http.Error(w, "not a glyph range: want /basemap/fonts/{fontstack}/{start}-{start+255}.pbf", http.StatusNotFound)
		return
	}
	face, err := glyphs.ForStack(stack)
	if err != nil {
		http.Error(w, "no fonts: "+err.Error(), http.StatusServiceUnavailable)
		return
	}
	g := h.glyphRange(face, from)
	if g.err != nil {
		http.Error(w, g.err.Error(), http.StatusNotFound)
		return
	}
	gz, fresh := httpcache.Conditional(w, r, g.tag, "public, max-age=86400")
	if fresh {
		return
	}
	body := g.body
	if gz {
		body = g.gz
	}
	httpcache.WriteBody(w, r, "application/x-protobuf", gz, body)
}

// glyphRange draws a range once and keeps it: there are three faces and
// at most 4,352 ranges each, most of them empty, so the set is bounded.
func (h *Handler) glyphRange(face *glyphs.Face, start int) *glyphRange {
	key := face.Name + "/" + strconv.Itoa(start)
	h.mu.Lock()
	g, ok := h.ranges[key]
	if !ok {
		g = &glyphRange{}
		h.ranges[key] = g
	}
	h.mu.Unlock()
	g.once.Do(func() {
		g.body, g.err = face.Range(face.Name, start)
		if g.err == nil {
			g.gz = h.gzip.Compress(g.body)
			g.tag = httpcache.TagOf(g.body)
		}
	})
	return g
}
