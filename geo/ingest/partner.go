package ingest

import (
	"context"
	"errors"
	"fmt"
	"io"
	"iter"
	"os"
	"strings"
	"sync/atomic"

	"github.com/leicester-csp/hotspot/geo"
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
func readAny(ctx context.Context, path string, opt Options, pf *policeFiles, send func(rows []geo.Row, release func()) bool) error {
	if opt.Partner != nil {
		return readPartnerFile(ctx, path, opt.Partner, opt.Latest, send)
	}
	rows, used, err := readFile(ctx, path, pf, opt.Latest)
	if err != nil {
		return err
	}
	if !send(rows, func() { pf.mem.put(used) }) {
		return ctx.Err()
	}
	return nil
}
