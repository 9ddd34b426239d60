package partner

import (
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/paulmach/orb"

	"github.com/leicester-csp/hotspot/geo"
	"github.com/leicester-csp/hotspot/geo/internal/csvin"
)

// Kinds are the premises kinds a register may use, lower case. DESIGN.md
// names licensed, retail and knife-vape-seller (premises selling knives or
// vapes unlawfully); takeaway and hostel are the other premises the
// partnership's plan ties to night-time nuisance and street lifestyles,
// and other keeps a register complete without inventing kinds.
var Kinds = []string{"licensed", "retail", "knife-vape-seller", "takeaway", "hostel", "other"}

// Premises is one entry of a premises register.
type Premises struct {
	ID   string
	Name string
	Kind string // one of Kinds
	// HasLocation is false when both coordinate cells are blank; Point is
	// WGS 84 longitude, latitude.
	HasLocation bool
	Point       orb.Point
}

// Premises register columns. Header names are matched trimmed and in any
// case; the coordinates are longitude/latitude or easting/northing.
const (
	pID = iota
	pName
	pKind
	pX
	pY
	numPremisesCols
)

// PremisesReader streams the entries of a premises register CSV. It is not
// safe for concurrent use.
type PremisesReader struct {
	name    string
	rows    *csvin.Rows
	line    int
	nfields int
	header  []string
	col     [numPremisesCols]int
	crs     CRS
	seen    map[string]int // id → line of its first row
}

// NewPremisesReader reads a premises register from r; name (usually the
// file path) is used in errors and rejects.
func NewPremisesReader(r io.Reader, name string) *PremisesReader {
	return &PremisesReader{name: name, rows: csvin.New(r, name), seen: make(map[string]int)}
}

// Line returns the line where the entry last returned by Read starts.
func (r *PremisesReader) Line() int { return r.line }

// Read returns the next entry, (nil, io.EOF) at the end, a *ParseError for
// a bad row (Read may be called again), or a fatal error for the file.
// A row repeating an earlier id is rejected, naming the earlier line.
func (r *PremisesReader) Read() (*Premises, error) {
	rec, err := r.rows.Record(r.readHeader)
	if me := csvin.AsMalformed(err); me != nil {
		r.line = me.Line
		return nil, &ParseError{File: r.name, Line: me.Line, Reason: me.Reason, Raw: me.Raw, Err: me.Err}
	}
	if err != nil {
		return nil, err
	}
	r.line = r.rows.Line()
	if len(rec) != r.nfields {
		return nil, r.reject(rec, "", fmt.Sprintf("wrong number of fields: got %d, want %d", len(rec), r.nfields))
	}
	return r.parse(rec)
}

func (r *PremisesReader) readHeader() error {
	const want = "id, name, kind and longitude, latitude or easting, northing"
	hdr, err := r.rows.Header()
	if err == io.EOF {
		return fmt.Errorf("%s: %w: empty file: no header (want columns %s)", r.name, geo.ErrInvalid, want)
	}
	if err != nil {
		return err
	}
	r.line = r.rows.Line()
	for i := range hdr {
		hdr[i] = strings.TrimSpace(hdr[i])
	}
	find := func(name string) (int, error) {
		at := slices.IndexFunc(hdr, func(h string) bool { return strings.EqualFold(h, name) })
		if at >= 0 && slices.IndexFunc(hdr[at+1:], func(h string) bool { return strings.EqualFold(h, name) }) >= 0 {
			return 0, fmt.Errorf("%s: %w: header names column %q twice", r.name, geo.ErrInvalid, name)
		}
		return at, nil
	}
	idx := map[string]int{}
	for _, name := range []string{"id", "name", "kind", "longitude", "latitude", "easting", "northing"} {
		if idx[name], err = find(name); err != nil {
			return err
		}
	}
	lonlat := idx["longitude"] >= 0 || idx["latitude"] >= 0
	grid := idx["easting"] >= 0 || idx["northing"] >= 0
	var missing []string
	for _, name := range []string{"id", "name", "kind"} {
		if idx[name] < 0 {
			missing = append(missing, name)
		}
	}
	x, y := "longitude", "latitude"
	r.crs = WGS84
	switch {
	case lonlat && grid:
		return fmt.Errorf("%s: %w: header has both longitude/latitude and easting/northing; keep one pair", r.name, geo.ErrInvalid)
	case grid:
		x, y, r.crs = "easting", "northing", BritishNationalGrid
	}
	for _, name := range []string{x, y} {
		if idx[name] < 0 {
			missing = append(missing, name)
		}
	}
	if len(missing) > 0 {
		return fmt.Errorf("%s: %w: header lacks column(s) %s (want %s)", r.name, geo.ErrInvalid, strings.Join(missing, ", "), want)
	}
	r.col = [numPremisesCols]int{idx["id"], idx["name"], idx["kind"], idx[x], idx[y]}
	r.header, r.nfields = hdr, len(hdr)
	return nil
}

func (r *PremisesReader) reject(rec []string, field, reason string) *ParseError {
	return &ParseError{File: r.name, Line: r.line, Field: field, Reason: reason, Raw: slices.Clone(rec), Err: geo.ErrInvalid}
}

func (r *PremisesReader) parse(rec []string) (*Premises, error) {
	for i, v := range rec {
		if ok, why := csvin.Storable(v); !ok {
			return nil, r.reject(rec, r.header[i], r.header[i]+" "+why)
		}
	}
	c := &r.col
	p := &Premises{ID: cell(rec, c[pID]), Name: cell(rec, c[pName])}
	if p.ID == "" {
		return nil, r.reject(rec, r.header[c[pID]], "id is empty")
	}
	kind := strings.ToLower(cell(rec, c[pKind]))
	if !slices.Contains(Kinds, kind) {
		return nil, r.reject(rec, r.header[c[pKind]], fmt.Sprintf("kind %q is not a premises kind (want one of %s)", cell(rec, c[pKind]), strings.Join(Kinds, ", ")))
	}
	p.Kind = kind
	pt, ok, bad := point(r.header[c[pX]], cell(rec, c[pX]), r.header[c[pY]], cell(rec, c[pY]), r.crs)
	if bad != nil {
		return nil, r.reject(rec, bad.column, bad.reason)
	}
	p.Point, p.HasLocation = pt, ok
	if first, dup := r.seen[p.ID]; dup {
		return nil, r.reject(rec, r.header[c[pID]], fmt.Sprintf("id %q is already used on line %d; premises ids must be unique", p.ID, first))
	}
	r.seen[strings.Clone(p.ID)] = r.line
	p.ID, p.Name = strings.Clone(p.ID), strings.Clone(p.Name)
	return p, nil
}
