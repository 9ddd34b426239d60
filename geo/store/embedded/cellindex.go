package embedded

import (
	"slices"
	"sync"

	"github.com/leicester-csp/hotspot/geo"
)

// cellIndex is derived from one snapshot, on first use, for CellTallies:
// what its scan reads per record packed into sequential words, so that a
// filter over a million partner records is one pass over two arrays
// rather than random reads of the record, partner and point columns.
// Nothing of it is stored; a snapshot made by an import starts a new one.
type cellIndex struct {
	res [geo.NumRes]struct {
		once sync.Once
		// cellOf[pt] numbers point pt's cell at this resolution; the
		// numbers follow cell order, so counts by number come out sorted.
		cellOf []uint32
		cells  []geo.Cell
	}
	partOnce sync.Once
	part     *partIndex
	wardOnce sync.Once
	wards    []int32 // each point's ward, as points[pt].Ward
}

// partIndex holds the partner records of each month, grouped by source
// and hour of the week so that a days or hours filter reads only the
// groups it keeps: attrs their packed attributes (packAttr), at their
// point + 1 (0: no location) and Location text in the high and low
// halves of spot, and group g (source number × 168 + hour of the week)
// spanning from[g]:from[g+1] of both.
type partIndex struct {
	months map[geo.Month]*partMonth
	// src and cat number the local sources and partner categories (by
	// strs index) as packAttr packs them.
	src, cat map[uint32]uint32
}

type partMonth struct {
	attrs, spot []uint64
	from        []uint32
}

const weekHours = 7 * 24

// The fields of a packed partner record: flags, hour of the week
// (weekday × 24 + hour, Monday 00 first), source and category numbers.
const (
	attrHourShift = 8
	attrSrcShift  = 16
	attrCatShift  = 40
	attrNumMax    = 1 << 24 // sources or categories beyond: no packing
)

func packAttr(flags geo.Flags, wd, hour uint8, src, cat uint32) uint64 {
	how := uint64(wd)*24 + uint64(hour)
	return uint64(flags) | how<<attrHourShift | uint64(src)<<attrSrcShift | uint64(cat)<<attrCatShift
}

// cellsAt returns the cell numbering of points at resolution index r.
func (sn *snapshot) cellsAt(r int) (cellOf []uint32, cells []geo.Cell) {
	x := &sn.cellx.res[r]
	x.once.Do(func() {
		cs := make([]geo.Cell, len(sn.points))
		for i := range sn.points {
			cs[i] = sn.points[i].Cells[r]
		}
		slices.Sort(cs)
		x.cells = slices.Compact(cs)
		x.cellOf = make([]uint32, len(sn.points))
		for i := range sn.points {
			n, _ := slices.BinarySearch(x.cells, sn.points[i].Cells[r])
			x.cellOf[i] = uint32(n)
		}
	})
	return x.cellOf, x.cells
}

// pointWards returns each point's ward (-1 for none).
func (sn *snapshot) pointWards() []int32 {
	x := sn.cellx
	x.wardOnce.Do(func() {
		x.wards = make([]int32, len(sn.points))
		for i := range sn.points {
			x.wards[i] = sn.points[i].Ward
		}
	})
	return x.wards
}

// partIdx returns the packed partner records; nil when there are too
// many sources or categories to pack (the scan then reads the columns).
func (sn *snapshot) partIdx() *partIndex {
	x := sn.cellx
	x.partOnce.Do(func() {
		if len(sn.srcIdx) >= attrNumMax || len(sn.pCats) >= attrNumMax {
			return
		}
		pi := &partIndex{months: make(map[geo.Month]*partMonth, len(sn.pByMonth)), src: numbered(sn.srcIdx), cat: numbered(sn.pCats)}
		for m, rows := range sn.pByMonth {
			pi.months[m] = sn.partMonth(pi, rows)
		}
		x.part = pi
	})
	return x.part
}

// partMonth packs one month's records and groups them by a counting
// sort on (source, hour of the week).
func (sn *snapshot) partMonth(pi *partIndex, rows []uint32) *partMonth {
	pm := &partMonth{attrs: make([]uint64, len(rows)), spot: make([]uint64, len(rows)), from: make([]uint32, len(pi.src)*weekHours+1)}
	group := func(a uint64) uint64 { return (a>>attrSrcShift)&(attrNumMax-1)*weekHours + (a>>attrHourShift)&0xff }
	attrs := make([]uint64, len(rows))
	for k, i := range rows {
		p := &sn.part[sn.ext[i]-1]
		attrs[k] = packAttr(p.flags, p.wd, p.hour, pi.src[p.src], pi.cat[sn.fields[fCategory][i]])
		pm.from[group(attrs[k])+1]++
	}
	for g := 1; g < len(pm.from); g++ {
		pm.from[g] += pm.from[g-1]
	}
	next := slices.Clone(pm.from)
	for k, i := range rows {
		g := group(attrs[k])
		pm.attrs[next[g]], pm.spot[next[g]] = attrs[k], uint64(sn.pt[i])<<32|uint64(sn.fields[fLocation][i])
		next[g]++
	}
	return pm
}

// numbered numbers a name index's strs indexes 0, 1, … in strs order.
func numbered(idx map[string]uint32) map[uint32]uint32 {
	ss := make([]uint32, 0, len(idx))
	for _, s := range idx {
		ss = append(ss, s)
	}
	slices.Sort(ss)
	out := make(map[uint32]uint32, len(ss))
	for n, s := range ss {
		out[s] = uint32(n)
	}
	return out
}

// attrFilter is a partner filter over packed records.
type attrFilter struct {
	flags uint64
	cats  []bool // by category number; nil: every category
	// groups are the partIndex groups the filter reads: its sources'
	// hours of the week that pass.
	groups []int
}

// newAttrFilter packs pq; ok is false when it can select nothing (a
// source or every category named unknown).
func newAttrFilter(pq *partQuery, pi *partIndex) (af attrFilter, ok bool) {
	af.flags = uint64(pq.flags)
	var srcs []int
	if pq.all {
		for _, n := range pi.src {
			srcs = append(srcs, int(n))
		}
	} else {
		n, known := pi.src[pq.src]
		if !known {
			return af, false
		}
		srcs = []int{int(n)}
	}
	for _, src := range srcs {
		for wd := range 7 {
			for h := range 24 {
				if pq.within.Holds(wd, h) {
					af.groups = append(af.groups, src*weekHours+wd*24+h)
				}
			}
		}
	}
	if pq.cats != nil {
		af.cats = make([]bool, len(pi.cat))
		for c := range pq.cats {
			if n, known := pi.cat[c]; known {
				af.cats[n] = true
			}
		}
	}
	return af, true
}

// pass says whether a record of one of the filter's groups passes.
func (af *attrFilter) pass(a uint64) bool {
	return a&af.flags == af.flags && (af.cats == nil || af.cats[a>>attrCatShift])
}
