// Package web serves the map front end that `node build.mjs` writes into
// web/dist. The files are embedded in the binary, so a deployment is one
// file; when the front end was never built (no npm on the build machine)
// dist holds only .gitkeep, Handler reports ok=false, and the API's own
// "map not built" page is served at "/" instead.
package web

import (
	"bytes"
	"compress/gzip"
	"embed"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strings"
	"sync"
	"time"

	"github.com/leicester-csp/hotspot/internal/httpcache"
)

//go:embed all:dist
var dist embed.FS

// Handler serves the embedded, built front end. ok is false when the
// build output is missing (dist has no index.html).
func Handler() (http.Handler, bool) {
	sub, err := fs.Sub(dist, "dist")
	if err != nil {
		return nil, false
	}
	return NewHandler(sub)
}

// NewHandler serves the files of fsys, whose root holds index.html. It is
// Handler with the file system injectable, for tests.
func NewHandler(fsys fs.FS) (http.Handler, bool) {
	if st, err := fs.Stat(fsys, "index.html"); err != nil || st.IsDir() {
		return nil, false
	}
	h := &handler{fsys: fsys, files: map[string]*file{}, gzip: httpcache.NewGzipper(gzip.DefaultCompression)}
	// Read and compress the assets now, off the request path, so that the
	// first visitor's map does not wait for a megabyte of gzip.
	go h.warm()
	return h, true
}

func (h *handler) warm() {
	_ = fs.WalkDir(h.fsys, ".", func(name string, d fs.DirEntry, err error) error {
		if err == nil && d.Type().IsRegular() {
			h.lookup(name)
		}
		return nil
	})
}

type handler struct {
	fsys  fs.FS
	gzip  *httpcache.Gzipper
	mu    sync.Mutex
	files map[string]*file
}

// file is one asset, read once: the embedded files never change while
// the process runs, so their ETag and gzip body are computed on first use
// and kept.
type file struct {
	once  sync.Once
	err   error
	name  string
	body  []byte
	gz    []byte // nil when compression does not pay
	tag   httpcache.Tag
	ctype string
}

// Types the map needs, fixed here rather than taken from the system's
// MIME database, which differs between machines (a module worker is
// refused unless it is served as JavaScript).
var contentTypes = map[string]string{
	".html":  "text/html; charset=utf-8",
	".js":    "text/javascript; charset=utf-8",
	".mjs":   "text/javascript; charset=utf-8",
	".css":   "text/css; charset=utf-8",
	".json":  "application/json",
	".map":   "application/json",
	".svg":   "image/svg+xml",
	".png":   "image/png",
	".ico":   "image/x-icon",
	".txt":   "text/plain; charset=utf-8",
	".woff2": "font/woff2",
}

func contentType(name string) string {
	ext := strings.ToLower(path.Ext(name))
	if t, ok := contentTypes[ext]; ok {
		return t
	}
	if t := mime.TypeByExtension(ext); t != "" {
		return t
	}
	return "application/octet-stream"
}

func compressible(ctype string) bool {
	return strings.HasPrefix(ctype, "text/") || strings.HasPrefix(ctype, "application/json") || ctype == "image/svg+xml"
}

func (h *handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	name := strings.TrimPrefix(path.Clean("/"+r.URL.Path), "/")
	if name == "" {
		name = "index.html"
	}
	f := h.lookup(name)
	if f == nil {
		// No fallback to index.html: the map keeps its state in the query
		// string, so any other path is a mistake worth a plain 404.
		http.NotFound(w, r)
		return
	}

	hdr := w.Header()
	hdr.Set("Content-Type", f.ctype)
	hdr.Set("X-Content-Type-Options", "nosniff")
	// Asset names carry no content hash, so every response is revalidated;
	// the ETag makes that a 304 without a body. index.html in particular
	// must never be stale after an upgrade.
	if f.name == "index.html" {
		hdr.Set("Cache-Control", "no-cache")
	} else {
		hdr.Set("Cache-Control", "public, max-age=0, must-revalidate")
	}
	body, etag := f.body, f.tag.ETag(false)
	if f.gz != nil {
		hdr.Add("Vary", "Accept-Encoding")
		if httpcache.AcceptsGzip(r.Header.Values("Accept-Encoding")) {
			body, etag = f.gz, f.tag.ETag(true)
			hdr.Set("Content-Encoding", "gzip")
		}
	}
	hdr.Set("ETag", etag)
	// ServeContent answers If-None-Match, HEAD and ranges; the zero time
	// leaves Last-Modified out (embedded files have no modification time).
	http.ServeContent(w, r, f.name, time.Time{}, bytes.NewReader(body))
}

// lookup returns the regular file name in the FS, or nil.
func (h *handler) lookup(name string) *file {
	if !fs.ValidPath(name) {
		return nil
	}
	h.mu.Lock()
	f, ok := h.files[name]
	if !ok {
		f = &file{name: name}
		h.files[name] = f
	}
	h.mu.Unlock()
	f.once.Do(func() { f.err = f.load(h.fsys, h.gzip) })
	if f.err != nil {
		// Misses are forgotten: anyone can ask for any number of names
		// that do not exist, and remembering them would grow without
		// bound. A miss costs one Stat of the embedded FS.
		h.mu.Lock()
		if h.files[name] == f {
			delete(h.files, name)
		}
		h.mu.Unlock()
		return nil
	}
	return f
}

func (f *file) load(fsys fs.FS, gz *httpcache.Gzipper) error {
	st, err := fs.Stat(fsys, f.name)
	if err != nil {
		return err
	}
	if !st.Mode().IsRegular() {
		return fs.ErrNotExist
	}
	body, err := fs.ReadFile(fsys, f.name)
	if err != nil {
		return err
	}
	f.body = body
	f.tag = httpcache.TagOf(body)
	f.ctype = contentType(f.name)
	if compressible(f.ctype) && len(body) > 1024 {
		// Assets are compressed once per process, so the better ratio
		// is worth the time.
		if z := gz.Compress(body); len(z) < len(body) {
			f.gz = z
		}
	}
	return nil
}
