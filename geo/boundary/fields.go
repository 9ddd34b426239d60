package boundary

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/leicester-csp/hotspot/geo"
)

// fields says which properties hold a file's codes and names.
type fields struct {
	kind geo.AreaKind
	code string
	name string // "" when the file has no names
}

// onsPrefixes maps the ONS property prefixes to the kind they name, finest
// geography first. MSOAs
// and other geographies are deliberately absent: the service has no use for
// them, and loading one as a ward by accident would be worse than refusing.
var onsPrefixes = []struct {
	prefix string
	kind   geo.AreaKind
}{
	{"LSOA", geo.KindLSOA},
	{"WD", geo.KindWard},
	{"LAD", geo.KindCity},
}

// onsKey splits an ONS property name such as WD20CD or lsoa21nm into its
// kind, its stem (WD20) and whether it holds codes (CD) or names (NM).
func onsKey(key string) (kind geo.AreaKind, stem string, isCode, ok bool) {
	u := strings.ToUpper(key)
	for _, p := range onsPrefixes {
		rest, found := strings.CutPrefix(u, p.prefix)
		if !found || len(rest) != 4 || !isDigit(rest[0]) || !isDigit(rest[1]) {
			continue
		}
		switch rest[2:] {
		case "CD":
			return p.kind, u[:len(u)-2], true, true
		case "NM":
			return p.kind, u[:len(u)-2], false, true
		}
	}
	return "", "", false, false
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// resolveFields decides kind, code and name properties from the options and
// the property names found in the file (keys, sorted).
func resolveFields(opt Options, keys []string) (fields, error) {
	f := fields{kind: opt.Kind, code: opt.CodeField, name: opt.NameField}
	if f.kind != "" {
		if _, ok := geo.ParseAreaKind(string(f.kind)); !ok {
			return f, fmt.Errorf("unknown kind %q, use ward, lsoa or city", f.kind)
		}
	}
	if f.code != "" {
		if !hasKey(keys, f.code) {
			return f, fmt.Errorf("no feature has the code property %q (properties: %s)", f.code, listKeys(keys))
		}
		if f.kind == "" {
			if k, _, isCode, ok := onsKey(f.code); ok && isCode {
				f.kind = k
			}
		}
	} else {
		byKind := map[geo.AreaKind][]string{}
		for _, k := range keys {
			if kind, _, isCode, ok := onsKey(k); ok && isCode {
				byKind[kind] = append(byKind[kind], k)
			}
		}
		// A file may carry its parent geography's codes (an LSOA file with
		// LAD21CD); the finest geography is what the features are.
		if f.kind == "" {
			for _, p := range onsPrefixes {
				if len(byKind[p.kind]) > 0 {
					f.kind = p.kind
					break
				}
			}
		}
		if f.kind == "" {
			return f, needOptions(keys)
		}
		switch c := byKind[f.kind]; len(c) {
		case 0:
			return f, fmt.Errorf("no %s code property (like %s) found (properties: %s); pass --code-field",
				f.kind, example(f.kind), listKeys(keys))
		case 1:
			f.code = c[0]
		default:
			return f, fmt.Errorf("several %s code properties (%s); pass --code-field to choose",
				f.kind, strings.Join(c, ", "))
		}
	}
	if f.kind == "" {
		return f, needOptions(keys)
	}
	if f.name != "" {
		if !hasKey(keys, f.name) {
			return f, fmt.Errorf("no feature has the name property %q (properties: %s)", f.name, listKeys(keys))
		}
	} else if _, stem, isCode, ok := onsKey(f.code); ok && isCode {
		if k, found := findKey(keys, stem+"NM"); found {
			f.name = k
		}
	}
	return f, nil
}

func needOptions(keys []string) error {
	return fmt.Errorf("cannot tell what the features are: no WDxxCD, LSOAxxCD or LADxxCD property (properties: %s); "+
		"pass --kind ward|lsoa|city and --code-field/--name-field", listKeys(keys))
}

func example(k geo.AreaKind) string {
	switch k {
	case geo.KindLSOA:
		return "LSOA21CD"
	case geo.KindCity:
		return "LAD21CD"
	}
	return "WD24CD"
}

func listKeys(keys []string) string {
	const most = 12
	if len(keys) == 0 {
		return "none"
	}
	if len(keys) > most {
		return strings.Join(keys[:most], ", ") + ", …"
	}
	return strings.Join(keys, ", ")
}

func hasKey(keys []string, want string) bool {
	_, ok := findKey(keys, want)
	return ok
}

// findKey matches property names exactly first, then ignoring case, taking
// the first in sorted order so that the choice does not depend on map
// iteration.
func findKey(keys []string, want string) (string, bool) {
	if slices.Contains(keys, want) {
		return want, true
	}
	for _, k := range keys {
		if strings.EqualFold(k, want) {
			return k, true
		}
	}
	return "", false
}

// property returns a feature's property as text; ok is false when it is
// absent or null.
func property(props map[string]any, field string) (s string, ok bool, err error) {
	v, found := props[field]
	if !found {
		k, match := findKey(slices.Sorted(maps.Keys(props)), field)
		if !match {
			return "", false, nil
		}
		v = props[k]
	}
	switch v := v.(type) {
	case nil:
		return "", false, nil
	case string:
		return strings.TrimSpace(v), true, nil
	case float64:
		// Some files hold numeric identifiers; print them as written.
		return strconv.FormatFloat(v, 'f', -1, 64), true, nil
	}
	return "", false, errors.New("is neither a string nor a number")
}
