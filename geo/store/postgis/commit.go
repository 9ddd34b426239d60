package postgis

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/lib/pq"

	"github.com/leicester-csp/hotspot/geo"
)

// mergePopulation adds the run's population figures, replacing those of
// the same areas, and reports whether any stored figure changed.
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
	return n > 0, nil
}

// commit bumps the generation only when stored data changed, so that
// importing the same input again leaves even the Version as it was, and
// commits the transaction.
func (im *importer) commit(changed bool) error {
	if changed {
		if _, err := im.tx.ExecContext(im.ctx, im.q(sqlBumpGeneration)); err != nil {
			return fmt.Errorf("bump the generation: %w", err)
		}
	}
	if err := im.tx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	return nil
}

// refreshStatistics vacuums and analyses the tables queries read, once an
// import has committed. Without statistics a freshly loaded store plans
// its aggregate joins as if tables were empty (wards at 10 million
// incidents: 140 ms instead of 20 ms), and vacuum sets the visibility map
// that lets them scan agg's and agg_text's indexes alone. It is an
// optimisation: a failure is logged, not returned, since the import
// stands.
func (s *Store) refreshStatistics(ctx context.Context, months []geo.Month) {
	for _, t := range []string{"agg", "agg_text", "agg_ward", "texts", "points", "areas", "partner_incidents", "partner_hex"} {
		if _, err := s.db.ExecContext(ctx, "VACUUM (ANALYZE) "+s.quoted+"."+t); err != nil {
			s.log.Warn("postgis: vacuum analyze after import failed", slog.String("table", t), slog.Any("err", err))
		}
	}
	// incidents: the months the run wrote, each a partition of its own.
	// ANALYZE of the partitioned table would analyse every partition as
	// well (19 s at 1 million incidents in 24 months, more than the rows
	// took to copy). Without statistics a new month looks empty to the
	// planner, which then pages through it by nested loops (a page at
	// offset 100,000 of the shared months: over 30 s instead of 0.6 s);
	// a small sample is enough for the few columns queries filter on.
	if len(months) == 0 {
		return
	}
	conn, err := s.db.Conn(ctx)
	if err != nil {
		s.log.Warn("postgis: analyze after import failed", slog.Any("err", err))
		return
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, "SET default_statistics_target = 10"); err != nil {
		s.log.Warn("postgis: analyze after import failed", slog.Any("err", err))
		return
	}
	defer conn.ExecContext(context.WithoutCancel(ctx), "RESET default_statistics_target")
	for _, m := range months {
		t := s.quoted + "." + pq.QuoteIdentifier(partitionName(m))
		if _, err := conn.ExecContext(ctx, "ANALYZE "+t); err != nil {
			s.log.Warn("postgis: analyze after import failed", slog.String("table", t), slog.Any("err", err))
		}
	}
}
