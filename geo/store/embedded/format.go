package embedded

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"math"
	"os"
	"path/filepath"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"

	"github.com/leicester-csp/hotspot/geo"
)

// On disk a store is a MANIFEST naming immutable files. Every file is
// written to a temporary name, synced and renamed; the manifest is renamed
// last, so a reader sees the old state or the new one and a crash at any
// point leaves the old one.
const (
	manifestName = "MANIFEST.json"
	lockName     = "LOCK"
	rejectsDir   = "rejects"
	formatV1     = 1

	// Segment format 2 adds partner records' fields (source, time, flags,
	// premises, pseudonym) after each row; format 1 files, written before
	// partner records, are still read.
	segMagic    = "HOTSPOT-SEG\x02"
	segMagicV1  = "HOTSPOT-SEG\x01"
	pointsMagic = "HOTSPOT-PTS\x01"
)

var errCorrupt = errors.New("embedded: corrupt file")

func readManifest(dir string) (*manifest, error) {
	b, err := os.ReadFile(filepath.Join(dir, manifestName))
	if errors.Is(err, os.ErrNotExist) {
		return &manifest{Format: formatV1}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read manifest: %w", err)
	}
	var m manifest
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, fmt.Errorf("manifest %s: %w: %v", filepath.Join(dir, manifestName), errCorrupt, err)
	}
	if m.Format != formatV1 {
		return nil, fmt.Errorf("manifest %s: format %d is not supported (this binary reads %d)", filepath.Join(dir, manifestName), m.Format, formatV1)
	}
	return &m, nil
}

// writeFileAtomic writes data under a temporary name, syncs it and renames
// it into place.
func writeFileAtomic(dir, name string, data []byte) error {
	return writeAtomic(dir, name, func(f *os.File) error {
		_, err := f.Write(data)
		return err
	})
}

// writeAtomic creates name's content with fill under a temporary name,
// syncs it and renames it into place.
func writeAtomic(dir, name string, fill func(*os.File) error) error {
	tmp, err := os.CreateTemp(dir, name+".tmp-*")
	if err != nil {
		return fmt.Errorf("create %s: %w", name, err)
	}
	defer os.Remove(tmp.Name()) // a no-op once renamed
	// CreateTemp makes files private; the data is meant to be shared with
	// the serving process, which may run as another user.
	if err := tmp.Chmod(0o644); err != nil {
		tmp.Close()
		return fmt.Errorf("chmod %s: %w", name, err)
	}
	if err := fill(tmp); err != nil {
		tmp.Close()
		return fmt.Errorf("write %s: %w", name, err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return fmt.Errorf("sync %s: %w", name, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("close %s: %w", name, err)
	}
	if err := os.Rename(tmp.Name(), filepath.Join(dir, name)); err != nil {
		return fmt.Errorf("rename %s: %w", name, err)
	}
	return nil
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}

// encoder appends to a byte slice; files are small enough (tens of MB for
// a city's years) to build in memory and write in one go.
type encoder struct{ b []byte }

func (e *encoder) uvarint(v uint64) { e.b = binary.AppendUvarint(e.b, v) }
func (e *encoder) varint(v int64)   { e.b = binary.AppendVarint(e.b, v) }
func (e *encoder) bytes(s string)   { e.uvarint(uint64(len(s))); e.b = append(e.b, s...) }
func (e *encoder) u64(v uint64)     { e.b = binary.LittleEndian.AppendUint64(e.b, v) }
func (e *encoder) f64(v float64)    { e.u64(math.Float64bits(v)) }
func (e *encoder) i32(v int32)      { e.b = binary.LittleEndian.AppendUint32(e.b, uint32(v)) }

// seal appends the CRC of everything written so far.
func (e *encoder) seal() []byte {
	return binary.LittleEndian.AppendUint32(e.b, crc32.ChecksumIEEE(e.b))
}

type decoder struct {
	b   []byte
	err error
}

func openSealed(b []byte, magic string) (*decoder, error) {
	if len(b) < len(magic)+4 || !bytes.HasPrefix(b, []byte(magic)) {
		return nil, errCorrupt
	}
	body := b[:len(b)-4]
	if crc32.ChecksumIEEE(body) != binary.LittleEndian.Uint32(b[len(b)-4:]) {
		return nil, fmt.Errorf("%w: checksum mismatch", errCorrupt)
	}
	return &decoder{b: body[len(magic):]}, nil
}

func (d *decoder) fail() {
	if d.err == nil {
		d.err = errCorrupt
	}
	d.b = nil
}

func (d *decoder) uvarint() uint64 {
	v, n := binary.Uvarint(d.b)
	if n <= 0 {
		d.fail()
		return 0
	}
	d.b = d.b[n:]
	return v
}

func (d *decoder) varint() int64 {
	v, n := binary.Varint(d.b)
	if n <= 0 {
		d.fail()
		return 0
	}
	d.b = d.b[n:]
	return v
}

// count reads a number of items that each take at least minSize bytes. A
// count the remaining bytes cannot hold is corrupt, and is refused before
// anything is sized by it: a damaged length must not allocate gigabytes.
func (d *decoder) count(minSize int) uint64 {
	n := d.uvarint()
	if n > uint64(len(d.b))/uint64(minSize) {
		d.fail()
		return 0
	}
	return n
}

func (d *decoder) bytes() []byte {
	n := d.uvarint()
	if uint64(len(d.b)) < n {
		d.fail()
		return nil
	}
	s := d.b[:n]
	d.b = d.b[n:]
	return s
}

func (d *decoder) u64() uint64 {
	if len(d.b) < 8 {
		d.fail()
		return 0
	}
	v := binary.LittleEndian.Uint64(d.b)
	d.b = d.b[8:]
	return v
}

func (d *decoder) f64() float64 { return math.Float64frombits(d.u64()) }

func (d *decoder) i32() int32 {
	if len(d.b) < 4 {
		d.fail()
		return 0
	}
	v := binary.LittleEndian.Uint32(d.b)
	d.b = d.b[4:]
	return int32(v)
}

// String columns kept for every incident, in file order.
const (
	fReportedBy = iota
	fFallsWithin
	fLocation
	fLSOACode
	fLSOAName
	fCategory
	fOutcome
	fContext
	nFields
)

func incidentFields(in *geo.Incident) [nFields]string {
	return [nFields]string{in.ReportedBy, in.FallsWithin, in.Location, in.LSOACode, in.LSOAName, in.Category, in.Outcome, in.Context}
}

// segRow is an incident as a segment stores it; point is 0 for no location,
// else the global point index + 1.
type segRow struct {
	id     string
	month  geo.Month
	point  uint32
	fields [nFields]string
	ext    *segExt // nil for police.uk
}

// encodeSegment numbers the rows' strings in order of first use, then
// writes the table and the rows. Each string is looked up once: its number
// is kept for the second pass (two lookups per string, and a buffer grown
// by appending, were most of the encoding's time for a million rows).
func encodeSegment(rows []segRow) []byte {
	local := make(map[string]uint64, 1024)
	var strs []string
	num := func(s string) uint32 {
		n, ok := local[s]
		if !ok {
			n = uint64(len(strs))
			local[s] = n
			strs = append(strs, s)
		}
		return uint32(n)
	}
	idx := makeLarge[uint32](0, len(rows)*nFields)
	parts := 0
	for i := range rows {
		if rows[i].ext != nil {
			parts++
		}
	}
	ext := make([]uint32, 0, 3*parts) // src, premises, offender of each partner row
	var memo strMemo
	size := len(segMagic) + 2*binary.MaxVarintLen64 + 4
	for i := range rows {
		r := &rows[i]
		for f, s := range r.fields {
			idx = append(idx, memo.num(f, s, num))
		}
		if x := r.ext; x != nil {
			ext = append(ext, memo.num(nFields, x.src, num), memo.num(nFields+1, x.premises, num), memo.num(nFields+2, x.offender, num))
		}
		size += len(r.id) + segRowGuess
		if r.ext != nil {
			size += segExtGuess
		}
	}
	for _, s := range strs {
		size += binary.MaxVarintLen64 + len(s)
	}
	e := &encoder{b: makeLarge[byte](0, size)}
	e.b = append(e.b, segMagic...)
	e.uvarint(uint64(len(strs)))
	for _, s := range strs {
		e.bytes(s)
	}
	e.uvarint(uint64(len(rows)))
	for i := range rows {
		r := &rows[i]
		e.bytes(r.id)
		e.varint(int64(r.month))
		e.uvarint(uint64(r.point))
		for _, n := range idx[i*nFields : (i+1)*nFields] {
			e.uvarint(uint64(n))
		}
		if r.ext == nil {
			e.uvarint(0)
			continue
		}
		e.uvarint(1)
		e.uvarint(uint64(ext[0]))
		e.varint(r.ext.occurred)
		e.uvarint(uint64(r.ext.flags))
		e.uvarint(uint64(ext[1]))
		e.uvarint(uint64(ext[2]))
		ext = ext[3:]
	}
	return e.seal()
}

// segRowGuess and segExtGuess are a row's usual encoded size beyond its ID
// and its partner tail's: a guess to size the buffer once, which append
// still grows when it falls short.
const (
	segRowGuess = 1 + 3 + 3 + nFields*2 + 1
	segExtGuess = 3*3 + 5 + 1
)

// decodeSegment calls row for every stored incident; strs are the segment's
// own string table, fields index into it. id aliases the file's bytes.
func decodeSegment(b []byte, row func(id []byte, month geo.Month, point uint32, fields *[nFields]uint32, ext *extIdx, strs []string) error) error {
	d, err := openSealed(b, segMagic)
	v2 := err == nil
	if !v2 {
		if d, err = openSealed(b, segMagicV1); err != nil {
			return err
		}
	}
	strs := make([]string, d.count(1)) // a string is at least its length
	for i := range strs {
		strs[i] = string(d.bytes())
	}
	n := d.uvarint()
	var fields [nFields]uint32
	var ext extIdx
	for i := uint64(0); i < n && d.err == nil; i++ {
		id := d.bytes()
		month := geo.Month(d.varint())
		point := uint32(d.uvarint())
		for f := range fields {
			v := d.uvarint()
			if v >= uint64(len(strs)) {
				d.fail()
			}
			fields[f] = uint32(v)
		}
		var x *extIdx
		if v2 && ext.decode(d, len(strs)) {
			x = &ext
		}
		if d.err != nil {
			break
		}
		if err := row(id, month, point, &fields, x, strs); err != nil {
			return err
		}
	}
	if d.err == nil && len(d.b) != 0 {
		d.fail()
	}
	return d.err
}

// point is a distinct map location with its indexing: police.uk snaps
// incidents to a limited set of map points, so cells and areas are worked
// out once per point, not once per incident.
type point struct {
	P     orb.Point
	Cells [geo.NumRes]geo.Cell
	Ward  int32 // position in the ward index (code order), -1 for none
	LSOA  int32
}

// pointSize is a point's encoded size: two coordinates, its cells, ward
// and LSOA.
const pointSize = 8 + 8 + 8*geo.NumRes + 4 + 4

func encodePoints(pts []point) []byte {
	var b bytes.Buffer
	b.Grow(len(pts)*pointSize + 32)
	_ = writePoints(&b, pts) // a bytes.Buffer takes every write
	return b.Bytes()
}

// writePoints writes pts as encodePoints encodes them, a block at a time:
// a million new points encoded whole were 60 MB of new memory (every page
// a fault) only to be copied to the file.
func writePoints(w io.Writer, pts []point) error {
	const block = 1 << 14
	e := &encoder{b: make([]byte, 0, min(len(pts), block)*pointSize+32)}
	e.b = append(e.b, pointsMagic...)
	e.uvarint(uint64(len(pts)))
	var sum uint32
	for lo := 0; ; lo += block {
		for _, p := range pts[lo:min(lo+block, len(pts))] {
			e.f64(p.P[0])
			e.f64(p.P[1])
			for _, c := range p.Cells {
				e.u64(uint64(c))
			}
			e.i32(p.Ward)
			e.i32(p.LSOA)
		}
		sum = crc32.Update(sum, crc32.IEEETable, e.b)
		if lo+block >= len(pts) {
			e.b = binary.LittleEndian.AppendUint32(e.b, sum)
			_, err := w.Write(e.b)
			return err
		}
		if _, err := w.Write(e.b); err != nil {
			return err
		}
		e.b = e.b[:0]
	}
}

func decodePoints(b []byte) ([]point, error) {
	d, err := openSealed(b, pointsMagic)
	if err != nil {
		return nil, err
	}
	pts := make([]point, d.count(pointSize))
	if d.err != nil {
		return nil, d.err
	}
	for i := range pts {
		p := &pts[i]
		p.P = orb.Point{d.f64(), d.f64()}
		for r := range p.Cells {
			p.Cells[r] = geo.Cell(d.u64())
		}
		p.Ward = d.i32()
		p.LSOA = d.i32()
	}
	if d.err == nil && len(d.b) != 0 {
		return nil, errCorrupt
	}
	return pts, d.err
}

type areaFile struct {
	Kind     geo.AreaKind      `json:"kind"`
	Code     string            `json:"code"`
	Name     string            `json:"name"`
	Geometry *geojson.Geometry `json:"geometry"`
}

func encodeAreas(as []geo.Area) ([]byte, error) {
	out := make([]areaFile, len(as))
	for i, a := range as {
		out[i] = areaFile{Kind: a.Kind, Code: a.Code, Name: a.Name, Geometry: geojson.NewGeometry(a.Geometry)}
	}
	return json.Marshal(out)
}

func decodeAreas(b []byte) ([]geo.Area, error) {
	var in []areaFile
	if err := json.Unmarshal(b, &in); err != nil {
		return nil, fmt.Errorf("%w: %v", errCorrupt, err)
	}
	out := make([]geo.Area, len(in))
	for i, a := range in {
		if a.Geometry == nil {
			return nil, fmt.Errorf("%w: area %s has no geometry", errCorrupt, a.Code)
		}
		mp, ok := a.Geometry.Geometry().(orb.MultiPolygon)
		if !ok {
			return nil, fmt.Errorf("%w: area %s is not a MultiPolygon", errCorrupt, a.Code)
		}
		out[i] = geo.Area{Kind: a.Kind, Code: a.Code, Name: a.Name, Geometry: mp}
	}
	return out, nil
}
