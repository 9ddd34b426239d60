package analysis

import (
	"context"
	"slices"
	"strconv"
	"strings"

	"github.com/leicester-csp/hotspot/geo"
)

// Visibility is how much of the local sources a caller may see (DESIGN.md,
// "Access"); the API puts it in the request's context.
type Visibility int

const (
	// SeeEverything: every source, incident-level records included
	// (analyst, admin, and the CLI).
	SeeEverything Visibility = iota
	// SeeAggregates: local sources in counts only, small counts
	// suppressed (partner).
	SeeAggregates
	// SeePoliceUK: police.uk alone; source=all means police.uk (public).
	SeePoliceUK
)

// DefaultSuppressBelow is --suppress-below's default: a partner caller
// sees no local count from 1 to 4.
const DefaultSuppressBelow = 5

type viewKey struct{}

type view struct {
	v             Visibility
	suppressBelow int
}

// WithVisibility returns ctx carrying what its caller may see and, for
// SeeAggregates, the smallest local count shown.
func WithVisibility(ctx context.Context, v Visibility, suppressBelow int) context.Context {
	return context.WithValue(ctx, viewKey{}, view{v, suppressBelow})
}

// VisibilityOf returns what ctx's caller may see; a context without one
// (the CLI, tests) sees everything.
func VisibilityOf(ctx context.Context) (Visibility, int) {
	vw, _ := ctx.Value(viewKey{}).(view)
	return vw.v, vw.suppressBelow
}

// smallShown is the smallest count of f a caller of ctx may see: 0 (all)
// unless a partner asks for a local source, whose counts from 1 to
// suppressBelow−1 are withheld.
func smallShown(ctx context.Context, f geo.Filter) int {
	v, below := VisibilityOf(ctx)
	if v != SeeAggregates || !f.LocalSource() {
		return 0
	}
	if below <= 0 {
		below = DefaultSuppressBelow
	}
	return below
}

// withheld reports whether a count n is suppressed at threshold below.
func withheld(n, below int) bool { return n > 0 && n < below }

// ParseFlags reads a comma list of flag names (all must hold).
func ParseFlags(s string) (geo.Flags, error) {
	var out geo.Flags
	for _, name := range strings.Split(s, ",") {
		f, ok := geo.ParseFlag(strings.ToLower(strings.TrimSpace(name)))
		if !ok {
			return 0, invalid("flag", "unknown flag %s (known: %s)", strconv.Quote(clip(name)), strings.Join(geo.FlagNames(), ", "))
		}
		out = out.With(f)
	}
	return out, nil
}

var dayNames = []string{"mon", "tue", "wed", "thu", "fri", "sat", "sun"}

// ParseDays reads a comma list of days, mon…sun (any case): a mask, bit
// 0 Monday.
func ParseDays(s string) (uint8, error) {
	var out uint8
	for _, name := range strings.Split(s, ",") {
		d := slices.Index(dayNames, strings.ToLower(strings.TrimSpace(name)))
		if d < 0 {
			return 0, invalid("days", "unknown day %s (want a comma list of mon, tue, wed, thu, fri, sat, sun)", strconv.Quote(clip(name)))
		}
		out |= 1 << d
	}
	return out, nil
}

// ParseHours reads "HH-HH": from the first hour's start to the second
// hour's start (20-04 is 20:00–03:59, wrapping midnight; 00-24 is the
// whole day). It returns the mask of local hours and, when the window
// wraps, its end (the hour before which a time belongs to the night
// before).
func ParseHours(s string) (mask uint32, shift int, err error) {
	a, b, ok := strings.Cut(s, "-")
	from, errA := strconv.Atoi(a)
	to, errB := strconv.Atoi(b)
	if !ok || errA != nil || errB != nil || len(a) > 2 || len(b) > 2 || from < 0 || from > 23 || to < 0 || to > 24 || from == to {
		return 0, 0, invalid("hours", "hours %s is not HH-HH with two different hours, 00–23 then 00–24 (20-04: 20:00 to 03:59)", strconv.Quote(clip(s)))
	}
	for h := from; h != to%24 || h == from && mask == 0; h = (h + 1) % 24 {
		mask |= 1 << h
	}
	if from > to {
		shift = to
	}
	return mask, shift, nil
}

func clip(s string) string {
	if len(s) > 30 {
		return s[:30] + "…"
	}
	return s
}

// resolveSource checks the query's source, flags, days and hours, with
// those its priority fixes, against what the caller may see.
func (a *Analyzer) resolveSource(ctx context.Context, q Query, r *Resolved) error {
	// Source and flag names are lower case (geo.ValidSourceName, the
	// flag names); any case is taken for them, as for days, and as the
	// access check does.
	src, flag, days, hours := strings.ToLower(strings.TrimSpace(q.Source)), q.Flag, q.Days, q.Hours
	if p := r.Priority; p != nil {
		for _, fx := range []struct {
			param    string
			fixed, v string
			out      *string
		}{{"source", p.Source, src, &src}, {"flag", strings.Join(p.Flags, ","), q.Flag, &flag}, {"days", p.Days, q.Days, &days}, {"hours", p.Hours, q.Hours, &hours}} {
			if fx.fixed == "" {
				continue
			}
			if fx.v != "" && fx.v != fx.fixed {
				return invalid(fx.param, "priority %s fixes %s=%s", p.ID, fx.param, fx.fixed)
			}
			*fx.out = fx.fixed
		}
	}
	vis, _ := VisibilityOf(ctx)
	switch {
	case src == "" || src == geo.SourcePoliceUK || src == geo.SourceAll && vis == SeePoliceUK:
		r.Source = geo.SourcePoliceUK
	case src == geo.SourceAll:
		r.Source = geo.SourceAll
	case vis == SeePoliceUK:
		// A priority fixing a local source answers no public caller.
		return invalid("source", "source %s needs a key", strconv.Quote(clip(src)))
	default:
		srcs, err := a.store.Sources(ctx)
		if err != nil {
			return err
		}
		if !slices.Contains(srcs, src) {
			return invalid("source", "unknown source %s (known: policeuk, all%s)", strconv.Quote(clip(src)), prefixed(srcs))
		}
		r.Source = src
	}
	var err error
	if flag != "" {
		if r.Flags, err = ParseFlags(flag); err != nil {
			return err
		}
	}
	if days != "" {
		if r.Within.Days, err = ParseDays(days); err != nil {
			return err
		}
	}
	if hours != "" {
		if r.Within.Hours, r.Within.Shift, err = ParseHours(hours); err != nil {
			return err
		}
	}
	if r.Source == geo.SourcePoliceUK {
		if flag != "" {
			// Counting police.uk rows that hold a flag would answer zeros
			// that read like "none of these".
			return invalid("flag", "flag needs a local source: police.uk records carry no flags (give source=NAME or source=all)")
		}
		for _, p := range []struct{ name, v string }{{"days", days}, {"hours", hours}} {
			if p.v != "" {
				return invalid(p.name, "%s needs a local source: police.uk records have no time of day (give source=NAME or source=all)", p.name)
			}
		}
	}
	return nil
}

func prefixed(names []string) string {
	if len(names) == 0 {
		return ""
	}
	return ", " + strings.Join(names, ", ")
}

// Local reports whether the resolved query counts a local source.
func (r *Resolved) Local() bool { return r.Source != "" && r.Source != geo.SourcePoliceUK }

// refuseUnsuppressed refuses a partner caller an answer that has no
// disclosure control (series, outcomes, backtests, briefings) when it
// would count a local source, named or fixed by a priority: its monthly
// counts, outcome counts, hits and briefing figures would show the small
// counts the layers suppress.
func refuseUnsuppressed(ctx context.Context, r *Resolved, what string) error {
	if vis, _ := VisibilityOf(ctx); vis != SeeAggregates || r.Source == "" || r.Source == geo.SourcePoliceUK {
		return nil
	}
	return invalid("source", "%s of a local source are not suppressed: they need the analyst role (a partner key sees local sources in the hex, ward, change and emerging layers)", what)
}
