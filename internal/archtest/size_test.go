package archtest

import (
	"bytes"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

const (
	// maxFileLines bounds every Go file, tests included, and every
	// JavaScript file of the web map's sources and tests.
	maxFileLines = 500
	// maxFuncLines bounds every function, declared or literal, in the Go
	// files that are not tests, from its first line to its closing brace.
	maxFuncLines = 80
)

// offender is a file or function over its limit.
type offender struct {
	file  string // slash-separated, relative to the scanned root
	line  int    // where the function starts; 1 for a file
	what  string // "file", or the function's name
	lines int
}

func (o offender) String() string {
	return fmt.Sprintf("%s:%d: %s is %d lines", o.file, o.line, o.what, o.lines)
}

// skipDir reports whether the folder at rel (relative to the root) holds
// nothing of the project's own to measure: dependencies, build output,
// test data and dot folders such as .git.
func skipDir(rel, name string) bool {
	return name == "node_modules" || name == "testdata" || rel == "web/dist" ||
		(strings.HasPrefix(name, ".") && rel != ".")
}

// isWebSource reports whether rel is a JavaScript file of the web map's
// sources or tests.
func isWebSource(rel string) bool {
	return (strings.HasPrefix(rel, "web/src/") || strings.HasPrefix(rel, "web/test/")) &&
		(strings.HasSuffix(rel, ".js") || strings.HasSuffix(rel, ".mjs"))
}

// scanSizes walks root and returns the files over maxFileLines and the
// functions over maxFuncLines, sorted by file and line.
func scanSizes(root string) (files, funcs []offender, err error) {
	err = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(root, path)
		if err != nil {
			return err
		}
		rel = filepath.ToSlash(rel)
		if d.IsDir() {
			if skipDir(rel, d.Name()) {
				return filepath.SkipDir
			}
			return nil
		}
		isGo := strings.HasSuffix(rel, ".go")
		if !isGo && !isWebSource(rel) {
			return nil
		}
		src, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		if n := countLines(src); n > maxFileLines {
			files = append(files, offender{file: rel, line: 1, what: "file", lines: n})
		}
		if isGo && !strings.HasSuffix(rel, "_test.go") {
			long, err := longFuncs(rel, src)
			if err != nil {
				return err
			}
			funcs = append(funcs, long...)
		}
		return nil
	})
	byPlace := func(a, b offender) int {
		if c := strings.Compare(a.file, b.file); c != 0 {
			return c
		}
		return a.line - b.line
	}
	slices.SortFunc(files, byPlace)
	slices.SortFunc(funcs, byPlace)
	return files, funcs, err
}

// countLines counts lines as an editor numbers them: a last line without
// a newline counts too.
func countLines(src []byte) int {
	n := bytes.Count(src, []byte("\n"))
	if len(src) > 0 && src[len(src)-1] != '\n' {
		n++
	}
	return n
}

// longFuncs parses the Go file and returns its functions over
// maxFuncLines: declared functions and methods, and function literals,
// each measured on its own (a literal also counts towards the function
// around it).
func longFuncs(name string, src []byte) ([]offender, error) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, name, src, parser.SkipObjectResolution)
	if err != nil {
		return nil, err
	}
	var out []offender
	ast.Inspect(f, func(n ast.Node) bool {
		var what string
		switch fn := n.(type) {
		case *ast.FuncDecl:
			if fn.Body == nil {
				return true
			}
			what = funcName(fn)
		case *ast.FuncLit:
			what = "func literal"
		default:
			return true
		}
		start, end := fset.Position(n.Pos()).Line, fset.Position(n.End()).Line
		if lines := end - start + 1; lines > maxFuncLines {
			out = append(out, offender{file: name, line: start, what: what, lines: lines})
		}
		return true
	})
	return out, nil
}

// funcName names a declared function, a method as Type.Name.
func funcName(fn *ast.FuncDecl) string {
	if fn.Recv == nil || len(fn.Recv.List) == 0 {
		return fn.Name.Name
	}
	t := fn.Recv.List[0].Type
	for {
		switch x := t.(type) {
		case *ast.StarExpr:
			t = x.X
			continue
		case *ast.IndexExpr:
			t = x.X
			continue
		case *ast.IndexListExpr:
			t = x.X
			continue
		case *ast.Ident:
			return x.Name + "." + fn.Name.Name
		}
		return fn.Name.Name
	}
}

func TestSize(t *testing.T) {
	files, funcs, err := scanSizes(moduleRoot(t))
	if err != nil {
		t.Fatal(err)
	}
	report := func(list []offender, limit string) {
		if len(list) == 0 {
			return
		}
		var b strings.Builder
		for _, o := range list {
			fmt.Fprintf(&b, "\n\t%s", o)
		}
		t.Errorf("%d over %s:%s", len(list), limit, b.String())
	}
	report(files, fmt.Sprintf("%d lines (Go files; JavaScript in web/src and web/test)", maxFileLines))
	report(funcs, fmt.Sprintf("%d lines (functions outside _test.go files)", maxFuncLines))
}
