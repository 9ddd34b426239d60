// Package priority reads the partnership's priorities from a JSON file:
// the built-ins of DESIGN.md can be overridden by id and new ones added,
// so a change of plan is configuration, not code.
package priority

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"regexp"
	"strings"

	"github.com/leicester-csp/hotspot/geo"
)

// file is the JSON form: {"priorities": [{"id": …, "name": …,
// "categories": […], "area": ["Castle"]}]}.
type file struct {
	Priorities []geo.Priority `json:"priorities"`
}

var idRE = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,63}$`)

// Read parses a priorities file; name is used in errors.
func Read(r io.Reader, name string) ([]geo.Priority, error) {
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	var f file
	if err := dec.Decode(&f); err != nil {
		return nil, fmt.Errorf("priorities %s: %w: %v", name, geo.ErrInvalid, err)
	}
	if dec.More() {
		return nil, fmt.Errorf("priorities %s: %w: data after the JSON object", name, geo.ErrInvalid)
	}
	seen := map[string]bool{}
	for i, p := range f.Priorities {
		where := fmt.Sprintf("priorities %s: priority %d (%q)", name, i, p.ID)
		switch {
		case !idRE.MatchString(p.ID):
			return nil, fmt.Errorf("%s: %w: id must be lower-case letters, digits and dashes", where, geo.ErrInvalid)
		case seen[p.ID]:
			return nil, fmt.Errorf("%s: %w: id given twice", where, geo.ErrInvalid)
		case strings.TrimSpace(p.Name) == "":
			return nil, fmt.Errorf("%s: %w: no name", where, geo.ErrInvalid)
		case len(p.Categories) == 0:
			return nil, fmt.Errorf("%s: %w: no categories", where, geo.ErrInvalid)
		}
		for _, c := range p.Categories {
			if strings.TrimSpace(c) == "" {
				return nil, fmt.Errorf("%s: %w: empty category", where, geo.ErrInvalid)
			}
		}
		for _, a := range p.Area {
			if strings.TrimSpace(a) == "" {
				return nil, fmt.Errorf("%s: %w: empty area ward", where, geo.ErrInvalid)
			}
		}
		seen[p.ID] = true
	}
	return f.Priorities, nil
}

// Load returns the built-in priorities, overridden and extended by the
// file at path ("" for the built-ins alone).
func Load(path string) ([]geo.Priority, error) {
	base := geo.BuiltinPriorities()
	if path == "" {
		return base, nil
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("priorities: %w", err)
	}
	defer f.Close()
	extra, err := Read(f, path)
	if err != nil {
		return nil, err
	}
	return Merge(base, extra), nil
}

// Merge overrides base priorities by id and appends new ones, keeping
// base order first.
func Merge(base, extra []geo.Priority) []geo.Priority {
	out := append([]geo.Priority(nil), base...)
	for _, p := range extra {
		replaced := false
		for i := range out {
			if out[i].ID == p.ID {
				out[i], replaced = p, true
			}
		}
		if !replaced {
			out = append(out, p)
		}
	}
	return out
}
