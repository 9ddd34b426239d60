// Package policeuk reads police.uk street-level crime CSV files
// (YYYY-MM-<force>-street.csv) into geo.Incident values, one row at a time.
//
// A malformed row does not stop a file: Read reports it as a *ParseError,
// which the caller records as a geo.Reject, and the next Read goes on with
// the following row. Only errors that leave nothing sensible to read (I/O
// failures, a missing or unusable header) end a file.
//
// # Identity of rows without a Crime ID
//
// police.uk publishes anti-social behaviour rows with an empty Crime ID, yet
// the store de-duplicates by ID, so re-importing a file must give every such
// row the same ID again, while two identical rows in one file (two reports
// at the same map point in the same month) must stay two incidents. The
// derived ID is therefore a hash of the row's content and of its occurrence
// index among the valid rows of the file with the same content:
//
//	content = for each of the twelve police.uk columns in their standard
//	          order (Crime ID, Month, Reported by, Falls within, Longitude,
//	          Latitude, Location, LSOA code, LSOA name, Crime type, Last
//	          outcome category, Context): uvarint(len(v)) ‖ v, where v is the
//	          field with surrounding white space trimmed and "" for a column
//	          the file lacks
//	ID      = "asb-" ‖ hex(SHA-256(content ‖ uvarint(index))[:16])
//
// uvarint is encoding/binary's AppendUvarint. The standard column order is
// used rather than the file's, so that a file whose columns come in another
// order, or that leaves out an always-empty column, keeps the same IDs.
package policeuk

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/paulmach/orb"

	"github.com/leicester-csp/hotspot/geo"
	"github.com/leicester-csp/hotspot/geo/internal/csvin"
)

// Columns of a police.uk street-level file, in the order police.uk writes
// them; that order is also the one the derived-ID hash uses.
const (
	colCrimeID = iota
	colMonth
	colReportedBy
	colFallsWithin
	colLongitude
	colLatitude
	colLocation
	colLSOACode
	colLSOAName
	colCrimeType
	colOutcome
	colContext
	numCols
)

var colNames = [numCols]string{
	colCrimeID:     "Crime ID",
	colMonth:       "Month",
	colReportedBy:  "Reported by",
	colFallsWithin: "Falls within",
	colLongitude:   "Longitude",
	colLatitude:    "Latitude",
	colLocation:    "Location",
	colLSOACode:    "LSOA code",
	colLSOAName:    "LSOA name",
	colCrimeType:   "Crime type",
	colOutcome:     "Last outcome category",
	colContext:     "Context",
}

var required = [...]int{colCrimeID, colMonth, colLongitude, colLatitude, colCrimeType}

// ParseError is a row that could not be turned into an incident. The rows
// after it can still be read.
type ParseError struct {
	File   string
	Line   int    // physical line where the row starts; the header is line 1
	Field  string // column name, or "" when the row as a whole is at fault
	Reason string
	Raw    []string // the row's fields as read (partial for malformed CSV)
	Err    error    // wraps geo.ErrInvalid
}

func (e *ParseError) Error() string { return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Reason) }

func (e *ParseError) Unwrap() error { return e.Err }

// Reject returns the row as the store keeps rejected rows. Raw is shared
// with e.
func (e *ParseError) Reject() geo.Reject {
	return geo.Reject{File: e.File, Line: e.Line, Reason: e.Reason, Raw: e.Raw}
}

// Reader streams the incidents of one police.uk street-level CSV file. It
// is not safe for concurrent use.
type Reader struct {
	name string
	rows *csvin.Rows

	line    int
	nfields int
	col     [numCols]int // field index of each column in a row, -1 if absent

	// strs interns the columns that repeat across rows (a few forces, 14
	// crime types, some thousands of streets and LSOAs) so that incidents
	// share one copy of each value rather than each copying it out of the
	// read buffer its row borrows; nil until needed (see Intern).
	strs map[string]string
	// last holds each column's previous value: files come sorted by force
	// and area, so a column often repeats the row before and a string
	// compare is cheaper than a map lookup.
	last [numCols]string
	// seen counts the valid rows of each content hash, for derived IDs.
	seen map[[16]byte]uint32
	buf  []byte
	vals [numCols]string

	// Latest is the last month a row may carry (the current month); a
	// later one is a mistake that would take over every default view.
	// Zero checks nothing.
	Latest geo.Month
}

// MaxField is the longest a field may be (DESIGN.md: 64 KiB).
const MaxField = csvin.MaxField

// Earliest is the first month a row may carry (DESIGN.md: before 2010 is
// a mistake; police.uk's street-level data start in December 2010).
const Earliest = geo.Month(2010 * 12)

// NewReader reads a police.uk street-level CSV from r. name (usually the
// file path) is used in errors and rejects. Nothing is read until the first
// call to Read.
func NewReader(r io.Reader, name string) *Reader {
	rows := csvin.New(r, name)
	// A row's strings borrow the read buffer: what an incident keeps is
	// copied (its ID, a reject's raw fields) or interned (every text).
	rows.Borrow()
	return &Reader{
		name: name,
		rows: rows,
		seen: make(map[[16]byte]uint32),
	}
}

// Intern makes the reader intern its texts into strs, which readers of
// other files may have filled before it and may fill after it, one at a
// time (a map is not safe for concurrent use): a run's files repeat the
// same streets and LSOAs, and one table for all of them costs less than
// one grown for each file.
func (r *Reader) Intern(strs map[string]string) { r.strs = strs }

// Line returns the line number where the record last returned by Read
// starts (1-based; the header is line 1). After a *ParseError it is the
// rejected row's line.
func (r *Reader) Line() int { return r.line }

// Read returns the next incident. At the end of the file it returns
// (nil, io.EOF). A malformed row gives a *ParseError (check with errors.As)
// and the caller may call Read again for the rows that follow. Any other
// error is fatal for the file and is returned again by later calls.
func (r *Reader) Read() (*geo.Incident, error) {
	inc := new(geo.Incident)
	if err := r.ReadInto(inc); err != nil {
		return nil, err
	}
	return inc, nil
}

// ReadInto is Read into an incident the caller provides, which it sets
// only when it returns nil, so that a caller keeping a county's rows can
// allocate them in blocks rather than one a row.
func (r *Reader) ReadInto(dst *geo.Incident) error {
	rec, err := r.rows.Record(r.readHeader)
	if me := csvin.AsMalformed(err); me != nil {
		r.line = me.Line
		return &ParseError{File: r.name, Line: me.Line, Reason: me.Reason, Raw: me.Raw, Err: me.Err}
	}
	if err != nil {
		return err
	}
	r.line = r.rows.Line()
	if len(rec) != r.nfields {
		return r.reject(rec, "", fmt.Sprintf("wrong number of fields: got %d, want %d", len(rec), r.nfields), nil)
	}
	return r.parse(rec, dst)
}

func (r *Reader) readHeader() error {
	rec, err := r.rows.Header()
	if err == io.EOF {
		return fmt.Errorf("%s: %w: empty file: no header, missing columns %s",
			r.name, geo.ErrInvalid, strings.Join(requiredNames(), ", "))
	}
	if err != nil {
		return err
	}
	r.line = r.rows.Line()
	for i := range r.col {
		r.col[i] = -1
	}
	for i, h := range rec {
		h = strings.TrimSpace(h)
		for c, name := range colNames {
			if h != name {
				continue
			}
			if r.col[c] >= 0 {
				return fmt.Errorf("%s: %w: header names column %q twice", r.name, geo.ErrInvalid, name)
			}
			r.col[c] = i
		}
	}
	var missing []string
	for _, c := range required {
		if r.col[c] < 0 {
			missing = append(missing, colNames[c])
		}
	}
	if len(missing) > 0 {
		return fmt.Errorf("%s: %w: header lacks required column(s) %s",
			r.name, geo.ErrInvalid, strings.Join(missing, ", "))
	}
	r.nfields = len(rec)
	return nil
}

func requiredNames() []string {
	out := make([]string, len(required))
	for i, c := range required {
		out[i] = colNames[c]
	}
	return out
}

func (r *Reader) reject(rec []string, field, reason string, cause error) *ParseError {
	err := geo.ErrInvalid
	if cause != nil {
		err = cause
		if !errors.Is(cause, geo.ErrInvalid) {
			err = fmt.Errorf("%w: %w", geo.ErrInvalid, cause)
		}
	}
	return &ParseError{File: r.name, Line: r.line, Field: field, Reason: reason, Raw: cloneAll(rec), Err: err}
}

// cloneAll copies the row's fields out of the read buffer they borrow.
func cloneAll(rec []string) []string {
	out := make([]string, len(rec))
	for i, f := range rec {
		out[i] = strings.Clone(f)
	}
	return out
}

// parse sets dst from the row, or returns the *ParseError that rejects it.
func (r *Reader) parse(rec []string, dst *geo.Incident) error {
	v := &r.vals
	if pe := r.text(rec); pe != nil {
		return pe
	}

	month, err := geo.ParseMonth(v[colMonth])
	if err != nil {
		return r.reject(rec, colNames[colMonth],
			fmt.Sprintf("Month %q is not a YYYY-MM month", v[colMonth]), err)
	}
	if month < Earliest || (r.Latest != 0 && month > r.Latest) {
		return r.reject(rec, colNames[colMonth],
			fmt.Sprintf("Month %s is outside the months police.uk can publish (%s to %s)", month, Earliest, r.latestWords()), geo.ErrInvalid)
	}

	var pt orb.Point
	lonS, latS := v[colLongitude], v[colLatitude]
	hasLoc := lonS != "" || latS != ""
	if hasLoc {
		if lonS == "" || latS == "" {
			field := colNames[colLongitude]
			if latS == "" {
				field = colNames[colLatitude]
			}
			return r.reject(rec, field,
				fmt.Sprintf("only one of Longitude/Latitude is set (%s is empty)", field), nil)
		}
		lon, pe := r.coord(rec, colLongitude, lonS, 180)
		if pe != nil {
			return pe
		}
		lat, pe := r.coord(rec, colLatitude, latS, 90)
		if pe != nil {
			return pe
		}
		pt = orb.Point{lon, lat}
	}

	if v[colCrimeType] == "" {
		return r.reject(rec, colNames[colCrimeType], "Crime type is empty", nil)
	}

	id := v[colCrimeID]
	if id == "" {
		id = r.derivedID()
	} else {
		// Cloned so the incident does not pin the whole row string.
		id = strings.Clone(id)
	}
	*dst = geo.Incident{
		ID:          id,
		Month:       month,
		ReportedBy:  r.intern(colReportedBy),
		FallsWithin: r.intern(colFallsWithin),
		HasLocation: hasLoc,
		Point:       pt,
		Location:    r.intern(colLocation),
		LSOACode:    r.intern(colLSOACode),
		LSOAName:    r.intern(colLSOAName),
		Category:    r.intern(colCrimeType),
		Outcome:     r.intern(colOutcome),
		Context:     r.intern(colContext),
	}
	return nil
}

// coord parses a coordinate that must lie in [-limit, limit].
func (r *Reader) coord(rec []string, c int, s string, limit float64) (float64, *ParseError) {
	name := colNames[c]
	// Only plain decimal notation is taken: strconv.ParseFloat would also
	// accept hex floats, "Inf" and "NaN", none of which is a coordinate.
	if !csvin.IsDecimal(s) {
		return 0, r.reject(rec, name, fmt.Sprintf("%s %q is not a number", name, s), nil)
	}
	x, err := strconv.ParseFloat(s, 64)
	switch {
	case err != nil && !errors.Is(err, strconv.ErrRange):
		return 0, r.reject(rec, name, fmt.Sprintf("%s %q is not a number", name, s), nil)
	case err != nil || math.IsNaN(x) || math.IsInf(x, 0) || x < -limit || x > limit:
		return 0, r.reject(rec, name, fmt.Sprintf("%s %q is out of range [-%g, %g]", name, s, limit, limit), nil)
	}
	return x, nil
}

// intern returns the shared copy of column c's value in the current row.
func (r *Reader) intern(c int) string {
	s := r.vals[c]
	if s == "" {
		return ""
	}
	if s == r.last[c] {
		return r.last[c]
	}
	v, ok := r.strs[s]
	if !ok {
		if r.strs == nil {
			// Made on first need: a reader given a run's table (Intern)
			// never makes one of its own.
			r.strs = make(map[string]string, 1024)
		}
		v = strings.Clone(s)
		r.strs[v] = v
	}
	r.last[c] = v
	return v
}

// derivedID gives a row without Crime ID its identity (see the package
// doc) and counts the row among the valid rows of identical content; it
// must therefore be called only once a row has passed every check.
func (r *Reader) derivedID() string {
	b := r.buf[:0]
	for _, s := range r.vals {
		b = binary.AppendUvarint(b, uint64(len(s)))
		b = append(b, s...)
	}
	sum := sha256.Sum256(b)
	key := [16]byte(sum[:16])
	n := r.seen[key]
	r.seen[key] = n + 1
	b = binary.AppendUvarint(b, uint64(n))
	sum = sha256.Sum256(b)
	r.buf = b

	var out [4 + 32]byte
	copy(out[:], "asb-")
	hex.Encode(out[4:], sum[:16])
	return string(out[:])
}

func (r *Reader) latestWords() string {
	if r.Latest == 0 {
		return "now"
	}
	return r.Latest.String()
}

// text fills r.vals with the row's columns, trimmed, and rejects text no
// store can keep.
func (r *Reader) text(rec []string) *ParseError {
	v := &r.vals
	for c := range v {
		if i := r.col[c]; i >= 0 {
			v[c] = strings.TrimSpace(rec[i])
		} else {
			v[c] = ""
		}
		// Text a database cannot hold is a bad row, so that both stores
		// keep the same rows and one mangled byte never fails a whole
		// import. No police.uk value comes near MaxField; a longer one is
		// a broken file or an attack, and would become, say, a crime type
		// in every menu.
		if ok, why := csvin.Storable(v[c]); !ok {
			return r.reject(rec, colNames[c], colNames[c]+" "+why, nil)
		}
	}
	return nil
}
