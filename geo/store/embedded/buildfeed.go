package embedded

import "sync/atomic"

// buildFeed hands a run's rows to the build of the next snapshot while the
// run is still being staged, a few thousand at a time, so that the build
// runs on the core that reading and staging leave idle (about a third of
// one in the shared months' import) instead of after the staging, when
// the import waited for it. The build touches only columns beyond cur's
// length and strings not yet interned, so it can run while cur is read;
// it is dropped if the run is not committed.
//
// A run without a size hint is sent whole once staged: the build then
// sizes its columns exactly, as growing them row by row from a
// memory-mapped column copies each several times.
type buildFeed struct {
	s    *Store
	cur  *snapshot
	hint int // the run's rows, about; 0: unknown
	run  *freshRun
	ch   chan []segRow
	stop atomic.Bool // the run is not to be committed: build no further
	// block and at are the first block of the staged rows not wholly
	// sent and how many of its rows were; sent counts every row sent.
	block, at, sent int
}

// feedBatch is how many staged rows wait before they are sent.
const feedBatch = 4096

func (s *Store) newBuildFeed(cur *snapshot, hint int) *buildFeed {
	return &buildFeed{s: s, cur: cur, hint: min(max(hint, 0), maxHint)}
}

// maxHint bounds the rows a hint may have a build make room for (as it
// bounds the staging's), whatever the caller says.
const maxHint = 1 << 26

// send sends the rows staged in c since the last send, once there are
// feedBatch of them or, when final, whatever is left; dups is how many
// rows the run has found stored or given already. The staging
// goroutine goes on appending to c's last block beyond what it sent: the
// build reads only the rows sent, each batch capped at its length.
func (f *buildFeed) send(c *chunks[segRow], dups int, final bool) {
	if c.n == f.sent || !final && (f.hint == 0 || c.n-f.sent < feedBatch) {
		return
	}
	if f.ch == nil {
		f.start(c, dups)
	}
	for f.block < len(c.blocks) {
		blk := c.blocks[f.block]
		if len(blk) > f.at {
			f.ch <- blk[f.at:len(blk):len(blk)]
			f.sent += len(blk) - f.at
			f.at = len(blk)
		}
		if len(blk) < cap(blk) {
			break
		}
		f.block, f.at = f.block+1, 0
	}
}

// start begins the build, its columns sized for the run from the rows
// staged so far (all of them, without a hint): the hint counts the rows
// to read, and a run that finds most of them stored already (a folder
// imported again with a month added) stages few, so the hint is scaled
// by the share of rows read so far that were new. Should more come, the
// columns grow as any slice does.
func (f *buildFeed) start(c *chunks[segRow], dups int) {
	n, idBytes, parts := 0, 0, 0
	for _, blk := range c.blocks {
		for i := range blk {
			n++
			idBytes += len(blk[i].id)
			if blk[i].ext != nil {
				parts++
			}
		}
	}
	if total := f.hint * n / (n + dups); total > n {
		idBytes, parts, n = idBytes*total/n, parts*total/n, total
	}
	r := &freshRun{cur: f.cur, incremental: f.cur.man.StoreID != "", done: make(chan *builder, 1)}
	b := f.s.newLoadBuilder(f.cur, r.incremental)
	b.reserve(n, idBytes, parts)
	// Batches in flight are bounded: a build far behind holds back the
	// staging rather than the rows piling up in the channel.
	ch := make(chan []segRow, 256)
	go func() {
		var memo strMemo
		for rows := range ch {
			if !f.stop.Load() {
				addRows(b, rows, &memo)
			}
		}
		if !f.stop.Load() {
			b.index()
		}
		r.done <- b
	}()
	f.run, f.ch = r, ch
}

// finish ends the feed once every row is sent; the run it returns builds
// on, to be waited for. It is nil when no row was staged.
func (f *buildFeed) finish() *freshRun {
	if f.ch == nil {
		return nil
	}
	close(f.ch)
	f.ch = nil
	return f.run
}

// drop ends the feed of a run that is not to be committed, once its build
// has stopped (at the batch it is on); after finish it does nothing.
func (f *buildFeed) drop() {
	if f.ch == nil {
		return
	}
	f.stop.Store(true)
	f.finish().wait()
}
