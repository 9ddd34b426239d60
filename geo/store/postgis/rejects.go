package postgis

import (
	"bytes"
	"strconv"

	"github.com/lib/pq"

	"github.com/leicester-csp/hotspot/geo"
)

// keepReject encodes a rejected row for the rejects table. The run number
// is not known until the rows are read, so storeRejects prefixes it.
func (im *importer) keepReject(r *geo.Reject) error {
	raw, err := pq.StringArray(append([]string{}, r.Raw...)).Value()
	if err != nil {
		return err
	}
	im.rejects.str(r.File)
	im.rejects.int(int64(r.Line))
	im.rejects.str(r.Reason)
	im.rejects.str(raw.(string))
	im.rejects.end()
	im.rejected++
	return nil
}

// storeRejects copies the run's rejects under a new run number.
func (im *importer) storeRejects() (int64, error) {
	var run int64
	if err := im.tx.QueryRowContext(im.ctx, im.q(sqlNextRun), im.quoted+".import_run_seq").Scan(&run); err != nil {
		return 0, err
	}
	prefix := strconv.AppendInt(nil, run, 10)
	prefix = append(prefix, '\t')
	b := &im.buf
	b.reset()
	for line := range bytes.Lines(im.rejects.b) {
		b.b = append(b.b, prefix...)
		b.b = append(b.b, line...)
		b.rows++
	}
	return run, copyIn(im.ctx, im.conn, im.q(sqlCopyRejects), b)
}
