package api

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/paulmach/orb"

	"github.com/leicester-csp/hotspot/geo"
	"github.com/leicester-csp/hotspot/geo/analysis"
	"github.com/leicester-csp/hotspot/geo/hex"
	"github.com/leicester-csp/hotspot/geo/store/embedded"
)

// The fixture: three square wards in central Leicester, Castle among
// them, and four dozen incidents over ten months (2022-12 to 2024-03,
// with gaps), some without location and some outside every ward.
const (
	codeCastle    = "E05000001"
	codeWestcotes = "E05000002"
	codeAbbey     = "E05000003"
)

func square(x0, y0, x1, y1 float64) orb.MultiPolygon {
	return orb.MultiPolygon{{{{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}, {x0, y0}}}}
}

func fixtureWards() []geo.Area {
	return []geo.Area{
		{Kind: geo.KindWard, Code: codeCastle, Name: "Castle", Geometry: square(-1.140, 52.630, -1.130, 52.636)},
		{Kind: geo.KindWard, Code: codeWestcotes, Name: "Westcotes", Geometry: square(-1.150, 52.630, -1.140, 52.636)},
		{Kind: geo.KindWard, Code: codeAbbey, Name: "Abbey", Geometry: square(-1.140, 52.636, -1.130, 52.642)},
	}
}

// Abbey's population is unknown, so its rate is null.
func fixturePopulation() map[string]int {
	return map[string]int{codeCastle: 10000, codeWestcotes: 5000}
}

var (
	fixtureMonths = []string{"2022-12", "2023-01", "2023-03", "2023-05", "2023-08", "2023-10", "2023-12", "2024-01", "2024-02", "2024-03"}
	fixtureCats   = []string{"Anti-social behaviour", "Violence and sexual offences", "Shoplifting", "Burglary", "Robbery"}
	// Points strictly inside the wards; Castle's first three lie close
	// together so that Gi* has a hotspot to find.
	fixturePoints = []orb.Point{
		{-1.1352, 52.6331}, {-1.1349, 52.6333}, {-1.1351, 52.6329}, // Castle
		{-1.1381, 52.6348}, {-1.1321, 52.6312}, // Castle
		{-1.1455, 52.6322}, {-1.1418, 52.6351}, // Westcotes
		{-1.1365, 52.6392}, {-1.1333, 52.6377}, // Abbey
	}
	outside = orb.Point{-1.2000, 52.6000}
)

// fixtureIncidents is deterministic: incident i takes month, category and
// point by index, every 11th has no location, every 13th lies outside.
func fixtureIncidents() []*geo.Located {
	var out []*geo.Located
	prefixes := "abcX" // "X…" sorts before lower case byte-wise
	for i := range 48 {
		m, err := geo.ParseMonth(fixtureMonths[(i*7)%len(fixtureMonths)])
		if err != nil {
			panic(err)
		}
		l := &geo.Located{Incident: geo.Incident{
			ID: fmt.Sprintf("%c%03d", prefixes[i%4], i), Month: m,
			ReportedBy: "Leicestershire Police", FallsWithin: "Leicestershire Police",
			Location: fmt.Sprintf("On or near Street %d & Lane", i%9), LSOACode: "E01000001", LSOAName: "Leicester 001A",
			Category: fixtureCats[i%len(fixtureCats)], Outcome: "Under investigation",
		}}
		switch {
		case i%11 == 5:
			l.Location = "No Location"
		case i%13 == 7:
			l.HasLocation, l.Point = true, outside
		default:
			l.HasLocation, l.Point = true, fixturePoints[(i*5)%len(fixturePoints)]
		}
		if l.HasLocation {
			l.Cells = hex.CellsAt(l.Point)
		}
		out = append(out, l)
	}
	return out
}

// wardOf returns the fixture ward code containing p, or "".
func wardOf(p orb.Point) string {
	for _, w := range fixtureWards() {
		if w.Geometry.Bound().Contains(p) {
			return w.Code
		}
	}
	return ""
}

// cellText is a valid cell at any H3 resolution, inside Castle.
func cellText(res int) string { return hex.String(hex.CellAt(fixturePoints[0], res)) }

// populationOnly is the smallest import that changes the data version.
func populationOnly() geo.ImportInput {
	return geo.ImportInput{Population: map[string]int{codeAbbey: 7000}}
}

type fixture struct {
	srv   *Server
	store *embedded.Store
	logs  *bytes.Buffer
	dir   string
}

func newFixture(tb testing.TB, mod ...func(*Config)) *fixture {
	tb.Helper()
	ctx := tb.Context()
	dir := tb.TempDir()
	st, err := embedded.Open(ctx, dir, embedded.Options{})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { st.Close() })
	incs := fixtureIncidents()
	rows := func(yield func(geo.Row, error) bool) {
		for _, l := range incs {
			if !yield(geo.Row{Incident: l}, nil) {
				return
			}
		}
	}
	in := geo.ImportInput{Areas: fixtureWards(), Population: fixturePopulation(), Rows: rows}
	if _, err := st.Import(ctx, in); err != nil {
		tb.Fatal(err)
	}
	logs := &bytes.Buffer{}
	cfg := Config{
		Store:    st,
		Analyzer: analysis.New(st, geo.BuiltinPriorities()),
		Logger:   slog.New(slog.NewJSONHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
	}
	for _, m := range mod {
		m(&cfg)
	}
	return &fixture{srv: New(cfg), store: st, logs: logs, dir: dir}
}

// reopen opens the fixture's data as another process would.
func (f *fixture) reopen(tb testing.TB) *embedded.Store {
	tb.Helper()
	st, err := embedded.Open(tb.Context(), f.dir, embedded.Options{})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { st.Close() })
	return st
}

// do runs one request; headers alternate names and values.
func (f *fixture) do(tb testing.TB, method, target string, headers ...string) *http.Response {
	tb.Helper()
	req := httptest.NewRequestWithContext(tb.Context(), method, target, nil)
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	rec := httptest.NewRecorder()
	f.srv.ServeHTTP(rec, req)
	return rec.Result()
}

func (f *fixture) get(tb testing.TB, target string, headers ...string) (*http.Response, []byte) {
	tb.Helper()
	resp := f.do(tb, http.MethodGet, target, headers...)
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		tb.Fatal(err)
	}
	return resp, body
}

// getJSON fetches target, checks the status and decodes the body.
func (f *fixture) getJSON(tb testing.TB, target string, wantStatus int) map[string]any {
	tb.Helper()
	resp, body := f.get(tb, target)
	if resp.StatusCode != wantStatus {
		tb.Fatalf("GET %s: status %d, want %d; body %s", target, resp.StatusCode, wantStatus, body)
	}
	var v map[string]any
	if err := json.Unmarshal(body, &v); err != nil {
		tb.Fatalf("GET %s: body is not a JSON object: %v\n%s", target, err, body)
	}
	return v
}

// Small accessors over decoded JSON; a wrong shape fails the test.
func obj(tb testing.TB, v any) map[string]any {
	tb.Helper()
	m, ok := v.(map[string]any)
	if !ok {
		tb.Fatalf("%v (%T) is not an object", v, v)
	}
	return m
}

func arr(tb testing.TB, v any) []any {
	tb.Helper()
	a, ok := v.([]any)
	if !ok {
		tb.Fatalf("%v (%T) is not an array", v, v)
	}
	return a
}

func num(tb testing.TB, v any) float64 {
	tb.Helper()
	f, ok := v.(float64)
	if !ok {
		tb.Fatalf("%v (%T) is not a number", v, v)
	}
	return f
}
