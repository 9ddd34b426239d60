package embedded

import (
	"context"
	"sort"
	"strings"

	"github.com/paulmach/orb"

	"github.com/leicester-csp/hotspot/geo"
)

// Incidents pages through the filter's incidents by month, then ID. Each
// month's incidents are a list sorted by ID, so a page starts by binary
// search at its key, months wholly before an offset are skipped by their
// tallies, and the total is summed from tallies: no page reads more than
// its own rows and the one month it starts in.
func (s *Store) Incidents(ctx context.Context, f geo.Filter, p geo.PageRequest) (geo.Page, error) {
	q := s.snap.Load().resolve(f)
	pg := pager{q: q, bbox: p.BBox, catOK: make(map[uint32]bool, len(q.cats))}
	for _, c := range q.cats {
		pg.catOK[c] = true
	}
	page := geo.Page{Total: -1}
	if !p.NoTotal {
		page.Total = 0
		for _, m := range q.pageMonths(false) {
			page.Total += pg.monthCount(m)
		}
	}
	offset := max(p.Offset, 0)
	for _, m := range q.pageMonths(p.Newest) {
		if err := ctx.Err(); err != nil {
			return geo.Page{}, err
		}
		if a := p.After; a != nil && (m < a.Month) != p.Newest && m != a.Month {
			continue // before the key in page order
		}
		start := 0
		rows := q.monthRows(m)
		if a := p.After; a != nil && m == a.Month {
			start = sort.Search(len(rows), func(j int) bool { return pg.after(rows[j], a) })
		} else if offset > 0 {
			if n := pg.monthCount(m); n <= offset {
				offset -= n
				continue
			}
		}
		for _, i := range rows[start:] {
			if !pg.match(i) {
				continue
			}
			switch {
			case offset > 0:
				offset--
			case len(page.Items) < p.Limit:
				page.Items = append(page.Items, q.sn.incident(i))
			default:
				page.More = true
				return page, nil
			}
		}
	}
	return page, nil
}

// pager holds what a page request checks each incident against.
type pager struct {
	q     *query
	bbox  *orb.Bound
	catOK map[uint32]bool
}

// match reports whether incident i (of a month the query reads, a
// partner record already checked by monthRows) is on the list.
func (pg *pager) match(i uint32) bool {
	q, sn := pg.q, pg.q.sn
	if sn.ext[i] == 0 && !pg.catOK[sn.fields[fCategory][i]] {
		return false
	}
	pt := sn.pt[i]
	if (q.limited || pg.bbox != nil) && pt == 0 {
		return false
	}
	if q.limited && !q.counted(pt-1) {
		return false
	}
	return pg.bbox == nil || pg.bbox.Contains(sn.points[pt-1].P)
}

// after reports whether incident i comes after key a within a month.
func (pg *pager) after(i uint32, a *geo.PageKey) bool {
	sn := pg.q.sn
	if c := strings.Compare(sn.id(i), a.ID); c != 0 {
		return c > 0
	}
	return sn.source(i) > a.Source
}

// monthCount counts month m's incidents on the list: police.uk's from
// the month's tallies (per point only when an area or a box limits
// them), partner records by walking the month's few.
func (pg *pager) monthCount(m geo.Month) int {
	q, sn := pg.q, pg.q.sn
	n := 0
	if q.uk {
		for _, c := range q.cats {
			k := aggKey{m, c}
			if !q.limited && pg.bbox == nil {
				n += int(sn.tally[k])
				continue
			}
			for _, pc := range sn.agg[k] {
				if (!q.limited || q.counted(pc.pt)) && (pg.bbox == nil || pg.bbox.Contains(sn.points[pc.pt].P)) {
					n += int(pc.n)
				}
			}
		}
	}
	if q.part == nil {
		return n
	}
	for _, pm := range q.part.months {
		if pm != m {
			continue
		}
		for _, i := range sn.pByMonth[m] {
			if q.partOK(i) && pg.match(i) {
				n++
			}
		}
	}
	return n
}
