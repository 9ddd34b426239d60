package api

import (
	"context"
	"errors"
	"log/slog"
	"net/http"

	"github.com/leicester-csp/hotspot/geo"
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

// writeError maps err to a status and body. Only server-side failures are
// logged; a client's mistake is its answer.
func (s *Server) writeError(w http.ResponseWriter, r *http.Request, err error) {
	var pe *geo.ParamError
	switch {
	case errors.As(err, &pe):
		writeJSONError(w, http.StatusBadRequest, errorBody{Error: pe.Msg, Param: pe.Param})
	case errors.Is(err, geo.ErrInvalid):
		writeJSONError(w, http.StatusBadRequest, errorBody{Error: err.Error()})
	case errors.Is(err, geo.ErrNotFound):
		writeJSONError(w, http.StatusNotFound, errorBody{Error: err.Error()})
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

func (s *Server) notFound(w http.ResponseWriter, r *http.Request) {
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
