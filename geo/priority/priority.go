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
	"slices"
	"strings"

	"github.com/leicester-csp/hotspot/geo"
)

// file is the JSON form: {"priorities": [{"id": …, "name": …,
// "categories": […], "area": ["Castle"]}], "measures": [{"id", "name",
// "categories", "area", "source", "flags", "goal": "reduce"}]}.
type file struct {
	Priorities []geo.Priority `json:"priorities"`
	Measures   []geo.Measure  `json:"measures"`
}

// Plan is what a priorities file configures: the priorities and the
// quarterly measures.
type Plan struct {
	Priorities []geo.Priority
	Measures   []geo.Measure
}

var idRE = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,63}$`)

// Read parses a priorities file's priorities; name is used in errors.
func Read(r io.Reader, name string) ([]geo.Priority, error) {
	p, err := ReadPlan(r, name)
	return p.Priorities, err
}

// ReadPlan parses a priorities file, measures included; name is used in
// errors.
func ReadPlan(r io.Reader, name string) (Plan, error) {
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	var f file
	if err := dec.Decode(&f); err != nil {
		return Plan{}, fmt.Errorf("priorities %s: %w: %v", name, geo.ErrInvalid, err)
	}
	if dec.More() {
		return Plan{}, fmt.Errorf("priorities %s: %w: data after the JSON object", name, geo.ErrInvalid)
	}
	if err := checkPriorities(f.Priorities, name); err != nil {
		return Plan{}, err
	}
	if err := checkMeasures(f.Measures, name); err != nil {
		return Plan{}, err
	}
	return Plan(f), nil
}

func checkPriorities(ps []geo.Priority, name string) error {
	seen := map[string]bool{}
	for i, p := range ps {
		where := fmt.Sprintf("priorities %s: priority %d (%q)", name, i, p.ID)
		switch {
		case !idRE.MatchString(p.ID):
			return fmt.Errorf("%s: %w: id must be lower-case letters, digits and dashes", where, geo.ErrInvalid)
		case seen[p.ID]:
			return fmt.Errorf("%s: %w: id given twice", where, geo.ErrInvalid)
		case strings.TrimSpace(p.Name) == "":
			return fmt.Errorf("%s: %w: no name", where, geo.ErrInvalid)
		case len(p.Categories) == 0:
			return fmt.Errorf("%s: %w: no categories", where, geo.ErrInvalid)
		}
		if err := checkLists(p.Categories, p.Area, where); err != nil {
			return err
		}
		seen[p.ID] = true
	}
	return nil
}

func checkLists(categories, area []string, where string) error {
	for _, c := range categories {
		if strings.TrimSpace(c) == "" {
			return fmt.Errorf("%s: %w: empty category", where, geo.ErrInvalid)
		}
	}
	for _, a := range area {
		if strings.TrimSpace(a) == "" {
			return fmt.Errorf("%s: %w: empty area ward", where, geo.ErrInvalid)
		}
	}
	return nil
}

// Sources and flags a measure may name today: partner sources are not
// yet imported, so a measure naming one would count nothing and look
// like a fall.
var knownSources = []string{"", "policeuk"}

func checkMeasures(ms []geo.Measure, name string) error {
	seen := map[string]bool{}
	for i, m := range ms {
		where := fmt.Sprintf("priorities %s: measure %d (%q)", name, i, m.ID)
		switch {
		case !idRE.MatchString(m.ID):
			return fmt.Errorf("%s: %w: id must be lower-case letters, digits and dashes", where, geo.ErrInvalid)
		case seen[m.ID]:
			return fmt.Errorf("%s: %w: id given twice", where, geo.ErrInvalid)
		case strings.TrimSpace(m.Name) == "":
			return fmt.Errorf("%s: %w: no name", where, geo.ErrInvalid)
		case len(m.Categories) == 0:
			return fmt.Errorf("%s: %w: no categories", where, geo.ErrInvalid)
		case !slices.Contains(knownSources, m.Source):
			return fmt.Errorf("%s: %w: source %q is not known: only policeuk can be measured until partner sources are imported", where, geo.ErrInvalid, m.Source)
		case len(m.Flags) > 0:
			return fmt.Errorf("%s: %w: flags %q: police.uk records carry no flags, and partner sources are not imported yet", where, geo.ErrInvalid, m.Flags)
		case m.Goal != "" && m.Goal != geo.GoalReduce:
			return fmt.Errorf("%s: %w: goal %q is not %q (or none)", where, geo.ErrInvalid, m.Goal, geo.GoalReduce)
		}
		if err := checkLists(m.Categories, m.Area, where); err != nil {
			return err
		}
		seen[m.ID] = true
	}
	return nil
}

// Load returns the built-in priorities, overridden and extended by the
// file at path ("" for the built-ins alone).
func Load(path string) ([]geo.Priority, error) {
	p, err := LoadPlan(path)
	return p.Priorities, err
}

// LoadPlan returns the built-in priorities and measures, overridden (by
// id) and extended by the file at path ("" for the built-ins alone). An
// id may name a priority or a measure, not both: report rows are known
// by it.
func LoadPlan(path string) (Plan, error) {
	plan := Plan{Priorities: geo.BuiltinPriorities(), Measures: geo.BuiltinMeasures()}
	if path == "" {
		return plan, nil
	}
	f, err := os.Open(path)
	if err != nil {
		return Plan{}, fmt.Errorf("priorities: %w", err)
	}
	defer f.Close()
	extra, err := ReadPlan(f, path)
	if err != nil {
		return Plan{}, err
	}
	plan.Priorities = Merge(plan.Priorities, extra.Priorities)
	plan.Measures = mergeMeasures(plan.Measures, extra.Measures)
	for _, m := range plan.Measures {
		for _, p := range plan.Priorities {
			if p.ID == m.ID {
				return Plan{}, fmt.Errorf("priorities %s: %w: id %q names both a priority and a measure", path, geo.ErrInvalid, m.ID)
			}
		}
	}
	return plan, nil
}

func mergeMeasures(base, extra []geo.Measure) []geo.Measure {
	out := slices.Clone(base)
	for _, m := range extra {
		if i := slices.IndexFunc(out, func(b geo.Measure) bool { return b.ID == m.ID }); i >= 0 {
			out[i] = m
		} else {
			out = append(out, m)
		}
	}
	return out
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
