package postgis

import (
	"context"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"net"
	"syscall"
	"testing"

	"github.com/lib/pq"

	"github.com/leicester-csp/hotspot/geo"
)

func TestWrapClassifies(t *testing.T) {
	dial := &net.OpError{Op: "dial", Net: "tcp", Err: &net.DNSError{Err: "no such host", Name: "db", IsNotFound: true}}
	refused := &net.OpError{Op: "dial", Net: "tcp", Err: fmt.Errorf("connect: %w", syscall.ECONNREFUSED)}
	tests := []struct {
		name        string
		err         error
		unavailable bool
	}{
		{"connection refused", refused, true},
		{"unknown host", dial, true},
		{"bad connection", driver.ErrBadConn, true},
		{"connection dropped mid-read", fmt.Errorf("read: %w", io.ErrUnexpectedEOF), true},
		{"admin shutdown", &pq.Error{Code: "57P01"}, true},
		{"starting up", &pq.Error{Code: "57P03"}, true},
		{"connection failure", &pq.Error{Code: "08006"}, true},
		{"too many connections", &pq.Error{Code: "53300"}, true},
		{"statement timeout", &pq.Error{Code: "57014"}, false},
		{"syntax error", &pq.Error{Code: "42601"}, false},
		{"unique violation", &pq.Error{Code: "23505"}, false},
		{"caller cancelled", context.Canceled, false},
	}
	for _, tc := range tests {
		err := wrap(context.Background(), "op", tc.err)
		if got := errors.Is(err, geo.ErrUnavailable); got != tc.unavailable {
			t.Errorf("%s: %v wraps ErrUnavailable = %v, want %v", tc.name, err, got, tc.unavailable)
		}
		if !errors.Is(err, tc.err) {
			t.Errorf("%s: %v does not wrap the original error", tc.name, err)
		}
	}
	// Whatever the driver reports once the caller's context has ended,
	// the error is the context's, not the database's being down.
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := wrap(ctx, "op", driver.ErrBadConn); !errors.Is(err, context.Canceled) || errors.Is(err, geo.ErrUnavailable) {
		t.Errorf("bad connection after cancel: %v, want context.Canceled only", err)
	}
	if wrap(ctx, "op", nil) != nil {
		t.Error("wrap(nil) is not nil")
	}
}
