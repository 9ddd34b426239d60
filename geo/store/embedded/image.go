package embedded

import (
	"bufio"
	"cmp"
	"crypto/sha256"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"hash/crc32"
	"maps"
	"math/bits"
	"os"
	"slices"
	"unsafe"

	"github.com/leicester-csp/hotspot/geo"
)

// A snapshot image is a snapshot's columns as they lie in memory, written
// after a commit so that opening the store maps them instead of decoding
// every segment and sorting every ID again. It is derived data: the
// manifest never names it, a missing or unusable image only costs a slower
// load, and its header names the manifest it was built from so a stale one
// is never served.
//
// Layout: a 32-byte preamble (magic, the metadata's offset and length),
// the big columns as raw little-endian arrays each starting 8-byte
// aligned, then the metadata: a sealed blob holding the manifest's
// fingerprint, each column's offset, length and CRC, and the small parts
// of the snapshot (strings, month and aggregate indexes, partner rows).
const (
	imageMagic     = "HOTSPOT-IMG\x01"
	imageMetaMagic = "HOTSPOT-IMM\x01"
	imagePreamble  = 32
	imagePrefix    = "image-"
)

// Columns of an image, in file order.
const (
	colIDArena = iota
	colIDEnd
	colMonth
	colPoint
	colFields
	colExt      = colFields + nFields
	colByID     = colExt + 1
	colByMonth  = colExt + 2 // byMonth's lists, months ascending
	colPByMonth = colExt + 3 // pByMonth's lists, months ascending
	colAgg      = colExt + 4 // agg's lists, keys ascending
	numCols     = colExt + 5
)

// pointCount is mapped from the file as two little-endian uint32s.
var _ [8]byte = [unsafe.Sizeof(pointCount{})]byte{}

// littleEndian: images are the host's memory, so a big-endian host
// neither writes nor reads them and always loads segments.
var littleEndian = binary.NativeEndian.Uint16([]byte{1, 0}) == 1

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

func imageName(gen uint64) string { return fmt.Sprintf("%s%08d.bin", imagePrefix, gen) }

// fingerprint identifies a manifest's whole content: an image built from
// another manifest with the same generation (a replaced store) differs.
func fingerprint(m *manifest) []byte {
	b, _ := json.Marshal(m) // a struct of strings and numbers cannot fail
	sum := sha256.Sum256(b)
	return sum[:]
}

type imageCol struct {
	off, len uint64 // bytes
	crc      uint32
}

// asBytes views a column's memory as bytes, which on a little-endian
// host is its encoding.
func asBytes[T uint32 | geo.Month | pointCount](s []T) []byte {
	if len(s) == 0 {
		return nil
	}
	var z T
	return unsafe.Slice((*byte)(unsafe.Pointer(unsafe.SliceData(s))), len(s)*int(unsafe.Sizeof(z)))
}

// imageWriter streams columns, keeping each one's offset and checksum.
type imageWriter struct {
	w    *bufio.Writer
	off  uint64
	cols [numCols]imageCol
	err  error
}

func (iw *imageWriter) raw(b []byte) {
	if iw.err != nil {
		return
	}
	_, iw.err = iw.w.Write(b)
	iw.off += uint64(len(b))
}

// begin pads to the 8-byte boundary where column c starts.
func (iw *imageWriter) begin(c int) {
	var zero [8]byte
	iw.raw(zero[:(8-iw.off%8)%8])
	iw.cols[c].off = iw.off
}

func (iw *imageWriter) add(c int, b []byte) {
	iw.raw(b)
	iw.cols[c].len += uint64(len(b))
	iw.cols[c].crc = crc32.Update(iw.cols[c].crc, castagnoli, b)
}

// imageOrder is the order of the snapshot's map-held lists in the image.
type imageOrder struct {
	months, pMonths []geo.Month
	aggKeys         []aggKey
}

func orderOf(sn *snapshot) imageOrder {
	return imageOrder{
		months:  slices.Sorted(maps.Keys(sn.byMonth)),
		pMonths: slices.Sorted(maps.Keys(sn.pByMonth)),
		aggKeys: slices.SortedFunc(maps.Keys(sn.agg), cmpAggKey),
	}
}

func cmpAggKey(a, b aggKey) int {
	if c := cmp.Compare(a.month, b.month); c != 0 {
		return c
	}
	return cmp.Compare(a.cat, b.cat)
}

// u32Columns lists the image's uint32 incident columns with their ids.
func u32Columns(sn *snapshot) map[int][]uint32 {
	out := map[int][]uint32{colIDEnd: sn.idEnd, colPoint: sn.pt, colExt: sn.ext, colByID: sn.byID}
	for f := range nFields {
		out[colFields+f] = sn.fields[f]
	}
	return out
}

func (iw *imageWriter) columns(sn *snapshot, o *imageOrder) {
	iw.begin(colIDArena)
	iw.add(colIDArena, sn.idArena)
	iw.begin(colMonth)
	iw.add(colMonth, asBytes(sn.month))
	u32 := u32Columns(sn)
	for _, c := range slices.Sorted(maps.Keys(u32)) {
		iw.begin(c)
		iw.add(c, asBytes(u32[c]))
	}
	iw.begin(colByMonth)
	for _, m := range o.months {
		iw.add(colByMonth, asBytes(sn.byMonth[m]))
	}
	iw.begin(colPByMonth)
	for _, m := range o.pMonths {
		iw.add(colPByMonth, asBytes(sn.pByMonth[m]))
	}
	iw.begin(colAgg)
	for _, k := range o.aggKeys {
		iw.add(colAgg, asBytes(sn.agg[k]))
	}
}

// writeImage writes sn's image beside the manifest it was built from,
// atomically like every other file of the store.
func writeImage(dir string, sn *snapshot) error {
	if !littleEndian || sn.man.Generation == 0 {
		return nil
	}
	if err := writeAtomic(dir, imageName(sn.man.Generation), func(f *os.File) error { return writeImageTo(f, sn) }); err != nil {
		return err
	}
	return syncDir(dir)
}

func writeImageTo(f *os.File, sn *snapshot) error {
	iw := &imageWriter{w: bufio.NewWriterSize(f, 1<<20)}
	iw.raw(make([]byte, imagePreamble))
	o := orderOf(sn)
	iw.columns(sn, &o)
	meta := encodeImageMeta(sn, &iw.cols, &o)
	var zero [8]byte
	iw.raw(zero[:(8-iw.off%8)%8])
	metaOff := iw.off
	iw.raw(meta)
	if iw.err != nil {
		return iw.err
	}
	if err := iw.w.Flush(); err != nil {
		return err
	}
	pre := make([]byte, 16, imagePreamble)
	copy(pre, imageMagic)
	pre = binary.LittleEndian.AppendUint64(pre, metaOff)
	pre = binary.LittleEndian.AppendUint64(pre, uint64(len(meta)))
	_, err := f.WriteAt(pre, 0)
	return err
}

// encodeImageMeta encodes everything but the big columns. Lists held in
// maps are stored as their keys and lengths in the columns' order.
func encodeImageMeta(sn *snapshot, cols *[numCols]imageCol, o *imageOrder) []byte {
	e := &encoder{b: make([]byte, 0, imageMetaSize(sn, o))}
	e.b = append(e.b, imageMetaMagic...)
	e.bytes(sn.man.StoreID)
	e.uvarint(sn.man.Generation)
	e.bytes(string(fingerprint(sn.man)))
	e.uvarint(uint64(sn.len()))
	e.uvarint(uint64(len(sn.points)))
	e.uvarint(numCols)
	for _, c := range cols {
		e.u64(c.off)
		e.u64(c.len)
		e.i32(int32(c.crc))
	}
	e.uvarint(uint64(len(sn.strs)))
	for _, s := range sn.strs {
		e.bytes(s)
	}
	for _, idx := range []map[string]uint32{sn.catIdx, sn.pCats, sn.srcIdx} {
		vals := slices.Sorted(maps.Values(idx))
		e.uvarint(uint64(len(vals)))
		for _, v := range vals {
			e.uvarint(uint64(v))
		}
	}
	encodeSrcCats(e, sn)
	for _, l := range []struct {
		months []geo.Month
		by     map[geo.Month][]uint32
	}{{o.months, sn.byMonth}, {o.pMonths, sn.pByMonth}} {
		e.uvarint(uint64(len(l.months)))
		for _, m := range l.months {
			e.varint(int64(m))
			e.uvarint(uint64(len(l.by[m])))
		}
	}
	e.uvarint(uint64(len(o.aggKeys)))
	for _, k := range o.aggKeys {
		e.varint(int64(k.month))
		e.uvarint(uint64(k.cat))
		e.uvarint(uint64(len(sn.agg[k])))
	}
	tk := slices.SortedFunc(maps.Keys(sn.tally), cmpAggKey)
	e.uvarint(uint64(len(tk)))
	for _, k := range tk {
		e.varint(int64(k.month))
		e.uvarint(uint64(k.cat))
		e.uvarint(uint64(sn.tally[k]))
	}
	e.uvarint(uint64(len(sn.part)))
	for _, p := range sn.part {
		e.uvarint(uint64(p.src))
		e.uvarint(uint64(p.premises))
		e.uvarint(uint64(p.offender))
		e.varint(p.occurred)
		e.uvarint(uint64(p.flags))
		e.uvarint(uint64(p.wd))
		e.uvarint(uint64(p.hour))
	}
	return e.seal()
}

// imageMetaSize is about the encoded size of sn's image meta, exact for
// its two large parts (the strings and the partner rows), so that the
// buffer is made once: grown by appending, it took 68 MB of new memory
// for a store of a million partner records. Its small lists get
// generous room; a short guess only means append grows the buffer.
func imageMetaSize(sn *snapshot, o *imageOrder) int {
	n := len(imageMetaMagic) + 4096 + numCols*20
	for _, s := range sn.strs {
		n += uvarintLen(uint64(len(s))) + len(s)
	}
	n += 5 * (len(sn.catIdx) + len(sn.pCats) + len(sn.srcIdx) + len(sn.srcCats) + 3)
	for _, cats := range sn.srcCats {
		n += 5 * len(cats)
	}
	n += 15*(len(o.months)+len(o.pMonths)) + 20*len(o.aggKeys) + 25*len(sn.tally)
	for i := range sn.part {
		p := &sn.part[i]
		n += uvarintLen(uint64(p.src)) + uvarintLen(uint64(p.premises)) + uvarintLen(uint64(p.offender)) +
			varintLen(p.occurred) + uvarintLen(uint64(p.flags)) + uvarintLen(uint64(p.wd)) + uvarintLen(uint64(p.hour))
	}
	return n + binary.MaxVarintLen64
}

// uvarintLen and varintLen are the lengths binary.AppendUvarint and
// AppendVarint give v.
func uvarintLen(v uint64) int { return (bits.Len64(v|1) + 6) / 7 }

func varintLen(v int64) int {
	u := uint64(v) << 1
	if v < 0 {
		u = ^u
	}
	return uvarintLen(u)
}

// encodeSrcCats writes each local source's categories as string indexes,
// sources by name: the image must answer SourceInfos as the segments do.
func encodeSrcCats(e *encoder, sn *snapshot) {
	names := slices.Sorted(maps.Keys(sn.srcCats))
	e.uvarint(uint64(len(names)))
	for _, name := range names {
		e.uvarint(uint64(sn.srcIdx[name]))
		cats := sn.srcCats[name]
		e.uvarint(uint64(len(cats)))
		for _, c := range cats {
			e.uvarint(uint64(sn.pCats[c]))
		}
	}
}
