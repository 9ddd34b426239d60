package partner

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"hash"
	"strings"
)

// ErrNoKey marks a mapping with an offender column and no pseudonym key:
// the run is refused rather than keep references as they came.
var ErrNoKey = errors.New("no pseudonym key")

// KeyFromFile returns the key held in a key file's content: the content
// with surrounding white space trimmed (DESIGN.md), so that a trailing
// newline left by an editor does not change every pseudonym.
func KeyFromFile(content []byte) []byte { return bytes.TrimSpace(content) }

// Pseudonymiser turns offender references into pseudonyms:
// the first 16 hex digits (lower case) of HMAC-SHA256(key, the reference
// trimmed and upper-cased). The same reference and key always give the
// same pseudonym, so repeats can be counted, while the reference cannot be
// recovered without the key, which is never stored. It is not safe for
// concurrent use.
type Pseudonymiser struct {
	mac hash.Hash
	buf []byte
	sum []byte
}

// NewPseudonymiser returns a pseudonymiser for key. An empty key is no
// key: the error wraps ErrNoKey.
func NewPseudonymiser(key []byte) (*Pseudonymiser, error) {
	if len(key) == 0 {
		return nil, ErrNoKey
	}
	return &Pseudonymiser{mac: hmac.New(sha256.New, bytes.Clone(key))}, nil
}

// Pseudonym returns the pseudonym of ref, or "" when ref is blank (no
// offender).
func (p *Pseudonymiser) Pseudonym(ref string) string {
	ref = strings.TrimSpace(ref)
	if ref == "" {
		return ""
	}
	return p.digest(strings.ToUpper(ref))
}

// digest is the pseudonym of an already normalised reference.
func (p *Pseudonymiser) digest(normalised string) string {
	p.buf = append(p.buf[:0], normalised...)
	p.mac.Reset()
	p.mac.Write(p.buf)
	p.sum = p.mac.Sum(p.sum[:0])
	var out [16]byte
	hex.Encode(out[:], p.sum[:8])
	return string(out[:])
}
