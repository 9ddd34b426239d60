package ingest

import (
	"context"
	"errors"
	"fmt"
	"io"
	"iter"
	"os"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/leicester-csp/hotspot/geo"
	"github.com/leicester-csp/hotspot/geo/hex"
	"github.com/leicester-csp/hotspot/geo/partner"
)

// Partner says how a run reads partner records (DESIGN.md, "Partner
// records") instead of police.uk files.
type Partner struct {
	Source  string // the local source's name (geo.ValidSourceName)
	Mapping *partner.Mapping
	// Key is the pseudonym key; a mapping with an offender column and no
	// key refuses the run.
	Key []byte
}

// check refuses a partner run before anything is read.
func (p *Partner) check() error {
	if err := geo.ValidSourceName(p.Source); err != nil {
		return fmt.Errorf("--source: %w", err)
	}
	if p.Mapping == nil {
		return fmt.Errorf("%w: --source needs --mapping", geo.ErrInvalid)
	}
	if err := p.Mapping.CheckKey(p.Key); err != nil {
		return fmt.Errorf("%w: the mapping has an offender column: give --pseudonym-key-file or HOTSPOT_PSEUDONYM_KEY (%v)", geo.ErrInvalid, err)
	}
	return nil
}

// findPartnerCSVs expands paths as FindCSVs does, but a folder gives
// every *.csv file in it: partner exports follow no naming scheme.
func findPartnerCSVs(paths []string) ([]string, error) { return expandInputs(paths, ".csv") }

// partnerBatch is how many rows of a partner file are read and indexed
// before they go to the store: the store stages one batch while the next
// is read, where reading a whole file first left one core idle through
// each half.
const partnerBatch = 1 << 14

// readPartnerFile reads one partner CSV, indexing each located record
// into its H3 cells, and hands the rows to send in order, a batch at a
// time. It stops with ctx's error when send returns false.
func readPartnerFile(ctx context.Context, path string, p *Partner, latest geo.Month, send func([]geo.Row) bool) error {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("input %w", err)
	}
	defer f.Close()
	r, err := partner.NewReader(f, path, p.Mapping, partner.Options{Key: p.Key, Latest: latest})
	if err != nil {
		return err
	}
	locs := make([]*hex.Locator, runtime.GOMAXPROCS(0))
	for i := range locs {
		locs[i] = hex.NewLocator()
	}
	flush := func(rows []geo.Row) error {
		indexCells(rows, locs)
		if !send(rows) {
			return ctx.Err()
		}
		return nil
	}
	var (
		out  []geo.Row
		slab []geo.Located
	)
	for n := 0; ; n++ {
		if len(out) == partnerBatch {
			if err := flush(out); err != nil {
				return err
			}
			out = nil
		}
		if n%8192 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		rec, err := r.Read()
		if err == io.EOF {
			return flush(out)
		}
		var pe *partner.ParseError
		if errors.As(err, &pe) {
			rej := pe.Reject()
			out = append(out, geo.Row{Reject: &rej})
			continue
		}
		if err != nil {
			return err
		}
		// Records are allocated in blocks: one allocation each was a
		// tenth of an import's CPU time, and every record lives as long as
		// the run.
		if len(slab) == cap(slab) {
			slab = make([]geo.Located, 0, 4096)
		}
		slab = append(slab, geo.Located{Incident: rec.Incident()})
		loc := &slab[len(slab)-1]
		loc.Source = p.Source
		out = append(out, geo.Row{Incident: loc})
	}
}

// indexCells finds the H3 cells of the rows' points on one goroutine per
// locator. Partner records are placed where things happened, not snapped
// to a few map points as police.uk's are, so nearly every row is a new
// point, and its five H3 lookups were most of the cost of reading it; a
// Locator per worker, kept across batches, answers most of them from the
// cells it has met nearby. The shared cell cache is not used: its lock,
// taken for nearly every row, would cost more than the lookups it saves.
func indexCells(rows []geo.Row, locs []*hex.Locator) {
	chunk := (len(rows) + len(locs) - 1) / len(locs)
	var wg sync.WaitGroup
	for w, lo := 0, 0; lo < len(rows); w, lo = w+1, lo+chunk {
		part, loc := rows[lo:min(lo+chunk, len(rows))], locs[w]
		wg.Go(func() {
			for _, r := range part {
				if r.Incident != nil && r.Incident.HasLocation {
					r.Incident.Cells = loc.CellsAt(r.Incident.Point)
				}
			}
		})
	}
	wg.Wait()
}

// readPremises reads a premises register: its entries, and its bad rows
// as rejects.
func readPremises(path string) ([]geo.Premises, []geo.Reject, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, fmt.Errorf("premises %w", err)
	}
	defer f.Close()
	r := partner.NewPremisesReader(f, path)
	var (
		out  []geo.Premises
		rejs []geo.Reject
	)
	for {
		p, err := r.Read()
		if err == io.EOF {
			return out, rejs, nil
		}
		var pe *partner.ParseError
		if errors.As(err, &pe) {
			rejs = append(rejs, pe.Reject())
			continue
		}
		if err != nil {
			return nil, nil, err
		}
		out = append(out, geo.Premises{ID: p.ID, Name: p.Name, Kind: strings.ToLower(p.Kind), HasLocation: p.HasLocation, Point: p.Point})
	}
}

// withRejects yields rejects (a premises register's bad rows) before the
// rows of rest, counting them as read.
func withRejects(rejects []geo.Reject, rest iter.Seq2[geo.Row, error], read *atomic.Int64) iter.Seq2[geo.Row, error] {
	return func(yield func(geo.Row, error) bool) {
		for i := range rejects {
			read.Add(1)
			if !yield(geo.Row{Reject: &rejects[i]}, nil) {
				return
			}
		}
		for r, err := range rest {
			if !yield(r, err) {
				return
			}
		}
	}
}

// readAny reads one file of the run, a partner CSV or a police.uk one,
// handing its rows to send in order: a partner file in batches as it is
// read, a police.uk file whole.
func readAny(ctx context.Context, path string, opt Options, cells *cellCache, loc *hex.Locator, send func([]geo.Row) bool) error {
	if opt.Partner != nil {
		return readPartnerFile(ctx, path, opt.Partner, opt.Latest, send)
	}
	rows, err := readFile(ctx, path, cells, loc, opt.Latest)
	if err != nil {
		return err
	}
	if !send(rows) {
		return ctx.Err()
	}
	return nil
}
