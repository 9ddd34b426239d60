package analysis

import (
	"slices"

	"github.com/leicester-csp/hotspot/geo"
)

// nbrEntry is one study area's neighbour lists. A city's study area is
// the same cells whatever the window or category (its wards' cover, plus
// any counted cell outside them), and indexing its 14,000 cells' disks
// was ~10 ms of every hex answer; the lists depend on nothing else.
// Callers only read them.
type nbrEntry struct {
	cells []geo.Cell
	k     int
	self  bool
	nbrs  [][]int32
}

// Bounds of the cache: a few study areas (auto k tries several k over
// one), none of more cells than a country at res 7 holds.
const (
	maxNbrEntries = 8
	maxNbrCells   = 1 << 20
)

func (a *Analyzer) cachedNeighbours(cells []geo.Cell, k int, self bool) [][]int32 {
	a.mu.Lock()
	defer a.mu.Unlock()
	for i := len(a.nbrs) - 1; i >= 0; i-- {
		if e := a.nbrs[i]; e.k == k && e.self == self && slices.Equal(e.cells, cells) {
			return e.nbrs
		}
	}
	return nil
}

func (a *Analyzer) keepNeighbours(cells []geo.Cell, k int, self bool, nbrs [][]int32) {
	if len(cells) == 0 || len(cells) > maxNbrCells {
		return
	}
	e := nbrEntry{cells: slices.Clone(cells), k: k, self: self, nbrs: nbrs}
	a.mu.Lock()
	defer a.mu.Unlock()
	if len(a.nbrs) >= maxNbrEntries {
		a.nbrs = slices.Delete(a.nbrs, 0, 1)
	}
	a.nbrs = append(a.nbrs, e)
}
