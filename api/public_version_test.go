package api

import (
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"github.com/leicester-csp/hotspot/geo"
	"github.com/leicester-csp/hotspot/geo/access"
	"github.com/leicester-csp/hotspot/geo/hex"
)

// A caller without a key must not learn when a partner import landed: its
// meta version, its answers' versions and its ETags stay as they were,
// while a keyed caller's move. A police.uk import moves both.
func TestPublicVersionIgnoresPartnerImports(t *testing.T) {
	f, tokens := partnerFixture(t)
	analyst := bearer(tokens[access.Analyst])
	const hexURL = "/api/v1/hotspots/hex?priority=asb&res=8"
	type view struct{ meta, answer, etag string }
	look := func(auth ...string) view {
		t.Helper()
		res, body := f.get(t, "/api/v1/meta", auth...)
		var m struct {
			Version string `json:"version"`
		}
		if err := json.Unmarshal(body, &m); res.StatusCode != http.StatusOK || err != nil {
			t.Fatalf("meta: %d %s", res.StatusCode, body)
		}
		res, body = f.get(t, hexURL, auth...)
		var h struct {
			Hotspot struct {
				Version string `json:"version"`
			} `json:"hotspot"`
		}
		if err := json.Unmarshal(body, &h); res.StatusCode != http.StatusOK || err != nil {
			t.Fatalf("hex: %d %s", res.StatusCode, body)
		}
		return view{m.Version, h.Hotspot.Version, res.Header.Get("ETag")}
	}
	pub, keyed := look(), look(analyst...)
	if pub.meta == "" || pub.meta != pub.answer || keyed.meta != keyed.answer {
		t.Fatalf("versions disagree: public %+v, analyst %+v", pub, keyed)
	}
	if pub.meta == keyed.meta {
		t.Errorf("the public is shown the whole version %q", pub.meta)
	}

	at := time.Date(2024, 3, 22, 23, 0, 0, 0, geo.London)
	rec := &geo.Located{Incident: geo.Incident{ID: "late", Month: geo.NewMonth(2024, 3), Category: "Street drinking", Location: "Clock Tower",
		HasLocation: true, Point: fixturePoints[0], Source: "council", Occurred: at}, Cells: hex.CellsAt(fixturePoints[0])}
	importRows(t, f, rec)
	if got := look(); got != pub {
		t.Errorf("after a partner import the public sees %+v, before %+v", got, pub)
	}
	if res, _ := f.get(t, hexURL, "If-None-Match", pub.etag); res.StatusCode != http.StatusNotModified {
		t.Errorf("public revalidation after a partner import: %d, want 304", res.StatusCode)
	}
	if got := look(analyst...); got.meta == keyed.meta || got.etag == keyed.etag {
		t.Errorf("after a partner import the analyst still sees %+v", got)
	}

	police := &geo.Located{Incident: geo.Incident{ID: "pv-new", Month: geo.NewMonth(2024, 3), Category: "Anti-social behaviour",
		HasLocation: true, Point: fixturePoints[0]}, Cells: hex.CellsAt(fixturePoints[0])}
	importRows(t, f, police)
	if got := look(); got.meta == pub.meta || got.etag == pub.etag {
		t.Errorf("after a police.uk import the public still sees %+v", got)
	}
}

func importRows(t *testing.T, f *fixture, recs ...*geo.Located) {
	t.Helper()
	rows := func(yield func(geo.Row, error) bool) {
		for _, r := range recs {
			if !yield(geo.Row{Incident: r}, nil) {
				return
			}
		}
	}
	if res, err := f.store.Import(t.Context(), geo.ImportInput{Rows: rows}); err != nil || res.Imported != len(recs) {
		t.Fatalf("import: %+v, %v", res, err)
	}
}

// /readyz is public: with read replicas it names each database's version,
// which a caller without a key sees only in its public part.
func TestReadyzShowsThePublicVersion(t *testing.T) {
	full := geo.FormatVersion("ab12", 42, 37)
	f, tokens := keyedFixture(t, func(c *Config) {
		c.Databases = func() []geo.DatabaseStatus {
			return []geo.DatabaseStatus{{Name: "primary", Role: "primary", State: "up", Serving: true, Version: full}}
		}
	})
	for _, tc := range []struct {
		auth []string
		want string
	}{
		{nil, "ab12.p37"},
		{bearer(tokens[access.Partner]), "ab12.p37"},
		{bearer(tokens[access.Analyst]), full},
	} {
		res, body := f.get(t, "/readyz", tc.auth...)
		var st struct {
			Databases []struct {
				Version string `json:"version"`
			} `json:"databases"`
		}
		if err := json.Unmarshal(body, &st); err != nil || res.StatusCode != http.StatusOK || len(st.Databases) != 1 {
			t.Fatalf("readyz %d: %s", res.StatusCode, body)
		}
		if got := st.Databases[0].Version; got != tc.want {
			t.Errorf("readyz with %d auth headers shows version %q, want %q", len(tc.auth), got, tc.want)
		}
	}
}
