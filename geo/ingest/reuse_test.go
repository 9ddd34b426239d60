package ingest

import (
	"fmt"
	"io"
	"os"
	"reflect"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/leicester-csp/hotspot/geo"
	"github.com/leicester-csp/hotspot/geo/hex"
	"github.com/leicester-csp/hotspot/geo/policeuk"
)

// Police.uk files are read into memory that earlier files' rows held once
// they were yielded, and their texts are interned in a table that outlives
// each file. Every row must still be what reading its file alone gives:
// nothing of an earlier file's row (a location, cells, a context) may show
// through, whichever way the files' sizes, rejects and located rows fall.
func TestPoliceFilesReuseMemory(t *testing.T) {
	dir := t.TempDir()
	var files []string
	for f, n := range []int{40, 300, 25, 310, 2, 290, 0, 500} {
		var b strings.Builder
		b.WriteString(header)
		for i := range n {
			switch {
			case (i+f)%11 == 0: // no location: nothing of a located row before it
				fmt.Fprintf(&b, "f%dr%d,2024-%02d,P%d,P,,,No Location,,,Drugs,,\n", f, i, 1+f, f)
			case (i+f)%13 == 0: // a reject among the rows
				fmt.Fprintf(&b, "f%dr%d,2024-13,P,P,-1.13,52.63,On or near A,E01,L 001A,Robbery,,\n", f, i)
			default:
				fmt.Fprintf(&b, "f%dr%d,2024-%02d,P%d,P,%.4f,52.6%d,On or near Street %d,E0%d,L %03dA,Robbery,Outcome %d,Context %d\n",
					f, i, 1+f, f, -1.1-float64(i%17)/1000, i%7, (i*f)%23, i%5, i%9, f, i%3)
			}
		}
		files = append(files, writeFile(t, dir, fmt.Sprintf("2024-%02d-t-street.csv", f+1), b.String()))
	}

	var want []rowValue
	for _, path := range files {
		f, err := os.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		r := policeuk.NewReader(f, path)
		for {
			var v rowValue
			err := r.ReadInto(&v.inc.Incident)
			if err == io.EOF {
				break
			}
			if pe, ok := err.(*policeuk.ParseError); ok {
				want = append(want, rowValue{rej: pe.Reject()})
				continue
			}
			if err != nil {
				t.Fatal(err)
			}
			if v.inc.HasLocation {
				v.inc.Cells = hex.CellsAt(v.inc.Point)
			}
			want = append(want, v)
		}
		f.Close()
	}

	for _, workers := range []int{1, 2} {
		var read, noLoc atomic.Int64
		var got []rowValue
		for r, err := range rows(t.Context(), files, Options{Workers: workers}, &read, &noLoc) {
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, valueOf(r))
		}
		if len(got) != len(want) {
			t.Fatalf("workers %d: %d rows, want %d", workers, len(got), len(want))
		}
		for i := range want {
			if !reflect.DeepEqual(got[i], want[i]) {
				t.Fatalf("workers %d: row %d\n got %+v\nwant %+v", workers, i, got[i], want[i])
			}
		}
	}
}

// A released batch too small for the next file is let go, and one behind
// it that fits is reused: files of very different lengths keep their
// memory.
func TestBatchMemsSkipsSmallBatches(t *testing.T) {
	mem := newBatchMems(2)
	small := batchMem{rows: make([]geo.Row, 0, 10), slab: make([]geo.Located, 0, 10)}
	big := batchMem{rows: make([]geo.Row, 0, 100), slab: make([]geo.Located, 0, 100)}
	mem.put(small)
	mem.put(big)
	got := mem.get(50)
	if cap(got.slab) != 100 || &got.slab[:1][0] != &big.slab[:1][0] || &got.rows[:1][0] != &big.rows[:1][0] {
		t.Fatalf("get(50) gave a batch of %d records, not the released one of 100", cap(got.slab))
	}
	if fresh := mem.get(5); cap(fresh.slab) != 5 {
		t.Fatalf("get(5) on an empty free list gave %d records, want a new batch of 5", cap(fresh.slab))
	}
}

// rowValue is a row's incident and reject by value: what a store may
// keep of it once the next row is read.
type rowValue struct {
	inc geo.Located
	rej geo.Reject
}

func valueOf(r geo.Row) rowValue {
	var v rowValue
	if r.Incident != nil {
		v.inc = *r.Incident
	}
	if r.Reject != nil {
		v.rej = *r.Reject
	}
	return v
}
