package postgis

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/lib/pq"

	"github.com/leicester-csp/hotspot/geo/ingest"
	"github.com/leicester-csp/hotspot/geo/store/embedded"
	"github.com/leicester-csp/hotspot/internal/shareddata"
)

// The parity tests that only read compare the two stores over the shared
// months: loading 200,775 rows into both is most of their cost, so it is
// done once per test binary and the stores are shared. A test that
// writes to its stores (re-imports, migrations) loads its own.
var pair struct {
	once   sync.Once
	emb    *embedded.Store
	pg     *Store
	er, pr ingest.Result
	err    error
	close  func()
}

// TestMain closes and drops what sharedPair made once every test is done.
func TestMain(m *testing.M) {
	code := m.Run()
	if pair.close != nil {
		pair.close()
	}
	os.Exit(code)
}

// sharedPair returns the shared months with the Leicester wards, LSOAs,
// city and ward population, loaded into an embedded store and into
// PostGIS, and each ingest's result. Callers must not change them (that
// a re-import changes nothing is TestTallyParityShared's to show).
func sharedPair(t *testing.T) (*embedded.Store, *Store, ingest.Result, ingest.Result) {
	t.Helper()
	url := testURL(t)
	dir := shareddata.ReadsMonths(t)
	opt := ingest.Options{
		Paths: []string{shareddata.Path(t, "police_leicestershire_street")},
		Boundaries: []string{
			shareddata.Path(t, "boundaries_leicester", "leicester_wards_WD20_BGC.geojson"),
			shareddata.Path(t, "boundaries_leicester", "leicester_LSOA21_hybrid_BGC.geojson"),
			shareddata.Path(t, "boundaries_leicester", "leicester_LAD21_BGC.geojson"),
		},
		Population: filepath.Join(dir, "leicester_city_council", "leicester_ward_population_2022.csv"),
	}
	pair.once.Do(func() { pair.err = loadPair(url, opt) })
	if pair.err != nil {
		t.Fatal(pair.err)
	}
	return pair.emb, pair.pg, pair.er, pair.pr
}

// loadPair ingests into both stores at once: the embedded store's work is
// Go's, PostGIS's mostly the database's, so they overlap well.
func loadPair(url string, opt ingest.Options) error {
	ctx := context.Background()
	tmp, err := os.MkdirTemp("", "hotspot-parity-")
	if err != nil {
		return err
	}
	schema := "hotspot_test_pair_" + filepath.Base(tmp)[len("hotspot-parity-"):]
	var cleanups []func()
	pair.close = func() {
		for i := len(cleanups) - 1; i >= 0; i-- {
			cleanups[i]()
		}
	}
	cleanups = append(cleanups, func() { os.RemoveAll(tmp) })
	if pair.emb, err = embedded.Open(ctx, tmp, embedded.Options{}); err != nil {
		return err
	}
	cleanups = append(cleanups, func() { pair.emb.Close() }, func() { dropSchema(url, schema) })
	if pair.pg, err = Open(ctx, url, Options{Schema: schema}); err != nil {
		return err
	}
	cleanups = append(cleanups, func() { pair.pg.Close() })
	var wg sync.WaitGroup
	var eerr, perr error
	wg.Go(func() { pair.er, eerr = ingest.Run(ctx, pair.emb, opt) })
	wg.Go(func() { pair.pr, perr = ingest.Run(ctx, pair.pg, opt) })
	wg.Wait()
	if eerr != nil {
		return eerr
	}
	return perr
}

func dropSchema(url, schema string) {
	db, err := sql.Open("postgres", url)
	if err != nil {
		return
	}
	defer db.Close()
	_, _ = db.Exec("DROP SCHEMA IF EXISTS " + pq.QuoteIdentifier(schema) + " CASCADE")
}
