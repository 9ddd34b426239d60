package partner

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/leicester-csp/hotspot/geo"
)

// CRS is the coordinate reference system of a mapping's location columns.
type CRS string

// The two systems partner exports use.
const (
	// WGS84 is EPSG:4326: x is longitude, y latitude, in degrees.
	WGS84 CRS = "EPSG:4326"
	// BritishNationalGrid is EPSG:27700: x is easting, y northing, in
	// metres; converted with geo/osgb (within 5 m).
	BritishNationalGrid CRS = "EPSG:27700"
)

// Mapping names the columns of one partner's CSV export (DESIGN.md,
// "Partner records"). Column names are matched against the header with
// surrounding white space trimmed, case and inner spaces exact.
type Mapping struct {
	ID       string
	Occurred struct {
		Column string
		Layout string // a Go time layout with date and hour, no zone
	}
	Location struct {
		X, Y string
		CRS  CRS
	}
	Category     string
	LocationName string           // optional
	Flags        [NumFlags]string // column per flag; "" = not mapped
	Premises     string           // optional
	Offender     string           // optional; needs a pseudonym key
	// Synthetic (optional "synthetic": true) declares the export
	// generated, not recorded (hotspot generate writes it): the store
	// then reports the source as synthetic wherever it appears.
	Synthetic bool
}

// NeedsKey reports whether reading with m needs a pseudonym key.
func (m *Mapping) NeedsKey() bool { return m.Offender != "" }

// CheckKey refuses a run whose mapping has an offender column and whose
// key is empty, before any file is opened.
func (m *Mapping) CheckKey(key []byte) error {
	if m.NeedsKey() && len(key) == 0 {
		return fmt.Errorf("%w: the mapping's offender column %q is pseudonymised with a key: give one with --pseudonym-key-file or HOTSPOT_PSEUDONYM_KEY, or remove offender from the mapping",
			ErrNoKey, m.Offender)
	}
	return nil
}

// column is one use of a header column by the mapping, for header checks
// and messages: key is the mapping's key path.
type column struct {
	key, name string
}

// columns lists every column the mapping uses, with its key path.
func (m *Mapping) columns() []column {
	cols := []column{
		{"id", m.ID},
		{"occurred.column", m.Occurred.Column},
		{"location.x", m.Location.X},
		{"location.y", m.Location.Y},
		{"category", m.Category},
		{"location_name", m.LocationName},
	}
	for f, name := range m.Flags {
		cols = append(cols, column{"flags." + Flag(f).String(), name})
	}
	cols = append(cols, column{"premises", m.Premises}, column{"offender", m.Offender})
	return slices.DeleteFunc(cols, func(c column) bool { return c.name == "" })
}

// MappingError is a bad mapping file. It wraps geo.ErrInvalid.
type MappingError struct {
	Path string // the key path, e.g. "flags.vawgg"; "" for the file as a whole
	Msg  string
}

func (e *MappingError) Error() string {
	if e.Path == "" {
		return "mapping: " + e.Msg
	}
	return "mapping: " + e.Path + ": " + e.Msg
}

func (e *MappingError) Unwrap() error { return geo.ErrInvalid }

func mappingError(path, format string, args ...any) error {
	return &MappingError{Path: path, Msg: fmt.Sprintf(format, args...)}
}

// ParseMapping reads and checks a mapping file. Every problem is an error
// wrapping geo.ErrInvalid that names the key path (e.g.
// "mapping: flags.vawgg: unknown flag (want one of …)"), so a bad mapping
// is refused before any record is read.
func ParseMapping(data []byte) (*Mapping, error) {
	// Editors on Windows save UTF-8 with a byte order mark.
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	top, err := object(data, "")
	if err != nil {
		return nil, err
	}
	// encoding/json keeps the last of two equal keys; a mapping naming a
	// key twice is a mistake to show, not to resolve silently.
	if path := duplicateKey(json.NewDecoder(bytes.NewReader(data)), ""); path != "" {
		return nil, mappingError(path, "given twice; keep one")
	}
	var m Mapping
	if err := known(top, "", "id", "occurred", "location", "category", "location_name", "flags", "premises", "offender", "synthetic"); err != nil {
		return nil, err
	}
	if raw, ok := top["synthetic"]; ok {
		switch v := string(bytes.TrimSpace(raw)); v {
		case "true", "false":
			m.Synthetic = v == "true"
		default:
			return nil, mappingError("synthetic", "want true or false, not %s", clipRaw(raw))
		}
	}
	for _, f := range []struct {
		key      string
		dst      *string
		required bool
	}{
		{"id", &m.ID, true},
		{"category", &m.Category, true},
		{"location_name", &m.LocationName, false},
		{"premises", &m.Premises, false},
		{"offender", &m.Offender, false},
	} {
		if *f.dst, err = columnName(top, "", f.key, f.required); err != nil {
			return nil, err
		}
	}
	if err := m.parseOccurred(top); err != nil {
		return nil, err
	}
	if err := m.parseLocation(top); err != nil {
		return nil, err
	}
	if err := m.parseFlags(top); err != nil {
		return nil, err
	}
	if err := m.checkOffenderAlone(); err != nil {
		return nil, err
	}
	return &m, nil
}

func (m *Mapping) parseOccurred(top map[string]json.RawMessage) error {
	raw, ok := top["occurred"]
	if !ok {
		return mappingError("occurred", "missing (want {\"column\": NAME, \"layout\": GO_TIME_LAYOUT})")
	}
	occ, err := object(raw, "occurred")
	if err != nil {
		return err
	}
	if err := known(occ, "occurred.", "column", "layout"); err != nil {
		return err
	}
	if m.Occurred.Column, err = columnName(occ, "occurred.", "column", true); err != nil {
		return err
	}
	layout, err := stringValue(occ, "occurred.", "layout", true)
	if err != nil {
		return err
	}
	if err := checkLayout(layout); err != nil {
		return mappingError("occurred.layout", "%v", err)
	}
	m.Occurred.Layout = layout
	return nil
}

func (m *Mapping) parseLocation(top map[string]json.RawMessage) error {
	raw, ok := top["location"]
	if !ok {
		return mappingError("location", `missing (want {"x": NAME, "y": NAME, "crs": "EPSG:4326" or "EPSG:27700"})`)
	}
	loc, err := object(raw, "location")
	if err != nil {
		return err
	}
	if err := known(loc, "location.", "x", "y", "crs"); err != nil {
		return err
	}
	if m.Location.X, err = columnName(loc, "location.", "x", true); err != nil {
		return err
	}
	if m.Location.Y, err = columnName(loc, "location.", "y", true); err != nil {
		return err
	}
	crs, err := stringValue(loc, "location.", "crs", true)
	if err != nil {
		return err
	}
	switch CRS(crs) {
	case WGS84, BritishNationalGrid:
		m.Location.CRS = CRS(crs)
	default:
		return mappingError("location.crs", "%q is not supported (want %q for longitude/latitude or %q for British National Grid eastings/northings)",
			crs, WGS84, BritishNationalGrid)
	}
	return nil
}

func (m *Mapping) parseFlags(top map[string]json.RawMessage) error {
	raw, ok := top["flags"]
	if !ok {
		return nil
	}
	flags, err := object(raw, "flags")
	if err != nil {
		return err
	}
	for _, key := range sortedKeys(flags) {
		f, ok := ParseFlag(key)
		if !ok {
			return mappingError("flags."+key, "unknown flag (want one of %s)", strings.Join(FlagNames(), ", "))
		}
		if m.Flags[f], err = columnName(flags, "flags.", key, true); err != nil {
			return err
		}
	}
	return nil
}

// checkOffenderAlone refuses an offender column that another key also
// reads: its raw value would then be kept as, say, a category.
func (m *Mapping) checkOffenderAlone() error {
	if m.Offender == "" {
		return nil
	}
	for _, c := range m.columns() {
		if c.key != "offender" && c.name == m.Offender {
			return mappingError("offender", "column %q is also mapped as %s; an offender reference must be read by offender only, so it is never kept as it came",
				m.Offender, c.key)
		}
	}
	return nil
}

// object decodes one JSON object; path names it in errors ("" = the file).
func object(data []byte, path string) (map[string]json.RawMessage, error) {
	var obj map[string]json.RawMessage
	dec := json.NewDecoder(bytes.NewReader(data))
	err := dec.Decode(&obj)
	if err == nil && dec.More() {
		err = errors.New("more than one JSON value")
	}
	if err == nil && obj == nil {
		err = errors.New("null")
	}
	if err == nil {
		return obj, nil
	}
	if path == "" {
		var se *json.SyntaxError
		if errors.As(err, &se) {
			line := 1 + bytes.Count(data[:min(int(se.Offset), len(data))], []byte("\n"))
			return nil, mappingError("", "not valid JSON at line %d: %v", line, err)
		}
		if errors.Is(err, io.ErrUnexpectedEOF) || err == io.EOF {
			return nil, mappingError("", "not valid JSON: the file ends before the object does")
		}
		return nil, mappingError("", "want a JSON object: %v", err)
	}
	return nil, mappingError(path, "want a JSON object")
}

// duplicateKey returns the path of the first key that an object of the
// JSON value read from dec repeats, or "". The value is known to be valid.
func duplicateKey(dec *json.Decoder, prefix string) string {
	tok, err := dec.Token()
	if err != nil {
		return ""
	}
	switch tok {
	case json.Delim('{'):
		seen := map[string]bool{}
		for dec.More() {
			kt, err := dec.Token()
			if err != nil {
				return ""
			}
			key, _ := kt.(string)
			if seen[key] {
				return prefix + key
			}
			seen[key] = true
			if path := duplicateKey(dec, prefix+key+"."); path != "" {
				return path
			}
		}
		_, _ = dec.Token()
	case json.Delim('['):
		for dec.More() {
			if path := duplicateKey(dec, prefix); path != "" {
				return path
			}
		}
		_, _ = dec.Token()
	}
	return ""
}

// known refuses keys outside the allowed ones, so a misspelt key is an
// error rather than a column silently left out.
func known(obj map[string]json.RawMessage, prefix string, allowed ...string) error {
	for _, k := range sortedKeys(obj) {
		if !slices.Contains(allowed, k) {
			return mappingError(prefix+k, "unknown key (want one of %s)", strings.Join(allowed, ", "))
		}
	}
	return nil
}

func sortedKeys(obj map[string]json.RawMessage) []string {
	keys := make([]string, 0, len(obj))
	for k := range obj {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// stringValue reads obj[key] as a JSON string.
func stringValue(obj map[string]json.RawMessage, prefix, key string, required bool) (string, error) {
	raw, ok := obj[key]
	if !ok {
		if required {
			return "", mappingError(prefix+key, "missing")
		}
		return "", nil
	}
	var s string
	if err := json.Unmarshal(raw, &s); err != nil {
		return "", mappingError(prefix+key, "want a string, got %s", clip(string(raw)))
	}
	return s, nil
}

// columnName reads a column name: a non-blank string, trimmed as header
// names are.
func columnName(obj map[string]json.RawMessage, prefix, key string, required bool) (string, error) {
	s, err := stringValue(obj, prefix, key, required)
	if err != nil {
		return "", err
	}
	_, present := obj[key]
	s = strings.TrimSpace(s)
	if present && s == "" {
		return "", mappingError(prefix+key, "empty column name (name a column of the CSV header, or leave the key out)")
	}
	return s, nil
}

func clip(s string) string {
	if len(s) > 40 {
		return s[:40] + "…"
	}
	return s
}

// checkLayout accepts a Go time layout that reads a date and an hour and
// no zone: formatting two reference times and parsing them back must give
// their year, month, day and hour again.
func checkLayout(layout string) error {
	if strings.TrimSpace(layout) == "" {
		return errors.New("empty (want a Go time layout such as \"02/01/2006 15:04\")")
	}
	refs := [...]time.Time{
		time.Date(2023, time.November, 28, 21, 37, 0, 0, time.UTC),
		time.Date(2024, time.February, 9, 8, 5, 0, 0, time.UTC),
	}
	for _, ref := range refs {
		s := ref.Format(layout)
		got, err := time.Parse(layout, s)
		if err != nil || got.Year() != ref.Year() || got.Month() != ref.Month() || got.Day() != ref.Day() {
			return fmt.Errorf("%q does not read a full date (want Go's reference time Mon Jan 2 15:04:05 2006 written as the export writes it, e.g. \"02/01/2006 15:04\")", layout)
		}
		if got.Hour() != ref.Hour() {
			return fmt.Errorf("%q does not read the hour of the day (write it as 15, or 3 with PM)", layout)
		}
		// A zone in the layout would override Europe/London: the same
		// wall time formatted in two zones must read alike.
		other := time.Date(ref.Year(), ref.Month(), ref.Day(), ref.Hour(), ref.Minute(), 0, 0, time.FixedZone("QQQ", 5*3600+1800))
		if other.Format(layout) != s {
			return fmt.Errorf("%q has a time zone; occurred is local time in Europe/London, so leave the zone out", layout)
		}
	}
	return nil
}

// clipRaw spells a JSON value for a message, cut to 40 bytes.
func clipRaw(raw []byte) string {
	if len(raw) > 40 {
		return string(raw[:40]) + "…"
	}
	return string(raw)
}
