package boundary

import (
	"fmt"
	"strings"

	"github.com/leicester-csp/hotspot/geo"
)

// Error is a refused boundary file. It says where, so that a user can find
// the fault in a file of hundreds of features, and it matches geo.ErrInvalid
// so that callers classify it without knowing this package.
type Error struct {
	File string
	// Line and Column locate a JSON syntax error; zero otherwise.
	Line, Column int
	// Feature is the 0-based position of the feature at fault (in the
	// collection, or among the values of a newline-delimited file), or -1
	// when the fault is not one feature's.
	Feature int
	Code    string // the feature's code, when it was read before the fault
	Err     error
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.File)
	b.WriteString(": ")
	if e.Line > 0 {
		fmt.Fprintf(&b, "line %d, column %d: ", e.Line, e.Column)
	}
	if e.Feature >= 0 {
		fmt.Fprintf(&b, "feature %d", e.Feature)
		if e.Code != "" {
			fmt.Fprintf(&b, " (%s)", e.Code)
		}
		b.WriteString(": ")
	}
	b.WriteString(e.Err.Error())
	return b.String()
}

// Unwrap exposes both the sentinel and the cause, so errors.Is works for
// geo.ErrInvalid as well as for anything the cause wraps.
func (e *Error) Unwrap() []error { return []error{geo.ErrInvalid, e.Err} }
