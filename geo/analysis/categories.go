package analysis

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/leicester-csp/hotspot/geo"
)

// resolveCategories sets the categories a priority or a category names,
// refusing an unknown one with a 400 that names the parameter.
func (a *Analyzer) resolveCategories(ctx context.Context, q Query, r *Resolved) error {
	switch {
	case q.Priority != "" && q.Category != "":
		return invalid("category", "give a priority or a category, not both")
	case q.Priority != "":
		p := a.Priority(q.Priority)
		if p == nil || !visiblePriority(ctx, p) {
			return invalid("priority", "unknown priority %q (known: %s)", clip(q.Priority), strings.Join(a.priorityIDs(ctx), ", "))
		}
		r.Priority = p
		r.Categories = slices.Clone(p.Categories)
	case q.Category != "":
		local := q.Source != "" && q.Source != geo.SourcePoliceUK
		if local {
			if err := a.localCategory(ctx, q.Source, q.Category); err != nil {
				return err
			}
		} else if !geo.IsCategory(q.Category) && !a.storedCategory(ctx, q.Category) {
			return invalid("category", "unknown category %q (police.uk crime types: %s)", clip(q.Category), strings.Join(geo.Categories, ", "))
		}
		r.Category = q.Category
		r.Categories = []string{q.Category}
	}
	return nil
}

// localCategory refuses a category that neither police.uk nor the local
// source (any local source, for source=all) has: a misspelt record type
// would otherwise count nothing, and an empty map reads as a quiet place.
// A source that holds no records yet is left to the source check.
func (a *Analyzer) localCategory(ctx context.Context, source, name string) error {
	// source=all counts police.uk's rows too, whose stored categories
	// may go beyond today's list (older archives).
	if geo.IsCategory(name) || (source == geo.SourceAll && a.storedCategory(ctx, name)) {
		return nil
	}
	infos, err := a.store.SourceInfos(ctx)
	if err != nil {
		return fmt.Errorf("sources: %w", err)
	}
	var known []string
	found := false
	for _, si := range infos {
		if si.Name == geo.SourcePoliceUK || (source != geo.SourceAll && si.Name != source) {
			continue
		}
		found = true
		if slices.Contains(si.Categories, name) {
			return nil
		}
		known = append(known, si.Categories...)
	}
	if !found {
		return nil
	}
	slices.Sort(known)
	return invalid("category", "unknown category %q for source %s (its record types: %s; or a police.uk crime type)",
		clip(name), clip(source), strings.Join(slices.Compact(known), ", "))
}

func (a *Analyzer) storedCategory(ctx context.Context, name string) bool {
	// Local exports may carry categories beyond police.uk's; a category
	// the store holds is a valid filter.
	cats, err := a.store.Categories(ctx)
	return err == nil && slices.Contains(cats, name)
}
