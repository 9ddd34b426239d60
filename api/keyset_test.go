package api

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/netip"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/leicester-csp/hotspot/geo"
	"github.com/leicester-csp/hotspot/geo/hex"
	"github.com/leicester-csp/hotspot/tiles"
)

func featureIDs(t *testing.T, v map[string]any) []string {
	t.Helper()
	var out []string
	for _, f := range v["features"].([]any) {
		out = append(out, obj(t, obj(t, f)["properties"])["id"].(string))
	}
	return out
}

// Following next links from the first page lists exactly what one large
// page lists, for each order and filter, and the last page has no next.
func TestKeysetWalk(t *testing.T) {
	f := newFixture(t)
	for _, q := range []string{"from=2022-01", "from=2022-01&order=newest", "from=2022-01&category=Burglary", "from=2022-01&scope=area",
		"from=2022-01&bbox=-1.15,52.63,-1.13,52.64", "priority=city-centre-violence&from=2022-12"} {
		t.Run(q, func(t *testing.T) {
			whole := f.getJSON(t, "/api/v1/incidents?"+q+"&limit=10000", http.StatusOK)
			want := featureIDs(t, whole)
			if len(want) < 3 {
				t.Fatalf("%d incidents: too few to page", len(want))
			}
			if _, ok := whole["next"]; ok {
				t.Fatalf("a page holding everything has a next link: %v", whole["next"])
			}
			var got []string
			target := "/api/v1/incidents?" + q + "&limit=2"
			for range len(want) {
				v := f.getJSON(t, target, http.StatusOK)
				got = append(got, featureIDs(t, v)...)
				if num(t, v["numberMatched"]) != float64(len(want)) {
					t.Fatalf("%s: numberMatched %v, want %d", target, v["numberMatched"], len(want))
				}
				next, ok := v["next"].(string)
				if !ok {
					break
				}
				rel, ok := strings.CutPrefix(next, "http://example.com/api/v1/incidents?")
				if !ok || !strings.Contains(rel, "after=") || strings.Contains(rel, "offset=") {
					t.Fatalf("next %q is not an absolute link with after and no offset", next)
				}
				target = "/api/v1/incidents?" + rel
			}
			if !slices.Equal(got, want) {
				t.Errorf("walk:\n got %v\nwant %v", got, want)
			}
		})
	}
}

// next follows the host and prefix a trusted proxy forwards, and only
// then; the cache never hands one caller's links to another.
func TestKeysetNextBehindProxy(t *testing.T) {
	f := newFixture(t, func(c *Config) { c.TrustedProxies = []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8")} })
	fwd := []string{"X-Forwarded-Proto", "https", "X-Forwarded-Host", "maps.example.org", "X-Forwarded-Prefix", "/hotspot"}
	for _, c := range []struct{ remote, want string }{
		{"10.1.2.3:1234", "https://maps.example.org/hotspot/api/v1/incidents?"},
		{"192.0.2.1:1234", "http://example.com/api/v1/incidents?"},
		{"10.1.2.3:1234", "https://maps.example.org/hotspot/api/v1/incidents?"},
	} {
		rec := f.doFrom(t, c.remote, "/api/v1/incidents?from=2022-01&limit=1", fwd...)
		var v map[string]any
		if err := json.Unmarshal(rec.Body.Bytes(), &v); err != nil || rec.Code != http.StatusOK {
			t.Fatalf("status %d: %s", rec.Code, rec.Body)
		}
		if next, _ := v["next"].(string); !strings.HasPrefix(next, c.want) {
			t.Errorf("from %s: next %q, want it under %s", c.remote, next, c.want)
		}
	}
}

// A cursor that is not one the server made, or made for the other
// order, is a 400 naming after.
func TestKeysetBadCursor(t *testing.T) {
	f := newFixture(t)
	v := f.getJSON(t, "/api/v1/incidents?from=2022-01&limit=1", http.StatusOK)
	next, _ := url.Parse(v["next"].(string))
	good := next.Query().Get("after")
	tampered := []byte(good)
	tampered[len(tampered)/2] ^= 1
	newest := encodeCursor(geo.PageKey{Month: geo.NewMonth(2023, 5), ID: "x"}, true)
	for _, target := range []string{
		"/api/v1/incidents?after=", "/api/v1/incidents?after=garbage", "/api/v1/incidents?after=" + url.QueryEscape(string(tampered)),
		"/api/v1/incidents?after=" + good[:len(good)-3], "/api/v1/incidents?after=2" + good[1:],
		"/api/v1/incidents?after=" + newest, "/api/v1/incidents?order=newest&after=" + good,
		"/ogc/collections/incidents/items?after=garbage", "/ogc/collections/incidents/items?after=" + newest,
		"/ogc/collections/wards/items?after=" + good,
	} {
		v := f.getJSON(t, target, http.StatusBadRequest)
		if v["param"] != "after" {
			t.Errorf("%s: param %v, want after", target, v["param"])
		}
	}
	f.getJSON(t, "/api/v1/incidents?order=newest&after="+newest, http.StatusOK)
}

// OGC items pages of incidents link on with after=, and following them
// lists what one large page lists.
func TestKeysetOGCWalk(t *testing.T) {
	f := newFixture(t)
	want := featureIDsOGC(t, f.getJSON(t, "/ogc/collections/incidents/items?limit=10000", http.StatusOK))
	var got []string
	target := "/ogc/collections/incidents/items?limit=3"
	for range len(want) {
		v := f.getJSON(t, target, http.StatusOK)
		got = append(got, featureIDsOGC(t, v)...)
		next := ""
		for _, l := range v["links"].([]any) {
			if m := obj(t, l); m["rel"] == "next" {
				next = m["href"].(string)
			}
		}
		if next == "" {
			break
		}
		rel, ok := strings.CutPrefix(next, "http://example.com")
		if !ok || !strings.Contains(rel, "after=") {
			t.Fatalf("next %q does not continue with after", next)
		}
		target = rel
	}
	if !slices.Equal(got, want) {
		t.Errorf("walk:\n got %v\nwant %v", got, want)
	}
}

func featureIDsOGC(t *testing.T, v map[string]any) []string {
	var out []string
	for _, f := range v["features"].([]any) {
		out = append(out, obj(t, f)["id"].(string))
	}
	return out
}

func FuzzCursor(f *testing.F) {
	f.Add(encodeCursor(geo.PageKey{Month: geo.NewMonth(2024, 3), ID: "c01", Source: "bid"}, false))
	f.Add(encodeCursor(geo.PageKey{Month: geo.NewMonth(2023, 1), ID: "ab"}, true))
	f.Add("1")
	f.Add("1AAAA")
	f.Add("garbage")
	f.Fuzz(func(t *testing.T, v string) {
		key, newest, err := decodeCursor(v)
		if err != nil {
			if pe, ok := err.(*paramError); !ok || pe.param != "after" {
				t.Fatalf("decodeCursor(%q): %v, want a 400 naming after", v, err)
			}
			return
		}
		again, newest2, err := decodeCursor(encodeCursor(key, newest))
		if err != nil || again != key || newest2 != newest {
			t.Fatalf("round trip of %q: %+v %v %v, want %+v %v", v, again, newest2, err, key, newest)
		}
	})
}

// A tile the feature cap cuts is kept like any other: the second request
// is served from the cache with the same bytes and still says it was cut.
func TestTruncatedTileCached(t *testing.T) {
	f := newFixture(t)
	p := fixturePoints[0]
	cells := hex.CellsAt(p)
	rows := func(yield func(geo.Row, error) bool) {
		for i := range tiles.DefaultMaxFeatures + 1 {
			l := &geo.Located{Incident: geo.Incident{ID: fmt.Sprintf("dense-%06d", i), Month: geo.NewMonth(2024, 3), Category: "Burglary",
				HasLocation: true, Point: p}, Cells: cells}
			if !yield(geo.Row{Incident: l}, nil) {
				return
			}
		}
	}
	if _, err := f.store.Import(t.Context(), geo.ImportInput{Rows: rows}); err != nil {
		t.Fatal(err)
	}
	target := tileURLPath("incidents", castleTile()) + "?from=2024-03&to=2024-03"
	first, body1 := f.get(t, target)
	second, body2 := f.get(t, target)
	for _, r := range []*http.Response{first, second} {
		if r.StatusCode != http.StatusOK || r.Header.Get("X-Hotspot-Truncated") != "true" || r.Header.Get(rowsHeader) != strconv.Itoa(tiles.DefaultMaxFeatures) {
			t.Fatalf("status %d, truncated %q, rows %q", r.StatusCode, r.Header.Get("X-Hotspot-Truncated"), r.Header.Get(rowsHeader))
		}
	}
	if !bytes.Equal(body1, body2) {
		t.Error("the cached tile differs from the first")
	}
	if n := f.srv.tilesState.cache.Len(); n == 0 {
		t.Error("the truncated tile was not cached")
	}
}
