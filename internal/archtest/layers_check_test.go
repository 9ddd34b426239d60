package archtest

import (
	"slices"
	"strings"
	"testing"
)

// concrete returns a full import path that pattern matches and none of
// avoid does, or "" when the two tries fail.
func concrete(pattern string, avoid []string) string {
	full := expand(pattern)
	base, _ := strings.CutSuffix(full, "/...")
	for _, path := range []string{base, base + "/madeup"} {
		if matches(full, path) && !matchesAny(avoid, path) {
			return path
		}
	}
	return ""
}

// TestEveryRuleCanFail feeds the checker, for each rule and each pair of
// a bound package pattern and a forbidden import pattern, one made-up
// package with that import, and expects exactly that rule to report it by
// package, import and name.
func TestEveryRuleCanFail(t *testing.T) {
	for _, r := range rules {
		for _, pkgPattern := range r.pkgs {
			for _, forbidPattern := range r.forbid {
				pkg := concrete(pkgPattern, r.except)
				imp := concrete(forbidPattern, r.allow)
				if pkg == "" || imp == "" {
					t.Errorf("rule %q: found no package for %q or import for %q", r.name, pkgPattern, forbidPattern)
					continue
				}
				got := check([]rule{r}, []goPackage{{ImportPath: pkg, Imports: []string{"fmt", imp}}})
				want := []violation{{rule: r.name, pkg: pkg, imp: imp}}
				if !slices.Equal(got, want) {
					t.Errorf("rule %q, %s importing %s: violations %v, want %v", r.name, pkg, imp, got, want)
					continue
				}
				msg := got[0].String()
				for _, s := range []string{short(pkg), short(imp), r.name} {
					if !strings.Contains(msg, s) {
						t.Errorf("message %q does not name %q", msg, s)
					}
				}
			}
		}
	}
}

// TestCheckCases runs the whole rule table over made-up packages, for the
// exceptions and boundaries that TestEveryRuleCanFail does not reach.
func TestCheckCases(t *testing.T) {
	p := func(rel string) string { return module + "/" + rel }
	tests := []struct {
		name     string
		pkg, imp string
		rules    []string // names of the rules broken, in table order
	}{
		{"geo importing tiles", p("geo/analysis"), p("tiles"), []string{"geo is the bottom layer"}},
		{"geo importing the command", p("geo/ingest"), p("cmd/hotspot"), []string{"geo is the bottom layer"}},
		{"geo within geo", p("geo/analysis"), p("geo/hex"), nil},
		{"a package named like geo is not under geo", p("geography"), p("api"), nil},
		{"tiles importing api", p("tiles"), p("api"), []string{"tiles sits below api"}},
		{"tiles importing geo", p("tiles"), p("geo/analysis"), nil},
		{"api importing web", p("api"), p("web"), []string{"api sits below web and cmd"}},
		{"api importing tiles", p("api"), p("tiles"), nil},
		{"web importing geo", p("web"), p("geo"), []string{"web uses only internal packages of the project"}},
		{"web importing internal", p("web"), p("internal/anything"), nil},
		{"web importing the standard library", p("web"), "embed", nil},
		{"geo/stats importing geo", p("geo/stats"), p("geo"), []string{"geo/stats uses no project package"}},
		{"geo/stats importing math", p("geo/stats"), "math", nil},
		{"geo/hex importing H3", p("geo/hex"), "github.com/uber/h3-go/v4", nil},
		{"geo/analysis importing H3", p("geo/analysis"), "github.com/uber/h3-go/v4", []string{"only geo/hex uses H3"}},
		{"api importing H3", p("api"), "github.com/uber/h3-go/v4", []string{"only geo/hex uses H3"}},
		{"postgis importing lib/pq", p("geo/store/postgis"), "github.com/lib/pq", nil},
		{"postgis importing lib/pq's errors", p("geo/store/postgis"), "github.com/lib/pq/pqerror", nil},
		{"embedded importing lib/pq", p("geo/store/embedded"), "github.com/lib/pq", []string{"only the PostGIS store uses lib/pq"}},
		{"the command importing lib/pq", p("cmd/hotspot"), "github.com/lib/pq/pqerror", []string{"only the PostGIS store uses lib/pq"}},
		{"cmd/hotspot importing synth", p("cmd/hotspot"), p("internal/synth"), nil},
		{"cmd/hotspot importing the store suite", p("cmd/hotspot"), p("internal/storetest"),
			[]string{"cmd/hotspot may use synthetic data but no test helpers"}},
		{"api importing synth", p("api"), p("internal/synth"), []string{"test helpers and synthetic data stay out of the product"}},
		{"geo importing shared data", p("geo/hex"), p("internal/shareddata"), []string{"test helpers and synthetic data stay out of the product"}},
		{"tiles importing the store suite", p("tiles"), p("internal/storetest"), []string{"test helpers and synthetic data stay out of the product"}},
		{"another command importing synth", p("cmd/other"), p("internal/synth"), []string{"test helpers and synthetic data stay out of the product"}},
		{"geo/stats importing synth", p("geo/stats"), p("internal/synth"),
			[]string{"geo/stats uses no project package", "test helpers and synthetic data stay out of the product"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			for _, v := range check(rules, []goPackage{{ImportPath: tt.pkg, Imports: []string{tt.imp}}}) {
				if v.pkg != tt.pkg || v.imp != tt.imp {
					t.Errorf("violation %v is not about %s importing %s", v, tt.pkg, tt.imp)
				}
				got = append(got, v.rule)
			}
			if !slices.Equal(got, tt.rules) {
				t.Errorf("rules broken %q, want %q", got, tt.rules)
			}
		})
	}
}

func TestMatches(t *testing.T) {
	tests := []struct {
		pattern, path string
		want          bool
	}{
		{"a/b", "a/b", true},
		{"a/b", "a/b/c", false},
		{"a/b/...", "a/b", true},
		{"a/b/...", "a/b/c/d", true},
		{"a/b/...", "a/bc", false},
		{"a/b/...", "a", false},
	}
	for _, tt := range tests {
		if got := matches(tt.pattern, tt.path); got != tt.want {
			t.Errorf("matches(%q, %q) = %v, want %v", tt.pattern, tt.path, got, tt.want)
		}
	}
	for pattern, want := range map[string]string{
		"...":                     module + "/...",
		"geo/...":                 module + "/geo/...",
		"cmd/hotspot":             module + "/cmd/hotspot",
		"github.com/lib/pq/...":   "github.com/lib/pq/...",
		"golang.org/x/tools/go/a": "golang.org/x/tools/go/a",
	} {
		if got := expand(pattern); got != want {
			t.Errorf("expand(%q) = %q, want %q", pattern, got, want)
		}
	}
}
