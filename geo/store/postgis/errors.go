package postgis

import (
	"context"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"net"
	"syscall"

	"github.com/lib/pq"
	"github.com/lib/pq/pqerror"

	"github.com/leicester-csp/hotspot/geo"
)

// wrap gives a database error the store's context and, when it means the
// database cannot be reached or is going away, geo.ErrUnavailable, which
// the API answers with 503 rather than 500. When the caller's ctx has
// ended, that is the cause whatever the driver made of it (a cancelled
// statement, a connection closed mid-COPY), so the error wraps ctx.Err().
func wrap(ctx context.Context, op string, err error) error {
	if err == nil {
		return nil
	}
	if cerr := ctx.Err(); cerr != nil && !errors.Is(err, cerr) {
		return fmt.Errorf("postgis %s: %w (%v)", op, cerr, err)
	}
	if errors.Is(err, geo.ErrUnavailable) || errors.Is(err, geo.ErrNotFound) || errors.Is(err, geo.ErrInvalid) {
		return fmt.Errorf("postgis %s: %w", op, err)
	}
	if unavailable(err) {
		return fmt.Errorf("postgis %s: %w: %w", op, geo.ErrUnavailable, err)
	}
	// Class 22 (data exception: text that is not UTF-8, a NUL byte, a
	// number out of range) is bad input, a 400, not a server failure.
	if e := pq.As(err); e != nil && e.Code.Class() == pqerror.ClassDataException {
		return fmt.Errorf("postgis %s: %w: %w", op, geo.ErrInvalid, err)
	}
	return fmt.Errorf("postgis %s: %w", op, err)
}

// unavailable reports whether err says the server could not be reached or
// dropped the connection, as opposed to refusing a statement.
func unavailable(err error) bool {
	if errors.Is(err, context.Canceled) {
		return false
	}
	if errors.Is(err, driver.ErrBadConn) || errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return true
	}
	if errors.Is(err, syscall.ECONNREFUSED) || errors.Is(err, syscall.ECONNRESET) ||
		errors.Is(err, syscall.EPIPE) || errors.Is(err, syscall.EHOSTUNREACH) || errors.Is(err, syscall.ENETUNREACH) {
		return true
	}
	var ne net.Error
	if errors.As(err, &ne) {
		return true
	}
	if e := pq.As(err); e != nil {
		switch e.Code.Class() {
		case pqerror.ClassConnectionException: // 08xxx
			return true
		}
		switch e.Code {
		case pqerror.AdminShutdown, pqerror.CrashShutdown, pqerror.CannotConnectNow, // 57P01–03
			pqerror.TooManyConnections:
			return true
		}
	}
	return false
}
