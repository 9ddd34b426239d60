package csvin

import (
	"fmt"
	"io"
	"strings"
	"testing"
)

// readAll reads every row of in as a reader does, writing down each
// record, error and line, with the fast path (its records borrowed or
// not) or without it.
func readAll(in string, fast, borrow bool) string {
	r := New(strings.NewReader(in), "f.csv")
	r.fast.never = !fast
	if borrow {
		r.Borrow()
	}
	var b strings.Builder
	hdr, err := r.Header()
	fmt.Fprintf(&b, "header %q %v line %d\n", hdr, err, r.Line())
	if err != nil {
		return b.String()
	}
	for range 10000 {
		rec, err := r.Next()
		if err == io.EOF {
			break
		}
		if me := AsMalformed(err); me != nil {
			fmt.Fprintf(&b, "malformed line %d %q %q %v\n", me.Line, me.Reason, me.Raw, me.Err)
			continue
		}
		if err != nil {
			fmt.Fprintf(&b, "fatal %v\n", err)
			break
		}
		fmt.Fprintf(&b, "line %d %q\n", r.Line(), rec)
	}
	return b.String()
}

var fastCases = []string{
	"a,b,c\n1,2,3\n4,5,6\n",
	"a,b,c\r\n1,2,3\r\n4,5,6\r\n",
	"\xef\xbb\xbfa,b\n1,2\n",
	"a,b\n1,2\n\n\r\n3,4\n",
	"a,b\n1,2\n3,4",
	"a,b\n1,2\n3,4\r",
	"a,b\n1,\"x,y\"\n3,4\n5,6\n",
	"a,b\n1,2\n3,\"x\ny\"\n5,6\n",
	"a,b\n1,2\n3,x\"y\n5,6\n",
	"a,b\n1,2\n3,\"x\"y\n5,6\n",
	"a,b\n1,2\n3,\"never closed\n5,6\n",
	"\"a\nb\",c\n1,2\n3,\"q\"\n4,x\"\n",
	"a,b\n1,2,3\n\n,\n,,\n\r\r\n x , y \n",
	"a\n\"\"\n1\n",
	"a,b\n" + strings.Repeat("x", 70000) + ",1\n2,3\n",
	"",
	"\n\n",
}

func TestFastRowsMatchEncodingCSV(t *testing.T) {
	// Lines enough to refill the buffer many times, which moves what a
	// borrowed record points at.
	var long strings.Builder
	long.WriteString("id,text\n")
	for i := range 20000 {
		fmt.Fprintf(&long, "%d,row %d of many\n", i, i)
	}
	for _, in := range append(fastCases, long.String()) {
		want := readAll(in, false, false)
		for _, borrow := range []bool{false, true} {
			if got := readAll(in, true, borrow); got != want {
				t.Errorf("input %.60q, borrowed %v:\nfast path:\n%.2000s\nencoding/csv:\n%.2000s", in, borrow, got, want)
			}
		}
	}
}

// FuzzFastRows checks that the fast path gives the same records, lines,
// rejects and errors as encoding/csv alone, for any input.
func FuzzFastRows(f *testing.F) {
	for _, in := range fastCases {
		f.Add(in)
	}
	f.Fuzz(func(t *testing.T, in string) {
		want := readAll(in, false, false)
		for _, borrow := range []bool{false, true} {
			if got := readAll(in, true, borrow); got != want {
				t.Errorf("input %q, borrowed %v:\nfast path:\n%s\nencoding/csv:\n%s", in, borrow, got, want)
			}
		}
	})
}
