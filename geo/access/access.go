// Package access holds who may see what: the roles of DESIGN.md
// ("Access"), API keys as they are issued and stored (a hash, never the
// key), and the entries of the append-only audit log. Stores keep keys and
// audit entries (Keyring); the api package enforces the roles.
package access

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
)

// Role is what a caller may see. Roles are ordered: each sees everything
// the one below it sees.
type Role int

const (
	// Public is every caller without a key: police.uk data only.
	Public Role = iota
	// Partner sees local sources as suppressed aggregates, never records.
	Partner
	// Analyst sees everything, unsuppressed, and is audited.
	Analyst
	// Admin is an analyst who may also manage others' target areas.
	Admin
)

var roleNames = [...]string{"public", "partner", "analyst", "admin"}

// Roles lists every role, lowest first.
func Roles() []Role { return []Role{Public, Partner, Analyst, Admin} }

func (r Role) String() string {
	if r < Public || r > Admin {
		return fmt.Sprintf("role(%d)", int(r))
	}
	return roleNames[r]
}

// ParseRole reads a role's name, in any case.
func ParseRole(s string) (Role, error) {
	for i, n := range roleNames {
		if strings.EqualFold(strings.TrimSpace(s), n) {
			return Role(i), nil
		}
	}
	return Public, fmt.Errorf("unknown role %q: want one of %s", s, strings.Join(roleNames[:], ", "))
}

// AtLeast reports whether r may see what min may.
func (r Role) AtLeast(min Role) bool { return r >= min }

// MarshalText writes the role's name (JSON, flags).
func (r Role) MarshalText() ([]byte, error) { return []byte(r.String()), nil }

// UnmarshalText reads a role's name.
func (r *Role) UnmarshalText(b []byte) error {
	v, err := ParseRole(string(b))
	if err != nil {
		return err
	}
	*r = v
	return nil
}

// Entry is one line of the audit log: who was given what.
type Entry struct {
	Time   time.Time `json:"time"`
	KeyID  string    `json:"key_id"`
	Method string    `json:"method"`
	// Path is the request's path and query as the caller sent it.
	Path string `json:"path"`
	// Rows is how many records the answer held; -1 when not counted.
	Rows int `json:"rows"`
}

// ErrUnknownKey is a revocation of a key id the store does not hold.
var ErrUnknownKey = errors.New("no key with that id")

// Keyring is where a store keeps keys and the audit log. Both stores
// implement it and pass one shared suite.
type Keyring interface {
	// AddKey stores a new key; an id already stored is an error.
	AddKey(ctx context.Context, k Key) error
	// Keys lists every key, revoked ones included, by creation time.
	Keys(ctx context.Context) ([]Key, error)
	// RevokeKey marks a key revoked now; ErrUnknownKey when absent.
	// Revoking a revoked key changes nothing and is no error.
	RevokeKey(ctx context.Context, id string) error
	// Audit appends entries to the log. Nothing changes or removes them.
	Audit(ctx context.Context, entries ...Entry) error
	// AuditLog lists the entries at or after since, oldest first.
	AuditLog(ctx context.Context, since time.Time) ([]Entry, error)
}
