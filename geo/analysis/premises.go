package analysis

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/leicester-csp/hotspot/geo"
)

// PremisesCount is one premises of the register and how many of the
// query's counted local records are linked to it.
type PremisesCount struct {
	geo.Premises
	Count int
	// Suppressed: a count a partner caller may not see (Count is then 0
	// and must not be shown).
	Suppressed bool
}

// PremisesResult is the register counted for a query.
type PremisesResult struct {
	Query *Resolved
	Kinds []string        // the kinds asked for; empty: every kind
	Rows  []PremisesCount // by count (most first), then id
}

// PremisesCounts counts the query's local records per premises of the
// register, every premises of the kinds asked for (all when none) with
// its count, 0 included: police.uk records name no premises, so with
// source=policeuk every count is 0. Ranked by count, then id. A partner's
// counts from 1 to --suppress-below − 1 are withheld, and with exactly
// one withheld the next-smallest too (the register's counts sum to the
// linked records, which another answer may give).
func (a *Analyzer) PremisesCounts(ctx context.Context, q Query, kinds []string) (*PremisesResult, error) {
	r, err := a.Resolve(ctx, q)
	if err != nil {
		return nil, err
	}
	register, err := a.store.Premises(ctx)
	if err != nil {
		return nil, err
	}
	if err := checkKinds(register, kinds); err != nil {
		return nil, err
	}
	counts := map[string]int{}
	// A ward outside the priority's area holds none of its records.
	if r.Local() && !r.NoData && !r.Empty {
		rc, ok := a.store.(geo.RepeatCounter)
		if !ok {
			return nil, fmt.Errorf("premises counts: %w", errors.ErrUnsupported)
		}
		ts, err := rc.PlaceTallies(ctx, r.Filter())
		if err != nil {
			return nil, err
		}
		for _, t := range ts {
			counts[t.Premises] += t.Count
		}
	}
	out := &PremisesResult{Query: r, Kinds: kinds}
	for _, p := range register {
		if len(kinds) == 0 || slices.Contains(kinds, p.Kind) {
			out.Rows = append(out.Rows, PremisesCount{Premises: p, Count: counts[p.ID]})
		}
	}
	withholdPremises(out.Rows, smallShown(ctx, r.Filter()))
	slices.SortStableFunc(out.Rows, func(a, b PremisesCount) int {
		return cmp.Or(cmp.Compare(b.Count, a.Count), strings.Compare(a.ID, b.ID))
	})
	return out, nil
}

// withholdPremises zeroes the counts a partner may not see, before the
// sort, so that the order says nothing of them.
func withholdPremises(rows []PremisesCount, below int) {
	hidden, next := 0, -1
	for i, p := range rows {
		switch {
		case withheld(p.Count, below):
			rows[i].Suppressed = true
			hidden++
		case p.Count >= below && p.Count > 0 && (next < 0 || p.Count < rows[next].Count):
			next = i
		}
	}
	if hidden == 1 && next >= 0 {
		rows[next].Suppressed = true
	}
	for i := range rows {
		if rows[i].Suppressed {
			rows[i].Count = 0
		}
	}
}

// ParseKinds reads a comma list of premises kinds (any one may match).
func ParseKinds(s string) ([]string, error) {
	var out []string
	for _, k := range strings.Split(s, ",") {
		k = strings.TrimSpace(k)
		if k == "" || len(k) > 64 {
			return nil, invalid("kind", "kind %s is not a premises kind (a comma list such as licensed,retail)", strconv.Quote(clip(k)))
		}
		if !slices.Contains(out, k) {
			out = append(out, k)
		}
	}
	return out, nil
}

// checkKinds refuses a kind no premises of the register has: a typo
// would otherwise answer an empty register.
func checkKinds(register []geo.Premises, kinds []string) error {
	known := map[string]bool{}
	for _, p := range register {
		known[p.Kind] = true
	}
	for _, k := range kinds {
		if !known[k] {
			return invalid("kind", "no premises of kind %s (the register has: %s)", strconv.Quote(clip(k)), strings.Join(slices.Sorted(maps.Keys(known)), ", "))
		}
	}
	return nil
}

// OffenderRow is one offender pseudonym with repeat records.
type OffenderRow struct {
	ID          string // the pseudonym, never a reference
	Count       int
	First, Last geo.Month
	// Premises lists the premises ids the offender's records are linked
	// to, most records first, then by id.
	Premises []string
}

// OffenderResult is the repeat offenders of a query, ranked.
type OffenderResult struct {
	Query *Resolved
	Min   int
	Rows  []OffenderRow // by count (most first), then id
}

// Offenders lists the offender pseudonyms with at least min of the
// query's counted local records. Pseudonyms are for the analyst role
// only (DESIGN.md, "Access"): any other caller is refused here too,
// whatever the API lets through.
func (a *Analyzer) Offenders(ctx context.Context, q Query, min int) (*OffenderResult, error) {
	if vis, _ := VisibilityOf(ctx); vis != SeeEverything {
		return nil, invalid("source", "offender pseudonyms need the analyst role")
	}
	if min < 1 {
		return nil, invalid("min", "min %d must be at least 1", min)
	}
	r, err := a.Resolve(ctx, q)
	if err != nil {
		return nil, err
	}
	out := &OffenderResult{Query: r, Min: min}
	if !r.Local() || r.NoData || r.Empty {
		return out, nil
	}
	rc, ok := a.store.(geo.RepeatCounter)
	if !ok {
		return nil, fmt.Errorf("offender tallies: %w", errors.ErrUnsupported)
	}
	ts, err := rc.OffenderTallies(ctx, r.Filter())
	if err != nil {
		return nil, err
	}
	for _, t := range ts {
		if t.Count < min {
			continue
		}
		out.Rows = append(out.Rows, OffenderRow{ID: t.Offender, Count: t.Count, First: t.First, Last: t.Last, Premises: rankedIDs(t.Premises)})
	}
	// Pseudonyms are unique, so this order is total.
	slices.SortFunc(out.Rows, func(a, b OffenderRow) int {
		return cmp.Or(cmp.Compare(b.Count, a.Count), strings.Compare(a.ID, b.ID))
	})
	return out, nil
}

// rankedIDs lists the keys of counts, most first, then by id.
func rankedIDs(counts map[string]int) []string {
	ids := make([]string, 0, len(counts))
	for id := range counts {
		ids = append(ids, id)
	}
	if len(ids) > 1 {
		slices.SortFunc(ids, func(a, b string) int { return cmp.Or(cmp.Compare(counts[b], counts[a]), strings.Compare(a, b)) })
	}
	return ids
}
