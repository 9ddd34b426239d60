package synth

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sync"

	"github.com/leicester-csp/hotspot/geo"
)

// WriteCSVs writes one police.uk street-level CSV per force and month into
// dir (created if missing), named YYYY-MM-<force>-street.csv as police.uk's
// downloads are, and returns their paths in month, then force order. Each
// row's force is its map point's; opt.Force is ignored. Months are written
// in parallel, each from its own random stream, so the files do not depend
// on the number of CPUs; memory use does not grow with opt.Rows.
func (n *Nation) WriteCSVs(dir string, opt Options) ([]string, error) {
	if opt.Rows < 0 || opt.Months < 0 {
		return nil, fmt.Errorf("%w: synthetic rows %d and months %d must not be negative", geo.ErrInvalid, opt.Rows, opt.Months)
	}
	p := newPlan(n.seed, &n.catPoints, opt)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("synthetic CSVs: %w", err)
	}
	paths := make([]string, 0, len(p.counts)*len(n.Forces))
	for i := range p.counts {
		m := p.opt.From + geo.Month(i)
		for _, f := range n.Forces {
			paths = append(paths, filepath.Join(dir, fmt.Sprintf("%s-%s-street.csv", m, forceSlug(f))))
		}
	}
	errs := make([]error, len(p.counts))
	next := make(chan int)
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), 4, len(p.counts)) {
		wg.Go(func() {
			for i := range next {
				errs[i] = n.writeMonth(p, i, paths[i*len(n.Forces):(i+1)*len(n.Forces)])
			}
		})
	}
	for i := range p.counts {
		next <- i
	}
	close(next)
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, fmt.Errorf("synthetic CSVs: %w", err)
		}
	}
	return paths, nil
}

// writeMonth writes the i-th month's rows into one file per force.
func (n *Nation) writeMonth(p *plan, i int, paths []string) (err error) {
	files := make([]*os.File, len(paths))
	ws := make([]*bufio.Writer, len(paths))
	defer func() {
		for _, f := range files {
			if f != nil {
				if cerr := f.Close(); err == nil {
					err = cerr
				}
			}
		}
	}()
	m := p.opt.From + geo.Month(i)
	leads := make([]string, len(paths))
	for k, path := range paths {
		if files[k], err = os.Create(path); err != nil {
			return err
		}
		ws[k] = bufio.NewWriterSize(files[k], 256<<10)
		if _, err := ws[k].WriteString(header); err != nil {
			return err
		}
		f := csvField(n.Forces[k])
		leads[k] = "," + m.String() + "," + f + "," + f + ","
	}
	var cats [numCats]string
	for c := range cats {
		cats[c] = "," + csvField(geo.Categories[c]) + ","
	}
	outs := make([]string, len(outcomes))
	for o := range outs {
		outs[o] = csvField(outcomes[o])
	}
	const noLoc = ",,No Location,,"
	var id [64]byte
	line := make([]byte, 0, 512)
	p.month(i, func(rw *row) bool {
		line = line[:0]
		if rw.cat != catASB {
			p.crimeID(&id, rw)
			line = append(line, id[:]...)
		}
		// A row without a location still belongs to a force: drawn by
		// the forces' shares, from the row's identity so that it needs
		// nothing from the month's stream.
		force := n.forces.draw(splitmix64(uint64(int64(rw.month))<<40 ^ rw.index ^ n.seed))
		if rw.point >= 0 {
			force = int(n.points[rw.point].force)
		}
		line = append(line, leads[force]...)
		if rw.point >= 0 {
			line = append(line, n.points[rw.point].csv...)
		} else {
			line = append(line, noLoc...)
		}
		line = append(line, cats[rw.cat]...)
		if rw.outcome >= 0 {
			line = append(line, outs[rw.outcome]...)
		}
		line = append(line, ",\n"...)
		_, err = ws[force].Write(line)
		return err == nil
	})
	if err != nil {
		return err
	}
	for _, w := range ws {
		if err := w.Flush(); err != nil {
			return err
		}
	}
	return nil
}
