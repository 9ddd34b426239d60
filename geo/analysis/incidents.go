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
	out.Page, err = a.store.Incidents(ctx, f, geo.PageRequest{BBox: p.BBox, Limit: p.Limit, Offset: p.Offset, Newest: p.Newest})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// Incident returns one stored incident by ID, or geo.ErrNotFound.
func (a *Analyzer) Incident(ctx context.Context, id string) (geo.StoredIncident, error) {
	return a.store.Incident(ctx, id)
}
