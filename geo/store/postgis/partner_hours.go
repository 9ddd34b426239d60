package postgis

// partner_hours (migration 0017) is kept by the importer in the run's
// transaction, from the partner_hex rows the run wrote (no import writes
// them in a subtransaction): DayHourCounts reads it for a whole area.
const (
	sqlAddPartnerHours = `
INSERT INTO {s}.partner_hours AS c (source, category, month, flags, hod, in_ward, n)
SELECT source, category, month, flags, hod, ward_code IS NOT NULL, count(*)
FROM {s}.partner_hex
WHERE xmin = xid(pg_current_xact_id())
GROUP BY 1, 2, 3, 4, 5, 6
ON CONFLICT (source, category, month, flags, hod, in_ward) DO UPDATE SET n = c.n + EXCLUDED.n`
	sqlClearPartnerHours   = `DELETE FROM {s}.partner_hours`
	sqlRecountPartnerHours = `
INSERT INTO {s}.partner_hours (source, category, month, flags, hod, in_ward, n)
SELECT source, category, month, flags, hod, ward_code IS NOT NULL, count(*)
FROM {s}.partner_hex
GROUP BY 1, 2, 3, 4, 5, 6`
)

// keepPartnerHours adds the run's partner records to partner_hours once
// they are in partner_hex with their wards; new wards move records in or
// out of every ward, so then it counts all of them again.
func (im *importer) keepPartnerHours(wardsChanged bool) error {
	var qs []string
	switch {
	case wardsChanged:
		qs = []string{sqlClearPartnerHours, sqlRecountPartnerHours}
	case im.kind == runPartner && len(im.hex.rows) > 0:
		qs = []string{sqlAddPartnerHours}
	}
	for _, q := range qs {
		if _, err := im.tx.ExecContext(im.ctx, im.q(q)); err != nil {
			return err
		}
	}
	return nil
}
