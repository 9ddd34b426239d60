package postgis

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"hash/fnv"
	"iter"
	"log/slog"
	"slices"
	"time"

	"github.com/paulmach/orb"

	"github.com/leicester-csp/hotspot/geo"
)

// Import applies one ingest run in one transaction, holding the import
// lock throughout. Areas that differ from the stored ones replace them
// first. Incidents are streamed with COPY in batches; before each batch
// goes, IDs already stored or seen earlier in the run are dropped as
// duplicates (a run's first row with an ID wins) and its map points are
// resolved to stored ones or numbered as new; a month new to the store
// is attached as a partition once the stream has moved past it. Then the
// new points (each once, with the cells the rows carry) are given their
// ward and LSOA and stored (police.uk's staged and joined in PostGIS,
// partner records' located in Go and copied), points stored before the run are
// re-assigned to the areas that changed, the run's counts per month ×
// category × point (and × Location text × outcome) are added to the
// aggregates, population is merged, rejects are kept and the statistics
// of what the run wrote are gathered. The generation is bumped only when
// stored data changed, so importing the same input again leaves even the
// Version as it was. Any error, from the stream or the database, or a
// cancelled ctx rolls it all back.
func (s *Store) Import(ctx context.Context, in geo.ImportInput) (geo.ImportResult, error) {
	if err := checkAreas(in.Areas); err != nil {
		return geo.ImportResult{}, err
	}
	res, vacuum, err := s.importTx(ctx, in)
	if err != nil {
		return geo.ImportResult{}, wrap(ctx, "import", err)
	}
	s.vacuumTables(ctx, vacuum)
	return res, nil
}

// importTx runs the import's steps inside one transaction, so that a
// failure in any of them leaves the store as it was. Points are assigned
// to areas only once both the run's areas and its new points are stored.
// It returns the run's counts so far with an error; Import drops them.
// vacuum names the tables to vacuum once it has committed.
func (s *Store) importTx(ctx context.Context, in geo.ImportInput) (res geo.ImportResult, vacuum []string, err error) {
	ph := newPhases(s.log)
	defer ph.done()
	conn, tx, err := s.begin(ctx)
	if err != nil {
		return res, nil, err
	}
	defer conn.Close()
	defer tx.Rollback()
	im, err := s.startImport(ctx, conn, tx)
	if err != nil {
		return res, nil, err
	}
	ph.mark("lock")
	changed := false

	var wardsChanged, lsoasChanged bool
	if len(in.Areas) > 0 {
		kinds, err := im.replaceAreas(in.Areas)
		if err != nil {
			return res, nil, fmt.Errorf("areas: %w", err)
		}
		changed = changed || len(kinds) > 0
		im.public = im.public || len(kinds) > 0
		wardsChanged = slices.Contains(kinds, string(geo.KindWard))
		lsoasChanged = slices.Contains(kinds, string(geo.KindLSOA))
		ph.mark("areas")
	}
	if in.Rows != nil {
		if in.Synthetic {
			im.marks = map[string]bool{}
		}
		if err := im.importRows(in.Rows, ph); err != nil {
			return res, nil, err
		}
		res.Imported, res.Duplicates, res.Rejected = im.imported, im.duplicates, im.rejected
		marked, err := im.markSynthetic()
		if err != nil {
			return res, nil, fmt.Errorf("synthetic sources: %w", err)
		}
		changed = changed || im.imported > 0 || marked
		im.public = im.public || im.kind == runPoliceUK && (im.imported > 0 || marked)
	}
	if err := im.placeAndCount(wardsChanged, lsoasChanged, ph); err != nil {
		return res, nil, err
	}
	if len(in.Premises) > 0 {
		premChanged, err := im.mergePremises(in.Premises)
		if err != nil {
			return res, nil, fmt.Errorf("premises: %w", err)
		}
		changed = changed || premChanged
	}
	if len(in.Population) > 0 {
		popChanged, err := im.mergePopulation(in.Population)
		if err != nil {
			return res, nil, fmt.Errorf("population: %w", err)
		}
		changed = changed || popChanged
	}
	// Rejects are kept even when nothing else changed, like the embedded
	// store's rejects file, but queries never see them, so they alone do
	// not bump the generation.
	if im.rejected > 0 {
		run, err := im.storeRejects()
		if err != nil {
			return res, nil, fmt.Errorf("rejects: %w", err)
		}
		res.RejectsAt = fmt.Sprintf("table %s.rejects (run %d)", s.schema, run)
	}
	if err := im.analyze(len(in.Areas) > 0); err != nil {
		return res, nil, fmt.Errorf("statistics: %w", err)
	}
	ph.mark("analyze")
	if err := im.commit(changed); err != nil {
		return res, nil, err
	}
	ph.mark("commit")
	return res, im.vacuumAfter(len(in.Areas) > 0), nil
}

// placeAndCount assigns points to areas, then keeps what follows from
// their wards: the partner records' cells and the aggregates (agg_text
// rows carry their point's ward).
func (im *importer) placeAndCount(wardsChanged, lsoasChanged bool, ph *phases) error {
	if err := im.assignAreas(wardsChanged, lsoasChanged, ph); err != nil {
		return err
	}
	if err := im.keepPartnerHex(wardsChanged); err != nil {
		return fmt.Errorf("partner cells: %w", err)
	}
	if err := im.keepPartnerHours(wardsChanged); err != nil {
		return fmt.Errorf("partner hours: %w", err)
	}
	if err := im.storeAggregates(wardsChanged); err != nil {
		return fmt.Errorf("aggregates: %w", err)
	}
	ph.mark("agg")
	return nil
}

// startImport prepares the transaction for an import and waits for the
// import lock; what it then reads of the store is what the run starts
// from, since no other import can commit until this one ends.
func (s *Store) startImport(ctx context.Context, conn *sql.Conn, tx *sql.Tx) (*importer, error) {
	if _, err := tx.ExecContext(ctx, s.q(sqlImportSettings)); err != nil {
		return nil, fmt.Errorf("set up the transaction: %w", err)
	}
	if _, err := tx.ExecContext(ctx, s.q(sqlImportLock), s.importLockKey()); err != nil {
		return nil, fmt.Errorf("waiting for another import: %w", err)
	}
	im := &importer{ctx: ctx, conn: conn, tx: tx, db: s.db, quoted: s.quoted, lps: map[orb.Point]int32{}, seen: map[string]struct{}{}, months: map[geo.Month]bool{}, attached: map[geo.Month]bool{}, sources: map[string]bool{}, pcats: map[[2]string]bool{}, counts: map[countKey]int32{}, textIDs: map[string]int32{}}
	if err := tx.QueryRowContext(ctx, s.q(sqlImportStart)).Scan(&im.storedIncidents, &im.storedPartner, &im.maxPoint, &im.maxPartnerPoint, &im.storedCounts); err != nil {
		return nil, fmt.Errorf("read what is stored: %w", err)
	}
	im.nextPoint = im.maxPoint + 1
	im.hex.stored = map[int32]pointAttrs{}
	if err := im.loadPartitions(); err != nil {
		return nil, err
	}
	return im, nil
}

// importRows streams the run's incidents in, then stores the points they
// add; their aggregate counts wait for the points' wards.
func (im *importer) importRows(rows iter.Seq2[geo.Row, error], ph *phases) error {
	if !im.storedPartner {
		var err error
		if im.partnerIdx, err = im.indexDefs(im.quoted + ".partner_incidents"); err != nil {
			return err
		}
	}
	if err := im.stream(rows); err != nil {
		return err
	}
	if err := im.buildIndexes("partner_incidents"); err != nil {
		return err
	}
	ph.mark("incidents")
	if err := im.attachMonths(); err != nil {
		return fmt.Errorf("incidents: %w", err)
	}
	ph.mark("attach")
	if err := im.planBulk(im.bulkCandidates()); err != nil {
		return fmt.Errorf("bulk writes: %w", err)
	}
	if err := im.storePoints(); err != nil {
		return fmt.Errorf("points: %w", err)
	}
	ph.mark("points")
	if err := im.markPoints(); err != nil {
		return fmt.Errorf("points: %w", err)
	}
	return nil
}

// begin starts the import's transaction on a connection of its own. A
// pooled connection may have died with a database restart that nothing
// noticed; unlike database/sql's own calls, a pinned connection is not
// replaced automatically, so that is done here, while nothing has run.
func (s *Store) begin(ctx context.Context) (*sql.Conn, *sql.Tx, error) {
	for attempt := 0; ; attempt++ {
		conn, err := s.db.Conn(ctx)
		if err != nil {
			return nil, nil, err
		}
		tx, err := conn.BeginTx(ctx, nil)
		if err == nil {
			return conn, tx, nil
		}
		conn.Close()
		if !errors.Is(err, driver.ErrBadConn) || attempt == 2 {
			return nil, nil, err
		}
	}
}

// importLockKey is the transaction advisory lock that serialises imports
// into one schema; stores in other schemas of the database import
// independently.
func (s *Store) importLockKey() int64 {
	h := fnv.New64a()
	h.Write([]byte("hotspot import\x00" + s.schema))
	return int64(h.Sum64())
}

// phases logs how long each step of an import took, at debug level: the
// figures that tell where an import's time goes.
type phases struct {
	log   *slog.Logger
	start time.Time
	last  time.Time
	attrs []any
}

func newPhases(log *slog.Logger) *phases {
	now := time.Now()
	return &phases{log: log, start: now, last: now}
}

func (p *phases) mark(name string) {
	now := time.Now()
	p.attrs = append(p.attrs, slog.Duration(name, now.Sub(p.last)))
	p.last = now
}

func (p *phases) done() {
	p.log.Debug("postgis import", append(p.attrs, slog.Duration("total", time.Since(p.start)))...)
}
