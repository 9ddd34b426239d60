package layer

import (
	"context"
	"slices"
	"strings"

	"github.com/leicester-csp/hotspot/geo/analysis"
)

// Disclosure control (DESIGN.md, "Access"): a partner caller sees a local
// source's counts only from --suppress-below up; a count from 1 to one
// less is null, and the feature says "suppressed": true. What is derived
// from a suppressed count goes with it: a ward's rate (rate × residents
// would give it back), change_pct and change_p (with the other count they
// give it back), and a cell's top_location (a suppressed record's own
// place).
//
// Within one answer, a suppressed count could be recovered by subtracting
// the others from a total. No answer states a total, but a caller may
// know one (another answer, a published figure); so when exactly one
// count of a column is suppressed, the next-smallest is suppressed too,
// and no single suppressed cell can be had by subtraction from the
// column's total. Not covered, and honest to say: differences between
// answers (two overlapping periods, a ward against the cells inside it),
// and the bins (gi_bin, change_bin), which are computed from the true
// counts and leak something about them (gi_z and gi_p, which give them
// back exactly, are withheld: see exact); a partner
// key is for partners bound by the information-sharing agreement, not
// the public.

// count declares a layer's count column: an integer, null when
// suppressed.
func count[R any](desc string, get func(R) int) prop[R] {
	return prop[R]{Field{"count", Integer, true, desc + "; null when suppressed"}, func(r R) Value { return Int(get(r)) }}
}

func prevCount[R any](desc string, get func(R) int) prop[R] {
	return prop[R]{Field{"prev_count", Integer, true, desc + "; null when suppressed"}, func(r R) Value { return Int(get(r)) }}
}

func suppressed[R any]() prop[R] {
	return prop[R]{Field{"suppressed", Boolean, false,
		"true when a count of a local source was withheld from a partner key (1 to --suppress-below − 1, or the next-smallest beside a single one)"},
		func(R) Value { return Bool(false) }}
}

// derived are the fields withheld with a suppressed count. A forecast
// cell's score is its count under method=counts and nearly so under
// recency: it goes too.
var derived = []string{"rate_per_1000", "change_pct", "change_p", "top_location", "score"}

// disclose applies disclosure control to an answer for ctx's caller.
func disclose(ctx context.Context, a *Answer) {
	vis, below := analysis.VisibilityOf(ctx)
	flag := a.Schema.Index("suppressed")
	if vis != analysis.SeeAggregates || a.Provenance.Source == nil || below <= 1 {
		return
	}
	hidden := make([]bool, len(a.Features))
	for _, name := range []string{"count", "prev_count"} {
		col := a.Schema.Index(name)
		if col < 0 {
			continue
		}
		suppressColumn(a.Features, col, below, hidden)
	}
	for i, h := range hidden {
		if !h {
			continue
		}
		vs := a.Features[i].Values
		if flag >= 0 {
			vs[flag] = Bool(true)
		}
		for _, name := range derived {
			if c := a.Schema.Index(name); c >= 0 {
				vs[c] = Value{typ: vs[c].typ}
			}
		}
	}
	if rc, hc := a.Schema.Index("rank"), a.Schema.Index("h3"); rc >= 0 && hc >= 0 {
		unrank(a.Features, hidden, rc, hc)
	}
	// Exact statistics that are linear in the counts give them back
	// however they are suppressed: every cell's gi_z is (G_i − x̄W_i) /
	// (S·c_i), G_i its neighbourhood's sum, so knowing the area's total
	// (a series) a partner solves for x̄ and S from the cells whose
	// neighbourhoods are shown and then for every suppressed count
	// (all 131 of 131 on the synthetic city); gi_p is a function of gi_z,
	// and a forecast's recency, kde and gi scores are linear in the
	// counts too. The bins and ranks stay.
	for _, name := range exact {
		c := a.Schema.Index(name)
		if c < 0 {
			continue
		}
		for i := range a.Features {
			vs := a.Features[i].Values
			vs[c] = Value{typ: vs[c].typ}
		}
	}
	below64 := below
	a.Provenance.SuppressBelow = &below64
}

// exact are the fields withheld from every feature of a partner's local
// answer: they are linear in the counts (or a function of such a figure).
var exact = []string{"gi_z", "gi_p", "score"}

// suppressColumn nulls the column's counts from 1 to below−1 and, when
// that is exactly one, the next-smallest count above 0; hidden marks the
// features touched.
func suppressColumn(fs []Feature, col, below int, hidden []bool) {
	n := 0
	next := -1
	for i := range fs {
		v := fs[i].Values[col]
		if v.Null() {
			continue
		}
		switch c := v.Int(); {
		case c >= 1 && c < below:
			fs[i].Values[col] = Value{typ: Integer}
			hidden[i] = true
			n++
		case c >= below && (next < 0 || c < fs[next].Values[col].Int()):
			next = i
		}
	}
	if n == 1 && next >= 0 {
		fs[next].Values[col] = Value{typ: Integer}
		hidden[next] = true
	}
}

// recordLayers answer at the level of incidents or map points. Repeat
// locations are not among them: the analysis leaves out, for a partner,
// every place of fewer than --suppress-below local records.
var recordLayers = []string{"incidents", "points"}

// checkRecords refuses a partner caller local records at incident level,
// however the source was chosen (a priority may fix it); the API refuses
// a named source before this, with a 403.
func checkRecords(ctx context.Context, l *Layer, a *Answer) error {
	vis, _ := analysis.VisibilityOf(ctx)
	if vis == analysis.SeeEverything || a.Provenance.Source == nil || !slices.Contains(recordLayers, l.Name) {
		return nil
	}
	return &analysis.FieldError{Field: "source", Msg: "incident-level records of local sources need the analyst role"}
}

// unrank takes from a ranked answer (the forecast) the order among its
// suppressed features: ranked by count, ties by H3 index, their order
// gave every count back (the H3 order restarts at each count: on the
// synthetic city four runs, counts 4, 3, 2 and 1, exactly). They keep the
// positions and ranks they held as a set, in H3 order among themselves.
func unrank(fs []Feature, hidden []bool, rankCol, h3Col int) {
	var pos []int
	var moved []Feature
	var ranks []int
	for i, h := range hidden {
		if h {
			pos = append(pos, i)
			moved = append(moved, fs[i])
			ranks = append(ranks, fs[i].Values[rankCol].Int())
		}
	}
	if len(pos) < 2 {
		return
	}
	slices.Sort(ranks)
	slices.SortStableFunc(moved, func(x, y Feature) int {
		a, b := x.Values[h3Col].Text(), y.Values[h3Col].Text()
		if len(a) != len(b) {
			return len(a) - len(b)
		}
		return strings.Compare(a, b)
	})
	for j, i := range pos {
		fs[i] = moved[j]
		fs[i].Values[rankCol] = Int(ranks[j])
	}
}
