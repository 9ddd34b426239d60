package api

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/mux"

	"github.com/leicester-csp/hotspot/geo/access"
)

// keyedFixture is the API fixture with keys kept in its store, and one
// live key per role.
func keyedFixture(t *testing.T, mod ...func(*Config)) (*fixture, map[access.Role]string) {
	t.Helper()
	f := newFixture(t, append([]func(*Config){func(c *Config) { c.Keys = c.Store.(access.Keyring) }}, mod...)...)
	tokens := map[access.Role]string{}
	for _, role := range access.Roles()[1:] {
		tokens[role] = addKey(t, f, role)
	}
	return f, tokens
}

func addKey(t *testing.T, f *fixture, role access.Role) string {
	t.Helper()
	k, tok, err := access.NewKey("test "+role.String(), role, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if err := f.store.AddKey(t.Context(), k); err != nil {
		t.Fatal(err)
	}
	return tok
}

func bearer(tok string) []string { return []string{"Authorization", "Bearer " + tok} }

// TestEveryRouteHasARule walks the router: a route added without deciding
// who may reach it fails here (and answers 403 until it has a rule).
func TestEveryRouteHasARule(t *testing.T) {
	f, _ := keyedFixture(t)
	n := 0
	err := f.srv.router.Walk(func(route *mux.Route, _ *mux.Router, _ []*mux.Route) error {
		tmpl, err := route.GetPathTemplate()
		if err != nil {
			return nil // a matcher-only route (the web catch-all is "/")
		}
		n++
		if _, ok := f.srv.rules[tmpl]; !ok {
			t.Errorf("route %s has no access rule in routeRules", tmpl)
		}
		return nil
	})
	if err != nil || n < 20 {
		t.Fatalf("walked %d routes, err %v", n, err)
	}
}

func TestEveryLayerHasARule(t *testing.T) {
	f := newFixture(t)
	for _, l := range f.srv.layers.Layers() {
		if _, ok := layerRules[l.Name]; !ok {
			t.Errorf("layer %s has no access rule in layerRules", l.Name)
		}
	}
}

// concreteTargets turns every route template into a request path, with
// every layer and OGC collection for the variable parts.
func concreteTargets(t *testing.T, f *fixture) []string {
	t.Helper()
	var collections []string
	body := f.getJSON(t, "/ogc/collections", 200)
	for _, c := range arr(t, body["collections"]) {
		collections = append(collections, obj(t, c)["id"].(string))
	}
	var out []string
	for tmpl := range f.srv.rules {
		switch {
		case strings.Contains(tmpl, "{collectionId}"):
			for _, c := range collections {
				p := strings.ReplaceAll(tmpl, "{collectionId}", c)
				out = append(out, strings.ReplaceAll(p, "{featureId}", "nope"))
			}
		case strings.Contains(tmpl, "{layer}"):
			for _, l := range f.srv.layers.Layers() {
				p := strings.ReplaceAll(tmpl, "{layer}", l.Name)
				out = append(out, strings.NewReplacer("{z}", "14", "{x}", "8155", "{y}", "5405").Replace(p))
			}
		default:
			out = append(out, tmpl)
		}
	}
	return out
}

// TestRolesWalk asks every route and layer as every kind of caller: what
// is refused is refused the same way everywhere, and nothing answers 5xx.
func TestRolesWalk(t *testing.T) {
	f, tokens := keyedFixture(t)
	revoked := addKey(t, f, access.Analyst)
	id, _, _ := access.SplitToken(revoked)
	if err := f.store.RevokeKey(t.Context(), id); err != nil {
		t.Fatal(err)
	}
	forged := tokens[access.Analyst][:len(tokens[access.Analyst])-4] + "AAAA"
	callers := []struct {
		name    string
		headers []string
		refused int // 0: let in, unless the route needs a higher role
		role    access.Role
	}{
		{"public", nil, 0, access.Public},
		{"partner", bearer(tokens[access.Partner]), 0, access.Partner},
		{"analyst", bearer(tokens[access.Analyst]), 0, access.Analyst},
		{"admin", bearer(tokens[access.Admin]), 0, access.Admin},
		{"revoked", bearer(revoked), 401, access.Public},
		{"forged secret", bearer(forged), 401, access.Public},
		{"not a key", bearer("letmein"), 401, access.Public},
		{"basic auth", []string{"Authorization", "Basic YWRtaW46YWRtaW4="}, 401, access.Public},
	}
	targets := concreteTargets(t, f)
	for _, c := range callers {
		for _, target := range targets {
			resp, body := f.get(t, target, c.headers...)
			refused := c.refused
			if need := needOf(t, f, target); refused == 0 && !c.role.AtLeast(need) {
				refused = 403 // a keyless caller too: no key is the public role
			}
			switch {
			case resp.StatusCode >= 500:
				t.Errorf("%s GET %s: %d %s", c.name, target, resp.StatusCode, body)
			case refused != 0 && resp.StatusCode != refused:
				t.Errorf("%s GET %s: %d; want %d", c.name, target, resp.StatusCode, refused)
			case refused == 0 && (resp.StatusCode == 401 || resp.StatusCode == 403):
				t.Errorf("%s GET %s: refused %d %s", c.name, target, resp.StatusCode, body)
			}
			if (refused == 401 || (refused == 403 && c.headers == nil)) && resp.Header.Get("WWW-Authenticate") == "" {
				t.Errorf("%s GET %s: %d without WWW-Authenticate", c.name, target, resp.StatusCode)
			}
		}
	}
}

// needOf is the least role a GET of target may come from, by the rules
// the server enforces.
func needOf(t *testing.T, f *fixture, target string) access.Role {
	t.Helper()
	req := httptest.NewRequest(http.MethodGet, target, nil)
	var m mux.RouteMatch
	if !f.srv.router.Match(req, &m) || m.Route == nil {
		return access.Public
	}
	tmpl, err := m.Route.GetPathTemplate()
	if err != nil {
		return access.Public
	}
	need, _ := f.srv.need(mux.SetURLVars(req, m.Vars), f.srv.rules[tmpl])
	return need
}

func TestPublicNamingAPartnerSource(t *testing.T) {
	f, _ := keyedFixture(t)
	for _, src := range []string{"council-asb", "no-such-source", "ALL2"} {
		resp, body := f.get(t, "/api/v1/hotspots/hex?source="+src)
		if resp.StatusCode != 403 || !strings.Contains(string(body), `"param":"source"`) {
			t.Errorf("public source=%s: %d %s; want 403 naming source", src, resp.StatusCode, body)
		}
	}
}

// TestRevocationOnARunningServer: a key revoked by another process (a
// second instance of the store) stops working within 5 s.
func TestRevocationOnARunningServer(t *testing.T) {
	f, tokens := keyedFixture(t)
	tok := tokens[access.Analyst]
	if resp, body := f.get(t, "/api/v1/whoami", bearer(tok)...); resp.StatusCode != 200 || !strings.Contains(string(body), `"role":"analyst"`) {
		t.Fatalf("whoami: %d %s", resp.StatusCode, body)
	}
	id, _, _ := access.SplitToken(tok)
	if err := f.reopen(t).RevokeKey(t.Context(), id); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	for {
		resp, _ := f.get(t, "/api/v1/whoami", bearer(tok)...)
		if resp.StatusCode == 401 {
			break
		}
		if time.Since(start) > 5*time.Second {
			t.Fatalf("revoked key still accepted after %v", time.Since(start))
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Logf("revocation took effect after %v", time.Since(start).Round(time.Millisecond))
}

func TestAuditOfIncidentRecords(t *testing.T) {
	f, tokens := keyedFixture(t)
	ctx := t.Context()
	f.get(t, "/api/v1/incidents?limit=5")                                             // public: not audited
	f.get(t, "/api/v1/hotspots/hex", bearer(tokens[access.Analyst])...)               // aggregates: not audited
	f.get(t, "/api/v1/incidents?limit=5&offset=1", bearer(tokens[access.Analyst])...) // audited
	f.get(t, "/ogc/collections/incidents/items?limit=3", bearer(tokens[access.Partner])...)
	log, err := f.store.AuditLog(ctx, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	if len(log) != 2 {
		t.Fatalf("audit log = %+v; want the two keyed incident answers", log)
	}
	aid, _, _ := access.SplitToken(tokens[access.Analyst])
	if e := log[0]; e.KeyID != aid || e.Method != "GET" || e.Path != "/api/v1/incidents?limit=5&offset=1" || e.Rows != 5 {
		t.Errorf("first entry = %+v", e)
	}
	if e := log[1]; !strings.HasPrefix(e.Path, "/ogc/collections/incidents/items") {
		t.Errorf("second entry = %+v", e)
	}
}

// failingAudit is a keyring whose audit log cannot be written.
type failingAudit struct{ access.Keyring }

func (failingAudit) Audit(context.Context, ...access.Entry) error { return errors.New("disk full") }

func TestNoAuditNoRecords(t *testing.T) {
	f, tokens := keyedFixture(t, func(c *Config) { c.Keys = failingAudit{c.Store.(access.Keyring)} })
	resp, body := f.get(t, "/api/v1/incidents?limit=5", bearer(tokens[access.Analyst])...)
	if resp.StatusCode != 503 || strings.Contains(string(body), "Feature") {
		t.Fatalf("incidents with the audit log down: %d %s; want 503 and no records", resp.StatusCode, body)
	}
	if resp, _ := f.get(t, "/api/v1/incidents?limit=5"); resp.StatusCode != 200 {
		t.Errorf("public incidents: %d; the audit log concerns keyed callers only", resp.StatusCode)
	}
}

// TestAnswersKeptApartByRole: a cached answer is never served across
// views, and a keyed answer is private to shared caches.
func TestAnswersKeptApartByRole(t *testing.T) {
	f, tokens := keyedFixture(t)
	pub, _ := f.get(t, "/api/v1/hotspots/wards")
	ana, _ := f.get(t, "/api/v1/hotspots/wards", bearer(tokens[access.Analyst])...)
	if pub.Header.Get("ETag") == ana.Header.Get("ETag") {
		t.Error("public and analyst answers share an ETag")
	}
	if cc := ana.Header.Get("Cache-Control"); !strings.Contains(cc, "private") {
		t.Errorf("keyed answer Cache-Control %q; want private", cc)
	}
	if !strings.Contains(strings.Join(ana.Header.Values("Vary"), ","), "Authorization") {
		t.Errorf("keyed answer Vary %q; want Authorization", ana.Header.Values("Vary"))
	}
}

func TestWhoAmI(t *testing.T) {
	f, tokens := keyedFixture(t)
	var who struct{ Role, KeyID, Name string }
	_, body := f.get(t, "/api/v1/whoami", bearer(tokens[access.Partner])...)
	if err := json.Unmarshal(body, &who); err != nil || who.Role != "partner" || who.Name != "test partner" {
		t.Errorf("whoami = %s", body)
	}
	_, body = f.get(t, "/api/v1/whoami")
	if string(body) != `{"role":"public"}`+"\n" && string(body) != `{"role":"public"}` {
		t.Errorf("public whoami = %q", body)
	}
}

func TestNoKeysIssued(t *testing.T) {
	f := newFixture(t)
	resp, body := f.get(t, "/api/v1/meta", "Authorization", "Bearer hs_0123456789abcdef_"+strings.Repeat("A", 43))
	if resp.StatusCode != 401 || !strings.Contains(string(body), "issues no keys") {
		t.Errorf("a key sent to a server without keys: %d %s", resp.StatusCode, body)
	}
}

func TestSecurityHeaders(t *testing.T) {
	f := newFixture(t)
	for _, target := range []string{"/", "/api/v1/meta", "/no-such"} {
		resp, _ := f.get(t, target)
		csp := resp.Header.Get("Content-Security-Policy")
		if !strings.Contains(csp, "default-src 'self'") || !strings.Contains(csp, "script-src 'self';") {
			t.Errorf("%s: CSP %q", target, csp)
		}
		if resp.Header.Get("X-Content-Type-Options") != "nosniff" || resp.Header.Get("Referrer-Policy") != "same-origin" {
			t.Errorf("%s: headers %v", target, resp.Header)
		}
	}
}

func BenchmarkAuthorise(b *testing.B) {
	f := newFixture(b, func(c *Config) { c.Keys = c.Store.(access.Keyring) })
	k, tok, _ := access.NewKey("bench", access.Analyst, time.Now())
	if err := f.store.AddKey(b.Context(), k); err != nil {
		b.Fatal(err)
	}
	req, _ := http.NewRequestWithContext(b.Context(), http.MethodGet, "/api/v1/meta", nil)
	req.Header.Set("Authorization", "Bearer "+tok)
	f.srv.callerFrom(req) // load the keys
	b.ResetTimer()
	for b.Loop() {
		if c := f.srv.callerFrom(req); c.keyID == "" {
			b.Fatal(c.bad)
		}
	}
}
