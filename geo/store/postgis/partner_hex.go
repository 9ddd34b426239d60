package postgis

import (
	"cmp"
	"slices"

	"github.com/leicester-csp/hotspot/geo"
)

// partner_hex (migration 0009) is kept by the importer, in the run's
// transaction: CellTallies reads it without joining partner_points. The
// run's rows are gathered as its records are encoded and copied in once
// its new points have their wards, in the order the migration wants
// (hour of the week, flags, month): they come from Go, where each
// record's point, cells and ward are known, so no join is made.
const (
	sqlCopyPartnerHex  = `COPY {s}.partner_hex (hod, month, flags, source, category, location, point_id, ward_code, h3_r6, h3_r7, h3_r8, h3_r9, h3_r10) FROM STDIN`
	sqlPartnerHexWards = `
UPDATE {s}.partner_hex h SET ward_code = p.ward_code
FROM {s}.partner_points p
WHERE p.id = h.point_id AND h.ward_code IS DISTINCT FROM p.ward_code`
)

// hexRows are the partner_hex rows of a run's located records.
type hexRows struct {
	rows []hexRow
	// text holds each row's source, category and location, encoded for
	// COPY, in blocks of hexBlock bytes filled one after another: a
	// million records' strings would otherwise keep their whole input
	// lines alive, and one growing buffer was copied over and over.
	text [][]byte
	// stored holds the partner points stored before the run that the
	// run's records are at (lookUpPoints).
	stored map[int32]pointAttrs
}

const hexBlock = 1 << 20

type hexRow struct {
	hod, flags int16
	month      int32
	point      int32
	blk        uint32 // the row's text: text[blk][off:off+n]
	off, n     uint32
}

// pointAttrs is what partner_hex copies of a record's point.
type pointAttrs struct {
	ward  string
	cells [geo.NumRes]geo.Cell
}

// hourOfWeek is partner_hex's hod: Monday 00:00 is 0.
func hourOfWeek(wd, h int) int { return wd*24 + h }

func (x *hexRows) add(hod int, inc *geo.Located, pt int32) {
	need := len(inc.Source) + len(inc.Category) + len(inc.Location) + 3
	if len(x.text) == 0 || len(x.text[len(x.text)-1])+2*need > hexBlock {
		// Escaping at most doubles a string; a row longer than a block
		// gets a block of its own.
		x.text = append(x.text, make([]byte, 0, max(hexBlock, 2*need)))
	}
	last := len(x.text) - 1
	c := copyText{b: x.text[last]}
	from := len(c.b)
	c.str(inc.Source)
	c.str(inc.Category)
	c.str(inc.Location)
	x.text[last] = c.b
	x.rows = append(x.rows, hexRow{hod: int16(hod), flags: int16(inc.Flags), month: int32(inc.Month), point: pt, blk: uint32(last), off: uint32(from), n: uint32(len(c.b) - from)})
}

// keepPartnerHex adds the run's partner records to partner_hex and, when
// the wards changed, gives its rows their points' new wards.
func (im *importer) keepPartnerHex(wardsChanged bool) error {
	if im.kind == runPartner && len(im.hex.rows) > 0 {
		if err := im.bulkWrite("partner_hex", im.copyPartnerHex); err != nil {
			return err
		}
	}
	if wardsChanged {
		if _, err := im.tx.ExecContext(im.ctx, im.q(sqlPartnerHexWards)); err != nil {
			return err
		}
	}
	return nil
}

// copyPartnerHex copies the run's rows, each with its point's ward and
// cells: a new point's from newPoints (in id order from the first new
// id), a stored one's as looked up.
func (im *importer) copyPartnerHex() error {
	x := &im.hex
	// Ties keep the records' order (their text's place), with a sort
	// cheaper than a stable one.
	slices.SortFunc(x.rows, func(a, b hexRow) int {
		return cmp.Or(cmp.Compare(a.hod, b.hod), cmp.Compare(a.flags, b.flags), cmp.Compare(a.month, b.month),
			cmp.Compare(a.blk, b.blk), cmp.Compare(a.off, b.off))
	})
	first := im.maxPartnerPoint + 1
	return copyChunked(im.ctx, im.conn, im.q(sqlCopyPartnerHex), len(x.rows), func(c *copyText, i int) {
		r := &x.rows[i]
		var a pointAttrs
		if r.point >= first {
			k := r.point - first
			a.ward, a.cells = im.newAreas[k].ward, im.newPoints[k].cells
		} else {
			a = x.stored[r.point]
		}
		c.int(int64(r.hod))
		c.int(int64(r.month))
		c.int(int64(r.flags))
		c.b = append(c.b, x.text[r.blk][r.off:r.off+r.n]...)
		c.int(int64(r.point))
		strOrNull(c, a.ward)
		for _, cell := range a.cells {
			c.int(int64(cell))
		}
		c.end()
	})
}
