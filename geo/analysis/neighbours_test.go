package analysis

import (
	"testing"

	"github.com/leicester-csp/hotspot/geo"
)

// Kept lists come back only for the very same cells, k and self, and the
// cache holds at most maxNbrEntries study areas.
func TestNeighbourCache(t *testing.T) {
	a := &Analyzer{}
	cells := []geo.Cell{1, 2, 3}
	nbrs := [][]int32{{0, 1}, {0, 1, 2}, {1, 2}}
	a.keepNeighbours(cells, 1, true, nbrs)
	cells[0] = 9 // the cache keeps its own copy
	if got := a.cachedNeighbours([]geo.Cell{1, 2, 3}, 1, true); len(got) != 3 || &got[0][0] != &nbrs[0][0] {
		t.Fatalf("kept lists not returned: %v", got)
	}
	for _, miss := range []struct {
		cells []geo.Cell
		k     int
		self  bool
	}{{[]geo.Cell{1, 2, 3}, 2, true}, {[]geo.Cell{1, 2, 3}, 1, false}, {[]geo.Cell{1, 2}, 1, true}, {[]geo.Cell{9, 2, 3}, 1, true}} {
		if got := a.cachedNeighbours(miss.cells, miss.k, miss.self); got != nil {
			t.Errorf("%v k %d self %v: got %v", miss.cells, miss.k, miss.self, got)
		}
	}
	for k := 2; k < 2+2*maxNbrEntries; k++ {
		a.keepNeighbours([]geo.Cell{1}, k, true, [][]int32{{0}})
	}
	if len(a.nbrs) != maxNbrEntries || a.cachedNeighbours([]geo.Cell{1, 2, 3}, 1, true) != nil {
		t.Errorf("%d entries kept, the oldest still there: want %d and gone", len(a.nbrs), maxNbrEntries)
	}
}
