package postgis

import (
	"context"
	"fmt"
	"log/slog"
	"slices"
	"strings"

	"github.com/lib/pq"
)

// mergePopulation adds the run's population figures, replacing those of
// the same areas, and reports whether any stored figure changed (which
// public callers see).
func (im *importer) mergePopulation(pop map[string]int) (bool, error) {
	codes := make([]string, 0, len(pop))
	counts := make([]int64, 0, len(pop))
	for c, n := range pop {
		codes = append(codes, c)
		counts = append(counts, int64(n))
	}
	r, err := im.tx.ExecContext(im.ctx, im.q(sqlMergePopulation), pq.Array(codes), pq.Array(counts))
	if err != nil {
		return false, err
	}
	n, _ := r.RowsAffected()
	im.public = im.public || n > 0
	return n > 0, nil
}

// commit bumps the generation only when stored data changed, so that
// importing the same input again leaves even the Version as it was, and
// the public generation only when what a caller without a key sees
// changed (geo.FormatVersion), and commits the transaction.
func (im *importer) commit(changed bool) error {
	if changed {
		if _, err := im.tx.ExecContext(im.ctx, im.q(sqlBumpGeneration), im.public); err != nil {
			return fmt.Errorf("bump the generation: %w", err)
		}
	}
	if err := im.tx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	return nil
}

// analyze gathers the statistics of what the run wrote, inside its
// transaction, so that they are committed with the rows. Without them a
// new month looks empty to the planner, which then pages through it by
// nested loops (a page at offset 100,000 of the shared months: over 30 s
// instead of 0.6 s), and points' (their geometry's above all) steer the
// box and area joins. Run here rather than after the commit, the rows are
// the run's own, so reading them sets no hint bits, and the months go in
// one statement rather than a transaction each. The months are sampled
// lightly: ANALYZE of the partitioned table would analyse every partition
// (19 s at 1 million incidents in 24 months), and a small sample is
// enough for the few columns queries filter on.
func (im *importer) analyze(areas bool) error {
	var q strings.Builder
	switch {
	case areas:
		q.WriteString("ANALYZE " + im.quoted + ".points; ANALYZE " + im.quoted + ".partner_points;")
	case len(im.newPoints) > 0 && im.kind == runPartner:
		q.WriteString("ANALYZE " + im.quoted + ".partner_points;")
	case len(im.newPoints) > 0:
		q.WriteString("ANALYZE " + im.quoted + ".points;")
	}
	if len(im.wrote) > 0 {
		q.WriteString("SET LOCAL default_statistics_target = 10;")
		for _, m := range im.wrote {
			q.WriteString("ANALYZE " + im.quoted + "." + pq.QuoteIdentifier(partitionName(m)) + ";")
		}
	}
	if q.Len() == 0 {
		return nil
	}
	_, err := im.tx.ExecContext(im.ctx, q.String())
	return err
}

// vacuumAfter names the tables a committed run changed that queries scan
// by index alone, and so want vacuumed, and the small ones it changed.
func (im *importer) vacuumAfter(areas bool) []string {
	var ts []string
	if im.imported > 0 && im.kind == runPoliceUK {
		ts = append(ts, policeAggregates...)
	}
	if im.imported > 0 && im.kind == runPartner {
		// partner_points too: every partner query hashes it, and without
		// a vacuum the first one after the import sets its hint bits.
		ts = append(ts, "partner_incidents", "partner_hex", "partner_hours", "partner_points")
	}
	if areas {
		// New wards rewrite the ward columns of the aggregates, cells and
		// points.
		ts = append(ts, "areas", "agg_text", "agg_ward", "agg_ward_run", "partner_hex", "partner_hours", "partner_points", "points")
	}
	if im.imported > 0 && len(im.newPoints) > 0 && im.kind == runPoliceUK {
		// A city's hex reads points by ward index alone (migration 0014),
		// which wants the new points' pages marked all-visible.
		ts = append(ts, "points")
	}
	slices.Sort(ts)
	return slices.Compact(ts)
}

// vacuumTables vacuums and analyses tables once an import has committed.
// Without statistics a freshly loaded store plans its aggregate joins as
// if tables were empty (wards at 10 million incidents: 140 ms instead of
// 20 ms), and vacuum sets the visibility map that lets them scan agg's
// and agg_text's indexes alone. It is an optimisation: a failure is
// logged, not returned, since the import stands.
func (s *Store) vacuumTables(ctx context.Context, tables []string) {
	for _, t := range tables {
		if _, err := s.db.ExecContext(ctx, "VACUUM (ANALYZE) "+s.quoted+"."+t); err != nil {
			s.log.Warn("postgis: vacuum analyze after import failed", slog.String("table", t), slog.Any("err", err))
		}
	}
}
