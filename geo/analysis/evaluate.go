package analysis

import (
	"context"
	"errors"
	"strings"
	"sync"

	"github.com/paulmach/orb"

	"github.com/leicester-csp/hotspot/geo"
	"github.com/leicester-csp/hotspot/geo/areas"
	"github.com/leicester-csp/hotspot/geo/evaluation"
)

// Defaults and limits of an evaluation (DESIGN.md, "Target areas").
const (
	DefaultBefore, DefaultAfter = 6, 6
	MaxWindow                   = 36
	DefaultBuffer               = 250.0
	MaxBuffer                   = 2000.0
)

// EvalQuery is what an evaluation is asked for; zero Before and After
// take the defaults, a nil Buffer the default 250 m.
type EvalQuery struct {
	Before, After int
	Buffer        *float64
	// Control is a ward code (or name) or another target area's id.
	Control string
}

// AreaEvaluation is a target area's evaluation: its counts before and
// after its start in the area (T), the buffer around it (D) and the
// control (C), the WDQ and WDD test, and the verdict in words.
type AreaEvaluation struct {
	Area          geo.TargetArea
	Before, After geo.MonthRange
	// BeforeComplete is false when the before window starts before the
	// first month held, AfterComplete while the after window runs past
	// the latest: their counts are then of fewer months.
	BeforeComplete, AfterComplete bool
	Buffer                        float64 // metres
	// Control is the ward code or area id, ControlKind "ward" or
	// "area", ControlName its name.
	Control, ControlKind, ControlName string
	evaluation.Result
	Verdict string
}

// EvaluateTargetArea evaluates the stored area with this id; an unknown
// id is geo.ErrNotFound.
func (a *Analyzer) EvaluateTargetArea(ctx context.Context, id string, q EvalQuery) (*AreaEvaluation, error) {
	area, err := a.TargetArea(ctx, id)
	if err != nil {
		return nil, err
	}
	return a.Evaluate(ctx, area, q)
}

// Evaluate counts the area's priority in T, D and C before and after its
// start and weighs the changes.
func (a *Analyzer) Evaluate(ctx context.Context, area geo.TargetArea, q EvalQuery) (*AreaEvaluation, error) {
	ev, err := a.resolveEval(ctx, area, q)
	if err != nil {
		return nil, err
	}
	ctl, err := a.control(ctx, area, q.Control)
	if err != nil {
		return nil, err
	}
	ev.Control, ev.ControlKind, ev.ControlName = ctl.code, ctl.kind, ctl.name
	rq, err := a.Resolve(ctx, Query{Priority: area.Priority, From: Month(ev.Before.From), To: Month(ev.Before.To)})
	if err != nil {
		return nil, err
	}
	// T, D and C of a priority fixing a local source are that source's
	// counts, unsuppressed (often 1 to 4 in a small area): a partner gets
	// no evaluation of it, here or in a ward brief (a FieldError, which
	// AreasTouching turns into "not evaluated: …").
	if err := refuseUnsuppressed(ctx, rq, "target-area evaluations"); err != nil {
		return nil, err
	}
	zones := newZones(area.Geometry, ev.Buffer, ctl)
	c, err := a.countZones(ctx, zones, rq.Filter(), ev.Before, ev.After)
	if err != nil {
		return nil, err
	}
	ev.Result = evaluation.Evaluate(c, ev.Buffer > 0)
	ev.Verdict = evaluation.Verdict(ev.Result)
	return ev, nil
}

// countZones counts T, D and C in both windows: from the store's window
// counts when it has them (one read of the points near the area or in
// the control ward), else from a point tally per window.
func (a *Analyzer) countZones(ctx context.Context, zones *zones, f geo.Filter, before, after geo.MonthRange) (evaluation.Counts, error) {
	if wc, ok := a.store.(geo.WindowCounter); ok {
		ward := ""
		if zones.ctl.kind == "ward" {
			ward = zones.ctl.code
		}
		pairs, err := wc.PointWindowCounts(ctx, f, before, after, zones.near(), ward)
		if err == nil {
			return zones.countPairs(pairs), nil
		}
		if !errors.Is(err, errors.ErrUnsupported) {
			return evaluation.Counts{}, err
		}
	}
	return a.tallyZones(ctx, zones, f, before, after)
}

func (a *Analyzer) tallyZones(ctx context.Context, zones *zones, f geo.Filter, before, after geo.MonthRange) (evaluation.Counts, error) {
	// The two windows are read at once: the reads are most of the time.
	var (
		wg     sync.WaitGroup
		counts [2][3]int
		errs   [2]error
	)
	for i, w := range []geo.MonthRange{before, after} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			f := f
			f.Months = w
			tallies, err := a.store.PointTallies(ctx, f)
			counts[i][0], counts[i][1], counts[i][2] = zones.count(tallies)
			errs[i] = err
		}()
	}
	wg.Wait()
	if err := errors.Join(errs[:]...); err != nil {
		return evaluation.Counts{}, err
	}
	return evaluation.Counts{TBefore: counts[0][0], DBefore: counts[0][1], CBefore: counts[0][2],
		TAfter: counts[1][0], DAfter: counts[1][1], CAfter: counts[1][2]}, nil
}

func (a *Analyzer) resolveEval(ctx context.Context, area geo.TargetArea, q EvalQuery) (*AreaEvaluation, error) {
	before, after := q.Before, q.After
	if before == 0 {
		before = DefaultBefore
	}
	if after == 0 {
		after = DefaultAfter
	}
	if before < 1 || before > MaxWindow {
		return nil, invalid("before", "before %d is out of range 1–%d months", before, MaxWindow)
	}
	if after < 1 || after > MaxWindow {
		return nil, invalid("after", "after %d is out of range 1–%d months", after, MaxWindow)
	}
	buffer := DefaultBuffer
	if q.Buffer != nil {
		buffer = *q.Buffer
	}
	if !(buffer >= 0 && buffer <= MaxBuffer) {
		return nil, invalid("buffer", "buffer %g is out of range 0–%g metres", buffer, MaxBuffer)
	}
	if a.Priority(area.Priority) == nil {
		return nil, invalid("priority", "the area's priority %q is no longer configured", area.Priority)
	}
	months, err := a.store.Months(ctx)
	if err != nil {
		return nil, err
	}
	if err := startInData(area.Start, months); err != nil {
		return nil, err
	}
	ev := &AreaEvaluation{Area: area, Buffer: buffer,
		Before: geo.MonthRange{From: area.Start - geo.Month(before), To: area.Start - 1},
		After:  geo.MonthRange{From: area.Start, To: area.Start + geo.Month(after) - 1}}
	ev.BeforeComplete = ev.Before.From >= months[0]
	ev.AfterComplete = ev.After.To <= months[len(months)-1]
	return ev, nil
}

// controlZone is the control: a ward (by the ward stored incidents were
// assigned to, as ward counts have it) or another area's polygon.
type controlZone struct {
	kind, code, name string
	geom             orb.MultiPolygon // for an area
	bound            orb.Bound
}

func (a *Analyzer) control(ctx context.Context, area geo.TargetArea, c string) (controlZone, error) {
	c = strings.TrimSpace(c)
	if c == "" {
		return controlZone{}, invalid("control", "give a control (a ward code or another target area's id): without one, a change in the area cannot be told from the change everywhere")
	}
	if c == area.ID {
		return controlZone{}, invalid("control", "the control must be another area than the one evaluated")
	}
	if ts := a.areas; ts != nil {
		other, err := ts.TargetArea(ctx, c)
		if err == nil {
			return controlZone{kind: "area", code: other.ID, name: other.Name, geom: other.Geometry, bound: other.Geometry.Bound()}, nil
		}
		if !errors.Is(err, geo.ErrNotFound) {
			return controlZone{}, err
		}
	}
	code, err := a.WardCode(ctx, c)
	var fe *FieldError
	if errors.As(err, &fe) {
		return controlZone{}, invalid("control", "unknown control %q: give a ward code or name, or another target area's id", truncateText(c, 60))
	}
	if err != nil {
		return controlZone{}, err
	}
	wards, err := a.store.Areas(ctx, geo.KindWard)
	if err != nil {
		return controlZone{}, err
	}
	for _, w := range wards {
		if w.Code == code {
			return controlZone{kind: "ward", code: code, name: w.Name}, nil
		}
	}
	return controlZone{kind: "ward", code: code}, nil
}

func truncateText(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}

// zones classifies map points: in the area (T, boundary included, as
// ST_Covers), else within the buffer of it (D), else in the control (C).
type zones struct {
	area   orb.MultiPolygon
	bound  orb.Bound
	buffer *bufferZone // nil without a buffer
	ctl    controlZone
}

func newZones(area orb.MultiPolygon, buffer float64, ctl controlZone) *zones {
	z := &zones{area: area, bound: area.Bound(), ctl: ctl}
	if buffer > 0 {
		z.buffer = newBufferZone(area, buffer)
	}
	return z
}

// zone says where a point counts: 0 in T, 1 in D, 2 in C, −1 nowhere.
func (z *zones) zone(p orb.Point, ward string) int {
	switch {
	case z.bound.Contains(p) && areas.Covers(z.area, p):
		return 0
	case z.buffer != nil && z.buffer.near(p):
		return 1
	case z.ctl.kind == "ward" && ward == z.ctl.code,
		z.ctl.kind == "area" && z.ctl.bound.Contains(p) && areas.Covers(z.ctl.geom, p):
		return 2
	}
	return -1
}

func (z *zones) count(tallies []geo.PointTally) (t, d, c int) {
	var n [3]int
	for i := range tallies {
		if k := z.zone(tallies[i].Point, tallies[i].Ward); k >= 0 {
			n[k] += tallies[i].Count
		}
	}
	return n[0], n[1], n[2]
}

func (z *zones) countPairs(pairs []geo.PointPair) evaluation.Counts {
	var before, after [3]int
	for _, p := range pairs {
		if k := z.zone(p.Point, p.Ward); k >= 0 {
			before[k] += p.Before
			after[k] += p.After
		}
	}
	return evaluation.Counts{TBefore: before[0], DBefore: before[1], CBefore: before[2], TAfter: after[0], DAfter: after[1], CAfter: after[2]}
}

// near bounds every point that can fall in T, D or an area control.
func (z *zones) near() orb.Bound {
	b := z.bound
	if z.buffer != nil {
		b = b.Union(z.buffer.bound())
	}
	if z.ctl.kind == "area" {
		b = b.Union(z.ctl.bound)
	}
	return b
}
