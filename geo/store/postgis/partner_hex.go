package postgis

// partner_hex (migration 0009) is kept by the importer, in the run's
// transaction: CellTallies reads it without joining points.
const (
	// The run's partner records are the rows this transaction wrote (no
	// import uses subtransactions); located ones only, after their new
	// points were given wards.
	sqlAddPartnerHex = `
INSERT INTO {s}.partner_hex (hod, month, flags, source, category, location, point_id, ward_code, h3_r6, h3_r7, h3_r8, h3_r9, h3_r10)
SELECT i.dow * 24 + i.hour, i.month, i.flags, i.source, i.category, i.location, i.point_id, p.ward_code,
       p.h3_r6, p.h3_r7, p.h3_r8, p.h3_r9, p.h3_r10
FROM {s}.partner_incidents i
JOIN {s}.points p ON p.id = i.point_id
WHERE i.xmin = xid(pg_current_xact_id())
ORDER BY 1, 3, 2`
	sqlPartnerHexWards = `
UPDATE {s}.partner_hex h SET ward_code = p.ward_code
FROM {s}.points p
WHERE p.id = h.point_id AND h.ward_code IS DISTINCT FROM p.ward_code`
)

// keepPartnerHex adds the run's partner records to partner_hex and, when
// the wards changed, gives its rows their points' new wards.
func (im *importer) keepPartnerHex(wardsChanged bool) error {
	if im.kind == runPartner && im.imported > 0 {
		err := im.bulkWrite("partner_hex", func() error {
			_, err := im.tx.ExecContext(im.ctx, im.q(sqlAddPartnerHex))
			return err
		})
		if err != nil {
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
