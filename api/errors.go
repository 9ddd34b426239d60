package api

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"

	"github.com/gorilla/mux"

	"github.com/leicester-csp/hotspot/geo"
	"github.com/leicester-csp/hotspot/geo/analysis"
)

// handlerFunc is a handler that returns its failure instead of writing
// it, so that errors are classified, answered and logged in one place.
type handlerFunc func(w http.ResponseWriter, r *http.Request) error

// errorBody is the JSON every error answer carries.
type errorBody struct {
	Error string `json:"error"`
	Param string `json:"param,omitempty"`
}

// statusClientClosed is what the request log records when the client went
// away before the answer: nginx's 499, never sent.
const statusClientClosed = 499

func (s *Server) handle(h handlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := h(w, r); err != nil {
			s.writeError(w, r, err)
		}
	})
}

// paramError is a bad request parameter, in the client's terms: the
// answer is a 400 naming it.
type paramError struct {
	param string
	msg   string
}

func (e *paramError) Error() string { return "parameter " + e.param + ": " + e.msg }

// badParam builds a paramError; param "" is the query string as a whole.
func badParam(param, format string, a ...any) error {
	return &paramError{param: param, msg: fmt.Sprintf(format, a...)}
}

// notFound is a missing resource, in the client's terms: a 404 saying
// what is missing.
type notFound struct{ msg string }

func (e *notFound) Error() string { return e.msg }

func missing(format string, a ...any) error { return &notFound{msg: fmt.Sprintf(format, a...)} }

// writeError maps err to a status and body. The body says what to fix in
// the client's terms; the wrapped chain, which may name hosts, tables and
// driver messages, goes to the log only. A client's mistake is logged at
// debug level, server failures above.
func (s *Server) writeError(w http.ResponseWriter, r *http.Request, err error) {
	var (
		pe *paramError
		fe *analysis.FieldError
		nf *notFound
		le *limitError
		fb errForbidden
	)
	switch {
	case errors.As(err, &fb):
		writeJSONError(w, http.StatusForbidden, errorBody{Error: fb.msg})
	case errors.As(err, &le):
		writeLimitError(w, le)
	case errors.As(err, &pe):
		writeJSONError(w, http.StatusBadRequest, errorBody{Error: pe.msg, Param: pe.param})
	case errors.As(err, &fe):
		// The analysis names query fields as the API names parameters.
		writeJSONError(w, http.StatusBadRequest, errorBody{Error: fe.Msg, Param: fe.Field})
	case errors.As(err, &nf):
		writeJSONError(w, http.StatusNotFound, errorBody{Error: nf.msg})
	case errors.Is(err, geo.ErrInvalid):
		s.log.DebugContext(r.Context(), "invalid request", slog.String("path", r.URL.Path), slog.Any("err", err))
		writeJSONError(w, http.StatusBadRequest, errorBody{Error: "the request cannot be answered as asked: check its parameters"})
	case errors.Is(err, geo.ErrNotFound):
		s.log.WarnContext(r.Context(), "not found", slog.String("path", r.URL.Path), slog.Any("err", err))
		writeJSONError(w, http.StatusNotFound, errorBody{Error: notFoundMessage(err)})
	case errors.Is(err, context.Canceled) && r.Context().Err() != nil:
		// Nobody is listening; say so in the log only.
		if info := infoOf(r.Context()); info != nil {
			info.status = statusClientClosed
		}
	case errors.Is(err, geo.ErrUnavailable), errors.Is(err, context.DeadlineExceeded):
		s.log.WarnContext(r.Context(), "store unavailable", slog.String("path", r.URL.Path), slog.Any("err", err))
		writeJSONError(w, http.StatusServiceUnavailable, errorBody{Error: "store unavailable, try again shortly"})
	default:
		s.log.ErrorContext(r.Context(), "internal error", slog.String("path", r.URL.Path), slog.Any("err", err))
		writeJSONError(w, http.StatusInternalServerError, errorBody{Error: "internal error"})
	}
}

func writeJSONError(w http.ResponseWriter, status int, body errorBody) {
	h := w.Header()
	// An error must not inherit the success path's caching or encoding
	// headers, set before the failure was known.
	h.Del("ETag")
	h.Del("Content-Encoding")
	h.Del("Content-Length")
	h.Set("Content-Type", "application/json")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)
	_ = writeJSON(w, body)
}

// notFound answers a request no route took. gorilla/mux reports a method
// mismatch as not found when a later route fails on something else, so a
// path that a GET would reach is answered 405 here, as DESIGN.md asks.
func (s *Server) notFound(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead && s.router != nil {
		probe := r.Clone(r.Context())
		probe.Method = http.MethodGet
		var m mux.RouteMatch
		if s.router.Match(probe, &m) && m.MatchErr == nil {
			s.methodNotAllowed(w, r)
			return
		}
	}
	writeJSONError(w, http.StatusNotFound, errorBody{Error: "no such path: " + truncate(r.URL.Path, 100)})
}

func (s *Server) methodNotAllowed(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Allow", "GET, HEAD")
	writeJSONError(w, http.StatusMethodNotAllowed, errorBody{Error: "method " + truncate(r.Method, 20) + " not allowed"})
}

// truncate keeps echoed client input short in error messages.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}

// notFoundMessage words a domain not-found for the client: a priority
// whose area names a ward the boundaries lack is a configuration to fix,
// and the client should hear which.
func notFoundMessage(err error) string {
	var ae *analysis.AreaError
	if errors.As(err, &ae) {
		return ae.Msg
	}
	return "not found"
}

func isNotFound(err error) bool { return errors.Is(err, geo.ErrNotFound) }
