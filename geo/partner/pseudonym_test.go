package partner

import (
	"bytes"
	"errors"
	"strings"
	"testing"
)

// The HMAC itself against RFC 4231 ("Identifier and Test Vectors for
// HMAC-SHA-224, -256, -384 and -512"), test cases 1 and 2, HMAC-SHA-256
// column; a pseudonym is the first 16 hex digits.
func TestDigestRFC4231(t *testing.T) {
	tests := []struct {
		name      string
		key, data string
		want      string
	}{
		{"test case 1", strings.Repeat("\x0b", 20), "Hi There",
			"b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"},
		{"test case 2", "Jefe", "what do ya want for nothing?",
			"5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := NewPseudonymiser([]byte(tt.key))
			if err != nil {
				t.Fatal(err)
			}
			if got := p.digest(tt.data); got != tt.want[:16] {
				t.Errorf("digest = %s, want %s", got, tt.want[:16])
			}
		})
	}
}

// End to end, normalisation included. The expected values were computed
// independently with OpenSSL on the normalised reference, e.g.
//
//	printf '%s' 'AB12 CD/34' | openssl dgst -sha256 -hmac 'synthetic-test-key'
//	  → 2de39a1e2914554dbc9cd8eb551dd7ebe4d9f15a58eab02aba9d2c97ca84dd60
//	printf '%s' 'ÉLODIE-7' | openssl dgst -sha256 -hmac 'synthetic-test-key'
//	  → 508c04fc7ac3c41d6f45a26107288e60b5047c781ae8900b6327fca810e8b9d2
//	printf '%s' 'WHAT DO YA WANT FOR NOTHING?' | openssl dgst -sha256 -hmac 'Jefe'
//	  → 0c2fe188bd4f39005b75d81fd7ac8ad1ad97d177c13ff21f4ff86639860621db
func TestPseudonym(t *testing.T) {
	tests := []struct {
		key, ref, want string
	}{
		{"synthetic-test-key", "AB12 CD/34", "2de39a1e2914554d"},
		{"synthetic-test-key", "ab12 cd/34", "2de39a1e2914554d"},
		{"synthetic-test-key", " \tAb12 cD/34 \r\n", "2de39a1e2914554d"},
		{"synthetic-test-key", "élodie-7", "508c04fc7ac3c41d"},
		{"Jefe", "what do ya want for nothing?", "0c2fe188bd4f3900"},
		{"synthetic-test-key", "", ""},
		{"synthetic-test-key", " \t ", ""},
	}
	for _, tt := range tests {
		p, err := NewPseudonymiser([]byte(tt.key))
		if err != nil {
			t.Fatal(err)
		}
		if got := p.Pseudonym(tt.ref); got != tt.want {
			t.Errorf("Pseudonym(%q) with key %q = %q, want %q", tt.ref, tt.key, got, tt.want)
		}
	}
}

func TestKeys(t *testing.T) {
	if _, err := NewPseudonymiser(nil); !errors.Is(err, ErrNoKey) {
		t.Errorf("NewPseudonymiser(nil) error = %v, want ErrNoKey", err)
	}
	if _, err := NewPseudonymiser(KeyFromFile([]byte(" \n\t\n"))); !errors.Is(err, ErrNoKey) {
		t.Errorf("a key file of white space is a key: %v", err)
	}
	if got := KeyFromFile([]byte("  s3cret key\r\n")); !bytes.Equal(got, []byte("s3cret key")) {
		t.Errorf("KeyFromFile = %q", got)
	}
	// The pseudonymiser keeps its own copy of the key.
	key := []byte("synthetic-test-key")
	p, _ := NewPseudonymiser(key)
	key[0] = 'X'
	if got := p.Pseudonym("AB12 CD/34"); got != "2de39a1e2914554d" {
		t.Errorf("changing the caller's key slice changed the pseudonym: %s", got)
	}
}
