package archtest

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os/exec"
	"strings"
	"testing"
)

// rule forbids the packages it binds some imports. Patterns name a package,
// or with a trailing "/..." a package and everything under it; the lone
// pattern "..." is every package of the project. A pattern whose first
// element has a dot (github.com/…) is a third-party import path; any other
// is relative to the module.
//
// Only non-test imports count: tests may import anything.
type rule struct {
	name   string
	pkgs   []string // the packages the rule binds
	except []string // packages matched by pkgs that it does not bind
	forbid []string // imports the bound packages may not have
	allow  []string // imports matched by forbid that are allowed after all
}

var rules = []rule{
	{
		name:   "geo is the bottom layer",
		pkgs:   []string{"geo/..."},
		forbid: []string{"api/...", "tiles/...", "web/...", "cmd/..."},
	},
	{
		name:   "tiles sits below api",
		pkgs:   []string{"tiles/..."},
		forbid: []string{"api/...", "web/...", "cmd/..."},
	},
	{
		name:   "api sits below web and cmd",
		pkgs:   []string{"api/..."},
		forbid: []string{"web/...", "cmd/..."},
	},
	{
		name:   "web uses only internal packages of the project",
		pkgs:   []string{"web/..."},
		forbid: []string{"..."},
		allow:  []string{"internal/..."},
	},
	{
		name:   "geo/stats uses no project package",
		pkgs:   []string{"geo/stats/..."},
		forbid: []string{"..."},
	},
	{
		name:   "geo/forecast uses no project package",
		pkgs:   []string{"geo/forecast/..."},
		forbid: []string{"..."},
	},
	{
		name:   "only geo/hex uses H3",
		pkgs:   []string{"..."},
		except: []string{"geo/hex"},
		forbid: []string{"github.com/uber/h3-go/v4/..."},
	},
	{
		name:   "only the PostGIS store uses lib/pq",
		pkgs:   []string{"..."},
		except: []string{"geo/store/postgis"},
		forbid: []string{"github.com/lib/pq/..."},
	},
	{
		name:   "test helpers and synthetic data stay out of the product",
		pkgs:   []string{"api/...", "tiles/...", "geo/...", "cmd/..."},
		except: []string{"cmd/hotspot"},
		forbid: []string{"internal/synth/...", "internal/shareddata/...", "internal/storetest/...", "internal/pgcluster/..."},
	},
	{
		name:   "cmd/hotspot may use synthetic data but no test helpers",
		pkgs:   []string{"cmd/hotspot"},
		forbid: []string{"internal/shareddata/...", "internal/storetest/...", "internal/pgcluster/..."},
	},
}

// goPackage is the part of `go list -json` the layering rules read.
type goPackage struct {
	ImportPath string
	Imports    []string // non-test imports
}

// violation is a package importing what a rule forbids it.
type violation struct {
	rule, pkg, imp string
}

func (v violation) String() string {
	return fmt.Sprintf("%s imports %s, which rule %q forbids", short(v.pkg), short(v.imp), v.rule)
}

// short writes a project import path relative to the module.
func short(path string) string {
	if rel, ok := strings.CutPrefix(path, module+"/"); ok {
		return rel
	}
	return path
}

// expand turns a rule's pattern into one over full import paths.
func expand(pattern string) string {
	if pattern == "..." {
		return module + "/..."
	}
	first, _, _ := strings.Cut(pattern, "/")
	if strings.Contains(first, ".") {
		return pattern
	}
	return module + "/" + pattern
}

// matches reports whether the import path is matched by the pattern, a
// full import path that may end in "/...".
func matches(pattern, path string) bool {
	if base, ok := strings.CutSuffix(pattern, "/..."); ok {
		return path == base || strings.HasPrefix(path, base+"/")
	}
	return path == pattern
}

// matchesAny reports whether one of the rule patterns matches path.
func matchesAny(patterns []string, path string) bool {
	for _, p := range patterns {
		if matches(expand(p), path) {
			return true
		}
	}
	return false
}

// check returns every import of pkgs that one of rules forbids, in the
// order of pkgs, then of their imports, then of rules.
func check(rules []rule, pkgs []goPackage) []violation {
	var out []violation
	for _, p := range pkgs {
		for _, imp := range p.Imports {
			for _, r := range rules {
				if !matchesAny(r.pkgs, p.ImportPath) || matchesAny(r.except, p.ImportPath) {
					continue
				}
				if matchesAny(r.forbid, imp) && !matchesAny(r.allow, imp) {
					out = append(out, violation{rule: r.name, pkg: p.ImportPath, imp: imp})
				}
			}
		}
	}
	return out
}

// listPackages runs `go list -json ./...` at the module root.
func listPackages(t *testing.T) []goPackage {
	t.Helper()
	cmd := exec.Command("go", "list", "-json", "./...")
	cmd.Dir = moduleRoot(t)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list -json ./...: %v\n%s", err, stderr.Bytes())
	}
	var pkgs []goPackage
	dec := json.NewDecoder(bytes.NewReader(out))
	for {
		var p goPackage
		if err := dec.Decode(&p); errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			t.Fatalf("go list -json ./...: %v", err)
		}
		pkgs = append(pkgs, p)
	}
	return pkgs
}

func TestLayers(t *testing.T) {
	pkgs := listPackages(t)
	if len(pkgs) < 10 {
		t.Fatalf("go list found %d packages; is it run at the module root?", len(pkgs))
	}
	for _, v := range check(rules, pkgs) {
		t.Error(v)
	}
}

// TestRulesNameRealPackages keeps the rules from going stale: a package
// renamed or moved must take its rules along, not leave them matching
// nothing.
func TestRulesNameRealPackages(t *testing.T) {
	pkgs := listPackages(t)
	known := map[string]bool{}
	for _, p := range pkgs {
		known[p.ImportPath] = true
		for _, imp := range p.Imports {
			known[imp] = true
		}
	}
	for _, r := range rules {
		for _, list := range [][]string{r.pkgs, r.except, r.forbid, r.allow} {
			for _, pattern := range list {
				found := false
				for path := range known {
					if matches(expand(pattern), path) {
						found = true
						break
					}
				}
				if !found {
					t.Errorf("rule %q: pattern %q matches no package of the project nor any import", r.name, pattern)
				}
			}
		}
	}
}
