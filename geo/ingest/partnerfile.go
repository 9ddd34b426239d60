package ingest

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime"
	"sync"

	"github.com/leicester-csp/hotspot/geo"
	"github.com/leicester-csp/hotspot/geo/hex"
	"github.com/leicester-csp/hotspot/geo/partner"
)

// partnerBatch is how many rows of a partner file are read and indexed
// before they go to the store: the store stages one batch while the next
// is read, where reading a whole file first left one core idle through
// each half. (A variable so that a test can make many small batches; no
// test of this package runs in parallel with another.)
var partnerBatch = 1 << 14

// readPartnerFile reads one partner CSV and hands its rows to send in
// order, a batch at a time, each located record indexed into its H3
// cells. It stops with ctx's error when send returns false. send's
// consumer may call release once it is done with a batch's rows (no
// pointer into them kept): their memory then holds a later batch.
//
// A file is one stream, and parsing its rows (times, grid references,
// pseudonyms, cells) was most of a partner import's time on one core
// while the other waited. So this goroutine's helper only splits the file
// into rows, batches go to one parser per core, and the batches come back
// here in file order: the rows, rejects and lines are exactly those of
// reading the file in one go.
func readPartnerFile(ctx context.Context, path string, p *Partner, latest geo.Month, send func(rows []geo.Row, release func()) bool) error {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("input %w", err)
	}
	defer f.Close()
	r, err := partner.NewReader(f, path, p.Mapping, partner.Options{Key: p.Key, Latest: latest})
	if err != nil {
		return err
	}
	ctx, cancel := context.WithCancel(ctx)
	var wg sync.WaitGroup
	defer func() {
		cancel()
		wg.Wait()
	}()
	workers := runtime.GOMAXPROCS(0)
	// order holds every batch in file order; its capacity bounds the
	// batches in flight.
	order := make(chan *partnerJob, workers+1)
	mem := newBatchMems(workers)
	wg.Go(func() { splitPartnerFile(ctx, r, p.Source, workers, order, mem, &wg) })
	for j := range order {
		var res partnerResult
		select {
		case res = <-j.done:
		case <-ctx.Done():
			return ctx.Err()
		}
		if res.err != nil {
			return res.err
		}
		if len(res.rows) > 0 && !send(res.rows, func() { mem.put(res.mem) }) {
			return ctx.Err()
		}
	}
	return ctx.Err()
}

// partnerJob is a batch of split rows for a parser: each item either a
// row's fields (fields[lo:hi]) or the reject the splitter made of it. A
// job with err set and no items ends the file.
type partnerJob struct {
	items  []rawItem
	fields []string
	err    error
	done   chan partnerResult
}

func newPartnerJob(err error) *partnerJob {
	j := &partnerJob{err: err, done: make(chan partnerResult, 1)}
	if err == nil {
		j.items = make([]rawItem, 0, partnerBatch)
	}
	return j
}

// jobBufs passes a parsed batch's item and field slices back to the
// splitter for the next batch. Made afresh, they were 2–3 MB a batch of
// new memory (every page of it a fault: a sixth of an import's page
// faults, which cost more CPU than copying the fields); the parser keeps
// no reference to them (records clone or intern what they keep, rejects
// clone their fields). At most cap(free) are kept.
type jobBufs struct {
	free chan *partnerJob
}

func newJobBufs(workers int) jobBufs {
	return jobBufs{free: make(chan *partnerJob, workers+2)}
}

// job returns a job for the next batch, reusing a parsed one's slices
// when one is free.
func (b jobBufs) job() *partnerJob {
	select {
	case old := <-b.free:
		clear(old.fields)
		return &partnerJob{items: old.items[:0], fields: old.fields[:0], done: make(chan partnerResult, 1)}
	default:
		return newPartnerJob(nil)
	}
}

// put offers a parsed job's slices for reuse; it never waits.
func (b jobBufs) put(j *partnerJob) {
	select {
	case b.free <- &partnerJob{items: j.items, fields: j.fields}:
	default:
	}
}

type rawItem struct {
	line   int
	lo, hi int
	rej    *geo.Reject
}

type partnerResult struct {
	rows []geo.Row
	mem  batchMem // what rows are made of, for reuse once released
	err  error
}

// batchMem is the memory of one parsed batch: its rows and the records
// they point to. A new batch's records were a fifth of a partner import's
// allocations, and as the import's collector runs rarely, nearly every
// page of them was new memory (a page fault, dearer on this service's
// virtual machines than parsing the row); released batches are reused.
type batchMem struct {
	rows []geo.Row
	slab []geo.Located
}

// batchMems is a bounded free list of released batches.
type batchMems struct{ free chan batchMem }

func newBatchMems(workers int) batchMems {
	return batchMems{free: make(chan batchMem, workers+4)}
}

// get returns memory for a batch of n rows, reused when a released batch
// is large enough. One too small is let go and the next tried: a run of
// police.uk files from forces of very different sizes then keeps the
// larger batches, which serve the smaller files too.
func (b batchMems) get(n int) batchMem {
	for range cap(b.free) {
		select {
		case m := <-b.free:
			if cap(m.rows) >= n && cap(m.slab) >= n {
				return batchMem{rows: m.rows[:0], slab: m.slab[:0]}
			}
			continue
		default:
		}
		break
	}
	return batchMem{rows: make([]geo.Row, 0, n), slab: make([]geo.Located, 0, n)}
}

// put offers a released batch's memory for reuse; it never waits.
func (b batchMems) put(m batchMem) {
	select {
	case b.free <- m:
	default:
	}
}

// splitPartnerFile splits r's rows into batches, queueing each in order
// and handing it to the parsers, which it starts once the header is read.
func splitPartnerFile(ctx context.Context, r *partner.Reader, source string, workers int, order chan<- *partnerJob, mem batchMems, wg *sync.WaitGroup) {
	defer close(order)
	jobs := make(chan *partnerJob)
	defer close(jobs)
	started := false
	bufs := newJobBufs(workers)
	j := bufs.job()
	queue := func(j *partnerJob) bool {
		select {
		case order <- j:
		case <-ctx.Done():
			return false
		}
		if j.err != nil {
			j.done <- partnerResult{err: j.err}
			return true
		}
		select {
		case jobs <- j:
			return true
		case <-ctx.Done():
			return false
		}
	}
	for n := 0; ; n++ {
		if n%8192 == 0 && ctx.Err() != nil {
			return
		}
		raw, err := r.NextRaw()
		if err == io.EOF {
			if len(j.items) > 0 {
				queue(j)
			}
			return
		}
		var pe *partner.ParseError
		switch {
		case errors.As(err, &pe):
			rej := pe.Reject()
			j.items = append(j.items, rawItem{rej: &rej})
		case err != nil:
			if len(j.items) > 0 && !queue(j) {
				return
			}
			queue(newPartnerJob(err))
			return
		default:
			if j.fields == nil {
				// Sized once: grown from empty, a batch's fields were
				// copied over and over on the one goroutine that splits.
				j.fields = make([]string, 0, partnerBatch*len(raw.Fields))
			}
			lo := len(j.fields)
			j.fields = append(j.fields, raw.Fields...)
			j.items = append(j.items, rawItem{line: raw.Line, lo: lo, hi: len(j.fields)})
		}
		if !started {
			// The header is read: the parsers can be made.
			started = true
			for range workers {
				pp, err := r.Parser()
				if err != nil {
					queue(newPartnerJob(err))
					return
				}
				wg.Go(func() { parsePartnerJobs(pp, source, jobs, bufs, mem) })
			}
		}
		if len(j.items) == partnerBatch {
			if !queue(j) {
				return
			}
			j = bufs.job()
		}
	}
}

// parsePartnerJobs parses batches until jobs closes, with its own parser
// and H3 locator, and hands each batch's slices back to bufs.
func parsePartnerJobs(pp *partner.Parser, source string, jobs <-chan *partnerJob, bufs jobBufs, mem batchMems) {
	loc := hex.NewLocator()
	for j := range jobs {
		// Records are allocated in one block a batch: one allocation each
		// was a tenth of an import's CPU time.
		m := mem.get(len(j.items))
		rows, slab := m.rows, m.slab
		var (
			res partnerResult
			rec partner.Record
		)
		for _, it := range j.items {
			if it.rej != nil {
				rows = append(rows, geo.Row{Reject: it.rej})
				continue
			}
			if err := pp.ParseInto(partner.Raw{Line: it.line, Fields: j.fields[it.lo:it.hi]}, &rec); err != nil {
				var pe *partner.ParseError
				if !errors.As(err, &pe) {
					res.err = err
					break
				}
				rej := pe.Reject()
				rows = append(rows, geo.Row{Reject: &rej})
				continue
			}
			slab = append(slab, geo.Located{Incident: rec.Incident()})
			l := &slab[len(slab)-1]
			l.Source = source
			if l.HasLocation {
				l.Cells = loc.CellsAt(l.Point)
			}
			rows = append(rows, geo.Row{Incident: l})
		}
		if res.err == nil {
			res.rows, res.mem = rows, batchMem{rows: rows, slab: slab}
		}
		bufs.put(j)
		j.done <- res
	}
}
