package archtest

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// goFunc returns a declaration of a function called name that is exactly
// lines long.
func goFunc(name string, lines int) string {
	return "func " + name + "() {\n" + strings.Repeat("\tprintln()\n", lines-2) + "}\n"
}

// goFile returns a Go file of package p holding decls, padded with blank
// lines to total lines when total is larger.
func goFile(total int, decls ...string) string {
	s := "package p\n\n" + strings.Join(decls, "\n")
	if n := countLines([]byte(s)); n < total {
		s += strings.Repeat("\n", total-n)
	}
	return s
}

// jsFile returns JavaScript of exactly lines lines.
func jsFile(lines int) string { return strings.Repeat("x();\n", lines) }

func writeTree(t *testing.T, files map[string]string) string {
	t.Helper()
	root := t.TempDir()
	for name, content := range files {
		path := filepath.Join(root, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return root
}

// TestScanSizesCanFail builds a made-up project with files and functions
// on both sides of each limit, and in the places the scan must skip.
func TestScanSizesCanFail(t *testing.T) {
	literal := "var long = func() {\n" + strings.Repeat("\tprintln()\n", 80) + "}\n" // 82 lines
	method := "type T struct{}\n\nfunc (*T) Method() {\n" + strings.Repeat("\tprintln()\n", 79) + "}\n"
	root := writeTree(t, map[string]string{
		"a/funcs.go":                 goFile(0, goFunc("Short", 80), goFunc("Long", 81), literal, method),
		"a/big.go":                   goFile(501),
		"a/limit.go":                 goFile(500),
		"a/long_test.go":             goFile(0, goFunc("TestLong", 200)),
		"a/big_test.go":              goFile(501),
		"a/testdata/big.go":          goFile(600, goFunc("Long", 100)),
		".hidden/big.go":             goFile(600),
		"web/src/app.js":             jsFile(501),
		"web/src/ok.js":              jsFile(500),
		"web/src/state/deep.js":      jsFile(700),
		"web/test/e2e.mjs":           jsFile(501),
		"web/test/style.css":         jsFile(900),
		"web/build.mjs":              jsFile(900),
		"web/dist/bundle.js":         jsFile(900),
		"web/node_modules/x/big.js":  jsFile(900),
		"web/node_modules/y/long.go": goFile(0, goFunc("Long", 100)),
		"no_newline.go":              goFile(500) + "var x = 1", // 501 lines, the last unended
	})
	files, funcs, err := scanSizes(root)
	if err != nil {
		t.Fatal(err)
	}
	wantFiles := []offender{
		{"a/big.go", 1, "file", 501},
		{"a/big_test.go", 1, "file", 501},
		{"no_newline.go", 1, "file", 501},
		{"web/src/app.js", 1, "file", 501},
		{"web/src/state/deep.js", 1, "file", 700},
		{"web/test/e2e.mjs", 1, "file", 501},
	}
	if !slices.Equal(files, wantFiles) {
		t.Errorf("files over the limit:\n%v\nwant\n%v", files, wantFiles)
	}
	// funcs.go: package line, blank, Short (3–82), blank, Long (84–164),
	// blank, the literal (166–247), blank, type, blank, Method (251–331).
	wantFuncs := []offender{
		{"a/funcs.go", 84, "Long", 81},
		{"a/funcs.go", 166, "func literal", 82},
		{"a/funcs.go", 251, "T.Method", 81},
	}
	if !slices.Equal(funcs, wantFuncs) {
		t.Errorf("functions over the limit:\n%v\nwant\n%v", funcs, wantFuncs)
	}
	if got, want := funcs[0].String(), "a/funcs.go:84: Long is 81 lines"; got != want {
		t.Errorf("String() = %q, want %q", got, want)
	}
}

func TestScanSizesParseError(t *testing.T) {
	root := writeTree(t, map[string]string{"bad.go": "package p\n\nfunc {\n"})
	if _, _, err := scanSizes(root); err == nil || !strings.Contains(err.Error(), "bad.go") {
		t.Errorf("scan of an unparsable file: error %v, want one naming the file", err)
	}
}

func TestCountLines(t *testing.T) {
	for in, want := range map[string]int{"": 0, "a": 1, "a\n": 1, "a\nb": 2, "\n\n": 2} {
		if got := countLines([]byte(in)); got != want {
			t.Errorf("countLines(%q) = %d, want %d", in, got, want)
		}
	}
}
