package analysis

import (
	"context"
	"fmt"
	"strings"

	"github.com/leicester-csp/hotspot/geo"
	"github.com/leicester-csp/hotspot/geo/targetarea"
)

// WithTargetAreas sets where target areas are kept (by default the
// store, when it keeps them) and returns a. The serving command passes
// the real store while a demo city answers the counts.
func (a *Analyzer) WithTargetAreas(ts geo.TargetAreaStore) *Analyzer {
	a.areas = ts
	return a
}

// TargetAreaStore returns where target areas are kept, or nil.
func (a *Analyzer) TargetAreaStore() geo.TargetAreaStore { return a.areas }

func (a *Analyzer) targetAreas() (geo.TargetAreaStore, error) {
	if a.areas == nil {
		return nil, fmt.Errorf("%w: this store keeps no target areas", geo.ErrUnavailable)
	}
	return a.areas, nil
}

// TargetAreas lists the stored target areas, oldest first.
func (a *Analyzer) TargetAreas(ctx context.Context) ([]geo.TargetArea, error) {
	ts, err := a.targetAreas()
	if err != nil {
		return nil, err
	}
	return ts.TargetAreas(ctx)
}

// TargetArea returns one target area, or geo.ErrNotFound.
func (a *Analyzer) TargetArea(ctx context.Context, id string) (geo.TargetArea, error) {
	ts, err := a.targetAreas()
	if err != nil {
		return geo.TargetArea{}, err
	}
	return ts.TargetArea(ctx, id)
}

// CheckTargetArea checks a drafted area against the configuration and
// the data: its priority must be configured and its start month inside
// the months the store holds, so that it can be evaluated.
func (a *Analyzer) CheckTargetArea(ctx context.Context, d targetarea.Draft) error {
	if a.Priority(d.Priority) == nil {
		return invalid("priority", "unknown priority %q (known: %s)", d.Priority, strings.Join(a.priorityIDs(ctx), ", "))
	}
	months, err := a.store.Months(ctx)
	if err != nil {
		return err
	}
	return startInData(d.Start, months)
}

func startInData(start geo.Month, months []geo.Month) error {
	if len(months) == 0 {
		return invalid("start", "the store holds no months yet, so start %s cannot be evaluated: load data first", start)
	}
	first, last := months[0], months[len(months)-1]
	if start <= first || start > last {
		return invalid("start", "start %s is outside the data: it must be after %s (so that there is a before) and no later than %s", start, first, last)
	}
	return nil
}
