package embedded

import (
	"bytes"
	"fmt"
	"math"

	"github.com/leicester-csp/hotspot/geo"
)

// errStaleImage is an image built from another manifest than the one
// being loaded: not damage, just out of date.
var errStaleImage = fmt.Errorf("snapshot image is stale")

// decodeImageMeta decodes and checks an image's metadata against the
// manifest being loaded and the number of points its points file holds.
func decodeImageMeta(b []byte, man *manifest, nPoints int) (*imageMeta, error) {
	d, err := openSealed(b, imageMetaMagic)
	if err != nil {
		return nil, fmt.Errorf("image metadata: %w", err)
	}
	if string(d.bytes()) != man.StoreID || d.uvarint() != man.Generation || !bytes.Equal(d.bytes(), fingerprint(man)) {
		if d.err != nil {
			return nil, d.err
		}
		return nil, errStaleImage
	}
	m := &imageMeta{}
	n, pts := d.uvarint(), d.uvarint()
	if n > math.MaxUint32 || pts != uint64(nPoints) {
		return nil, fmt.Errorf("%w: image of %d incidents at %d points, the points file has %d", errCorrupt, n, pts, nPoints)
	}
	m.n, m.nPoints = int(n), nPoints
	if d.uvarint() != numCols {
		d.fail()
	}
	for c := range m.cols {
		m.cols[c] = imageCol{off: d.u64(), len: d.u64(), crc: uint32(d.i32())}
	}
	m.strs = make([]string, d.count(1))
	for i := range m.strs {
		m.strs[i] = string(d.bytes())
	}
	if d.err == nil && (len(m.strs) == 0 || m.strs[0] != "") {
		d.fail() // index 0 is "" in every snapshot
	}
	m.catIdx, m.pCats, m.srcIdx = d.strIndexes(len(m.strs)), d.strIndexes(len(m.strs)), d.strIndexes(len(m.strs))
	m.srcCats = d.srcCats(m.strs)
	m.months, m.monthLens, m.byMonthN = d.monthLists(n)
	m.pMonths, m.pMonthLens, m.pByMonthN = d.monthLists(n)
	m.decodeAggs(d)
	m.decodeParts(d)
	if d.err == nil && len(d.b) != 0 {
		d.fail()
	}
	if d.err != nil {
		return nil, fmt.Errorf("image metadata: %w", d.err)
	}
	return m, nil
}

func (d *decoder) strIndexes(nStrs int) []uint32 {
	out := make([]uint32, d.count(1))
	for i := range out {
		v := d.uvarint()
		if v >= uint64(nStrs) {
			d.fail()
		}
		out[i] = uint32(v)
	}
	return out
}

// monthLists reads months (strictly ascending) and their lists' lengths,
// each at most n, and returns their sum.
func (d *decoder) monthLists(n uint64) ([]geo.Month, []uint64, uint64) {
	k := d.count(2)
	months, lens := make([]geo.Month, k), make([]uint64, k)
	var sum uint64
	for i := range months {
		months[i] = d.month()
		lens[i] = d.uvarint()
		if lens[i] > n || (i > 0 && months[i] <= months[i-1]) {
			d.fail()
		}
		sum += lens[i] // at most k × 2³², no overflow
	}
	return months, lens, sum
}

func (d *decoder) month() geo.Month {
	v := d.varint()
	if v < math.MinInt32 || v > math.MaxInt32 {
		d.fail()
	}
	return geo.Month(v)
}

// aggKey reads a (month, category) key; keys come strictly ascending.
func (d *decoder) aggKey(nStrs int, prev *aggKey, first bool) aggKey {
	k := aggKey{month: d.month()}
	c := d.uvarint()
	if c >= uint64(nStrs) {
		d.fail()
	}
	k.cat = uint32(c)
	if !first && cmpAggKey(*prev, k) >= 0 {
		d.fail()
	}
	return k
}

func (m *imageMeta) decodeAggs(d *decoder) {
	nStrs := len(m.strs)
	m.aggKeys = make([]aggKey, d.count(3))
	m.aggLens = make([]uint64, len(m.aggKeys))
	for i := range m.aggKeys {
		var prev aggKey
		if i > 0 {
			prev = m.aggKeys[i-1]
		}
		m.aggKeys[i] = d.aggKey(nStrs, &prev, i == 0)
		m.aggLens[i] = d.uvarint()
		if m.aggLens[i] > uint64(m.nPoints) { // one count per point at most
			d.fail()
		}
		m.aggN += m.aggLens[i]
	}
	m.tallyKeys = make([]aggKey, d.count(3))
	m.tallies = make([]uint32, len(m.tallyKeys))
	for i := range m.tallyKeys {
		var prev aggKey
		if i > 0 {
			prev = m.tallyKeys[i-1]
		}
		m.tallyKeys[i] = d.aggKey(nStrs, &prev, i == 0)
		v := d.uvarint()
		if v > uint64(m.n) {
			d.fail()
		}
		m.tallies[i] = uint32(v)
	}
}

func (m *imageMeta) decodeParts(d *decoder) {
	nStrs := uint64(len(m.strs))
	m.part = make([]partRow, d.count(7))
	for i := range m.part {
		p := &m.part[i]
		src, prem, off := d.uvarint(), d.uvarint(), d.uvarint()
		p.occurred = d.varint()
		fl, wd, h := d.uvarint(), d.uvarint(), d.uvarint()
		if src >= nStrs || prem >= nStrs || off >= nStrs || fl >= 1<<geo.NumFlags || wd > 6 || h > 23 {
			d.fail()
			return
		}
		p.src, p.premises, p.offender = uint32(src), uint32(prem), uint32(off)
		p.flags, p.wd, p.hour = geo.Flags(fl), uint8(wd), uint8(h)
	}
	if len(m.part) == 0 {
		m.part = nil
	}
}

// srcCats reads encodeSrcCats' lists back as names.
func (d *decoder) srcCats(strs []string) map[string][]string {
	out := map[string][]string{}
	for range d.count(2) {
		src := d.strIndexes1(len(strs))
		cats := d.strIndexes(len(strs))
		if d.err != nil {
			return out
		}
		names := make([]string, len(cats))
		for i, c := range cats {
			names[i] = strs[c]
		}
		out[strs[src]] = names
	}
	return out
}

// strIndexes1 reads one string index.
func (d *decoder) strIndexes1(nStrs int) uint32 {
	v := d.uvarint()
	if v >= uint64(nStrs) {
		d.fail()
		return 0
	}
	return uint32(v)
}
