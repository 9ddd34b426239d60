// Package analysis turns stored incidents into what planners look at: H3
// hex hotspots with Getis–Ord Gi* and FDR bins, ward counts and rates
// with change against the previous period, and monthly series. It is the
// one implementation of the statistics; both stores feed it the same
// counts.
package analysis

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/leicester-csp/hotspot/geo"
)

// Query is a request as the API and the CLI take it; zero fields take the
// defaults of DESIGN.md.
type Query struct {
	Priority string
	Category string
	From, To string // YYYY-MM, "" for the default
	Res, K   int    // 0 for the default (res 9, k 1)
}

// Defaults and limits of DESIGN.md.
const (
	DefaultRes    = 9
	DefaultK      = 1
	MinK, MaxK    = 1, 3
	DefaultMonths = 12
)

// Resolved is a query checked against the priorities and the store: what
// it selects, for filtering and for telling the client what was answered.
type Resolved struct {
	Priority   *geo.Priority // nil for a category or everything
	Category   string
	Categories []string // empty: every category
	Months     geo.MonthRange
	// NoData is set when the store holds no months and none were asked
	// for: the answer is empty.
	NoData bool
	// AreaWards are the ward codes of the priority's area, empty for the
	// whole city.
	AreaWards []string
	Res, K    int
}

// Filter is the store filter for the resolved query.
func (r *Resolved) Filter() geo.Filter {
	return geo.Filter{Months: r.Months, Categories: r.Categories, Wards: r.AreaWards}
}

// Resolve checks a query and fills in its defaults.
func (a *Analyzer) Resolve(ctx context.Context, q Query) (*Resolved, error) {
	r := &Resolved{Res: q.Res, K: q.K}
	if r.Res == 0 {
		r.Res = DefaultRes
	}
	if r.K == 0 {
		r.K = DefaultK
	}
	if r.Res < geo.MinRes || r.Res > geo.MaxRes {
		return nil, geo.InvalidParam("res", "resolution %d is out of range %d–%d", r.Res, geo.MinRes, geo.MaxRes)
	}
	if r.K < MinK || r.K > MaxK {
		return nil, geo.InvalidParam("k", "neighbourhood %d is out of range %d–%d", r.K, MinK, MaxK)
	}
	switch {
	case q.Priority != "" && q.Category != "":
		return nil, geo.InvalidParam("category", "give a priority or a category, not both")
	case q.Priority != "":
		p := a.Priority(q.Priority)
		if p == nil {
			return nil, geo.InvalidParam("priority", "unknown priority %q (known: %s)", q.Priority, strings.Join(a.priorityIDs(), ", "))
		}
		r.Priority = p
		r.Categories = slices.Clone(p.Categories)
	case q.Category != "":
		if !geo.IsCategory(q.Category) && !a.storedCategory(ctx, q.Category) {
			return nil, geo.InvalidParam("category", "unknown category %q (police.uk crime types: %s)", q.Category, strings.Join(geo.Categories, ", "))
		}
		r.Category = q.Category
		r.Categories = []string{q.Category}
	}
	if err := a.resolveMonths(ctx, q, r); err != nil {
		return nil, err
	}
	if r.Priority != nil && len(r.Priority.Area) > 0 {
		wards, err := a.store.Areas(ctx, geo.KindWard)
		if err != nil {
			return nil, err
		}
		// With no wards stored the area is everything (DESIGN.md).
		if len(wards) > 0 {
			codes, err := areaCodes(r.Priority, wards)
			if err != nil {
				return nil, err
			}
			r.AreaWards = codes
		}
	}
	return r, nil
}

// areaCodes resolves a priority's area, given as ward names or codes.
func areaCodes(p *geo.Priority, wards []geo.Area) ([]string, error) {
	var out []string
	for _, want := range p.Area {
		found := false
		for _, w := range wards {
			if w.Code == want || strings.EqualFold(w.Name, want) {
				out = append(out, w.Code)
				found = true
			}
		}
		if !found {
			return nil, fmt.Errorf("priority %s: area ward %q is not among the stored wards: %w", p.ID, want, geo.ErrNotFound)
		}
	}
	slices.Sort(out)
	return slices.Compact(out), nil
}

func (a *Analyzer) resolveMonths(ctx context.Context, q Query, r *Resolved) error {
	var from, to geo.Month
	var err error
	if q.From != "" {
		if from, err = geo.ParseMonth(q.From); err != nil {
			return geo.InvalidParam("from", "month %q is not YYYY-MM", q.From)
		}
	}
	if q.To != "" {
		if to, err = geo.ParseMonth(q.To); err != nil {
			return geo.InvalidParam("to", "month %q is not YYYY-MM", q.To)
		}
	}
	switch {
	case q.From != "" && q.To != "":
		if from > to {
			return geo.InvalidParam("from", "from %s is after to %s", q.From, q.To)
		}
	case q.To != "":
		from = to - DefaultMonths + 1
	default:
		months, err := a.store.Months(ctx)
		if err != nil {
			return err
		}
		if len(months) == 0 {
			if q.From == "" {
				r.NoData = true
				return nil
			}
			to = from
		} else {
			to = months[len(months)-1]
		}
		if q.From == "" {
			from = to - DefaultMonths + 1
		} else if from > to {
			return geo.InvalidParam("from", "from %s is after the latest month in the data, %s", q.From, to)
		}
	}
	r.Months = geo.MonthRange{From: from, To: to}
	return nil
}

func (a *Analyzer) storedCategory(ctx context.Context, name string) bool {
	// Local exports may carry categories beyond police.uk's; a category
	// the store holds is a valid filter.
	cats, err := a.store.Categories(ctx)
	return err == nil && slices.Contains(cats, name)
}
