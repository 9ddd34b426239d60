// Package archtest holds the project's guard-rail tests, and no code: which
// packages may import which (layers_test.go), and how long files and
// functions may grow (size_test.go). Each rule has a test of its own that
// feeds the checker made-up input, to show the rule can fail.
package archtest
