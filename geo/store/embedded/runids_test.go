package embedded

import (
	"hash/maphash"
	"testing"
)

// An ID whose hash another ID of the run had first is still new, and
// found again the next time; without a collision the hash decides. The
// collision is made by hand: with 64 bits none happens by chance here.
func TestRunIDsCollision(t *testing.T) {
	ids := []string{"A"}
	rowID := func(i uint32) string { return ids[i] }
	r := newRunIDs(0)
	r.first[maphash.String(r.seed, "B")] = 0 // "B" hashes where row 0, "A", is
	steps := []struct {
		id   string
		want bool
	}{
		{"B", true},  // the same hash as A's, another ID: new
		{"B", false}, // now seen
		{"C", true},
		{"C", false},
		{"", true},
		{"", false},
	}
	for i, s := range steps {
		row := uint32(len(ids))
		got := r.add(s.id, row, rowID)
		if got != s.want {
			t.Fatalf("step %d: add(%q) = %v, want %v", i, s.id, got, s.want)
		}
		if got {
			ids = append(ids, s.id)
		}
	}
}

// chunks.at finds every value, in the first block (sized by the hint and
// holding a prefix) and in the blocks after it.
func TestChunksAt(t *testing.T) {
	for _, c := range []struct{ prefix, hint, n int }{
		{0, 0, 1}, {0, 0, 3*chunkLen + 7}, {5, 20000, 50000}, {chunkLen + 3, 0, chunkLen}, {0, maxFirstChunk, 100},
	} {
		var ch chunks[int]
		prefix := make([]int, c.prefix)
		for i := range prefix {
			prefix[i] = i
		}
		ch.start(prefix, c.hint)
		for i := c.prefix; i < c.prefix+c.n; i++ {
			ch.add(i)
		}
		for i := range c.prefix + c.n {
			if got := *ch.at(i); got != i {
				t.Fatalf("prefix %d, hint %d, %d added: at(%d) = %d", c.prefix, c.hint, c.n, i, got)
			}
		}
	}
}
