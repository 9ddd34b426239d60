package postgis

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/lib/pq"
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
func (s *Store) refreshStatistics(ctx context.Context) {
	for _, t := range []string{"agg", "agg_text", "texts", "points", "areas", "partner_incidents"} {
		if _, err := s.db.ExecContext(ctx, "VACUUM (ANALYZE) "+s.quoted+"."+t); err != nil {
			s.log.Warn("postgis: vacuum analyze after import failed", slog.String("table", t), slog.Any("err", err))
		}
	}
	// incidents: statistics only; a vacuum of millions of fresh rows
	// would cost the import more than its page queries gain.
	if _, err := s.db.ExecContext(ctx, "ANALYZE "+s.quoted+".incidents"); err != nil {
		s.log.Warn("postgis: analyze after import failed", slog.String("table", "incidents"), slog.Any("err", err))
	}
}
