package embedded

import (
	"math/rand/v2"
	"strings"
	"testing"
)

// The ID sort's integer prefix must order pairs exactly as comparing
// their IDs, then sources, as strings does: IDs shorter than the prefix,
// IDs that share it, and bytes of zero (the padding's value) included.
func TestIDPairOrderIsStringOrder(t *testing.T) {
	pair := func(id, src string) idPair { return idPair{pre: idPrefix(id), id: id, src: src} }
	sign := func(c int) int { return min(max(c, -1), 1) }
	cases := [][2]string{
		{"", ""}, {"", "\x00"}, {"a", "a\x00"}, {"ab", "ab\x00c"}, {"abcdefgh", "abcdefgh"},
		{"abcdefgh1", "abcdefgh0"}, {"abcdefg", "abcdefgh"}, {"\xff", "\x00\xff"},
		{"0123456789abcdef", "0123456789abcdee"}, {"zz", "z"},
	}
	r := rand.New(rand.NewPCG(1, 2))
	for range 5000 {
		gen := func() string {
			b := make([]byte, r.IntN(12))
			for i := range b {
				b[i] = "\x00\x01ab\xff"[r.IntN(5)]
			}
			return string(b)
		}
		cases = append(cases, [2]string{gen(), gen()})
	}
	for _, c := range cases {
		for _, srcs := range [][2]string{{"police.uk", "police.uk"}, {"council", "police.uk"}} {
			x, y := pair(c[0], srcs[0]), pair(c[1], srcs[1])
			want := strings.Compare(c[0], c[1])
			if want == 0 {
				want = strings.Compare(srcs[0], srcs[1])
			}
			if got := sign(cmpIDPair(x, y)); got != want {
				t.Fatalf("cmpIDPair(%q/%s, %q/%s) = %d, want %d", c[0], srcs[0], c[1], srcs[1], got, want)
			}
		}
	}
}
