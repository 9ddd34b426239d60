package embedded

import (
	"bytes"
	"cmp"
	"encoding/binary"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"
	"unsafe"

	"github.com/leicester-csp/hotspot/geo"
	"github.com/leicester-csp/hotspot/geo/areas"
)

// snapshot is an immutable view of the store that queries read without
// locks. A reload builds a new snapshot and swaps a pointer; columns are
// appended in place beyond the old snapshot's length, which the old
// snapshot never reads, so a reload copies only the small indexes.
type snapshot struct {
	man *manifest

	// Interned strings; every string column indexes into strs. Index 0
	// is "".
	strs   []string
	catIdx map[string]uint32 // category name → strs index, for filters

	// Incident columns, one entry per incident.
	idArena []byte
	idEnd   []uint32 // id i is idArena[idEnd[i-1]:idEnd[i]]
	month   []geo.Month
	pt      []uint32 // 0: no location; else point index + 1
	fields  [nFields][]uint32
	// ext is 0 for a police.uk incident, else its partner columns' index
	// + 1 in part.
	ext  []uint32
	part []partRow

	// Partner records are kept out of byMonth, agg, months and catIdx,
	// so police.uk queries read exactly what they read before partner
	// records existed; these index them instead.
	pByMonth map[geo.Month][]uint32 // partner records of a month, by ID then source
	pMonths  []geo.Month
	pCats    map[string]uint32   // partner categories → strs index
	srcIdx   map[string]uint32   // local source names → strs index
	srcCats  map[string][]string // local source name → its categories, sorted
	premises []geo.Premises

	points     []point
	wards      *areas.Index
	lsoas      *areas.Index
	cities     []geo.Area
	population map[string]int

	byMonth map[geo.Month][]uint32 // police.uk incidents of a month, by ID
	byID    []uint32               // every incident, by ID then source
	// agg counts incidents per month × category × point: hotspot queries
	// read these instead of scanning incidents.
	agg map[aggKey][]pointCount
	// tally counts police.uk incidents per month × category, located or
	// not: an incident page's total and the months it skips come from
	// these rather than from a walk over every incident.
	tally  map[aggKey]uint32
	months []geo.Month

	// sorted is the map points as MapPoints answers them, made on first
	// use: a county's points sort in milliseconds, which a study area of
	// points should not pay per request.
	sorted *sortedPoints
	// cellx is derived for CellTallies on first use (cellindex.go).
	cellx *cellIndex
}

type sortedPoints struct {
	once sync.Once
	pts  []geo.MapPoint
}

type aggKey struct {
	month geo.Month
	cat   uint32
}

type pointCount struct {
	pt uint32 // point index (not +1)
	n  uint32
}

func emptySnapshot() *snapshot {
	return &snapshot{
		man:      &manifest{Format: formatV1},
		strs:     []string{""},
		catIdx:   map[string]uint32{},
		wards:    areas.NewIndex(nil),
		lsoas:    areas.NewIndex(nil),
		byMonth:  map[geo.Month][]uint32{},
		agg:      map[aggKey][]pointCount{},
		tally:    map[aggKey]uint32{},
		sorted:   &sortedPoints{},
		cellx:    &cellIndex{},
		pByMonth: map[geo.Month][]uint32{},
		pCats:    map[string]uint32{},
		srcIdx:   map[string]uint32{},
		srcCats:  map[string][]string{},
	}
}

func (s *snapshot) len() int { return len(s.month) }

// id returns incident i's ID without copying; the arena is never modified
// below its length, so the string stays valid.
func (s *snapshot) id(i uint32) string {
	var start uint32
	if i > 0 {
		start = s.idEnd[i-1]
	}
	end := s.idEnd[i]
	if end == start {
		return ""
	}
	return unsafe.String(&s.idArena[start], int(end-start))
}

func (s *snapshot) idBytes(i uint32) []byte {
	var start uint32
	if i > 0 {
		start = s.idEnd[i-1]
	}
	return s.idArena[start:s.idEnd[i]]
}

// find returns the index of the incident of source src ("" for
// police.uk) with this ID.
func (s *snapshot) find(src, id string) (uint32, bool) {
	k := sort.Search(len(s.byID), func(j int) bool { return s.id(s.byID[j]) >= id })
	for ; k < len(s.byID) && s.id(s.byID[k]) == id; k++ {
		if s.source(s.byID[k]) == src {
			return s.byID[k], true
		}
	}
	return 0, false
}

// holds reports whether the snapshot stores any incident of source src
// ("" for police.uk): a run of a source new to the store need not look
// each of its IDs up among the stored ones.
func (s *snapshot) holds(src string) bool {
	if src == "" {
		return len(s.byMonth) > 0
	}
	_, ok := s.srcIdx[src]
	return ok
}

// cmpKey orders incidents by ID (byte-wise), then source.
func (s *snapshot) cmpKey(x, y uint32) int {
	if c := bytes.Compare(s.idBytes(x), s.idBytes(y)); c != 0 {
		return c
	}
	return strings.Compare(s.source(x), s.source(y))
}

func (s *snapshot) incident(i uint32) geo.StoredIncident {
	var out geo.StoredIncident
	out.ID = s.id(i)
	out.Month = s.month[i]
	f := func(k int) string { return s.strs[s.fields[k][i]] }
	out.ReportedBy, out.FallsWithin = f(fReportedBy), f(fFallsWithin)
	out.Location, out.LSOACode, out.LSOAName = f(fLocation), f(fLSOACode), f(fLSOAName)
	out.Category, out.Outcome, out.Context = f(fCategory), f(fOutcome), f(fContext)
	if p := s.pt[i]; p != 0 {
		pt := &s.points[p-1]
		out.HasLocation = true
		out.Point = pt.P
		if pt.Ward >= 0 && int(pt.Ward) < s.wards.Len() {
			a := s.wards.Area(int(pt.Ward))
			out.Ward, out.WardName = a.Code, a.Name
		}
	}
	s.fillPartner(i, &out)
	return out
}

// builder extends a snapshot with decoded segments into a new snapshot.
type builder struct {
	next   *snapshot
	intern map[string]uint32 // shared with the store; read-only here
	// strings new in this build; merged into intern only on commit, so a
	// failed build leaves intern matching the old snapshot.
	fresh map[string]uint32
	// per-(month, category, point) counts of the rows added
	addAgg   map[aggKey]map[uint32]uint32
	addTally map[aggKey]uint32
	added    []uint32
	// partner records added; kept apart from added (police.uk)
	addedPart []uint32
}

func newBuilder(prev *snapshot, intern map[string]uint32) *builder {
	n := *prev
	n.catIdx = prev.catIdx
	n.sorted = &sortedPoints{}
	n.cellx = &cellIndex{}
	return &builder{next: &n, intern: intern, fresh: map[string]uint32{}, addAgg: map[aggKey]map[uint32]uint32{}, addTally: map[aggKey]uint32{}}
}

func (b *builder) str(s []byte) uint32 {
	if i, ok := b.intern[string(s)]; ok { // no allocation for the lookup
		return i
	}
	if i, ok := b.fresh[string(s)]; ok {
		return i
	}
	str := string(s)
	i := uint32(len(b.next.strs))
	b.next.strs = append(b.next.strs, str)
	b.fresh[str] = i
	return i
}

func (b *builder) strS(s string) uint32 {
	if i, ok := b.intern[s]; ok {
		return i
	}
	if i, ok := b.fresh[s]; ok {
		return i
	}
	i := uint32(len(b.next.strs))
	b.next.strs = append(b.next.strs, s)
	b.fresh[s] = i
	return i
}

// add appends one decoded incident whose fields index the segment's own
// string table, local mapping them to the snapshot's.
func (b *builder) add(id []byte, month geo.Month, pt uint32, fields *[nFields]uint32, ext *extIdx, local []uint32) {
	var idx [nFields]uint32
	for f := range fields {
		idx[f] = local[fields[f]]
	}
	var pr *partRow
	if ext != nil {
		r := newPartRow(ext, local)
		pr = &r
	}
	addResolved(b, id, month, pt, &idx, pr)
}

// addResolved appends one incident whose fields are snapshot string
// indexes. Segments hold only IDs new at their import, so no duplicate
// check is needed here.
func addResolved[ID string | []byte](b *builder, id ID, month geo.Month, pt uint32, idx *[nFields]uint32, pr *partRow) {
	s := b.next
	i := uint32(len(s.month))
	s.idArena = append(s.idArena, id...)
	s.idEnd = append(s.idEnd, uint32(len(s.idArena)))
	s.month = append(s.month, month)
	s.pt = append(s.pt, pt)
	for f := range idx {
		s.fields[f] = append(s.fields[f], idx[f])
	}
	if pr != nil {
		s.part = append(s.part, *pr)
		s.ext = append(s.ext, uint32(len(s.part)))
		b.addedPart = append(b.addedPart, i)
		return
	}
	s.ext = append(s.ext, 0)
	b.added = append(b.added, i)
	b.addTally[aggKey{month, idx[fCategory]}]++
	if pt != 0 {
		k := aggKey{month, idx[fCategory]}
		m := b.addAgg[k]
		if m == nil {
			m = map[uint32]uint32{}
			b.addAgg[k] = m
		}
		m[pt-1]++
	}
}

// mergeIntern adds the build's new strings to the store's table, once the
// build is to be installed.
func (b *builder) mergeIntern() {
	for k, v := range b.fresh {
		b.intern[k] = v
	}
	b.fresh = nil
}

// index rebuilds the indexes touched by the added rows.
func (b *builder) index() *snapshot {
	s := b.next
	b.finishPartner()
	if len(b.added) == 0 {
		return s
	}
	cmpID := s.cmpKey

	added := sortByID(s, b.added)
	s.byID = mergeSorted(s.byID, added, cmpID)

	byMonth := make(map[geo.Month][]uint32, len(s.byMonth)+1)
	for m, l := range s.byMonth {
		byMonth[m] = l
	}
	perMonth := map[geo.Month][]uint32{}
	for _, i := range added { // already in ID order
		perMonth[s.month[i]] = append(perMonth[s.month[i]], i)
	}
	for m, l := range perMonth {
		byMonth[m] = mergeSorted(byMonth[m], l, cmpID)
	}
	s.byMonth = byMonth
	s.months = s.months[:0:0]
	for m := range byMonth {
		s.months = append(s.months, m)
	}
	slices.Sort(s.months)

	agg := make(map[aggKey][]pointCount, len(s.agg)+len(b.addAgg))
	for k, v := range s.agg {
		agg[k] = v
	}
	catIdx := make(map[string]uint32, len(s.catIdx))
	for k, v := range s.catIdx {
		catIdx[k] = v
	}
	for k, add := range b.addAgg {
		catIdx[s.strs[k.cat]] = k.cat
		old := agg[k]
		merged := make([]pointCount, 0, len(old)+len(add))
		merged = append(merged, old...)
		for pt, n := range add {
			merged = append(merged, pointCount{pt, n})
		}
		slices.SortFunc(merged, func(x, y pointCount) int { return int(x.pt) - int(y.pt) })
		// fold equal points (present in old and new)
		out := merged[:0]
		for _, pc := range merged {
			if len(out) > 0 && out[len(out)-1].pt == pc.pt {
				out[len(out)-1].n += pc.n
				continue
			}
			out = append(out, pc)
		}
		agg[k] = out
	}
	// Categories of incidents without a location have no aggregate but are
	// still categories a filter may name.
	for _, i := range added {
		c := s.fields[fCategory][i]
		if _, ok := catIdx[s.strs[c]]; !ok {
			catIdx[s.strs[c]] = c
		}
	}
	s.agg, s.catIdx, s.tally = agg, catIdx, mergeTally(s.tally, b.addTally)
	return s
}

// mergeTally adds a build's tallies to a copy of the old ones, which
// older snapshots still read.
func mergeTally(old, add map[aggKey]uint32) map[aggKey]uint32 {
	out := make(map[aggKey]uint32, len(old)+len(add))
	for k, v := range old {
		out[k] = v
	}
	for k, v := range add {
		out[k] += v
	}
	return out
}

// sortByID sorts incident indexes by ID. Sorting (ID, index) pairs keeps
// the comparison to a plain string compare, which matters for a city's
// years of incidents at once. A large run is sorted in two halves on two
// cores and merged: the sort is a serial stretch of the reload after every
// import. (ID, source) is unique among a snapshot's incidents, so any
// correct sort gives the same order.
func sortByID(s *snapshot, idx []uint32) []uint32 {
	ps := makeLarge[idPair](len(idx), len(idx))
	for k, i := range idx {
		id := s.id(i)
		ps[k] = idPair{idPrefix(id), id, s.source(i), i}
	}
	if len(ps) < 1<<15 || runtime.GOMAXPROCS(0) < 2 {
		slices.SortFunc(ps, cmpIDPair)
	} else {
		half := len(ps) / 2
		var wg sync.WaitGroup
		wg.Go(func() { slices.SortFunc(ps[:half], cmpIDPair) })
		slices.SortFunc(ps[half:], cmpIDPair)
		wg.Wait()
		a, b := ps[:half], ps[half:]
		for k := range idx {
			if len(b) == 0 || (len(a) > 0 && cmpIDPair(a[0], b[0]) <= 0) {
				idx[k], a = a[0].i, a[1:]
			} else {
				idx[k], b = b[0].i, b[1:]
			}
		}
		return idx
	}
	for k := range ps {
		idx[k] = ps[k].i
	}
	return idx
}

type idPair struct {
	pre     uint64 // the ID's first 8 bytes, big-endian: see idPrefix
	id, src string
	i       uint32
}

// idPrefix is s's first 8 bytes as a big-endian number, zero-padded: two
// IDs' prefixes order as the IDs do unless they are equal, and police.uk's
// 64-digit IDs seldom share 8 digits, so most comparisons of a sort end
// at one integer compare (string compares were most of the sort).
func idPrefix(s string) uint64 {
	var b [8]byte
	copy(b[:], s)
	return binary.BigEndian.Uint64(b[:])
}

func cmpIDPair(x, y idPair) int {
	if x.pre != y.pre {
		return cmp.Compare(x.pre, y.pre)
	}
	if c := strings.Compare(x.id, y.id); c != 0 {
		return c
	}
	return strings.Compare(x.src, y.src)
}

// mergeSorted merges two sorted lists into a new slice; a is not modified
// because older snapshots still read it.
func mergeSorted(a, b []uint32, cmp func(x, y uint32) int) []uint32 {
	out := make([]uint32, 0, len(a)+len(b))
	i, j := 0, 0
	for i < len(a) && j < len(b) {
		if cmp(a[i], b[j]) <= 0 {
			out = append(out, a[i])
			i++
		} else {
			out = append(out, b[j])
			j++
		}
	}
	out = append(out, a[i:]...)
	return append(out, b[j:]...)
}
