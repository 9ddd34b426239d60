package analysis

import (
	"fmt"

	"github.com/leicester-csp/hotspot/geo"
)

// FieldError says which field of a Query is wrong and why, in words a
// user can act on. The API names the field as a query parameter, the
// command line as a --flag; neither wording belongs here.
type FieldError struct {
	Field string // "priority", "category", "from", "to", "res", "k", "ward"
	Msg   string
}

func invalid(field, format string, a ...any) error {
	return &FieldError{Field: field, Msg: fmt.Sprintf(format, a...)}
}

func (e *FieldError) Error() string { return e.Field + ": " + e.Msg }

// Unwrap makes every FieldError a geo.ErrInvalid.
func (e *FieldError) Unwrap() error { return geo.ErrInvalid }

// AreaError says a priority's area names a ward the stored boundaries
// lack: a configuration to fix, worded for whoever fixes it.
type AreaError struct {
	Priority, Ward string
	Msg            string
}

func (e *AreaError) Error() string { return e.Msg }

// Unwrap makes every AreaError a geo.ErrNotFound.
func (e *AreaError) Unwrap() error { return geo.ErrNotFound }
