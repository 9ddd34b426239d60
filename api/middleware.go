package api

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"runtime/debug"
	"strings"
	"time"

	"github.com/gorilla/mux"
)

// requestInfo carries what inner layers learn about a request back out
// to the request log: mux sets the matched route on a copy of the
// request that the outer middleware never sees.
type requestInfo struct {
	route  string
	status int // overrides the written status (client gone)
}

type infoKey struct{}

func infoOf(ctx context.Context) *requestInfo {
	info, _ := ctx.Value(infoKey{}).(*requestInfo)
	return info
}

// recorder remembers the status and size of an answer for the log.
type recorder struct {
	http.ResponseWriter
	status int
	bytes  int64
}

func (w *recorder) WriteHeader(code int) {
	if w.status == 0 && code >= 200 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *recorder) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	n, err := w.ResponseWriter.Write(b)
	w.bytes += int64(n)
	return n, err
}

// Unwrap lets http.ResponseController reach the connection's writer.
func (w *recorder) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// logRequests writes one structured line per request, and counts it in
// the metrics. Health probes and scrapes log at debug level, since
// orchestrators and Prometheus call them every few seconds.
func (s *Server) logRequests(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		info := &requestInfo{}
		rec := &recorder{ResponseWriter: w}
		r = r.WithContext(context.WithValue(r.Context(), infoKey{}, info))
		next.ServeHTTP(rec, r)

		status := rec.status
		if info.status != 0 {
			status = info.status
		} else if status == 0 {
			status = http.StatusOK
		}
		route := info.route
		if route == "" {
			route = "(unmatched)"
		}
		took := time.Since(start)
		s.metrics.Request(route, status, took)
		level := slog.LevelInfo
		if route == "/healthz" || route == "/readyz" || route == "/metrics" {
			level = slog.LevelDebug
		}
		s.log.LogAttrs(r.Context(), level, "http request",
			slog.String("method", r.Method),
			slog.String("route", route),
			slog.Int("status", status),
			slog.Int64("bytes", rec.bytes),
			slog.Float64("duration_ms", float64(took.Microseconds())/1000),
		)
	})
}

// recoverPanics turns a panic into a logged 500, so that one bad request
// cannot take the server down or leave a client hanging.
func (s *Server) recoverPanics(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			v := recover()
			if v == nil {
				return
			}
			if err, ok := v.(error); ok && errors.Is(err, http.ErrAbortHandler) {
				panic(v) // net/http's own way to abort a response
			}
			s.log.ErrorContext(r.Context(), "panic serving request",
				slog.String("path", r.URL.Path), slog.String("panic", fmt.Sprint(v)), slog.String("stack", string(debug.Stack())))
			if rec, ok := w.(*recorder); ok && rec.status != 0 {
				return // too late for an error answer
			}
			writeJSONError(w, http.StatusInternalServerError, errorBody{Error: "internal error"})
		}()
		next.ServeHTTP(w, r)
	})
}

// cors lets analysts' tools and notebooks on other origins read the API;
// everything it serves is public and read-only.
func cors(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, "/api/") {
			w.Header().Set("Access-Control-Allow-Origin", "*")
			w.Header().Set("Access-Control-Expose-Headers", "ETag, X-Total-Count, X-Returned-Count, Link")
		}
		next.ServeHTTP(w, r)
	})
}

// contentSecurityPolicy keeps the map's pages to this origin: no inline
// script, no other host. MapLibre runs its workers from blob: URLs and
// draws images from data: and blob: URLs. Inline style attributes are
// allowed (the legend's swatches, MapLibre's popups): a style cannot run
// code, and DESIGN.md asks only that no inline script runs.
const contentSecurityPolicy = "default-src 'self'; script-src 'self'; worker-src 'self' blob:; child-src 'self' blob:; " +
	"img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; connect-src 'self'; font-src 'self'; object-src 'none'; " +
	"base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

// securityHeaders go on every answer: whatever a browser is given, it
// does not sniff it into something else, runs nothing from elsewhere and
// tells other sites nothing of where it came from.
func securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", contentSecurityPolicy)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "same-origin")
		next.ServeHTTP(w, r)
	})
}

// captureRoute records the matched route template for the request log;
// mux runs it only for matched routes.
func captureRoute(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if info := infoOf(r.Context()); info != nil {
			if rt := mux.CurrentRoute(r); rt != nil {
				if t, err := rt.GetPathTemplate(); err == nil {
					info.route = t
				}
			}
		}
		next.ServeHTTP(w, r)
	})
}
