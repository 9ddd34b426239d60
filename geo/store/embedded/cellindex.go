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

// partIndex holds the partner records of each month in pByMonth's order:
// attrs their packed attributes (packAttr), at their point + 1 (0: no
// location) and Location text in the high and low halves of spot.
type partIndex struct {
	attrs, spot map[geo.Month][]uint64
	// src and cat number the local sources and partner categories (by
	// strs index) as packAttr packs them.
	src, cat map[uint32]uint32
}

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
		pi := &partIndex{attrs: make(map[geo.Month][]uint64, len(sn.pByMonth)), spot: make(map[geo.Month][]uint64, len(sn.pByMonth)),
			src: numbered(sn.srcIdx), cat: numbered(sn.pCats)}
		for m, rows := range sn.pByMonth {
			attrs, spot := make([]uint64, len(rows)), make([]uint64, len(rows))
			for k, i := range rows {
				p := &sn.part[sn.ext[i]-1]
				attrs[k] = packAttr(p.flags, p.wd, p.hour, pi.src[p.src], pi.cat[sn.fields[fCategory][i]])
				spot[k] = uint64(sn.pt[i])<<32 | uint64(sn.fields[fLocation][i])
			}
			pi.attrs[m], pi.spot[m] = attrs, spot
		}
		x.part = pi
	})
	return x.part
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
	// srcMask and src: a record passes when its source field masked
	// equals src (a zero mask for every source).
	srcMask, src uint64
	week         [3]uint64 // hours of the week that pass, as bits
	cats         []bool    // by category number; nil: every category
}

// newAttrFilter packs pq; ok is false when it can select nothing (a
// source or every category named unknown).
func newAttrFilter(pq *partQuery, pi *partIndex) (af attrFilter, ok bool) {
	af.flags = uint64(pq.flags)
	if !pq.all {
		n, known := pi.src[pq.src]
		if !known {
			return af, false
		}
		af.srcMask, af.src = (attrNumMax-1)<<attrSrcShift, uint64(n)<<attrSrcShift
	}
	for wd := range 7 {
		for h := range 24 {
			if pq.within.Holds(wd, h) {
				b := wd*24 + h
				af.week[b/64] |= 1 << (b % 64)
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

func (af *attrFilter) pass(a uint64) bool {
	if a&af.flags != af.flags || a&af.srcMask != af.src {
		return false
	}
	if h := (a >> attrHourShift) & 0xff; af.week[h/64]&(1<<(h%64)) == 0 {
		return false
	}
	return af.cats == nil || af.cats[a>>attrCatShift]
}
