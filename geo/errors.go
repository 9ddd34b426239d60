package geo

import (
	"errors"
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
