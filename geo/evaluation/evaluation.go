// Package evaluation holds the arithmetic of a target area's evaluation
// (DESIGN.md, "Target areas"): the weighted displacement quotient of
// Bowers & Johnson (2003) and the weighted displacement difference test
// of Wheeler & Ratcliffe (2018), from counts in the treated area (T), its
// buffer (D) and a control (C) before and after the start, and the
// verdict in words. It counts nothing itself.
package evaluation

import (
	"fmt"
	"math"
	"strconv"
)

// Counts are the incidents of the six cells of an evaluation.
type Counts struct {
	TBefore, TAfter int
	DBefore, DAfter int
	CBefore, CAfter int
}

// Result is the statistics, nil where a denominator is 0 (or, for the
// WDQ, where there is no buffer).
type Result struct {
	Counts
	// Buffer says a displacement area was measured (buffer > 0).
	Buffer bool
	WDQ    *float64
	WDD    float64
	WDDSE  *float64
	WDDZ   *float64
	WDDP   *float64
}

// Evaluate computes the WDQ and the WDD test exactly as DESIGN.md gives
// them. One control stands for both the treated area and the buffer, so
// its change enters the WDD twice and its variance four times. Without a
// buffer, D and the second control term drop out; the counts of D must
// then be 0.
func Evaluate(c Counts, buffer bool) Result {
	r := Result{Counts: c, Buffer: buffer}
	tb, ta := float64(c.TBefore), float64(c.TAfter)
	db, da := float64(c.DBefore), float64(c.DAfter)
	cb, ca := float64(c.CBefore), float64(c.CAfter)
	r.WDD = (ta - tb) - (ca - cb)
	variance := ta + tb + ca + cb
	if buffer {
		r.WDD += (da - db) - (ca - cb)
		variance = ta + tb + da + db + 4*(ca+cb)
		if ca > 0 && cb > 0 {
			if success := ta/ca - tb/cb; success != 0 {
				r.WDQ = ptr((da/ca - db/cb) / success)
			}
		}
	}
	if variance > 0 {
		se := math.Sqrt(variance)
		z := r.WDD / se
		r.WDDSE, r.WDDZ, r.WDDP = ptr(se), ptr(z), ptr(math.Erfc(math.Abs(z)/math.Sqrt2))
	}
	return r
}

func ptr(v float64) *float64 { return &v }

// Alpha is the level below which a change is called significant.
const Alpha = 0.05

// Verdict says in words what the figures say: the change against the
// control, whether it is significant, and what happened in the buffer,
// e.g. "fell by 7 against the control; not significant, p = 0.95; no
// sign of displacement".
//
// An evaluation with nothing in the area, or nothing in the control,
// says so rather than read the control's own change (or the area's,
// against nothing) as the area's effect: an area drawn where the priority
// has no incidents is not a "significant fall", nor is a control that
// lies wholly inside the area and its buffer a comparison.
func Verdict(r Result) string {
	switch {
	case r.TBefore == 0 && r.TAfter == 0:
		return "nothing to evaluate: no incidents of the priority in the area before or after the start"
	case r.CBefore == 0 && r.CAfter == 0:
		return "no comparison: the control has no incidents outside the area and its buffer; choose another control"
	}
	v := change(r) + "; " + significance(r) + "; " + displacement(r)
	if min(r.CBefore, r.CAfter) < MinControl {
		v += fmt.Sprintf("; but the control holds only %d and %d incidents, too few to stand for the area: choose a larger control", r.CBefore, r.CAfter)
	}
	// The WDD subtracts the control's change in counts, not in rates: a
	// control far busier than the area and buffer swamps it.
	treated := r.TBefore + r.TAfter + r.DBefore + r.DAfter
	if c := r.CBefore + r.CAfter; treated > 0 && c > MaxControlRatio*treated {
		v += fmt.Sprintf("; but the control holds %.0f times the incidents of the area and buffer, and the WDD compares changes in counts: a control of similar size reads fairer", float64(c)/float64(treated))
	}
	return v
}

// MaxControlRatio is how many times the area's and buffer's incidents a
// control may hold before the verdict warns that its change in counts
// swamps theirs.
const MaxControlRatio = 10

// MinControl is the fewest incidents a control should hold in each period
// for its change to stand for the area's: below it, one or two incidents
// swing the WDD and the WDQ's ratios.
const MinControl = 10

func change(r Result) string {
	n := int(math.Round(math.Abs(r.WDD)))
	switch {
	case r.WDD < 0:
		return fmt.Sprintf("fell by %d against the control", n)
	case r.WDD > 0:
		return fmt.Sprintf("rose by %d against the control", n)
	}
	return "no change against the control"
}

func significance(r Result) string {
	if r.WDDP == nil {
		return "not testable (no incidents in any period)"
	}
	word := "not significant"
	if *r.WDDP <= Alpha {
		word = "significant"
	}
	return word + ", " + FormatP(*r.WDDP)
}

// FormatP writes a p-value as people read it: two decimals, or "p <
// 0.001" for the smallest.
func FormatP(p float64) string {
	switch {
	case p < 0.001:
		return "p < 0.001"
	case p < 0.01:
		return fmt.Sprintf("p = %.3f", p)
	}
	return fmt.Sprintf("p = %.2f", p)
}

// displacement reads the buffer's change against the control, and the
// WDQ where the treated area improved (Bowers & Johnson read it only
// then): below 0 displacement, above 0 a diffusion of benefits.
func displacement(r Result) string {
	if !r.Buffer {
		return "displacement not measured (no buffer)"
	}
	if r.DBefore == 0 && r.DAfter == 0 {
		// DESIGN.md's WDD still takes the control's change twice: the
		// figures then differ from buffer=0's for no reason in the data.
		return "the buffer holds no incidents in either period, so displacement cannot be told and the WDD counts the control's change twice: read the figures with buffer=0 or a wider buffer"
	}
	cb, ca := float64(r.CBefore), float64(r.CAfter)
	var buffer, treated float64
	if ca > 0 && cb > 0 {
		buffer = float64(r.DAfter)/ca - float64(r.DBefore)/cb
		treated = float64(r.TAfter)/ca - float64(r.TBefore)/cb
	} else {
		buffer = float64(r.DAfter - r.DBefore)
		treated = float64(r.TAfter - r.TBefore)
	}
	switch {
	case buffer > 0 && treated < 0 && r.WDQ != nil:
		return fmt.Sprintf("signs of displacement into the buffer (WDQ %s)", wdq2(*r.WDQ))
	case buffer > 0 && treated < 0:
		return "signs of displacement into the buffer"
	case buffer > 0:
		return "the buffer rose too"
	case buffer < 0 && treated < 0 && r.WDQ != nil:
		return fmt.Sprintf("a diffusion of benefits into the buffer (WDQ %s)", wdq2(*r.WDQ))
	}
	return "no sign of displacement"
}

// wdq2 writes a WDQ to two decimals, never as "-0.00": a tiny negative
// ratio would read as a sign where there is none.
func wdq2(w float64) string {
	return strconv.FormatFloat(math.Round(w*100)/100+0, 'f', 2, 64)
}
