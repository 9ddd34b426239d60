package postgis

import (
	"context"
	"database/sql/driver"
	"strings"
	"testing"
)

// recordCopy keeps what CopyData is given, as lib/pq would send it: each
// call's text and the newline it adds.
type recordCopy struct {
	sent  strings.Builder
	calls int
	max   int
}

func (r *recordCopy) CopyData(_ context.Context, line string) (driver.Result, error) {
	r.sent.WriteString(line) // copied now: send's views are of a reused buffer
	r.sent.WriteByte('\n')
	r.calls++
	r.max = max(r.max, len(line))
	return driver.RowsAffected(0), nil
}

func TestCopySendWholeRowsInChunks(t *testing.T) {
	long := strings.Repeat("x", copyChunk+100)
	for _, tc := range []struct {
		name      string
		rows      []string
		wantCalls int
	}{
		{"one row", []string{"a\tb"}, 1},
		{"small rows", []string{"1\tone", "2\ttwo", "3\t\\N"}, 1},
		{"a row longer than a chunk", []string{"a", long, "b"}, 2},
		{"a newline at the chunk size", []string{strings.Repeat("y", copyChunk), "z"}, 2},
		{"a newline just before it", []string{strings.Repeat("y", copyChunk-1), "z"}, 1},
		{"many rows", manyRows(20000), 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var c copyText
			for _, r := range tc.rows {
				c.b = append(c.b, r...)
				c.b = append(c.b, '\t')
				c.end()
			}
			rec := &recordCopy{}
			cs := &copyStream{ctx: context.Background(), data: rec}
			if err := cs.send(&c); err != nil {
				t.Fatal(err)
			}
			want := strings.Join(tc.rows, "\n") + "\n"
			if got := rec.sent.String(); got != want {
				t.Fatalf("sent %d bytes that differ from the %d encoded", len(got), len(want))
			}
			if tc.wantCalls == 0 && rec.calls < len(want)/(copyChunk+longestRow(tc.rows)+1) {
				t.Errorf("%d CopyData calls for %d bytes: chunks too long", rec.calls, len(want))
			}
			if tc.wantCalls > 0 && rec.calls != tc.wantCalls {
				t.Errorf("%d CopyData calls, want %d", rec.calls, tc.wantCalls)
			}
			if longest := longestRow(tc.rows); rec.max > max(copyChunk+longest, longest) {
				t.Errorf("a call of %d bytes: chunks should stop at the first row end past %d", rec.max, copyChunk)
			}
		})
	}
}

func manyRows(n int) []string {
	rows := make([]string, n)
	for i := range rows {
		rows[i] = strings.Repeat("r", i%97) + "\t" + strings.Repeat("s", i%13)
	}
	return rows
}

func longestRow(rows []string) int {
	n := 0
	for _, r := range rows {
		n = max(n, len(r))
	}
	return n
}
