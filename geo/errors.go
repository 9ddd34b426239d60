package geo

import (
	"errors"
	"fmt"
)

// Sentinel errors shared by readers, stores and the API; check them with
// errors.Is. The API maps them to HTTP statuses in one place.
var (
	// ErrInvalid marks input that is malformed or out of range.
	ErrInvalid = errors.New("invalid")
	// ErrNotFound marks a lookup of something that does not exist.
	ErrNotFound = errors.New("not found")
	// ErrUnavailable marks a store that cannot answer now (database down).
	ErrUnavailable = errors.New("store unavailable")
)

// ParamError is a bad request parameter: the API answers 400 naming it.
type ParamError struct {
	Param string
	Msg   string
}

// InvalidParam builds a ParamError.
func InvalidParam(param, format string, a ...any) error {
	return &ParamError{Param: param, Msg: fmt.Sprintf(format, a...)}
}

func (e *ParamError) Error() string { return fmt.Sprintf("parameter %s: %s", e.Param, e.Msg) }

// Unwrap makes every ParamError an ErrInvalid.
func (e *ParamError) Unwrap() error { return ErrInvalid }
