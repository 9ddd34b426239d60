package access

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"
)

// Key is an issued API key as stored: its public id and the SHA-256 of
// its secret. A plain hash, not a slow password hash, is enough because
// the secret is 256 random bits: there is nothing to guess by brute force,
// and checking it costs microseconds on every request.
type Key struct {
	ID      string     `json:"id"`
	Name    string     `json:"name"`
	Role    Role       `json:"role"`
	Hash    string     `json:"hash"` // hex SHA-256 of the secret
	Created time.Time  `json:"created"`
	Revoked *time.Time `json:"revoked,omitempty"`
}

// tokenPrefix marks a hotspot key, so that a leaked one is recognisable
// by secret scanners and by people.
const tokenPrefix = "hs_"

// MaxNameLen bounds a key's name (who holds it).
const MaxNameLen = 200

// NewKey issues a key: the stored form and the token to hand over once.
// The token is "hs_" + id + "_" + secret; only the id and the secret's
// hash are kept.
func NewKey(name string, role Role, now time.Time) (Key, string, error) {
	name = strings.TrimSpace(name)
	if name == "" {
		return Key{}, "", errors.New("a key needs a name (who holds it)")
	}
	if len(name) > MaxNameLen {
		return Key{}, "", fmt.Errorf("a key's name is at most %d bytes", MaxNameLen)
	}
	if role < Public || role > Admin {
		return Key{}, "", fmt.Errorf("unknown role %v", role)
	}
	var id [8]byte
	var secret [32]byte
	if _, err := rand.Read(id[:]); err != nil {
		return Key{}, "", fmt.Errorf("key id: %w", err)
	}
	if _, err := rand.Read(secret[:]); err != nil {
		return Key{}, "", fmt.Errorf("key secret: %w", err)
	}
	k := Key{ID: hex.EncodeToString(id[:]), Name: name, Role: role, Created: now.UTC().Truncate(time.Microsecond)}
	s := base64.RawURLEncoding.EncodeToString(secret[:])
	k.Hash = hashSecret(s)
	return k, tokenPrefix + k.ID + "_" + s, nil
}

func hashSecret(s string) string {
	h := sha256.Sum256([]byte(s))
	return hex.EncodeToString(h[:])
}

// SplitToken reads a token's id and secret; ok is false for anything that
// is not shaped like a hotspot key.
func SplitToken(token string) (id, secret string, ok bool) {
	rest, found := strings.CutPrefix(token, tokenPrefix)
	if !found {
		return "", "", false
	}
	id, secret, found = strings.Cut(rest, "_")
	if !found || len(id) != 16 || len(secret) != 43 {
		return "", "", false
	}
	if _, err := hex.DecodeString(id); err != nil {
		return "", "", false
	}
	return id, secret, true
}

// Matches reports whether secret is this key's, in constant time.
func (k Key) Matches(secret string) bool {
	want, err := hex.DecodeString(k.Hash)
	if err != nil || len(want) != sha256.Size {
		return false
	}
	got := sha256.Sum256([]byte(secret))
	return subtle.ConstantTimeCompare(want, got[:]) == 1
}

// Active reports whether the key may still be used.
func (k Key) Active() bool { return k.Revoked == nil }
