package api

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/leicester-csp/hotspot/geo"
	"github.com/leicester-csp/hotspot/geo/access"
	"github.com/leicester-csp/hotspot/geo/analysis"
	"github.com/leicester-csp/hotspot/geo/ingest"
	"github.com/leicester-csp/hotspot/geo/partner"
	"github.com/leicester-csp/hotspot/geo/store/embedded"
	"github.com/leicester-csp/hotspot/geo/store/postgis"
	"github.com/leicester-csp/hotspot/internal/synth"
)

// BenchmarkPartnerHex answers the hex layer over the synthetic city's
// 200,000 police.uk incidents and 1,000,000 partner records of "council"
// in 2024 (`hotspot generate`, seed 1: nearly every record at a point of
// its own), as an analyst, uncached (issue 13: p95 under 50 ms embedded,
// 150 ms PostGIS, with source, flag, days and hours). Each request takes
// the next of 24 hours windows, as docs/bench/hex-filters-http.sh does.
// HOTSPOT_BENCH_PARTNER_DATA_DIR or HOTSPOT_BENCH_PARTNER_DATABASE_URL
// name a store loaded so beforehand (docs/benchmarks.md gives the
// commands); without either, an embedded one is built here (minutes).
func BenchmarkPartnerHex(b *testing.B) {
	st := partnerHexStore(b)
	k, tok, err := access.NewKey("bench", access.Analyst, time.Now())
	if err != nil {
		b.Fatal(err)
	}
	keys, ok := st.(access.Keyring)
	if !ok {
		b.Fatalf("%T keeps no keys", st)
	}
	if err := keys.AddKey(b.Context(), k); err != nil {
		b.Fatal(err)
	}
	srv := New(Config{Store: st, Analyzer: analysis.New(st, geo.BuiltinPriorities()), Keys: keys, CacheBytes: -1})
	const hex = "/api/v1/hotspots/hex?from=2024-01&to=2024-12"
	for _, c := range []struct {
		name, query string
		windows     bool
	}{
		{"flag-nights", "&source=council&flag=street_lifestyle&days=fri,sat", true},
		{"source", "&source=council", false},
		{"policeuk", "", false},
	} {
		b.Run(c.name, func(b *testing.B) {
			var targets []string
			for h := range 24 {
				t := hex + c.query
				if c.windows {
					t += fmt.Sprintf("&hours=%02d-%02d", h, (h+5)%24)
				}
				targets = append(targets, t)
			}
			benchRotating(b, srv, targets, "Authorization", "Bearer "+tok)
		})
	}
}

// benchRotating is benchRequest over targets in turn.
func benchRotating(b *testing.B, srv http.Handler, targets []string, headers ...string) {
	var times []time.Duration
	b.ReportAllocs()
	n := 0
	for b.Loop() {
		req := httptest.NewRequest(http.MethodGet, targets[n%len(targets)], nil)
		n++
		for i := 0; i+1 < len(headers); i += 2 {
			req.Header.Set(headers[i], headers[i+1])
		}
		rec := httptest.NewRecorder()
		start := time.Now()
		srv.ServeHTTP(rec, req)
		times = append(times, time.Since(start))
		if rec.Code != http.StatusOK {
			b.Fatalf("GET %s: %d %s", req.URL, rec.Code, rec.Body)
		}
	}
	reportPercentiles(b, times)
}

// partnerHexStore opens the store BenchmarkPartnerHex's variables name,
// or builds an embedded one.
func partnerHexStore(b *testing.B) geo.Store {
	ctx := b.Context()
	var (
		st  geo.Store
		err error
	)
	switch url, dir := os.Getenv("HOTSPOT_BENCH_PARTNER_DATABASE_URL"), os.Getenv("HOTSPOT_BENCH_PARTNER_DATA_DIR"); {
	case url != "":
		st, err = postgis.Open(ctx, url, postgis.Options{})
	case dir != "":
		st, err = embedded.Open(ctx, dir, embedded.Options{})
	default:
		st, err = embedded.Open(ctx, b.TempDir(), embedded.Options{})
		if err == nil {
			err = loadPartnerCity(b, st)
		}
	}
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { st.Close() })
	return st
}

// loadPartnerCity writes and imports what `hotspot generate --rows
// 200000` and `--rows 1000000 --source council` (2024, seed 1) write.
func loadPartnerCity(b *testing.B, st geo.Store) error {
	dir, city := b.TempDir(), synth.NewCity(1)
	from := geo.NewMonth(2024, 1)
	if _, err := city.WriteCSVs(dir, synth.Options{Seed: 1, From: from, Months: 12, Rows: 200_000}); err != nil {
		return err
	}
	if _, err := st.Import(b.Context(), geo.ImportInput{Areas: city.Wards}); err != nil {
		return err
	}
	if _, err := ingest.Run(b.Context(), st, ingest.Options{Paths: []string{dir}}); err != nil {
		return err
	}
	pdir := filepath.Join(dir, "partner")
	if err := os.Mkdir(pdir, 0o755); err != nil {
		return err
	}
	files, err := city.WritePartner(pdir, "council", synth.PartnerOptions{Seed: 1, From: from, Months: 12, Rows: 1_000_000})
	if err != nil {
		return err
	}
	raw, err := os.ReadFile(files.Mapping)
	if err != nil {
		return err
	}
	m, err := partner.ParseMapping(raw)
	if err != nil {
		return err
	}
	_, err = ingest.Run(b.Context(), st, ingest.Options{Paths: []string{files.Records},
		Partner: &ingest.Partner{Source: "council", Mapping: m, Key: []byte("synthetic-demo-key-1")}})
	return err
}
