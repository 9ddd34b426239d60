package embedded

import (
	"context"
	"slices"

	"github.com/leicester-csp/hotspot/geo"
)

// partQuery is a filter's selection of partner records, resolved against
// one snapshot.
type partQuery struct {
	months []geo.Month // months of the range holding partner records
	all    bool        // every source, else src alone
	src    uint32
	cats   map[uint32]bool // nil: every category
	flags  geo.Flags
	within geo.Within
}

// resolvePartner resolves the partner side of a filter; nil when no
// partner record can count.
func (sn *snapshot) resolvePartner(f geo.Filter) *partQuery {
	if !f.LocalSource() || len(sn.pMonths) == 0 {
		return nil
	}
	pq := &partQuery{all: f.Source == geo.SourceAll, flags: f.Flags, within: f.Within}
	if !pq.all {
		src, ok := sn.srcIdx[f.Source]
		if !ok {
			return nil
		}
		pq.src = src
	}
	if len(f.Categories) > 0 {
		pq.cats = map[uint32]bool{}
		for _, name := range f.Categories {
			if c, ok := sn.pCats[name]; ok {
				pq.cats[c] = true
			}
		}
	}
	for _, m := range sn.pMonths {
		if f.Months.Contains(m) {
			pq.months = append(pq.months, m)
		}
	}
	return pq
}

// partOK reports whether partner record i passes the query's source,
// categories, flags and local time (months are the caller's).
func (q *query) partOK(i uint32) bool {
	sn, pq := q.sn, q.part
	p := &sn.part[sn.ext[i]-1]
	if !pq.all && p.src != pq.src {
		return false
	}
	if pq.cats != nil && !pq.cats[sn.fields[fCategory][i]] {
		return false
	}
	return p.flags.HasAll(pq.flags) && pq.within.Holds(int(p.wd), int(p.hour))
}

// eachPart calls fn for every partner record the query selects, by month
// then ID and source, located or not and inside the area or not.
func (q *query) eachPart(ctx context.Context, fn func(m geo.Month, i uint32)) error {
	for _, m := range q.part.months {
		if err := ctx.Err(); err != nil {
			return err
		}
		for _, i := range q.sn.pByMonth[m] {
			if q.partOK(i) {
				fn(m, i)
			}
		}
	}
	return nil
}

// pageMonths are the months an incident page reads: police.uk's and
// the partner records', merged, in page order.
func (q *query) pageMonths(newest bool) []geo.Month {
	var ms []geo.Month
	if q.uk {
		ms = append(ms, q.months...)
	}
	if q.part != nil {
		ms = append(ms, q.part.months...)
	}
	slices.Sort(ms)
	ms = slices.Compact(ms)
	if newest {
		slices.Reverse(ms)
	}
	return ms
}

// monthRows lists month m's incidents the query may select, by ID then
// source: police.uk's and partner records' lists merged. Partner records
// are checked against the filter here; police.uk's are not.
func (q *query) monthRows(m geo.Month) []uint32 {
	var uk, part []uint32
	if q.uk {
		uk = q.sn.byMonth[m]
	}
	if q.part != nil && slices.Contains(q.part.months, m) {
		for _, i := range q.sn.pByMonth[m] {
			if q.partOK(i) {
				part = append(part, i)
			}
		}
	}
	if len(part) == 0 {
		return uk
	}
	if len(uk) == 0 {
		return part
	}
	return mergeSorted(uk, part, q.sn.cmpKey)
}
