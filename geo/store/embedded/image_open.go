package embedded

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"os"
	"runtime"
	"sync"
	"unsafe"

	"github.com/leicester-csp/hotspot/geo"
)

// imageMeta is an image's metadata, checked against the manifest and the
// points file but not yet against the columns.
type imageMeta struct {
	n, nPoints                int
	cols                      [numCols]imageCol
	strs                      []string
	catIdx, pCats, srcIdx     []uint32
	srcCats                   map[string][]string
	months, pMonths           []geo.Month
	monthLens, pMonthLens     []uint64
	aggKeys                   []aggKey
	aggLens                   []uint64
	tallyKeys                 []aggKey
	tallies                   []uint32
	part                      []partRow
	byMonthN, pByMonthN, aggN uint64
}

// decodeImage fills sn's incident columns and indexes from an image
// whose side files (points, areas…) sn already holds. The columns alias
// b; every checksum and every index that a query follows is checked first,
// so a damaged image is refused rather than served. When b is a mapping
// (mapped), pages are dropped from the resident set once checked.
func decodeImage(b []byte, sn *snapshot, mapped bool) error {
	if len(b) < imagePreamble || !bytes.HasPrefix(b, []byte(imageMagic)) {
		return fmt.Errorf("%w: not a snapshot image", errCorrupt)
	}
	if uintptr(unsafe.Pointer(&b[0]))%8 != 0 { // a mapping is page-aligned
		return fmt.Errorf("%w: image memory not 8-byte aligned", errCorrupt)
	}
	off, n := binary.LittleEndian.Uint64(b[16:]), binary.LittleEndian.Uint64(b[24:])
	if off < imagePreamble || off > uint64(len(b)) || n != uint64(len(b))-off {
		return fmt.Errorf("%w: image metadata at %d+%d in %d bytes", errCorrupt, off, n, len(b))
	}
	meta, err := decodeImageMeta(b[off:], sn.man, len(sn.points))
	if err != nil {
		return err
	}
	if err := meta.checkLayout(off); err != nil {
		return err
	}
	if err := checkSums(b, &meta.cols, mapped); err != nil {
		return err
	}
	fill(sn, b, meta)
	return checkRanges(b, sn, meta, mapped)
}

// checkLayout checks that every column lies before the metadata, aligned,
// with the size its counts give.
func (m *imageMeta) checkLayout(metaOff uint64) error {
	for c, col := range m.cols {
		if col.off < imagePreamble || col.off%8 != 0 || col.off > metaOff || col.len > metaOff-col.off {
			return fmt.Errorf("%w: image column %d at %d+%d", errCorrupt, c, col.off, col.len)
		}
		want := uint64(m.n) * 4
		switch c {
		case colIDArena:
			continue
		case colByMonth:
			want = m.byMonthN * 4
		case colPByMonth:
			want = m.pByMonthN * 4
		case colAgg:
			want = m.aggN * 8
		}
		if col.len != want {
			return fmt.Errorf("%w: image column %d has %d bytes, want %d", errCorrupt, c, col.len, want)
		}
	}
	return nil
}

// parallel runs the tasks on every CPU and returns the first error.
func parallel(tasks []func() error) error {
	var (
		wg    sync.WaitGroup
		mu    sync.Mutex
		first error
	)
	next := make(chan func() error)
	for range min(runtime.GOMAXPROCS(0), len(tasks)) {
		wg.Go(func() {
			for t := range next {
				if err := t(); err != nil {
					mu.Lock()
					if first == nil {
						first = err
					}
					mu.Unlock()
				}
			}
		})
	}
	for _, t := range tasks {
		next <- t
	}
	close(next)
	wg.Wait()
	return first
}

// checkChunk is how much of a column is checked before its pages are
// dropped: the checks then never hold the whole image resident.
const checkChunk = 32 << 20

func checkSums(b []byte, cols *[numCols]imageCol, mapped bool) error {
	tasks := make([]func() error, 0, numCols)
	for c, col := range cols {
		tasks = append(tasks, func() error {
			var crc uint32
			for at, end := col.off, col.off+col.len; at < end; at += checkChunk {
				to := min(at+checkChunk, end)
				crc = crc32.Update(crc, castagnoli, b[at:to])
				if mapped {
					dropRange(b, at, to)
				}
			}
			if crc != col.crc {
				return fmt.Errorf("%w: image column %d checksum mismatch", errCorrupt, c)
			}
			return nil
		})
	}
	return parallel(tasks)
}

// dropRange drops the whole pages within b[from:to] of a mapping (never
// of the heap, whose pages it would zero).
func dropRange(b []byte, from, to uint64) {
	page := uint64(os.Getpagesize())
	lo, hi := (from+page-1)/page*page, to/page*page
	if hi > lo {
		dropPages(b[lo:hi])
	}
}

// dropCol drops the pages of a column that aliases b.
func dropCol(b []byte, col []uint32) {
	if len(col) == 0 {
		return
	}
	from := uint64(uintptr(unsafe.Pointer(&col[0])) - uintptr(unsafe.Pointer(&b[0])))
	dropRange(b, from, from+4*uint64(len(col)))
}

// colAt views an image column as its element type.
func colAt[T uint32 | geo.Month | pointCount](b []byte, col imageCol) []T {
	var z T
	n := int(col.len / uint64(unsafe.Sizeof(z)))
	if n == 0 {
		return nil
	}
	return unsafe.Slice((*T)(unsafe.Pointer(&b[col.off])), n)
}

// fill points sn's columns into the image and rebuilds the small maps.
// Lists cut from one column are capped at their length, so an append by a
// later build copies rather than writing over a neighbour.
func fill(sn *snapshot, b []byte, m *imageMeta) {
	a := m.cols[colIDArena]
	sn.idArena = b[a.off : a.off+a.len : a.off+a.len]
	sn.idEnd = colAt[uint32](b, m.cols[colIDEnd])
	sn.month = colAt[geo.Month](b, m.cols[colMonth])
	sn.pt = colAt[uint32](b, m.cols[colPoint])
	for f := range nFields {
		sn.fields[f] = colAt[uint32](b, m.cols[colFields+f])
	}
	sn.ext = colAt[uint32](b, m.cols[colExt])
	sn.byID = colAt[uint32](b, m.cols[colByID])
	sn.strs, sn.part = m.strs, m.part
	sn.catIdx, sn.pCats, sn.srcIdx = nameIndex(m.strs, m.catIdx), nameIndex(m.strs, m.pCats), nameIndex(m.strs, m.srcIdx)
	sn.srcCats = m.srcCats
	sn.byMonth, sn.months = splitMonths(colAt[uint32](b, m.cols[colByMonth]), m.months, m.monthLens)
	sn.pByMonth, sn.pMonths = splitMonths(colAt[uint32](b, m.cols[colPByMonth]), m.pMonths, m.pMonthLens)
	all := colAt[pointCount](b, m.cols[colAgg])
	sn.agg = make(map[aggKey][]pointCount, len(m.aggKeys))
	var at uint64
	for i, k := range m.aggKeys {
		end := at + m.aggLens[i]
		sn.agg[k] = all[at:end:end]
		at = end
	}
	sn.tally = make(map[aggKey]uint32, len(m.tallyKeys))
	for i, k := range m.tallyKeys {
		sn.tally[k] = m.tallies[i]
	}
	sn.sorted = &sortedPoints{}
}

func nameIndex(strs []string, idx []uint32) map[string]uint32 {
	out := make(map[string]uint32, len(idx))
	for _, i := range idx {
		out[strs[i]] = i
	}
	return out
}

func splitMonths(all []uint32, months []geo.Month, lens []uint64) (map[geo.Month][]uint32, []geo.Month) {
	out := make(map[geo.Month][]uint32, len(months))
	var at uint64
	for i, m := range months {
		end := at + lens[i]
		out[m] = all[at:end:end]
		at = end
	}
	if len(months) == 0 {
		return out, nil
	}
	return out, append([]geo.Month(nil), months...)
}

// checkRanges checks every index a query follows without a bounds check
// of its own: string, point, partner row and incident indexes, and the ID
// arena's ends.
func checkRanges(b []byte, sn *snapshot, m *imageMeta, mapped bool) error {
	drop := func(col []uint32) {
		if mapped {
			dropCol(b, col)
		}
	}
	n, nStrs := uint32(m.n), uint32(len(m.strs))
	check := func(name string, col []uint32, limit uint32) func() error {
		return func() error {
			defer drop(col)
			for i, v := range col {
				if v >= limit {
					return fmt.Errorf("%w: image %s[%d] = %d, limit %d", errCorrupt, name, i, v, limit)
				}
			}
			return nil
		}
	}
	tasks := []func() error{
		check("point", sn.pt, uint32(m.nPoints)+1),
		check("ext", sn.ext, uint32(len(sn.part))+1),
		check("byID", sn.byID, n),
		func() error { defer drop(sn.idEnd); return checkIDEnds(sn.idEnd, len(sn.idArena)) },
		func() error { return checkAggPoints(sn.agg, uint32(m.nPoints)) },
	}
	for f := range nFields {
		tasks = append(tasks, check("field", sn.fields[f], nStrs))
	}
	for _, l := range sn.byMonth {
		tasks = append(tasks, check("byMonth", l, n))
	}
	for _, l := range sn.pByMonth {
		tasks = append(tasks, check("pByMonth", l, n))
	}
	return parallel(tasks)
}

func checkIDEnds(ends []uint32, arena int) error {
	var prev uint32
	for i, e := range ends {
		if e < prev {
			return fmt.Errorf("%w: image ID ends fall at %d", errCorrupt, i)
		}
		prev = e
	}
	if uint64(prev) != uint64(arena) {
		return fmt.Errorf("%w: image IDs end at %d of a %d-byte arena", errCorrupt, prev, arena)
	}
	return nil
}

func checkAggPoints(agg map[aggKey][]pointCount, nPoints uint32) error {
	for k, l := range agg {
		for _, pc := range l {
			if pc.pt >= nPoints {
				return fmt.Errorf("%w: image aggregate %v names point %d of %d", errCorrupt, k, pc.pt, nPoints)
			}
		}
	}
	return nil
}
