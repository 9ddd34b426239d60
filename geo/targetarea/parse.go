// Package targetarea reads and checks target areas as clients send them:
// a GeoJSON Feature, Polygon or MultiPolygon, with the properties name,
// priority, start (YYYY-MM) and actions (DESIGN.md, "Target areas").
// A mistake is a FieldError naming the member to fix.
package targetarea

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/paulmach/orb"

	"github.com/leicester-csp/hotspot/geo"
)

// FieldError names the member of the Feature that is wrong and why.
type FieldError struct {
	Field string // "geometry", "name", "priority", "start", "actions", "body"
	Msg   string
}

func (e *FieldError) Error() string { return e.Field + ": " + e.Msg }

// Unwrap makes every FieldError a geo.ErrInvalid.
func (e *FieldError) Unwrap() error { return geo.ErrInvalid }

func invalid(field, format string, a ...any) error {
	return &FieldError{Field: field, Msg: fmt.Sprintf(format, a...)}
}

// Limits on what one area may hold: enough for a drawn area or the union
// of a few hundred hexagons, small enough that checking it for crossings
// (quadratic in its edges) stays in milliseconds.
const (
	MaxBytes    = 1 << 20
	MaxVertices = 4000
	MaxName     = 200
	MaxActions  = 4000
)

// Draft is a target area as sent, checked: everything but its id, owner
// and times, which the server gives.
type Draft struct {
	Name     string
	Priority string
	Start    geo.Month
	Actions  string
	Geometry orb.MultiPolygon
}

type feature struct {
	Type       string          `json:"type"`
	Geometry   json.RawMessage `json:"geometry"`
	Properties json.RawMessage `json:"properties"`
}

type geometry struct {
	Type        string          `json:"type"`
	Coordinates json.RawMessage `json:"coordinates"`
}

type properties struct {
	Name     *string `json:"name"`
	Priority *string `json:"priority"`
	Start    *string `json:"start"`
	Actions  *string `json:"actions"`
}

// Parse reads one Feature. Priorities are the caller's to check against
// the configured ones, and the start month against the data.
func Parse(b []byte) (Draft, error) {
	if len(b) > MaxBytes {
		return Draft{}, invalid("body", "an area is at most %d bytes", MaxBytes)
	}
	var f feature
	if err := strictDecode(b, &f); err != nil {
		return Draft{}, invalid("body", "not a GeoJSON Feature: %v", err)
	}
	if f.Type != "Feature" {
		return Draft{}, invalid("body", "type is %q; want a GeoJSON \"Feature\"", f.Type)
	}
	mp, err := parseGeometry(f.Geometry)
	if err != nil {
		return Draft{}, err
	}
	d := Draft{Geometry: mp}
	return d, d.readProperties(f.Properties)
}

func strictDecode(b []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(b))
	if err := dec.Decode(v); err != nil {
		return err
	}
	if dec.More() {
		return fmt.Errorf("more than one JSON value")
	}
	return nil
}

func (d *Draft) readProperties(raw json.RawMessage) error {
	var p properties
	if len(raw) == 0 || string(raw) == "null" {
		return invalid("name", "the Feature has no properties: give name, priority, start and actions")
	}
	if err := json.Unmarshal(raw, &p); err != nil {
		return invalid("properties", "name, priority, start and actions must be strings: %v", err)
	}
	var err error
	if d.Name, err = text("name", p.Name, MaxName, true); err != nil {
		return err
	}
	if d.Priority, err = text("priority", p.Priority, 100, true); err != nil {
		return err
	}
	start, err := text("start", p.Start, 7, true)
	if err != nil {
		return err
	}
	if d.Start, err = geo.ParseMonth(start); err != nil {
		return invalid("start", "start %q is not a month YYYY-MM", start)
	}
	d.Actions, err = text("actions", p.Actions, MaxActions, false)
	return err
}

func text(field string, v *string, maxLen int, required bool) (string, error) {
	if v == nil || strings.TrimSpace(*v) == "" {
		if required {
			return "", invalid(field, "%s is required", field)
		}
		return "", nil
	}
	s := strings.TrimSpace(*v)
	if !utf8.ValidString(s) || strings.ContainsRune(s, 0) {
		return "", invalid(field, "%s is not valid UTF-8 text", field)
	}
	if len(s) > maxLen {
		return "", invalid(field, "%s is longer than %d bytes", field, maxLen)
	}
	return s, nil
}

func parseGeometry(raw json.RawMessage) (orb.MultiPolygon, error) {
	if len(raw) == 0 || string(raw) == "null" {
		return nil, invalid("geometry", "the Feature has no geometry: draw a Polygon or MultiPolygon")
	}
	var g geometry
	if err := json.Unmarshal(raw, &g); err != nil {
		return nil, invalid("geometry", "not a GeoJSON geometry: %v", err)
	}
	var mp orb.MultiPolygon
	switch g.Type {
	case "Polygon":
		var p [][][]float64
		if err := json.Unmarshal(g.Coordinates, &p); err != nil {
			return nil, invalid("geometry", "Polygon coordinates: %v", err)
		}
		mp = orb.MultiPolygon{polygonOf(p)}
	case "MultiPolygon":
		var ps [][][][]float64
		if err := json.Unmarshal(g.Coordinates, &ps); err != nil {
			return nil, invalid("geometry", "MultiPolygon coordinates: %v", err)
		}
		for _, p := range ps {
			mp = append(mp, polygonOf(p))
		}
	default:
		return nil, invalid("geometry", "a target area is a Polygon or MultiPolygon, not %q", g.Type)
	}
	if err := Check(mp); err != nil {
		return nil, err
	}
	return Orient(mp), nil
}

// polygonOf keeps positions as given; a position that is not two or
// three numbers is marked NaN for Check to refuse.
func polygonOf(p [][][]float64) orb.Polygon {
	poly := make(orb.Polygon, 0, len(p))
	for _, r := range p {
		ring := make(orb.Ring, 0, len(r))
		for _, pos := range r {
			pt := orb.Point{nan, nan}
			if len(pos) == 2 || len(pos) == 3 {
				pt = orb.Point{pos[0], pos[1]}
			}
			ring = append(ring, pt)
		}
		poly = append(poly, ring)
	}
	return poly
}
