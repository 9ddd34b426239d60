package api

import (
	"context"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/gorilla/mux"

	"github.com/leicester-csp/hotspot/geo/access"
	"github.com/leicester-csp/hotspot/geo/analysis"
)

// Who may see what (DESIGN.md, "Access"). A request's caller is settled
// once, from its bearer key, before the rate limit (which counts per key);
// what the caller may reach is decided in one place, guard, from the
// matched route's rule in routeRules.

// caller is who a request comes from: a role, and the key that gave it
// ("" for the public).
type caller struct {
	role  access.Role
	keyID string
	// bad is why a presented key was refused; the request is answered 401
	// after it has been counted against its address's rate.
	bad string
}

type callerKey struct{}

func callerOf(ctx context.Context) caller {
	c, _ := ctx.Value(callerKey{}).(caller)
	return c
}

// keyRefresh is how long a loaded key list is trusted. A revocation by
// another process takes effect within it, well inside DESIGN.md's 5 s.
const keyRefresh = 2 * time.Second

// keyStale is how old the list may get when the store cannot be read
// before keyed callers are refused (fail closed: a key revoked while the
// store was unreachable must not go on working).
const keyStale = 5 * time.Second

// keyCache holds the keys by id, reloaded from the store when older than
// keyRefresh, so that checking a key costs a map lookup and a hash.
type keyCache struct {
	ring access.Keyring // nil: the server issues no keys
	log  *slog.Logger

	mu     sync.Mutex
	keys   map[string]access.Key
	loaded time.Time // last successful load
	tried  time.Time // last attempt
}

// lookup returns the key with the id, reloading first when the list is
// older than keyRefresh. ok is false when the store cannot be read and
// the list is older than keyStale.
func (kc *keyCache) lookup(ctx context.Context, id string) (access.Key, bool, bool) {
	kc.mu.Lock()
	defer kc.mu.Unlock()
	now := time.Now()
	if now.Sub(kc.loaded) >= keyRefresh && now.Sub(kc.tried) >= keyRefresh/4 {
		kc.tried = now
		keys, err := kc.ring.Keys(context.WithoutCancel(ctx))
		if err != nil {
			kc.log.WarnContext(ctx, "cannot read keys", slog.Any("err", err))
		} else {
			m := make(map[string]access.Key, len(keys))
			for _, k := range keys {
				m[k.ID] = k
			}
			kc.keys, kc.loaded = m, now
		}
	}
	if now.Sub(kc.loaded) >= keyStale {
		return access.Key{}, false, false
	}
	k, found := kc.keys[id]
	return k, found, true
}

// identify settles the caller from the Authorization header. No header
// is the public; anything presented must be a live key.
func (s *Server) identify(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c := s.callerFrom(r)
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), callerKey{}, c)))
	})
}

func (s *Server) callerFrom(r *http.Request) caller {
	h := r.Header.Get("Authorization")
	if h == "" {
		return caller{role: access.Public}
	}
	scheme, token, _ := strings.Cut(h, " ")
	if !strings.EqualFold(scheme, "Bearer") {
		return caller{bad: "the Authorization header must be \"Bearer KEY\""}
	}
	if s.keys.ring == nil {
		return caller{bad: "this server issues no keys: send no Authorization header"}
	}
	id, secret, ok := access.SplitToken(strings.TrimSpace(token))
	if !ok {
		return caller{bad: "not a hotspot key"}
	}
	k, found, fresh := s.keys.lookup(r.Context(), id)
	switch {
	case !fresh:
		return caller{bad: "keys cannot be checked now"}
	case !found || !k.Matches(secret):
		return caller{bad: "unknown key"}
	case !k.Active():
		return caller{bad: "this key has been revoked"}
	}
	return caller{role: k.Role, keyID: k.ID}
}

// rule is what a route asks of its caller.
type rule struct {
	min access.Role
	// layerVar names the route variable holding a layer or collection,
	// whose own rule (layerRule) applies as well.
	layerVar string
	// audit marks answers that may hold incident-level records: to a
	// keyed caller they are written to the audit log.
	audit bool
	// partnerSuppressed marks audited answers a partner may still have
	// for a local source: the analysis leaves out what it may not see
	// (repeat locations of fewer than --suppress-below records).
	partnerSuppressed bool
	// write is the least role for methods that change something (POST,
	// PUT, DELETE), when more than min.
	write access.Role
	// page marks the web map's own files: their query string is the map's
	// view (source=council included), read by the page's script, whose
	// API requests carry the key and are checked; the page's navigation
	// request cannot carry it.
	page bool
}

// need is the least role a request to a route may come from, and
// whether its answer is audited.
func (s *Server) need(r *http.Request, rl rule) (access.Role, bool) {
	need, auditable := rl.min, rl.audit
	if r.Method != http.MethodGet && r.Method != http.MethodHead && r.Method != http.MethodOptions {
		need = max(need, rl.write)
	}
	if rl.layerVar != "" {
		lr := layerRule(mux.Vars(r)[rl.layerVar])
		need, auditable = max(need, lr.min), auditable || lr.audit
	}
	return need, auditable
}

// guard enforces the matched route's rule. A route without a rule is
// refused (and logged): a route added without deciding who may see it
// stays closed, and TestEveryRouteHasARule fails.
func (s *Server) guard(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c := callerOf(r.Context())
		if c.bad != "" {
			w.Header().Set("WWW-Authenticate", `Bearer error="invalid_token"`)
			status := http.StatusUnauthorized
			if c.bad == "keys cannot be checked now" {
				status = http.StatusServiceUnavailable
				w.Header().Set("Retry-After", "5")
			}
			writeJSONError(w, status, errorBody{Error: c.bad})
			return
		}
		tmpl := routeTemplate(r)
		rl, ok := s.rules[tmpl]
		if !ok {
			s.log.ErrorContext(r.Context(), "route has no access rule", slog.String("route", tmpl))
			writeJSONError(w, http.StatusForbidden, errorBody{Error: "not available"})
			return
		}
		need, auditable := s.need(r, rl)
		if !c.role.AtLeast(need) {
			// No key is the public role, and a role too low is a 403
			// (DESIGN.md "Access"); 401 is kept for a key that was
			// presented and refused. The challenge header still tells a
			// keyless client how to present one.
			msg := "this needs a key with the " + need.String() + " role"
			if c.keyID == "" {
				msg += ": send Authorization: Bearer KEY"
				w.Header().Set("WWW-Authenticate", `Bearer`)
			}
			writeJSONError(w, http.StatusForbidden, errorBody{Error: msg})
			return
		}
		if msg, ok := checkSource(r, c); !ok && !rl.page {
			writeJSONError(w, http.StatusForbidden, errorBody{Error: msg, Param: "source"})
			return
		}
		if msg, ok := checkRecords(r, c, rl); !ok && !rl.page {
			writeJSONError(w, http.StatusForbidden, errorBody{Error: msg, Param: "source"})
			return
		}
		r = r.WithContext(analysis.WithVisibility(r.Context(), visibility(c.role), s.suppressBelow()))
		if auditable && c.keyID != "" {
			s.audited(w, r, c, next)
			return
		}
		next.ServeHTTP(w, r)
	})
}

func routeTemplate(r *http.Request) string {
	if rt := mux.CurrentRoute(r); rt != nil {
		if t, err := rt.GetPathTemplate(); err == nil {
			return t
		}
	}
	return ""
}

// whoami says who the server takes the caller for, so that the map can
// show the role and offer only what it allows.
func (s *Server) whoami(w http.ResponseWriter, r *http.Request) error {
	c := callerOf(r.Context())
	body := struct {
		Role  access.Role `json:"role"`
		KeyID string      `json:"key_id,omitempty"`
		Name  string      `json:"name,omitempty"`
	}{Role: c.role, KeyID: c.keyID}
	if c.keyID != "" {
		if k, found, _ := s.keys.lookup(r.Context(), c.keyID); found {
			body.Name = k.Name
		}
	}
	w.Header().Set("Content-Type", contentJSON)
	w.Header().Set("Cache-Control", "private, no-store")
	w.Header().Add("Vary", "Authorization")
	if r.Method == http.MethodHead {
		return nil
	}
	return writeJSON(w, body)
}
