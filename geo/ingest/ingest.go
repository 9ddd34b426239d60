// Package ingest turns input files into one atomic store import: it finds
// the CSVs of a run, reads them (in parallel, in a fixed order), indexes
// every incident into its H3 cells, and loads boundaries and population.
// The import rules — all or nothing, rejects kept, duplicates skipped —
// live here and in the store's Import.
package ingest

import (
	"context"
	"errors"
	"fmt"
	"io"
	"iter"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/paulmach/orb"

	"github.com/leicester-csp/hotspot/geo"
	"github.com/leicester-csp/hotspot/geo/boundary"
	"github.com/leicester-csp/hotspot/geo/hex"
	"github.com/leicester-csp/hotspot/geo/policeuk"
	"github.com/leicester-csp/hotspot/geo/population"
)

// Options describe one run.
type Options struct {
	// Paths are CSV files or folders searched for *-street.csv.
	Paths []string
	// Boundaries are GeoJSON files; BoundaryOptions apply to every one
	// (empty fields: detect ONS property names).
	Boundaries      []string
	BoundaryOptions boundary.Options
	// Population is a CSV of area code → residents; "" for none.
	Population string
	// Progress, when set, is called after each file is read.
	Progress func(Progress)
	// Workers reading files at once; 0 means GOMAXPROCS.
	Workers int
	// Latest is the last month a row may carry, the current month: a row
	// dated later is rejected. Zero checks nothing.
	Latest geo.Month
	// Partner, when set, makes Paths partner CSVs of one local source.
	Partner *Partner
	// Premises is a premises register CSV; "" for none.
	Premises string
}

// Progress reports how far a run has read.
type Progress struct {
	Files, FilesDone int
	Rows             int
}

// Result is what a run did; its JSON form is the CLI's --json output.
type Result struct {
	Read       int    `json:"read"`
	Imported   int    `json:"imported"`
	Duplicates int    `json:"duplicates"`
	Rejected   int    `json:"rejected"`
	NoLocation int    `json:"no_location"`
	RejectsAt  string `json:"rejects_at,omitempty"`
	Files      int    `json:"files"`
	Areas      int    `json:"areas"`
	// Synthetic says the run declared its rows generated (a marker
	// beside police.uk CSVs, or the mapping's "synthetic": true).
	Synthetic bool `json:"synthetic,omitempty"`
}

// SyntheticMarker is the file `hotspot generate` writes beside the
// police.uk-format CSVs it makes: a run reading any CSV of a folder that
// holds it imports generated rows, and the store marks police.uk
// synthetic. A file, not a column, so that the CSVs stay police.uk's
// format byte for byte.
const SyntheticMarker = "SYNTHETIC-DATA.txt"

// synthetic reports whether a run of files declares its rows generated.
func synthetic(opt Options, files []string) bool {
	if opt.Partner != nil {
		return opt.Partner.Mapping.Synthetic
	}
	dirs := map[string]bool{}
	for _, f := range files {
		dir := filepath.Dir(f)
		if dirs[dir] {
			continue
		}
		dirs[dir] = true
		if _, err := os.Stat(filepath.Join(dir, SyntheticMarker)); err == nil {
			return true
		}
	}
	return false
}

// ErrAllRejected is returned (with the result) when a run read rows and
// rejected every one of them.
var ErrAllRejected = errors.New("every row was rejected")

// Run performs one ingest run into st. Boundaries and population are read
// and checked before anything is imported; a CSV that cannot be read
// aborts the import, which leaves the store as it was.
func Run(ctx context.Context, st geo.Store, opt Options) (Result, error) {
	var res Result
	find := FindCSVs
	if opt.Partner != nil {
		if err := opt.Partner.check(); err != nil {
			return res, err
		}
		find = findPartnerCSVs
	}
	files, err := find(opt.Paths)
	if err != nil {
		return res, err
	}
	if len(files) == 0 && len(opt.Boundaries) == 0 && opt.Population == "" && opt.Premises == "" {
		return res, fmt.Errorf("%w: nothing to import: give CSV paths, --boundaries, --population or --premises", geo.ErrInvalid)
	}
	res.Files = len(files)

	var in geo.ImportInput
	for _, path := range opt.Boundaries {
		as, err := boundary.ReadFile(path, opt.BoundaryOptions)
		if err != nil {
			return res, err
		}
		in.Areas = append(in.Areas, as...)
	}
	res.Areas = len(in.Areas)
	if err := checkAreaCodes(in.Areas); err != nil {
		return res, err
	}
	if opt.Population != "" {
		pop, err := population.ReadFile(opt.Population)
		if err != nil {
			return res, err
		}
		in.Population = pop
	}
	var premRejects []geo.Reject
	if opt.Premises != "" {
		if in.Premises, premRejects, err = readPremises(opt.Premises); err != nil {
			return res, err
		}
	}
	var read, noLoc atomic.Int64
	if len(files) > 0 || len(premRejects) > 0 {
		in.Rows = withRejects(premRejects, rows(ctx, files, opt, &read, &noLoc), &read)
		in.RowsHint = rowsHint(files, opt.Partner != nil)
		if opt.Partner == nil {
			// police.uk snaps incidents to its map points: 14 rows a
			// point in the shared months, 28 in the national sample.
			in.PointsHint = in.RowsHint / 8
		}
		in.Synthetic = len(files) > 0 && synthetic(opt, files)
		res.Synthetic = in.Synthetic
	}
	ir, err := st.Import(ctx, in)
	res.Read, res.NoLocation = int(read.Load()), int(noLoc.Load())
	res.Imported, res.Duplicates, res.Rejected, res.RejectsAt = ir.Imported, ir.Duplicates, ir.Rejected, ir.RejectsAt
	if err != nil {
		return res, err
	}
	if res.Read > 0 && res.Rejected == res.Read {
		return res, fmt.Errorf("%w (%d rows; see %s)", ErrAllRejected, res.Read, res.RejectsAt)
	}
	return res, nil
}

// rowsHint guesses a run's rows from its files' sizes: police.uk rows
// take about 235 bytes (a 64-digit ID), the partner records seen so far
// about 115. The divisors are a little low so that the guess errs high.
func rowsHint(files []string, partner bool) int {
	perRow := int64(policeRowBytes)
	if partner {
		perRow = 100
	}
	var n int64
	for _, f := range files {
		if fi, err := os.Stat(f); err == nil {
			n += fi.Size() / perRow
		}
	}
	return int(min(n, 1<<26))
}

// checkAreaCodes refuses a run whose boundary files give one code twice
// for the same kind (two files of the same wards, say).
func checkAreaCodes(as []geo.Area) error {
	seen := map[string]bool{}
	for _, a := range as {
		k := string(a.Kind) + "\x00" + a.Code
		if seen[k] {
			return fmt.Errorf("%w: %s %s is given by more than one boundary file", geo.ErrInvalid, a.Kind, a.Code)
		}
		seen[k] = true
	}
	return nil
}

// FindCSVs expands paths: a file is taken as it is, a folder gives its
// *-street.csv files (not recursively), sorted by name. A path that does not
// exist, or a folder without such files, is an error.
func FindCSVs(paths []string) ([]string, error) { return expandInputs(paths, "-street.csv") }

// expandInputs expands paths: a file as it is, a folder its files whose
// name ends with suffix (any case), sorted by name.
func expandInputs(paths []string, suffix string) ([]string, error) {
	var out []string
	for _, p := range paths {
		fi, err := os.Stat(p)
		if err != nil {
			return nil, fmt.Errorf("input %s: %w", p, err)
		}
		if !fi.IsDir() {
			out = append(out, p)
			continue
		}
		ents, err := os.ReadDir(p)
		if err != nil {
			return nil, fmt.Errorf("input %s: %w", p, err)
		}
		var found []string
		for _, e := range ents {
			if !e.IsDir() && strings.HasSuffix(strings.ToLower(e.Name()), suffix) {
				found = append(found, filepath.Join(p, e.Name()))
			}
		}
		if len(found) == 0 {
			return nil, fmt.Errorf("%w: input %s: no *%s files in the folder", geo.ErrInvalid, p, suffix)
		}
		sort.Strings(found)
		out = append(out, found...)
	}
	return out, nil
}

// fileRows is one file's reading: its rows in order, or why it failed.
// release, when set, is called once every row has been yielded: the store
// has then copied what it keeps of them, and their memory can be reused.
type fileRows struct {
	rows    []geo.Row
	release func()
	err     error
}

// rows reads files with a few workers and yields them in the order given
// so that a run's outcome does not depend on scheduling. A police.uk file
// comes whole, a partner file in batches as it is read, so that the store
// stages one batch while the next is read. At most workers+1 files are
// being read at once.
func rows(ctx context.Context, files []string, opt Options, read, noLoc *atomic.Int64) iter.Seq2[geo.Row, error] {
	return func(yield func(geo.Row, error) bool) {
		workers := opt.Workers
		if workers <= 0 {
			workers = runtime.GOMAXPROCS(0)
		}
		ctx, cancel := context.WithCancel(ctx)
		var wg sync.WaitGroup
		// Cancel before waiting: a consumer that stops early leaves the
		// feeder blocked on a slot and the workers on the next file, and
		// only the cancellation releases them.
		defer func() {
			cancel()
			wg.Wait()
		}()
		results := make([]chan fileRows, len(files))
		for i := range results {
			results[i] = make(chan fileRows, 2)
		}
		slots := make(chan struct{}, workers+1)
		next := make(chan int)
		shared := policeFiles{cells: &cellCache{m: map[orb.Point][geo.NumRes]geo.Cell{}}, mem: newBatchMems(workers)}
		for w := 0; w < workers; w++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				pf := shared
				for i := range next {
					send := func(rs []geo.Row, release func()) bool {
						select {
						case results[i] <- fileRows{rows: rs, release: release}:
							return true
						case <-ctx.Done():
							return false
						}
					}
					if err := readAny(ctx, files[i], opt, &pf, send); err != nil {
						select {
						case results[i] <- fileRows{err: err}:
						case <-ctx.Done():
						}
					}
					close(results[i])
				}
			}()
		}
		go func() {
			defer close(next)
			for i := range files {
				select {
				case slots <- struct{}{}:
				case <-ctx.Done():
					return
				}
				select {
				case next <- i:
				case <-ctx.Done():
					return
				}
			}
		}()
		done := 0
		for i := range files {
			if !yieldFile(ctx, results[i], yield, read, noLoc) {
				return
			}
			<-slots
			done++
			if opt.Progress != nil {
				opt.Progress(Progress{Files: len(files), FilesDone: done, Rows: int(read.Load())})
			}
		}
	}
}

// yieldFile yields one file's rows as its reader sends them, until the
// reader closes the channel; it reports false when the run must stop (an
// error, already yielded, or a consumer that stopped).
func yieldFile(ctx context.Context, in <-chan fileRows, yield func(geo.Row, error) bool, read, noLoc *atomic.Int64) bool {
	for {
		var (
			fr fileRows
			ok bool
		)
		select {
		case fr, ok = <-in:
		case <-ctx.Done():
			yield(geo.Row{}, ctx.Err())
			return false
		}
		if !ok {
			return true
		}
		if fr.err != nil {
			yield(geo.Row{}, fr.err)
			return false
		}
		for _, r := range fr.rows {
			read.Add(1)
			if r.Incident != nil && !r.Incident.HasLocation {
				noLoc.Add(1)
			}
			if !yield(r, nil) {
				return false
			}
		}
		if fr.release != nil {
			fr.release()
		}
	}
}

// cellCache holds the H3 cells of map points already seen in the run:
// police.uk snaps incidents to a limited set of points, so most rows need
// no H3 call. Workers share it; lookups vastly outnumber inserts. A miss
// asks H3 itself, not a hex.Locator: a county's snapped points are too far
// apart for a Locator's cell outlines to be reused (its outlines cost more
// CPU in a profile of the shared months than the H3 calls they saved).
type cellCache struct {
	mu sync.RWMutex
	m  map[orb.Point][geo.NumRes]geo.Cell
}

func (c *cellCache) at(p orb.Point) [geo.NumRes]geo.Cell {
	c.mu.RLock()
	cs, ok := c.m[p]
	c.mu.RUnlock()
	if ok {
		return cs
	}
	cs = hex.CellsAt(p)
	c.mu.Lock()
	c.m[p] = cs
	c.mu.Unlock()
	return cs
}

// readFile reads one police.uk CSV, indexing each located row into its
// H3 cells.
func readFile(ctx context.Context, path string, pf *policeFiles, latest geo.Month) ([]geo.Row, batchMem, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, batchMem{}, fmt.Errorf("input %w", err)
	}
	defer f.Close()
	r := policeuk.NewReader(f, path)
	r.Latest = latest
	if pf.strs == nil {
		pf.strs = make(map[string]string, 1<<12)
	}
	r.Intern(pf.strs)
	expect := 1024
	if fi, err := f.Stat(); err == nil {
		// An eighth over, so that the next month's file, a little longer,
		// still fits in this one's memory.
		expect = int(min(fi.Size()/policeRowBytes*9/8+16, 1<<22))
	}
	// A file's rows and records are read into memory that an earlier
	// file's rows held once the store copied them: new memory is a page
	// fault a page, and the import's collector runs rarely, so each file
	// in new memory cost more than parsing it (see batchMem).
	m := pf.mem.get(expect)
	out, slab := m.rows, m.slab
	for n := 0; ; n++ {
		if n%8192 == 0 {
			if err := ctx.Err(); err != nil {
				return nil, batchMem{}, err
			}
		}
		if len(slab) == cap(slab) {
			// A file longer than its size foretold: records are never
			// moved (rows point to them), so more go in a block of their
			// own.
			slab = make([]geo.Located, 0, 1024)
		}
		l := &slab[:len(slab)+1][len(slab)]
		*l = geo.Located{} // the memory may hold an earlier file's record
		err := r.ReadInto(&l.Incident)
		if err == io.EOF {
			return out, batchMem{rows: out, slab: m.slab}, nil
		}
		if err != nil {
			var pe *policeuk.ParseError
			if errors.As(err, &pe) {
				rej := pe.Reject()
				out = append(out, geo.Row{Reject: &rej})
				continue
			}
			return nil, batchMem{}, err
		}
		slab = slab[:len(slab)+1]
		if l.HasLocation {
			l.Cells = pf.cells.at(l.Point)
		}
		out = append(out, geo.Row{Incident: l})
	}
}

// policeFiles is what one reader of police.uk files keeps from file to
// file: the run's cells by point and its memory for rows (shared by every
// reader) and its own table of interned strings, as a force's files
// repeat the same streets and LSOAs (growing a table a file was 3 % of
// the shared months' import).
type policeFiles struct {
	cells *cellCache
	mem   batchMems
	strs  map[string]string
}

// policeRowBytes is a little under a police.uk row's usual size (about
// 235 bytes with its 64-digit ID), so a file's size over it sizes the
// file's rows once.
const policeRowBytes = 220

// Incidents indexes incidents from any source (the synthetic generator,
// say) into an import stream, with the same H3 indexing as files get.
func Incidents(ctx context.Context, src iter.Seq[geo.Incident]) iter.Seq2[geo.Row, error] {
	return func(yield func(geo.Row, error) bool) {
		cells := &cellCache{m: map[orb.Point][geo.NumRes]geo.Cell{}}
		n := 0
		for inc := range src {
			if n++; n%8192 == 0 && ctx.Err() != nil {
				yield(geo.Row{}, ctx.Err())
				return
			}
			loc := &geo.Located{Incident: inc}
			if inc.HasLocation {
				loc.Cells = cells.at(inc.Point)
			}
			if !yield(geo.Row{Incident: loc}, nil) {
				return
			}
		}
	}
}
