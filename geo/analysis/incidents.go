package analysis

import (
	"context"

	"github.com/paulmach/orb"

	"github.com/leicester-csp/hotspot/geo"
)

// Page selects one page of an incident list: BBox (nil: anywhere) keeps
// incidents whose point lies in it; Limit and Offset window the list,
// which is ordered by month then ID.
type Page struct {
	BBox          *orb.Bound
	Limit, Offset int
	// Newest orders the list newest month first (the map's choice: when
	// a cap cuts the list, the months cut are the oldest).
	Newest bool
	// After starts the page just past this place in the order (keyset
	// paging); Offset then counts from there.
	After *geo.PageKey
	// NoTotal says the caller needs no total (a tile needs only whether
	// more follow): Page.Total is then -1 unless one is known already.
	NoTotal bool
	// Brief asks only for the fields a tile shows (geo.PageRequest).
	Brief bool
}

// IncidentResult is one page of the incidents a query selects.
type IncidentResult struct {
	Query *Resolved
	Page  geo.Page // the items of the page and the total matched
}

// Incidents lists the incidents that pass the query's categories, months,
// area and ward, one page at a time: with ScopeAll inside the city or not,
// with ScopeArea only inside the area of the request.
func (a *Analyzer) Incidents(ctx context.Context, q Query, p Page) (*IncidentResult, error) {
	r, err := a.Resolve(ctx, q)
	if err != nil {
		return nil, err
	}
	out := &IncidentResult{Query: r}
	if r.NoData || r.Empty {
		return out, nil
	}
	f := r.Filter()
	if r.Scope == ScopeArea && len(f.Wards) == 0 {
		// The area of a request without a priority area or ward is the
		// city: every stored ward (with none stored, everything).
		wards, err := a.store.Areas(ctx, geo.KindWard)
		if err != nil {
			return nil, err
		}
		for _, w := range wards {
			f.Wards = append(f.Wards, w.Code)
		}
	}
	out.Page, err = a.page(ctx, f, p)
	if err != nil {
		return nil, err
	}
	return out, nil
}

// page reads one page from the store. Counting every match is what made
// deep pages cost seconds, so a list's total is counted once per data
// version and carried to every later page of it.
func (a *Analyzer) page(ctx context.Context, f geo.Filter, p Page) (geo.Page, error) {
	req := geo.PageRequest{BBox: p.BBox, Limit: p.Limit, Offset: p.Offset, Newest: p.Newest, After: p.After, NoTotal: p.NoTotal, Brief: p.Brief}
	version, err := a.store.Version(ctx)
	if err != nil {
		return geo.Page{}, err
	}
	key := totalKey(version, f, p.BBox)
	total, known := a.totals.get(key)
	if known {
		req.NoTotal = true
	}
	page, err := a.store.Incidents(ctx, f, req)
	if err != nil {
		return geo.Page{}, err
	}
	switch {
	case known:
		page.Total = total
	case page.Total >= 0:
		// The store may have moved on since Version: kept under the
		// version it was read at only when that is still the store's.
		if now, err := a.store.Version(ctx); err == nil && now == version {
			a.totals.put(key, page.Total)
		}
	}
	return page, nil
}

// Incident returns one stored incident by ID, or geo.ErrNotFound.
func (a *Analyzer) Incident(ctx context.Context, id string) (geo.StoredIncident, error) {
	return a.store.Incident(ctx, id)
}
