package csvin

import (
	"bytes"
	"strings"
	"unsafe"
)

// A fast path for the rows of most files: police.uk's and the partner
// exports seen so far quote nothing, and encoding/csv's general parser
// (copying every field into its record buffer, keeping every field's
// position) was the largest part of splitting them. While each line met is
// complete in the buffer and holds no quote, Rows splits it at commas by
// hand, which gives exactly the fields encoding/csv gives such a line. At
// the first line that does not qualify (a quote, a line longer than the
// buffer, the last line without a newline) Rows hands the rest of the file
// to encoding/csv for good, so every quoting rule and error stays
// encoding/csv's own. FuzzFastRows checks the two agree on any input.

// fastState is the fast path's part of Rows.
type fastState struct {
	never bool     // never use it (the tests' reference reader)
	on    bool     // the fast path reads the next line
	next  int      // the line number of the next line, while on
	off   int      // lines the fast path read: encoding/csv's numbers + off are the file's
	rec   []string // reused, as encoding/csv reuses its record
	// borrow lends the record's strings out of the read buffer (Borrow).
	borrow bool
}

// Borrow makes the fast path's records share the reader's buffer instead
// of copying each line into a string of its own: a record's strings are
// then valid only until the next call to Record, and a caller keeps what
// it needs by copying it. The police.uk reader keeps a row's ID (copied)
// and interned texts only, so the copy of every whole line was garbage
// at once: a sixth of an import's CPU, with the page faults of its
// fresh memory. Records encoding/csv reads are never borrowed.
func (r *Rows) Borrow() { r.fast.borrow = true }

// startFast turns the fast path on after the header, whose last field
// ends on line end.
func (r *Rows) startFast(end int) {
	r.fast.on, r.fast.next = !r.fast.never, end+1
}

// headerEnd is the line where the record just read by encoding/csv ends:
// where its last field starts, plus the line breaks inside that field.
func (r *Rows) headerEnd(rec []string) int {
	last := len(rec) - 1
	line, _ := r.csv.FieldPos(last)
	return line + strings.Count(rec[last], "\n")
}

// fastRecord returns the next record when the fast path can read it;
// false hands this record, and every later one, to encoding/csv.
func (r *Rows) fastRecord() ([]string, bool) {
	for r.fast.on {
		buf, _ := r.src.Peek(r.src.Buffered())
		i := bytes.IndexByte(buf, '\n')
		if i < 0 {
			// Fill the buffer and look again; a line that does not fit,
			// or a last line without a newline, goes to encoding/csv.
			if buf, _ = r.src.Peek(r.src.Size()); bytes.IndexByte(buf, '\n') < 0 {
				break
			}
			continue
		}
		line := buf[:i]
		if bytes.IndexByte(line, '"') >= 0 {
			break
		}
		// encoding/csv reads "\r\n" as "\n".
		if n := len(line); n > 0 && line[n-1] == '\r' {
			line = line[:n-1]
		}
		r.line = r.fast.next
		r.fast.next++
		if len(line) == 0 { // blank lines are skipped, as encoding/csv does
			_, _ = r.src.Discard(i + 1)
			continue
		}
		var s string
		if r.fast.borrow {
			// Valid until the next read refills or moves the buffer.
			s = unsafe.String(&line[0], len(line))
		} else {
			s = string(line)
		}
		_, _ = r.src.Discard(i + 1)
		rec := r.fast.rec[:0]
		for {
			j := strings.IndexByte(s, ',')
			if j < 0 {
				break
			}
			rec = append(rec, s[:j])
			s = s[j+1:]
		}
		rec = append(rec, s)
		r.fast.rec = rec
		return rec, true
	}
	if r.fast.on {
		r.fast.on = false
		r.fast.off = r.fast.next - 1 - r.headerLine
	}
	return nil, false
}
