// Package boundary reads area boundaries (wards, LSOAs, the city) from
// GeoJSON into geo.Area values.
//
// A file is taken whole or refused whole: a boundary set with one feature
// silently missing would assign that area's incidents to nobody, so any
// fault in any feature refuses the file, with an error naming the feature.
package boundary

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"slices"
	"strings"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"

	"github.com/leicester-csp/hotspot/geo"
)

// Options say how to read a file whose properties are not ONS-named.
type Options struct {
	Kind      geo.AreaKind // "" = detect from ONS property names
	CodeField string       // "" = detect
	NameField string       // "" = detect; features without a name are named by their code
}

// ReadFile reads the boundary file at path; see Read.
func ReadFile(path string, opt Options) ([]geo.Area, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("read boundaries: %w", err)
	}
	defer f.Close()
	return Read(f, path, opt)
}

// Read reads a GeoJSON FeatureCollection, a single Feature, or
// newline-delimited Features (.geojsonl), and returns the areas sorted by
// code. name (the file path) is used in errors. ONS property names (WD20CD,
// LSOA21CD, LAD21CD and their NM names) say the kind and fields; opt
// overrides them.
//
// Every feature needs a distinct, non-empty code and a valid Polygon or
// MultiPolygon in longitude/latitude. Any fault returns an *Error matching
// geo.ErrInvalid and no areas.
func Read(r io.Reader, name string, opt Options) ([]geo.Area, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("read boundaries %s: %w", name, err)
	}
	raws, e := splitFeatures(data)
	if e != nil {
		e.File = name
		return nil, e
	}

	feats := make([]*geojson.Feature, len(raws))
	keySet := map[string]struct{}{}
	for i, raw := range raws {
		f, err := geojson.UnmarshalFeature(raw)
		if err == nil && f.Type != "Feature" {
			// orb accepts a null feature without complaint.
			err = errors.New("not a feature")
		}
		if err != nil {
			return nil, &Error{File: name, Feature: i, Err: err}
		}
		feats[i] = f
		for k := range f.Properties {
			keySet[k] = struct{}{}
		}
	}
	fl, err := resolveFields(opt, slices.Sorted(maps.Keys(keySet)))
	if err != nil {
		return nil, &Error{File: name, Feature: -1, Err: err}
	}

	areas := make([]geo.Area, len(feats))
	seen := make(map[string]int, len(feats))
	for i, f := range feats {
		a, err := area(f, raws[i], fl)
		if err != nil {
			return nil, &Error{File: name, Feature: i, Code: a.Code, Err: err}
		}
		if j, dup := seen[a.Code]; dup {
			return nil, &Error{File: name, Feature: i, Code: a.Code,
				Err: fmt.Errorf("duplicate code %s, also feature %d", a.Code, j)}
		}
		seen[a.Code] = i
		areas[i] = a
	}
	slices.SortFunc(areas, func(a, b geo.Area) int { return strings.Compare(a.Code, b.Code) })
	return areas, nil
}

// area converts one feature. On a geometry fault it still returns the code,
// so that the error can name the feature by it.
func area(f *geojson.Feature, raw []byte, fl fields) (geo.Area, error) {
	a := geo.Area{Kind: fl.kind}
	code, ok, err := property(f.Properties, fl.code)
	switch {
	case err != nil:
		return a, fmt.Errorf("code property %s %w", fl.code, err)
	case !ok:
		return a, fmt.Errorf("no code: property %s is missing", fl.code)
	case code == "":
		return a, fmt.Errorf("no code: property %s is empty", fl.code)
	}
	a.Code = code
	a.Name = code
	if fl.name != "" {
		name, _, err := property(f.Properties, fl.name)
		if err != nil {
			return a, fmt.Errorf("name property %s %w", fl.name, err)
		}
		if name != "" {
			a.Name = name
		}
	}
	switch f.Geometry.(type) {
	case orb.Polygon, orb.MultiPolygon:
		if err := checkCoordinates(raw); err != nil {
			return a, err
		}
	}
	a.Geometry, err = multiPolygon(f.Geometry)
	return a, err
}

// splitFeatures returns the raw features of a FeatureCollection, a Feature,
// or a sequence of Features (one a line, or RFC 8142 text sequences).
// Its errors lack the file name, which the caller adds.
func splitFeatures(data []byte) ([]json.RawMessage, *Error) {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	// RS may only appear between JSON texts, never inside one (JSON forbids
	// raw control characters in strings), so blanking it is safe.
	if bytes.IndexByte(data, 0x1e) >= 0 {
		data = bytes.ReplaceAll(data, []byte{0x1e}, []byte{' '})
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	var (
		out        []json.RawMessage
		collection bool
	)
	for n := 0; ; n++ {
		start := dec.InputOffset()
		var raw json.RawMessage
		if err := dec.Decode(&raw); err == io.EOF {
			break
		} else if err != nil {
			return nil, syntaxError(data, start, err)
		}
		var head struct {
			Type     string            `json:"type"`
			Features []json.RawMessage `json:"features"`
		}
		if err := json.Unmarshal(raw, &head); err != nil {
			return nil, &Error{Feature: -1, Err: fmt.Errorf("value %d is not GeoJSON: %w", n, err)}
		}
		switch {
		case collection || head.Type == "FeatureCollection" && n > 0:
			return nil, &Error{Feature: -1, Err: errors.New("a FeatureCollection must be the only value in the file")}
		case head.Type == "FeatureCollection":
			collection = true
			out = head.Features
		case head.Type == "Feature":
			out = append(out, raw)
		default:
			return nil, &Error{Feature: -1, Err: fmt.Errorf("value %d has type %q, need FeatureCollection or Feature", n, head.Type)}
		}
	}
	if len(out) == 0 {
		return nil, &Error{Feature: -1, Err: errors.New("file holds no features")}
	}
	return out, nil
}

// syntaxError locates a JSON error by line and column; a file of hundreds
// of kilobytes is no use to a person as a byte offset.
func syntaxError(data []byte, start int64, err error) *Error {
	off := start
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se):
		// Offset counts the offending byte as read.
		off = se.Offset - 1
	case errors.As(err, &te):
		off = te.Offset
	case errors.Is(err, io.ErrUnexpectedEOF):
		off = int64(len(data))
	}
	off = min(max(off, 0), int64(len(data)))
	line := 1 + bytes.Count(data[:off], []byte{'\n'})
	col := int(off) - bytes.LastIndexByte(data[:off], '\n')
	return &Error{Feature: -1, Line: line, Column: col, Err: err}
}

// checkCoordinates refuses what orb would silently read as zeros: a
// position with fewer than two numbers, or a null in place of a number,
// position or ring. It runs after orb has decoded the geometry as a
// (Multi)Polygon, so the coordinates hold only brackets, commas, numbers,
// nulls and spaces.
func checkCoordinates(feature []byte) error {
	var f struct {
		Geometry struct {
			Type        string          `json:"type"`
			Coordinates json.RawMessage `json:"coordinates"`
		} `json:"geometry"`
	}
	if err := json.Unmarshal(feature, &f); err != nil {
		return err
	}
	// Levels of nesting; the deepest holds one position's numbers.
	names := []string{"polygon", "ring", "position", "coordinate"}
	prefix := ""
	if f.Geometry.Type == "Polygon" {
		names = names[1:]
		prefix = "polygon 0 "
	}
	leaf := len(names)
	var idx [5]int     // element index at each depth
	var filled [5]bool // whether the array at each depth has an element yet
	depth := 0
	where := func(d int) string {
		var b strings.Builder
		b.WriteString(prefix)
		for l := 1; l <= d; l++ {
			if l > 1 {
				b.WriteByte(' ')
			}
			fmt.Fprintf(&b, "%s %d", names[l-1], idx[l])
		}
		return b.String()
	}
	for _, c := range f.Geometry.Coordinates {
		switch c {
		case ' ', '\t', '\r', '\n':
		case '[':
			if depth > 0 {
				filled[depth] = true
			}
			depth++
			if depth > leaf {
				return errors.New("coordinates nest too deep")
			}
			idx[depth], filled[depth] = 0, false
		case ']':
			if depth == leaf {
				got := 0
				if filled[depth] {
					got = idx[depth] + 1
				}
				if got < 2 {
					return fmt.Errorf("%s: position has %d numbers, need longitude and latitude", where(depth-1), got)
				}
			}
			depth--
		case ',':
			idx[depth]++
		case 'n':
			if depth == 0 {
				return errors.New("coordinates are null")
			}
			return fmt.Errorf("%s is null", where(depth))
		default:
			filled[depth] = true
		}
	}
	return nil
}
