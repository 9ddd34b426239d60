package ingest

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/leicester-csp/hotspot/geo"
	"github.com/leicester-csp/hotspot/geo/hex"
	"github.com/leicester-csp/hotspot/geo/partner"
)

const testMapping = `{"id": "Ref", "occurred": {"column": "Occurred", "layout": "02/01/2006 15:04"},
 "location": {"x": "Easting", "y": "Northing", "crs": "EPSG:27700"},
 "category": "Type", "location_name": "Street", "flags": {"knife": "Knife"},
 "premises": "Premises ID", "offender": "Offender Ref"}`

const testPartnerCSV = `Ref,Occurred,Easting,Northing,Type,Street,Knife,Premises ID,Offender Ref
A1,02/02/2024 21:15,458700,304300,Street drinking,Gallowtree Gate,y,P1,OFF-SECRET-9
A2,03/02/2024 02:10,458720,304310,Begging,Gallowtree Gate,maybe,P1,OFF-SECRET-9
A3,03/02/2024 02:10,,,Begging,,n,,
`

func writeTestFile(t *testing.T, dir, name, content string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestPartnerRun(t *testing.T) {
	dir := t.TempDir()
	csv := writeTestFile(t, dir, "council.csv", testPartnerCSV)
	prem := writeTestFile(t, dir, "premises.csv", "id,name,kind,easting,northing\nP1,The Crown,licensed,458700,304300\nP2,Bad,nope,1,1\n")
	m, err := partner.ParseMapping([]byte(testMapping))
	if err != nil {
		t.Fatal(err)
	}
	st := openStore(t, filepath.Join(dir, "data"))
	cases := []struct {
		name    string
		p       *Partner
		wantErr error
		want    Result
	}{
		{"no key", &Partner{Source: "council", Mapping: m}, geo.ErrInvalid, Result{}},
		{"reserved source", &Partner{Source: "all", Mapping: m, Key: []byte("k")}, geo.ErrInvalid, Result{}},
		{"bad source", &Partner{Source: "Council!", Mapping: m, Key: []byte("k")}, geo.ErrInvalid, Result{}},
		{"first", &Partner{Source: "council", Mapping: m, Key: []byte("k")}, nil, Result{Read: 4, Imported: 2, Rejected: 2, NoLocation: 1, Files: 1}},
		{"again", &Partner{Source: "council", Mapping: m, Key: []byte("k")}, nil, Result{Read: 4, Duplicates: 2, Rejected: 2, NoLocation: 1, Files: 1}},
		{"other source", &Partner{Source: "bid", Mapping: m, Key: []byte("k")}, nil, Result{Read: 3, Imported: 2, Rejected: 1, NoLocation: 1, Files: 1}},
	}
	for _, tc := range cases {
		opt := Options{Paths: []string{csv}, Partner: tc.p}
		if tc.name == "first" || tc.name == "again" {
			opt.Premises = prem
		}
		res, err := Run(t.Context(), st, opt)
		if !errors.Is(err, tc.wantErr) {
			t.Fatalf("%s: err %v, want %v", tc.name, err, tc.wantErr)
		}
		res.RejectsAt = ""
		if err == nil && res != tc.want {
			t.Errorf("%s: %+v, want %+v", tc.name, res, tc.want)
		}
	}
	p, err := st.Incidents(t.Context(), geo.Filter{Months: geo.MonthRange{From: 0, To: 1 << 20}, Source: "council"}, geo.PageRequest{Limit: 10})
	if err != nil || len(p.Items) != 2 {
		t.Fatalf("council records: %+v, %v", p, err)
	}
	a1 := p.Items[0]
	if a1.Offender == "" || strings.Contains(a1.Offender, "SECRET") || !a1.Flags.Has(geo.Knife) || a1.Premises != "P1" || !a1.HasLocation || a1.Occurred.Hour() != 21 {
		t.Errorf("A1 stored as %+v", a1)
	}
	if ps, _ := st.Premises(t.Context()); len(ps) != 1 || ps[0].Name != "The Crown" || !ps[0].HasLocation {
		t.Errorf("premises %+v", ps)
	}
	rejects, _ := filepath.Glob(filepath.Join(dir, "data", "rejects", "*"))
	for _, r := range rejects {
		b, _ := os.ReadFile(r)
		if strings.Contains(string(b), "SECRET") {
			t.Errorf("%s keeps an offender reference:\n%s", r, b)
		}
		if !strings.Contains(string(b), "council.csv,3,") {
			t.Errorf("%s lacks the rejected row's file and line:\n%s", r, b)
		}
	}
}

// A file longer than a batch comes in file order across batches, rejects
// at their rows, every point with H3's own cells; a send that refuses
// stops the read with the context's error.
func TestPartnerFileBatches(t *testing.T) {
	var b strings.Builder
	b.WriteString("Ref,Occurred,Easting,Northing,Type,Street,Knife,Premises ID,Offender Ref\n")
	n := 2*partnerBatch + 123
	for i := range n {
		knife := "n"
		if i%5000 == 7 {
			knife = "perhaps" // a reject
		}
		fmt.Fprintf(&b, "R%d,02/02/2024 21:15,%d.5,%d.25,Begging,Gate,%s,,\n", i, 455000+i%4000, 300000+(i*7)%5000, knife)
	}
	path := writeTestFile(t, t.TempDir(), "big.csv", b.String())
	m, err := partner.ParseMapping([]byte(testMapping))
	if err != nil {
		t.Fatal(err)
	}
	p := &Partner{Source: "council", Mapping: m, Key: []byte("k")}
	var got []geo.Row
	batches := 0
	err = readPartnerFile(t.Context(), path, p, 0, func(rs []geo.Row, _ func()) bool {
		batches++
		got = append(got, rs...)
		return true
	})
	if err != nil || len(got) != n || batches != 3 {
		t.Fatalf("%d rows in %d batches, err %v; want %d rows in 3", len(got), batches, err, n)
	}
	for i, r := range got {
		switch {
		case i%5000 == 7:
			if r.Reject == nil || r.Reject.Line != i+2 {
				t.Fatalf("row %d: %+v, want the reject of line %d", i, r, i+2)
			}
		case r.Incident == nil || r.Incident.ID != fmt.Sprintf("R%d", i):
			t.Fatalf("row %d: %+v", i, r)
		case r.Incident.Cells != hex.CellsAt(r.Incident.Point):
			t.Fatalf("row %d at %v: cells %x, H3 says %x", i, r.Incident.Point, r.Incident.Cells, hex.CellsAt(r.Incident.Point))
		}
	}
	ctx, cancel := context.WithCancel(t.Context())
	err = readPartnerFile(ctx, path, p, 0, func([]geo.Row, func()) bool { cancel(); return false })
	if !errors.Is(err, context.Canceled) {
		t.Errorf("refused send: err %v, want context.Canceled", err)
	}
}

// Parsing on several cores gives what one reader gives: the same records
// and rejects, at the same lines, in the same order, across batches and
// past the quoted rows where the fast CSV path hands over.
func TestPartnerFileMatchesReader(t *testing.T) {
	var b strings.Builder
	b.WriteString("Ref,Occurred,Easting,Northing,Type,Street,Knife,Premises ID,Offender Ref\n")
	n := partnerBatch + 5000
	for i := range n {
		switch {
		case i%997 == 3:
			fmt.Fprintf(&b, "R%d,31/02/2024 21:15,455000,300000,Begging,Gate,n,,\n", i) // bad time
		case i%1499 == 5:
			fmt.Fprintf(&b, "R%d,02/02/2024 21:15,455000\n", i) // short row
		case i == partnerBatch-2:
			fmt.Fprintf(&b, "R%d,02/02/2024 21:15,455000,300000,\"Beg\"ging,Gate,n,,\n", i) // malformed quote
		case i > partnerBatch:
			fmt.Fprintf(&b, "R%d,02/02/2024 21:15,%d,300000,\"Begging, \"\"loud\"\"\",\"Gate\nRow\",n,P%d,OFF-%d\n", i, 455000+i%3000, i%7, i%11)
		default:
			fmt.Fprintf(&b, "R%d,02/02/2024 21:15,%d.5,%d,Begging,Gate,y,,OFF-%d\n", i, 455000+i%4000, 300000+(i*7)%5000, i%13)
		}
	}
	path := writeTestFile(t, t.TempDir(), "mixed.csv", b.String())
	m, err := partner.ParseMapping([]byte(testMapping))
	if err != nil {
		t.Fatal(err)
	}
	p := &Partner{Source: "council", Mapping: m, Key: []byte("k")}
	var got []geo.Row
	if err := readPartnerFile(t.Context(), path, p, 0, func(rs []geo.Row, _ func()) bool { got = append(got, rs...); return true }); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r, err := partner.NewReader(f, path, m, partner.Options{Key: p.Key})
	if err != nil {
		t.Fatal(err)
	}
	k, rejects := 0, 0
	for ; ; k++ {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if k >= len(got) {
			t.Fatalf("the pipeline stopped after %d rows", len(got))
		}
		var pe *partner.ParseError
		if errors.As(err, &pe) {
			rejects++
			if want := pe.Reject(); got[k].Reject == nil || got[k].Reject.Line != want.Line || got[k].Reject.Reason != want.Reason {
				t.Fatalf("row %d: %+v, want reject %+v", k, got[k], want)
			}
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		want := rec.Incident()
		want.Source = "council"
		if g := got[k].Incident; g == nil || g.Incident != want || g.Cells != hex.CellsAt(want.Point) {
			t.Fatalf("row %d: %+v, want %+v", k, got[k].Incident, want)
		}
	}
	if k != len(got) || rejects < 10 {
		t.Errorf("%d rows from the pipeline, %d from the reader (%d rejects)", len(got), k, rejects)
	}
}

// Released batches are reused for later ones: what a consumer read before
// it released a batch is what a consumer that never releases reads, so
// no batch is overwritten while it is still being read. Rows vary in
// every field (streets, premises, offenders, flags, blank points) so that
// a record that kept a field of the one before it in the same memory
// would show.
func TestPartnerFileReleasedBatches(t *testing.T) {
	// Small batches: the parsers' free lists are reused after a few, and
	// under the race detector 115,000 rows took 14 s.
	defer func(n int) { partnerBatch = n }(partnerBatch)
	partnerBatch = 512
	var b strings.Builder
	b.WriteString("Ref,Occurred,Easting,Northing,Type,Street,Knife,Premises ID,Offender Ref\n")
	n := 7*partnerBatch + 45
	for i := range n {
		e, no := fmt.Sprintf("%d.5", 455000+i%4000), fmt.Sprintf("%d.25", 300000+(i*7)%5000)
		if i%97 == 0 {
			e, no = "", ""
		}
		knife := []string{"y", "n", "", "perhaps"}[i%4]
		fmt.Fprintf(&b, "R%d,%02d/02/2024 %02d:15,%s,%s,Type %d,Street %d,%s,P%d,OFF-%d\n",
			i, 1+i%28, i%24, e, no, i%9, i%1000, knife, i%13, i%5000)
	}
	path := writeTestFile(t, t.TempDir(), "big.csv", b.String())
	m, err := partner.ParseMapping([]byte(testMapping))
	if err != nil {
		t.Fatal(err)
	}
	p := &Partner{Source: "council", Mapping: m, Key: []byte("k")}
	read := func(release bool) []rowValue {
		var out []rowValue
		err := readPartnerFile(t.Context(), path, p, 0, func(rs []geo.Row, done func()) bool {
			for _, r := range rs {
				out = append(out, valueOf(r))
			}
			if release {
				done()
			}
			return true
		})
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	kept, released := read(false), read(true)
	if len(kept) != n || len(released) != n {
		t.Fatalf("%d and %d rows, want %d", len(kept), len(released), n)
	}
	for i := range kept {
		if fmt.Sprintf("%+v", kept[i]) != fmt.Sprintf("%+v", released[i]) {
			t.Fatalf("row %d: released batches gave\n%+v\nwant\n%+v", i, released[i], kept[i])
		}
	}
}
