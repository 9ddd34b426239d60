package partner

import (
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/paulmach/orb"

	"github.com/leicester-csp/hotspot/geo"
	"github.com/leicester-csp/hotspot/geo/internal/csvin"
)

// Earliest is the first month a record may carry (DESIGN.md: before 2010
// is a mistake).
const Earliest = geo.Month(2010 * 12)

// Record is one partner record as read: everything a store keeps of it.
type Record struct {
	// ID is the mapping's id column as it came (trimmed); unique per
	// source, so that a re-import adds nothing.
	ID string
	// Occurred is the instant, in Europe/London (so it formats as RFC 3339
	// with the local offset). Month, Weekday and Hour are its local ones.
	Occurred time.Time
	Month    geo.Month
	Weekday  time.Weekday // Sunday = 0, as package time; Monday-first is (Weekday+6)%7
	Hour     int          // 0–23, local
	Clock    Clock        // how a DST edge was resolved; ClockExact almost always
	// HasLocation is false when both coordinate cells are blank; Point is
	// then zero. Point is WGS 84 longitude, latitude whatever the CRS.
	HasLocation bool
	Point       orb.Point
	Category    string
	Location    string // the location_name column, "" if unmapped
	Flags       Flags
	Premises    string // premises id, "" if none
	// Offender is the pseudonym (16 lower-case hex digits), never the
	// reference; "" when the cell is blank or the mapping has no offender.
	Offender string
}

// Incident returns the record as the domain keeps it; the caller names
// its source.
func (r *Record) Incident() geo.Incident {
	return geo.Incident{
		ID:          r.ID,
		Month:       r.Month,
		HasLocation: r.HasLocation,
		Point:       r.Point,
		Location:    r.Location,
		Category:    r.Category,
		Occurred:    r.Occurred,
		Flags:       r.Flags,
		Premises:    r.Premises,
		Offender:    r.Offender,
	}
}

// ParseError is a row that could not be read. The rows after it can still
// be read.
type ParseError struct {
	File   string
	Line   int    // physical line where the row starts; the header is line 1
	Field  string // column name, or "" when the row as a whole is at fault
	Reason string
	// Raw is the row as read with the offender column blanked; nil when
	// the row's fields cannot be told apart (malformed CSV, a wrong
	// number of fields) and the mapping has an offender column, since any
	// of them might then hold the reference.
	Raw []string
	Err error // wraps geo.ErrInvalid
}

func (e *ParseError) Error() string { return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Reason) }

func (e *ParseError) Unwrap() error { return e.Err }

// Reject returns the row as the store keeps rejected rows.
func (e *ParseError) Reject() geo.Reject {
	return geo.Reject{File: e.File, Line: e.Line, Reason: e.Reason, Raw: e.Raw}
}

// Options are what a Reader needs besides the file and the mapping.
type Options struct {
	// Key is the pseudonym key (see KeyFromFile); required when the
	// mapping has an offender column.
	Key []byte
	// Latest is the last month a row may carry; zero means the current
	// month in Europe/London when the reader is made.
	Latest geo.Month
}

// Reader streams the records of one partner CSV file. It is not safe for
// concurrent use.
type Reader struct {
	name string
	m    *Mapping
	rows *csvin.Rows
	pseu *Pseudonymiser

	line    int
	nfields int
	header  []string

	// Field index of each mapped column; -1 when unmapped.
	id, occurred, x, y, category, locName, premises, offender int
	flags                                                     [NumFlags]int

	strs   map[string]string // interned repeating values (categories, places)
	latest geo.Month
	key    []byte // for the pseudonymisers of Parsers
	days   dayOffsets
}

// NewReader reads a partner CSV from r with mapping m. name (usually the
// file path) is used in errors and rejects. It fails, wrapping ErrNoKey,
// when m has an offender column and opt.Key is empty. Nothing is read
// until the first call to Read.
func NewReader(r io.Reader, name string, m *Mapping, opt Options) (*Reader, error) {
	if err := m.CheckKey(opt.Key); err != nil {
		return nil, err
	}
	rd := &Reader{name: name, m: m, rows: csvin.New(r, name), strs: make(map[string]string, 256), latest: opt.Latest, key: opt.Key, days: dayOffsets{}}
	if rd.latest == 0 {
		now := nowLondon()
		rd.latest = geo.NewMonth(now.Year(), int(now.Month()))
	}
	if m.NeedsKey() {
		p, err := NewPseudonymiser(opt.Key)
		if err != nil {
			return nil, err
		}
		rd.pseu = p
	}
	return rd, nil
}

func nowLondon() time.Time { return time.Now().In(London) }

// Line returns the line where the record last returned by Read starts.
// After a *ParseError it is the rejected row's line.
func (r *Reader) Line() int { return r.line }

// Read returns the next record. At the end of the file it returns
// (nil, io.EOF). A bad row gives a *ParseError and the caller may call
// Read again; any other error is fatal for the file and is returned again
// by later calls.
func (r *Reader) Read() (*Record, error) {
	raw, err := r.NextRaw()
	if err != nil {
		return nil, err
	}
	return r.parse(raw.Fields)
}

// NextRaw is Read without the parsing: the next row, split into fields
// and checked for its length, for a Parser to parse. Malformed CSV and a
// row of the wrong length give a *ParseError as Read does; the row's
// fields are valid until the next call.
func (r *Reader) NextRaw() (Raw, error) {
	rec, err := r.rows.Record(r.readHeader)
	if me := csvin.AsMalformed(err); me != nil {
		r.line = me.Line
		// A quote error can leave any field holding text of any column,
		// the offender's included: such a row is kept only when the
		// mapping has no offender.
		var raw []string
		if r.offender < 0 {
			raw = me.Raw
		}
		return Raw{}, &ParseError{File: r.name, Line: me.Line, Reason: me.Reason, Raw: raw, Err: me.Err}
	}
	if err != nil {
		return Raw{}, err
	}
	r.line = r.rows.Line()
	if len(rec) != r.nfields {
		return Raw{}, r.reject(rec, "", fmt.Sprintf("wrong number of fields: got %d, want %d", len(rec), r.nfields))
	}
	return Raw{Line: r.line, Fields: rec}, nil
}

func (r *Reader) readHeader() error {
	hdr, err := r.rows.Header()
	if err == io.EOF {
		return fmt.Errorf("%s: %w: empty file: no header (the mapping expects columns %s)", r.name, geo.ErrInvalid, r.expected())
	}
	if err != nil {
		return err
	}
	r.line = r.rows.Line()
	for i := range hdr {
		hdr[i] = strings.TrimSpace(hdr[i])
	}
	var missing []string
	for _, c := range r.m.columns() {
		at := slices.Index(hdr, c.name)
		if at < 0 {
			missing = append(missing, fmt.Sprintf("%q (%s)", c.name, c.key))
			continue
		}
		if slices.Index(hdr[at+1:], c.name) >= 0 {
			return fmt.Errorf("%s: %w: header names column %q (%s) twice; rename one so the mapping can tell them apart", r.name, geo.ErrInvalid, c.name, c.key)
		}
	}
	if len(missing) > 0 {
		return fmt.Errorf("%s: %w: header lacks the mapped column(s) %s; fix the mapping or the export",
			r.name, geo.ErrInvalid, strings.Join(missing, ", "))
	}
	idx := func(name string) int {
		if name == "" {
			return -1
		}
		return slices.Index(hdr, name)
	}
	m := r.m
	r.id, r.occurred, r.x, r.y = idx(m.ID), idx(m.Occurred.Column), idx(m.Location.X), idx(m.Location.Y)
	r.category, r.locName, r.premises, r.offender = idx(m.Category), idx(m.LocationName), idx(m.Premises), idx(m.Offender)
	for f, name := range m.Flags {
		r.flags[f] = idx(name)
	}
	r.header, r.nfields = hdr, len(hdr)
	return nil
}

func (r *Reader) expected() string {
	var names []string
	for _, c := range r.m.columns() {
		names = append(names, fmt.Sprintf("%q", c.name))
	}
	return strings.Join(names, ", ")
}

// safeRaw keeps a row for the rejects with the offender cell blanked, or
// nothing when that cell cannot be located (see ParseError.Raw).
func (r *Reader) safeRaw(rec []string) []string {
	if r.offender < 0 {
		return slices.Clone(rec)
	}
	if len(rec) != r.nfields {
		return nil
	}
	out := slices.Clone(rec)
	out[r.offender] = ""
	return out
}

func (r *Reader) reject(rec []string, field, reason string) *ParseError {
	return &ParseError{File: r.name, Line: r.line, Field: field, Reason: reason, Raw: r.safeRaw(rec), Err: geo.ErrInvalid}
}

// cell returns column i of the row, trimmed; "" for an unmapped column.
func cell(rec []string, i int) string {
	if i < 0 {
		return ""
	}
	return strings.TrimSpace(rec[i])
}

func (r *Reader) parse(rec []string) (*Record, error) {
	out := new(Record)
	if pe := r.parseInto(rec, out); pe != nil {
		return nil, pe
	}
	return out, nil
}

// parseInto parses rec into out (all of it: nothing of an earlier record
// stays), or returns why the row is rejected; out is then undefined.
func (r *Reader) parseInto(rec []string, out *Record) *ParseError {
	for i, v := range rec {
		// Every field, mapped or not, since a rejected row keeps them all.
		if ok, why := csvin.Storable(v); !ok {
			return r.reject(rec, r.header[i], r.header[i]+" "+why)
		}
	}
	*out = Record{ID: cell(rec, r.id), Category: cell(rec, r.category)}
	if out.ID == "" {
		return r.reject(rec, r.m.ID, r.m.ID+" (the record's id) is empty")
	}
	if pe := r.parseTime(rec, out); pe != nil {
		return pe
	}
	pt, ok, bad := point(r.m.Location.X, cell(rec, r.x), r.m.Location.Y, cell(rec, r.y), r.m.Location.CRS)
	if bad != nil {
		return r.reject(rec, bad.column, bad.reason)
	}
	out.Point, out.HasLocation = pt, ok
	if out.Category == "" {
		return r.reject(rec, r.m.Category, r.m.Category+" (the category) is empty")
	}
	for f, i := range r.flags {
		if i < 0 {
			continue
		}
		v, ok := parseFlagCell(rec[i])
		if !ok {
			return r.reject(rec, r.header[i], fmt.Sprintf("%s (flag %s) is %q: want y, yes, true, 1 or n, no, false, 0 or empty", r.header[i], Flag(f), strings.TrimSpace(rec[i])))
		}
		if v {
			out.Flags = out.Flags.With(Flag(f))
		}
	}
	if r.pseu != nil {
		out.Offender = r.pseu.Pseudonym(rec[r.offender])
	}
	out.ID = strings.Clone(out.ID)
	out.Category = r.intern(out.Category)
	out.Location = r.intern(cell(rec, r.locName))
	out.Premises = r.intern(cell(rec, r.premises))
	return nil
}

// parseTime reads the occurred column as Europe/London local time and
// fills the record's instant, local month, weekday and hour.
func (r *Reader) parseTime(rec []string, out *Record) *ParseError {
	col := r.m.Occurred.Column
	s := cell(rec, r.occurred)
	wall, err := time.Parse(r.m.Occurred.Layout, s)
	if err != nil {
		return r.reject(rec, col, fmt.Sprintf("%s %q does not match the mapping's layout %q", col, s, r.m.Occurred.Layout))
	}
	t, clock := r.days.instant(wall, London)
	// An exact local time reads as the wall time: its fields need no
	// look-up in the zone.
	local := wall
	if clock != ClockExact {
		local = t
	}
	month := geo.NewMonth(local.Year(), int(local.Month()))
	if month < Earliest || month > r.latest {
		return r.reject(rec, col, fmt.Sprintf("%s %q is in %s, outside the months a record may carry (%s to %s)", col, s, month, Earliest, r.latest))
	}
	out.Occurred, out.Clock = t, clock
	out.Month, out.Weekday, out.Hour = month, local.Weekday(), local.Hour()
	return nil
}

// intern returns a shared copy of s so that records do not each pin the
// row string encoding/csv allocated.
func (r *Reader) intern(s string) string {
	if s == "" {
		return ""
	}
	v, ok := r.strs[s]
	if !ok {
		v = strings.Clone(s)
		r.strs[v] = v
	}
	return v
}
