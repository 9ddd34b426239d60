package ingest

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/leicester-csp/hotspot/geo"
	"github.com/leicester-csp/hotspot/geo/store/embedded"
	"github.com/leicester-csp/hotspot/internal/shareddata"
)

func openStore(t testing.TB, dir string) *embedded.Store {
	t.Helper()
	st, err := embedded.Open(t.Context(), dir, embedded.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// TestSharedData imports the 22 real months with the ward boundaries and
// population and checks the figures SOURCES.md gives.
func TestSharedData(t *testing.T) {
	data := shareddata.ReadsMonths(t)
	if testing.Short() {
		t.Skip("imports 200,775 rows")
	}
	st := openStore(t, t.TempDir())
	opt := Options{
		Paths:      []string{filepath.Join(data, "police_leicestershire_street")},
		Boundaries: []string{filepath.Join(data, "boundaries_leicester", "leicester_wards_WD20_BGC.geojson")},
		Population: filepath.Join(data, "leicester_city_council", "leicester_ward_population_2022.csv"),
	}
	res, err := Run(t.Context(), st, opt)
	if err != nil {
		t.Fatal(err)
	}
	want := Result{Read: 200775, Imported: 200775, NoLocation: 6419, Files: 22, Areas: 21}
	if res != want {
		t.Fatalf("first import = %+v\nwant %+v", res, want)
	}

	oct := geo.NewMonth(2024, 10)
	wc, err := st.WardCounts(t.Context(), geo.Filter{Months: geo.MonthRange{From: oct, To: oct}})
	if err != nil {
		t.Fatal(err)
	}
	wards, _ := st.Areas(t.Context(), geo.KindWard)
	byName := map[string]int{}
	total := 0
	for _, w := range wards {
		byName[w.Name] = wc[w.Code]
		total += wc[w.Code]
	}
	if total != 4342 {
		t.Errorf("2024-10 points inside the wards = %d, want 4,342", total)
	}
	for name, n := range map[string]int{
		"Castle": 1027, "Braunstone Park & Rowley Fields": 313, "Abbey": 310, "Westcotes": 263,
		"Saffron": 235, "Western": 210, "Beaumont Leys": 206, "Humberstone & Hamilton": 198,
		"Fosse": 157, "Evington": 155, "Stoneygate": 154, "Eyres Monsell": 154, "Thurncourt": 134,
		"Belgrave": 118, "Aylestone": 113, "Knighton": 110, "North Evington": 108, "Wycliffe": 104,
		"Rushey Mead": 101, "Troon": 93, "Spinney Hills": 79,
	} {
		if byName[name] != n {
			t.Errorf("2024-10 %s = %d, want %d", name, byName[name], n)
		}
	}
	pop, _ := st.Population(t.Context())
	if pop["E05010463"] == 0 {
		t.Errorf("population of Castle missing: %v", pop)
	}

	v, _ := st.Version(t.Context())
	res, err = Run(t.Context(), st, Options{Paths: opt.Paths})
	if err != nil {
		t.Fatal(err)
	}
	want = Result{Read: 200775, Duplicates: 200775, NoLocation: 6419, Files: 22}
	if res != want {
		t.Errorf("second import = %+v\nwant %+v", res, want)
	}
	if v2, _ := st.Version(t.Context()); v2 != v {
		t.Errorf("a re-import changed the store: version %s → %s", v, v2)
	}
}

const header = "Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,Crime type,Last outcome category,Context\n"

func writeFile(t *testing.T, dir, name, body string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestRun(t *testing.T) {
	good := header +
		"aaa,2024-01,P,P,-1.13,52.63,On or near A,E01,L 001A,Robbery,Under investigation,\n" +
		",2024-01,P,P,-1.13,52.63,On or near A,E01,L 001A,Anti-social behaviour,,\n" +
		",2024-01,P,P,-1.13,52.63,On or near A,E01,L 001A,Anti-social behaviour,,\n" +
		"bbb,2024-01,P,P,,,No Location,,,Drugs,Under investigation,\n"
	bad := header +
		"ccc,2024-13,P,P,-1.13,52.63,On or near A,E01,L 001A,Robbery,,\n" +
		"ddd,2024-01,P,P,-1.13,,On or near A,E01,L 001A,Robbery,,\n"
	tests := []struct {
		name    string
		files   map[string]string
		paths   func(dir string) []string
		want    Result
		wantErr error
	}{
		{
			name:  "a file, identical ASB rows kept apart, no location counted",
			files: map[string]string{"2024-01-test-street.csv": good},
			paths: func(d string) []string { return []string{filepath.Join(d, "2024-01-test-street.csv")} },
			want:  Result{Read: 4, Imported: 4, NoLocation: 1, Files: 1},
		},
		{
			name:  "a folder with a bad file among good ones",
			files: map[string]string{"2024-01-a-street.csv": good, "2024-02-b-street.csv": bad, "notes.txt": "x"},
			paths: func(d string) []string { return []string{d} },
			want:  Result{Read: 6, Imported: 4, Rejected: 2, NoLocation: 1, Files: 2},
		},
		{
			name:    "every row rejected",
			files:   map[string]string{"2024-02-b-street.csv": bad},
			paths:   func(d string) []string { return []string{d} },
			want:    Result{Read: 2, Rejected: 2, Files: 1},
			wantErr: ErrAllRejected,
		},
		{
			name:    "missing path",
			paths:   func(d string) []string { return []string{filepath.Join(d, "nope.csv")} },
			wantErr: os.ErrNotExist,
		},
		{
			name:    "folder without CSVs",
			files:   map[string]string{"readme.txt": "x"},
			paths:   func(d string) []string { return []string{d} },
			wantErr: geo.ErrInvalid,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			in := t.TempDir()
			for name, body := range tc.files {
				writeFile(t, in, name, body)
			}
			st := openStore(t, t.TempDir())
			res, err := Run(t.Context(), st, Options{Paths: tc.paths(in)})
			if !errors.Is(err, tc.wantErr) {
				t.Fatalf("err = %v, want %v", err, tc.wantErr)
			}
			res.RejectsAt = ""
			if res != tc.want {
				t.Errorf("result = %+v, want %+v", res, tc.want)
			}
		})
	}
}

func TestUnreadableFileAbortsRun(t *testing.T) {
	in := t.TempDir()
	writeFile(t, in, "2024-01-a-street.csv", header+"aaa,2024-01,P,P,-1.13,52.63,A,E01,L,Robbery,,\n")
	// A header without the required columns makes the whole file unreadable.
	writeFile(t, in, "2024-02-b-street.csv", "foo,bar\n1,2\n")
	st := openStore(t, t.TempDir())
	_, err := Run(t.Context(), st, Options{Paths: []string{in}})
	if err == nil || !strings.Contains(err.Error(), "2024-02-b-street.csv") {
		t.Fatalf("err = %v, want an error naming the bad file", err)
	}
	if ms, _ := st.Months(t.Context()); len(ms) != 0 {
		t.Errorf("a failed run stored months %v", ms)
	}
}

// A bad first file among more files than the readers hold at once must
// end the run promptly, not leave readers blocked forever.
func TestBadFileAmongManyEndsRun(t *testing.T) {
	in := t.TempDir()
	writeFile(t, in, "2024-01-a-street.csv", "") // empty: no header
	for m := 2; m <= 9; m++ {
		writeFile(t, in, fmt.Sprintf("2024-%02d-a-street.csv", m), header+fmt.Sprintf("c%d,2024-%02d,P,P,-1.13,52.63,A,E01,L,Robbery,,\n", m, m))
	}
	st := openStore(t, t.TempDir())
	done := make(chan error, 1)
	go func() {
		_, err := Run(t.Context(), st, Options{Paths: []string{in}, Workers: 2})
		done <- err
	}()
	select {
	case err := <-done:
		if err == nil || !strings.Contains(err.Error(), "2024-01-a-street.csv") {
			t.Errorf("err = %v, want one naming the empty file", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the run hangs after a bad file")
	}
	if ms, _ := st.Months(t.Context()); len(ms) != 0 {
		t.Errorf("a failed run stored months %v", ms)
	}
}

func BenchmarkIngestShared(b *testing.B) {
	data := shareddata.Dir(b)
	opt := Options{
		Paths:      []string{filepath.Join(data, "police_leicestershire_street")},
		Boundaries: []string{filepath.Join(data, "boundaries_leicester", "leicester_wards_WD20_BGC.geojson")},
	}
	b.Run("empty", func(b *testing.B) {
		b.ReportAllocs()
		var rows int
		for b.Loop() {
			b.StopTimer()
			st := openStore(b, b.TempDir())
			b.StartTimer()
			res, err := Run(b.Context(), st, opt)
			if err != nil {
				b.Fatal(err)
			}
			rows = res.Read
		}
		b.ReportMetric(float64(rows)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
	})
	b.Run("reimport", func(b *testing.B) {
		st := openStore(b, b.TempDir())
		if _, err := Run(b.Context(), st, opt); err != nil {
			b.Fatal(err)
		}
		b.ReportAllocs()
		var rows int
		for b.Loop() {
			res, err := Run(b.Context(), st, opt)
			if err != nil {
				b.Fatal(err)
			}
			rows = res.Read
		}
		b.ReportMetric(float64(rows)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
	})
}
