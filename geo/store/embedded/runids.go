package embedded

import "hash/maphash"

// runIDs holds the IDs of one source met so far in an import run, so
// that an incident given twice in the run is staged once. It keeps a
// 64-bit hash of each ID and the staged row that first had it rather
// than the IDs themselves: a map of strings was a sixth of the
// single-threaded staging of the shared months (200,775 IDs), and every
// collection scanned its keys.
type runIDs struct {
	seed  maphash.Seed
	first map[uint64]uint32 // an ID's hash → the staged row first given it
	// other holds IDs whose hash an earlier, different ID of the run had
	// (with 64 bits, next to never).
	other map[string]struct{}
}

func newRunIDs(hint int) *runIDs {
	return &runIDs{seed: maphash.MakeSeed(), first: make(map[uint64]uint32, hint)}
}

// add reports whether id is new to the run and, when it is, records it as
// the ID of staged row i. rowID reads a staged row's ID back.
func (r *runIDs) add(id string, i uint32, rowID func(uint32) string) bool {
	h := maphash.String(r.seed, id)
	j, ok := r.first[h]
	if !ok {
		r.first[h] = i
		return true
	}
	if rowID(j) == id {
		return false
	}
	if _, ok := r.other[id]; ok {
		return false
	}
	if r.other == nil {
		r.other = map[string]struct{}{}
	}
	r.other[id] = struct{}{}
	return true
}
