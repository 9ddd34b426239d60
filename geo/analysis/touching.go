package analysis

import (
	"cmp"
	"context"
	"errors"
	"fmt"

	"github.com/paulmach/orb"

	"github.com/leicester-csp/hotspot/geo"
	"github.com/leicester-csp/hotspot/geo/areas"
)

// AreasTouching lists the target areas that share any point with the
// ward (a code or name), oldest first, each evaluated with the default
// windows and buffer against the ward itself as control: what a ward
// briefing shows. An area that cannot be evaluated now (its start outside
// the data, its priority gone) is listed with Verdict saying why and no
// figures.
func (a *Analyzer) AreasTouching(ctx context.Context, ward string) ([]AreaEvaluation, error) {
	code, err := a.WardCode(ctx, ward)
	if err != nil {
		return nil, err
	}
	wards, err := a.store.Areas(ctx, geo.KindWard)
	if err != nil {
		return nil, err
	}
	var wg orb.MultiPolygon
	for _, w := range wards {
		if w.Code == code {
			wg = w.Geometry
		}
	}
	all, err := a.TargetAreas(ctx)
	if err != nil {
		return nil, err
	}
	var out []AreaEvaluation
	for _, ta := range all {
		if !shareAPoint(wg, ta.Geometry) {
			continue
		}
		ev, err := a.Evaluate(ctx, ta, EvalQuery{Control: code})
		var fe *FieldError
		if errors.As(err, &fe) {
			out = append(out, AreaEvaluation{Area: ta, Control: code, ControlKind: "ward", Verdict: "not evaluated: " + fe.Msg})
			continue
		}
		if err != nil {
			return nil, err
		}
		out = append(out, *ev)
	}
	return out, nil
}

// shareAPoint reports whether two areas intersect, boundaries included:
// a vertex of either inside (or on) the other, or two edges meeting.
func shareAPoint(a, b orb.MultiPolygon) bool {
	if len(a) == 0 || len(b) == 0 || !a.Bound().Intersects(b.Bound()) {
		return false
	}
	if areas.Covers(a, b[0][0][0]) || areas.Covers(b, a[0][0][0]) {
		return true
	}
	for _, pa := range a {
		for _, ra := range pa {
			for i := 0; i+1 < len(ra); i++ {
				seg := orb.Bound{Min: ra[i], Max: ra[i]}.Extend(ra[i+1])
				if areas.IntersectsBound(b, seg) && edgesMeet(ra[i], ra[i+1], b) {
					return true
				}
			}
		}
	}
	return false
}

func edgesMeet(p, q orb.Point, mp orb.MultiPolygon) bool {
	for _, poly := range mp {
		for _, r := range poly {
			for i := 0; i+1 < len(r); i++ {
				if segmentsMeet(p, q, r[i], r[i+1]) {
					return true
				}
			}
		}
	}
	return false
}

func segmentsMeet(a, b, c, d orb.Point) bool {
	o := func(p, q, r orb.Point) float64 { return (q[0]-p[0])*(r[1]-p[1]) - (q[1]-p[1])*(r[0]-p[0]) }
	on := func(p, q, r orb.Point) bool {
		return r[0] >= min(p[0], q[0]) && r[0] <= max(p[0], q[0]) && r[1] >= min(p[1], q[1]) && r[1] <= max(p[1], q[1])
	}
	d1, d2, d3, d4 := o(c, d, a), o(c, d, b), o(a, b, c), o(a, b, d)
	if (d1 > 0) != (d2 > 0) && d1 != 0 && d2 != 0 && (d3 > 0) != (d4 > 0) && d3 != 0 && d4 != 0 {
		return true
	}
	return d1 == 0 && on(c, d, a) || d2 == 0 && on(c, d, b) || d3 == 0 && on(a, b, c) || d4 == 0 && on(a, b, d)
}

// AreaSummaries is AreasTouching in the shape a ward briefing shows: the
// seam (TargetAreaFunc) through which briefs list target areas.
func (a *Analyzer) AreaSummaries(ctx context.Context, ward string) ([]AreaSummary, error) {
	evs, err := a.AreasTouching(ctx, ward)
	if err != nil {
		return nil, err
	}
	out := make([]AreaSummary, 0, len(evs))
	for _, ev := range evs {
		s := AreaSummary{ID: ev.Area.ID, Name: ev.Area.Name, Priority: ev.Area.Priority,
			Start: ev.Area.Start, Actions: ev.Area.Actions, Verdict: ev.Verdict}
		if ev.Before != (geo.MonthRange{}) { // not evaluated: only the verdict says why
			// A brief shows no query: say what the area was compared with.
			s.Verdict = fmt.Sprintf("against the rest of the ward (%s, less the area and its %g m buffer), %s to %s after against %s to %s before: %s",
				cmp.Or(ev.ControlName, ev.Control), ev.Buffer, ev.After.From, ev.After.To, ev.Before.From, ev.Before.To, ev.Verdict)
			r := ev.Result
			wdd := r.WDD
			s.Evaluation = &AreaFigures{TBefore: r.TBefore, TAfter: r.TAfter, DBefore: r.DBefore, DAfter: r.DAfter,
				CBefore: r.CBefore, CAfter: r.CAfter, WDQ: r.WDQ, WDD: &wdd, WDDSE: r.WDDSE, WDDZ: r.WDDZ, WDDP: r.WDDP}
		}
		out = append(out, s)
	}
	return out, nil
}
