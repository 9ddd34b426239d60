// Package population reads residents per area (area code → count) from CSV,
// for rates per 1,000 residents.
//
// A file is taken whole or refused whole: a rate computed with one area's
// population silently missing or wrong is worse than no rate.
package population

import (
	"bufio"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"strings"

	"github.com/leicester-csp/hotspot/geo"
)

// ParseError is a refused population file, located by line (and column for
// CSV syntax errors) as encoding/csv does. It matches geo.ErrInvalid.
type ParseError struct {
	File   string
	Line   int // 0 when the fault is the file's, not a line's
	Column int // 0 when unknown
	Err    error
}

func (e *ParseError) Error() string {
	switch {
	case e.Line > 0 && e.Column > 0:
		return fmt.Sprintf("%s: line %d, column %d: %v", e.File, e.Line, e.Column, e.Err)
	case e.Line > 0:
		return fmt.Sprintf("%s: line %d: %v", e.File, e.Line, e.Err)
	}
	return fmt.Sprintf("%s: %v", e.File, e.Err)
}

// Unwrap exposes both the sentinel and the cause, so errors.Is works for
// geo.ErrInvalid as well as for csv.ErrQuote and the like.
func (e *ParseError) Unwrap() []error { return []error{geo.ErrInvalid, e.Err} }

// ReadFile reads the population file at path; see Read.
func ReadFile(path string) (map[string]int, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("read population: %w", err)
	}
	defer f.Close()
	return Read(f, path)
}

// Read reads a CSV whose header holds `code` and `population` columns
// (matched ignoring case and surrounding spaces; a byte order mark is
// tolerated; other columns are ignored). name (the file path) is used in
// errors.
//
// Each row needs a non-empty code, not seen before, and a population that
// is a non-negative integer written with digits only (surrounding spaces
// allowed). Any fault returns a *ParseError and no populations.
func Read(r io.Reader, name string) (map[string]int, error) {
	br := bufio.NewReader(r)
	// Spreadsheet exports often start with a byte order mark; csv would take
	// it as part of the first field, and refuse it before a quote.
	if bom, err := br.Peek(3); err == nil && string(bom) == "\ufeff" {
		_, _ = br.Discard(3)
	}
	cr := csv.NewReader(br)
	// Field counts are checked here, to report them against the header.
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true

	cols, err := readHeader(cr, name)
	if err != nil {
		return nil, err
	}
	return readRows(cr, name, cols)
}

// columns is where a file's header puts the columns Read uses, and how many
// columns it has in all.
type columns struct {
	width, code, pop int
}

// readHeader reads the header line and finds the code and population
// columns in it.
func readHeader(cr *csv.Reader, name string) (columns, error) {
	header, err := cr.Read()
	if err == io.EOF {
		return columns{}, &ParseError{File: name, Err: errors.New("file is empty, need a header with code and population")}
	}
	if err != nil {
		return columns{}, readError(name, err)
	}
	cols := columns{width: len(header), code: -1, pop: -1}
	for i, h := range header {
		var col *int
		switch strings.ToLower(strings.TrimSpace(h)) {
		case "code":
			col = &cols.code
		case "population":
			col = &cols.pop
		default:
			continue
		}
		if *col >= 0 {
			return columns{}, &ParseError{File: name, Line: 1, Err: fmt.Errorf("header has column %q twice", strings.TrimSpace(h))}
		}
		*col = i
	}
	var missing []string
	if cols.code < 0 {
		missing = append(missing, "code")
	}
	if cols.pop < 0 {
		missing = append(missing, "population")
	}
	if len(missing) > 0 {
		return columns{}, &ParseError{File: name, Line: 1, Err: fmt.Errorf("header lacks column %s", strings.Join(missing, " and "))}
	}
	return cols, nil
}

// readRows reads the rows after the header, refusing the whole file at the
// first fault.
func readRows(cr *csv.Reader, name string, cols columns) (map[string]int, error) {
	pop := map[string]int{}
	firstLine := map[string]int{}
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, readError(name, err)
		}
		line, _ := cr.FieldPos(0)
		if len(rec) != cols.width {
			return nil, &ParseError{File: name, Line: line,
				Err: fmt.Errorf("row has %d fields, header has %d", len(rec), cols.width)}
		}
		code := strings.TrimSpace(rec[cols.code])
		if code == "" {
			return nil, &ParseError{File: name, Line: line, Err: errors.New("code is empty")}
		}
		n, err := count(rec[cols.pop])
		if err != nil {
			return nil, &ParseError{File: name, Line: line, Err: fmt.Errorf("code %s: %w", code, err)}
		}
		if first, dup := firstLine[code]; dup {
			return nil, &ParseError{File: name, Line: line, Err: fmt.Errorf("duplicate code %s, first on line %d", code, first)}
		}
		firstLine[code] = line
		pop[code] = n
	}
	if len(pop) == 0 {
		return nil, &ParseError{File: name, Err: errors.New("file has a header but no rows")}
	}
	return pop, nil
}

// count parses digits only: signs, decimals and thousands separators are
// refused because they hint at a column that is not a head count.
func count(field string) (int, error) {
	s := strings.TrimSpace(field)
	if s == "" {
		return 0, errors.New("population is empty")
	}
	n := 0
	for _, c := range []byte(s) {
		if c < '0' || c > '9' {
			return 0, fmt.Errorf("population %q is not a non-negative whole number", s)
		}
		d := int(c - '0')
		if n > (math.MaxInt-d)/10 {
			return 0, fmt.Errorf("population %q is too large", s)
		}
		n = n*10 + d
	}
	return n, nil
}

// readError turns encoding/csv's errors into ParseErrors; anything else is
// an I/O failure, not a fault of the file, and is not marked invalid.
func readError(name string, err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return &ParseError{File: name, Line: pe.Line, Column: pe.Column, Err: pe.Err}
	}
	return fmt.Errorf("read population %s: %w", name, err)
}
