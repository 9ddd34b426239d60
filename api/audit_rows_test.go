package api

import (
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/leicester-csp/hotspot/geo/access"
)

// TestAuditRowsOfOGCAndTiles: the audit entries of keyed OGC item pages,
// single items and incident tiles carry the number of records written
// (X-Returned-Count), not −1; a tile served from the cache says the same.
func TestAuditRowsOfOGCAndTiles(t *testing.T) {
	f, tokens := keyedFixture(t)
	auth := bearer(tokens[access.Analyst])
	tile := tileURLPath("incidents", castleTile()) + "?from=2022-12&to=2024-03"
	want := map[string]int{}
	for _, target := range []string{
		"/ogc/collections/incidents/items?limit=3",
		"/ogc/collections/repeats-asb/items?limit=2",
		tile,
		tile, // from the tile cache
	} {
		resp, body := f.get(t, target, auth...)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("%s: %d %s", target, resp.StatusCode, body)
		}
		n := -1
		switch {
		case strings.HasPrefix(target, "/tiles/"):
			n = 0
			for _, l := range decodeTile(t, body) {
				n += len(l.Features)
			}
		default:
			n = len(arr(t, f.getJSON(t, target, http.StatusOK)["features"]))
		}
		if got := resp.Header.Get(rowsHeader); got != strconv.Itoa(n) {
			t.Errorf("%s: %s %q, want %d", target, rowsHeader, got, n)
		}
		want[target] = n
	}
	if want[tile] == 0 || want["/ogc/collections/incidents/items?limit=3"] != 3 {
		t.Fatalf("fixture: %v; want a tile with incidents and a full page", want)
	}
	// One single item, by the id of the first on the page.
	page := f.getJSON(t, "/ogc/collections/incidents/items?limit=1", http.StatusOK)
	id := obj(t, arr(t, page["features"])[0])["id"]
	item := "/ogc/collections/incidents/items/" + id.(string)
	if resp, body := f.get(t, item, auth...); resp.StatusCode != http.StatusOK || resp.Header.Get(rowsHeader) != "1" {
		t.Fatalf("%s: %d %q %s", item, resp.StatusCode, resp.Header.Get(rowsHeader), body)
	}
	want[item] = 1
	log, err := f.store.AuditLog(t.Context(), time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	if len(log) != 5 {
		t.Fatalf("audit log %+v; want the five keyed answers", log)
	}
	for _, e := range log {
		if n, ok := want[e.Path]; !ok || e.Rows != n {
			t.Errorf("entry %s: rows %d, want %d", e.Path, e.Rows, n)
		}
	}
}
