// Package csvin is the CSV machinery shared by the project's file readers
// (police.uk, partner records, the premises register): one header, then
// rows that are read one at a time, where a malformed row is reported and
// skipped and only what leaves nothing sensible to read ends the file.
//
// The rules it carries for every reader (DESIGN.md, "Imports"):
//   - a UTF-8 byte order mark before the header is dropped;
//   - a quote error inside a row rejects that row only (encoding/csv
//     resumes at the next line);
//   - a quoted field still open at the end of the file refuses the file,
//     naming the line where it opened, because every row after the quote
//     was swallowed into one field and would otherwise be lost unseen;
//   - a field may hold at most MaxField bytes of UTF-8 text without NUL
//     (Storable), so both stores keep the same rows.
package csvin

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/leicester-csp/hotspot/geo"
)

// MaxField is the longest a field may be (DESIGN.md: 64 KiB).
const MaxField = 64 << 10

var utf8BOM = []byte{0xEF, 0xBB, 0xBF}

// Malformed is a row that is not valid CSV. The rows after it can still be
// read.
type Malformed struct {
	Line   int    // physical line where the row starts
	Reason string // says where and what, for the reject
	Raw    []string
	Err    error // wraps geo.ErrInvalid and the *csv.ParseError
}

func (e *Malformed) Error() string { return e.Reason }

func (e *Malformed) Unwrap() error { return e.Err }

// AsMalformed returns err as a *Malformed, or nil. Callers use it rather
// than errors.As on every row: the target variable errors.As needs would
// move to the heap, an allocation per row.
func AsMalformed(err error) *Malformed {
	if err == nil {
		return nil
	}
	var me *Malformed
	if errors.As(err, &me) {
		return me
	}
	return nil
}

// Rows reads the records of one CSV file. It is not safe for concurrent
// use.
type Rows struct {
	name string
	src  *bufio.Reader
	csv  *csv.Reader
	line int

	started bool  // Record has read the header
	err     error // a fatal error, returned by every later Record

	fast       fastState
	headerLine int // where the header ends, in encoding/csv's numbering
}

// New reads CSV from r; name (usually the file path) prefixes fatal
// errors.
func New(r io.Reader, name string) *Rows {
	// One bufio.Reader serves both the BOM check and encoding/csv, which
	// reuses a large enough *bufio.Reader instead of wrapping it again.
	src := bufio.NewReaderSize(r, 64<<10)
	c := csv.NewReader(src)
	c.FieldsPerRecord = -1 // a row of the wrong length is a reject, not a csv error
	c.LazyQuotes = false
	c.ReuseRecord = true
	return &Rows{name: name, src: src, csv: c}
}

// Line returns the line where the record last returned starts (1-based).
func (r *Rows) Line() int { return r.line }

// Header reads the first record. An empty file gives io.EOF, which the
// caller words naming what it expected; other errors name the file.
func (r *Rows) Header() ([]string, error) {
	// The BOM is dropped before encoding/csv sees it: left in place it
	// would make a quoted first header name a bare-quote error.
	if b, err := r.src.Peek(len(utf8BOM)); err == nil && bytes.Equal(b, utf8BOM) {
		_, _ = r.src.Discard(len(utf8BOM))
	}
	rec, err := r.csv.Read()
	if err == io.EOF {
		return nil, io.EOF
	}
	if err != nil {
		var ce *csv.ParseError
		if errors.As(err, &ce) {
			return nil, fmt.Errorf("%s: %w: header: %w", r.name, geo.ErrInvalid, err)
		}
		return nil, fmt.Errorf("%s: reading header: %w", r.name, err)
	}
	r.line, _ = r.csv.FieldPos(0)
	if len(rec) > 0 {
		r.headerLine = r.headerEnd(rec)
		r.startFast(r.headerLine)
	}
	return slices.Clone(rec), nil
}

// Next returns the next record, valid until the following call. At the end
// of the file it returns io.EOF; a malformed row gives a *Malformed and
// the caller may call Next again; any other error is fatal for the file.
func (r *Rows) Next() ([]string, error) {
	if rec, ok := r.fastRecord(); ok {
		return rec, nil
	}
	rec, err := r.csv.Read()
	if err == nil {
		r.line, _ = r.csv.FieldPos(0)
		r.line += r.fast.off
		return rec, nil
	}
	if err == io.EOF {
		return nil, io.EOF
	}
	var ce *csv.ParseError
	if errors.As(err, &ce) {
		// Lines the fast path read are not in encoding/csv's count.
		ce.StartLine += r.fast.off
		ce.Line += r.fast.off
	}
	// Quote errors end only the record they occur in; encoding/csv
	// resumes at the next line.
	if errors.As(err, &ce) && errors.Is(ce.Err, csv.ErrQuote) && r.atEOF() {
		// A quote opened and never closed swallows every row after it
		// into one field: refuse the file rather than lose them.
		return nil, fmt.Errorf("%s: %w: the quoted field opened on line %d is never closed; every row after it would be lost",
			r.name, geo.ErrInvalid, ce.StartLine)
	}
	if errors.As(err, &ce) && (errors.Is(ce.Err, csv.ErrBareQuote) || errors.Is(ce.Err, csv.ErrQuote)) {
		r.line = ce.StartLine
		return nil, &Malformed{
			Line:   ce.StartLine,
			Reason: fmt.Sprintf("malformed CSV at line %d, column %d: %v", ce.Line, ce.Column, ce.Err),
			Raw:    slices.Clone(rec),
			Err:    fmt.Errorf("%w: %w", geo.ErrInvalid, err),
		}
	}
	return nil, fmt.Errorf("%s: %w", r.name, err)
}

// Record is Next for a record reader: on the first call it reads the
// header through header (the caller's own, which calls Header); a fatal
// error, the header's included, is returned again by every later call; a
// *Malformed row is not fatal and the caller may read on.
func (r *Rows) Record(header func() error) ([]string, error) {
	if r.err != nil {
		return nil, r.err
	}
	if !r.started {
		r.started = true
		if err := header(); err != nil {
			r.err = err
			return nil, err
		}
	}
	rec, err := r.Next()
	if err != nil && AsMalformed(err) == nil {
		r.err = err
	}
	return rec, err
}

// atEOF reports whether the file has no more bytes.
func (r *Rows) atEOF() bool {
	_, err := r.src.Peek(1)
	return err == io.EOF
}

// Storable reports whether s is text both stores keep as it is: valid
// UTF-8 without NUL (PostgreSQL refuses either) and at most MaxField
// bytes. The reason, when not, names no part of s, so it is safe for a
// field that must never be shown.
func Storable(s string) (ok bool, reason string) {
	if !utf8.ValidString(s) || strings.IndexByte(s, 0) >= 0 {
		return false, "holds bytes that are not UTF-8 text"
	}
	if len(s) > MaxField {
		return false, fmt.Sprintf("is %d bytes, over the %d a field may hold", len(s), MaxField)
	}
	return true, ""
}

// IsDecimal reports whether s is made only of the characters of a decimal
// number with optional sign and exponent; strconv.ParseFloat checks the
// grammar. It keeps out what ParseFloat would also take — hex floats,
// "Inf", "NaN" — none of which is a coordinate.
func IsDecimal(s string) bool {
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c >= '0' && c <= '9', c == '.', c == '-', c == '+', c == 'e', c == 'E':
		default:
			return false
		}
	}
	return s != ""
}
