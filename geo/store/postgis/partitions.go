package postgis

import (
	"crypto/md5"
	"encoding/binary"
	"fmt"
	"slices"
	"strings"

	"github.com/lib/pq"

	"github.com/leicester-csp/hotspot/geo"
)

// SQL of month partitions; see migration 0008.
const (
	// The stored partitions of incidents, by their bounds' lower month.
	sqlIncidentPartitions = `
SELECT c.relname
FROM pg_inherits h
JOIN pg_class c ON c.oid = h.inhrelid
WHERE h.inhparent = $1::regclass` // $1: the qualified incidents table

	// A new month's table is made without indexes, so that copying into
	// it costs only the rows; its CHECK constraint proves the partition
	// bound, so attaching it does not scan it again.
	sqlCreateMonth = `CREATE TABLE {s}.%s (LIKE {s}.incidents INCLUDING DEFAULTS, CHECK (month >= %d AND month < %d))`
	// Attaching builds the partitioned table's indexes on the month by
	// sorting its rows, once.
	sqlAttachMonth = `ALTER TABLE {s}.incidents ATTACH PARTITION {s}.%s FOR VALUES FROM (%d) TO (%d)`

	sqlCopyMonth = `COPY {s}.%s (id, month, reported_by, falls_within, location, lsoa_code, lsoa_name, category, outcome, context, point_id, key) FROM STDIN`
)

// incidentKey is the key incidents are found by: the first 64 bits of
// md5(id), big-endian, as migration 0008 computes it in SQL.
func incidentKey(id string) int64 {
	sum := md5.Sum([]byte(id))
	return int64(binary.BigEndian.Uint64(sum[:8]))
}

// partitionName is the table that holds month m's incidents.
func partitionName(m geo.Month) string {
	return fmt.Sprintf("incidents_%04d_%02d", m.Year(), m.Num())
}

// partitionMonth reads a partition's month back from its name; ok is
// false for a table not named by partitionName.
func partitionMonth(name string) (geo.Month, bool) {
	rest, found := strings.CutPrefix(name, "incidents_")
	if !found || len(rest) != 7 || rest[4] != '_' {
		return 0, false
	}
	m, err := geo.ParseMonth(rest[:4] + "-" + rest[5:])
	return m, err == nil
}

// loadPartitions records which months have a partition before the run.
func (im *importer) loadPartitions() error {
	names, err := queryStrings(im.ctx, im.tx, sqlIncidentPartitions, im.quoted+".incidents")
	if err != nil {
		return fmt.Errorf("incident partitions: %w", err)
	}
	for _, n := range names {
		if m, ok := partitionMonth(n); ok {
			im.months[m] = false
		}
	}
	return nil
}

// monthTable returns the COPY statement for month m's rows and, when the
// run is the first to hold m, the statement that makes its table first
// (to run once, before the COPY).
func (im *importer) monthTable(m geo.Month) (copySQL, create string) {
	if !slices.Contains(im.wrote, m) {
		im.wrote = append(im.wrote, m)
	}
	name := pq.QuoteIdentifier(partitionName(m))
	copySQL = im.q(fmt.Sprintf(sqlCopyMonth, name))
	if _, ok := im.months[m]; !ok {
		im.months[m] = true
		create = im.q(fmt.Sprintf(sqlCreateMonth, name, m, m+1))
	}
	return copySQL, create
}

// attachDone has the new months that batch b holds no rows of attached
// before it is copied: input comes month by month (police.uk's files are
// one a month), so such a month is most likely complete, and its indexes
// are then built while the rows of later months are still being read,
// rather than all at the end. Should rows of it come after all, they are
// copied into it as into any stored month.
func (im *importer) attachDone(b *batch) {
	for m, isNew := range im.months {
		if !isNew || im.attached[m] || slices.ContainsFunc(b.segs[:b.n], func(sg segment) bool { return sg.month == m }) {
			continue
		}
		im.attached[m] = true
		b.attach = append(b.attach, im.attachSQL(m))
	}
}

func (im *importer) attachSQL(m geo.Month) string {
	return im.q(fmt.Sprintf(sqlAttachMonth, pq.QuoteIdentifier(partitionName(m)), m, m+1))
}

// attachMonths makes the run's new months that are not attached yet
// partitions of incidents.
func (im *importer) attachMonths() error {
	for m, isNew := range im.months {
		if !isNew || im.attached[m] {
			continue
		}
		if _, err := im.tx.ExecContext(im.ctx, im.attachSQL(m)); err != nil {
			return fmt.Errorf("attach %s: %w", m, err)
		}
	}
	return nil
}
