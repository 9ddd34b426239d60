package layer

import (
	"slices"

	"github.com/leicester-csp/hotspot/geo"
	"github.com/leicester-csp/hotspot/geo/analysis"
)

// Sources named in every answer, so that a screenshot of synthetic data
// cannot pass for the real city.
const (
	SourcePoliceUK  = "police.uk street-level crime (OGL v3)"
	SourceSynthetic = "synthetic demo city — not real data"
	SourceGenerated = "synthetic data made by hotspot generate — not real"
)

// Provenance says what an answer was made from: the filters it answered,
// the period, the data version and source. It travels as the foreign
// member "hotspot" of every FeatureCollection (and "meta" elsewhere);
// fields are in a fixed order so that answers are byte-stable.
type Provenance struct {
	Priority *string `json:"priority"`
	Category *string `json:"category"`
	// Categories answered; null means every category.
	Categories []string `json:"categories"`
	From       *string  `json:"from"` // YYYY-MM; null when the store is empty
	To         *string  `json:"to"`
	Months     int      `json:"months"`
	// Res, K and Cells belong to the hex layer, Limit and Offset to
	// incident pages; the writers fill them in.
	Res   *int `json:"res,omitempty"`
	K     *int `json:"k,omitempty"`
	Cells *int `json:"cells,omitempty"`
	// Study is the hex layer's study area: "area" (every cell whose
	// centre lies in the area) or "points" (cells where police.uk can
	// record a crime).
	Study *string `json:"study,omitempty"`
	// KAuto says k was chosen by the scale of autocorrelation (k=auto);
	// KMetres is about how far a k-ring neighbourhood reaches.
	// KPeaked says the auto k was an interior peak of clustering; false
	// means clustering only rose or fell over k = 1…3 and k is an end of
	// that range, not a scale found.
	KAuto   *bool `json:"k_auto,omitempty"`
	KPeaked *bool `json:"k_peaked,omitempty"`
	KMetres *int  `json:"k_metres,omitempty"`
	// Inference is how gi_p was found: "normal" (the analytical
	// approximation) or "permutation" (the exact permutation null, with
	// Permutations draws from Seed).
	Inference    *string `json:"inference,omitempty"`
	Permutations *int    `json:"permutations,omitempty"`
	Seed         *uint64 `json:"seed,omitempty"`
	// Area lists the ward codes a priority is limited to; null for the
	// whole city.
	Area []string `json:"area"`
	// The ward and change layers' base period, and whether the data
	// cover all of it. DESIGN.md gives change_pct wherever prev_count is
	// not 0, so it is given against a partly covered period too; false
	// here is the warning that the change then overstates a rise (and
	// why change_p is null).
	// Compare says which base period that is ("previous" or "year").
	Compare          *string `json:"compare,omitempty"`
	PreviousFrom     *string `json:"previous_from,omitempty"`
	PreviousTo       *string `json:"previous_to,omitempty"`
	PreviousComplete *bool   `json:"previous_complete,omitempty"`
	// Min is the repeat-location layer's threshold; RateBasis says what
	// the ward layer's rates are per ("residents").
	Min       *int    `json:"min,omitempty"`
	RateBasis *string `json:"rate_basis,omitempty"`
	// Train and Bandwidth are the backtest's and the forecast's training
	// window (months) and KDE bandwidth (metres).
	Train     *int     `json:"train,omitempty"`
	Bandwidth *float64 `json:"bandwidth,omitempty"`
	// Forecast is the forecast layer's method and how it has done.
	*Forecast
	// Source is the source answered when it is not police.uk alone (a
	// local source's name, or "all"); SuppressBelow is set when a
	// partner caller's small counts were withheld.
	Source        *string `json:"source,omitempty"`
	SuppressBelow *int    `json:"suppress_below,omitempty"`
	Limit         *int    `json:"limit,omitempty"`
	Offset        *int    `json:"offset,omitempty"`
	Synthetic     bool    `json:"synthetic"`
	Version       string  `json:"version"` // the store's data version; the caller sets it
	GeneratedFrom string  `json:"generated_from"`
}

// Forecast is what the forecast layer's answer says about its ranking:
// the method (and whether the backtest chose it), the coverage, and that
// method's mean figures at that coverage over the test months, so that a
// map can say "these cells caught 38 % of next month's incidents".
type Forecast struct {
	Method     string  `json:"method"`
	MethodAuto bool    `json:"method_auto"`
	Coverage   float64 `json:"coverage"`
	// ScoredCells is how many study-area cells score above 0: only they
	// can be targets, so the features can be fewer than the coverage's
	// share of the cells.
	ScoredCells int `json:"scored_cells"`
	// PAI, PEI and RRI are the method's backtest means; null where no
	// test month defines them.
	PAI *float64 `json:"pai"`
	PEI *float64 `json:"pei"`
	RRI *float64 `json:"rri"`
	// BacktestFrom and BacktestTo are the test months averaged (null when
	// the data are too short to backtest any).
	BacktestFrom *string `json:"backtest_from"`
	BacktestTo   *string `json:"backtest_to"`
	// Candidates are every method's means the choice was made from (only
	// the method's own when it was named).
	Candidates []MeanJSON `json:"candidates"`
}

// Source says where an answer's data came from and which version of the
// store it read.
type Source struct {
	// Version is the data version the caller is shown: public callers
	// see only its public part (geo.PublicVersion). DataVersion is the
	// whole, which state derived from the store is kept under.
	Version     string
	DataVersion string
	Synthetic   bool
	// Marked are the sources an import declared generated (policeuk for
	// police.uk): an answer counting any of them is synthetic too.
	Marked []string
}

// ProvenanceOf describes a resolved query (nil: no query, as for a
// single incident).
func ProvenanceOf(r *analysis.Resolved, src Source) Provenance {
	m := Provenance{Synthetic: src.Synthetic, GeneratedFrom: SourcePoliceUK, Version: src.Version}
	switch {
	case src.Synthetic:
		m.GeneratedFrom = SourceSynthetic
	case counts(r, src.Marked):
		m.Synthetic, m.GeneratedFrom = true, SourceGenerated
	}
	if r == nil {
		return m
	}
	if r.Priority != nil {
		m.Priority = ptr(r.Priority.ID)
	}
	if r.Category != "" {
		m.Category = ptr(r.Category)
	}
	if len(r.Categories) > 0 {
		m.Categories = slices.Clone(r.Categories)
	}
	if !r.NoData {
		m.From, m.To = ptr(r.Months.From.String()), ptr(r.Months.To.String())
		m.Months = r.Months.Len()
	}
	if len(r.AreaWards) > 0 {
		m.Area = slices.Clone(r.AreaWards)
	}
	if r.Local() {
		m.Source = ptr(r.Source)
		if !m.Synthetic {
			m.GeneratedFrom += " and local partner records"
		}
	}
	return m
}

// counts reports whether an answer to r counts any of the sources
// (policeuk for police.uk); with no query, whether police.uk is one.
func counts(r *analysis.Resolved, sources []string) bool {
	if r == nil {
		return slices.Contains(sources, geo.SourcePoliceUK)
	}
	f := r.Filter()
	for _, name := range sources {
		if name == geo.SourcePoliceUK && f.PoliceUK() || f.Local(name) {
			return true
		}
	}
	return false
}

// setBase records the base period of a change, when there is one the
// month type can spell (not before year 0000).
func (m *Provenance) setBase(r *analysis.Resolved, base geo.MonthRange, complete bool) {
	if r == nil || r.NoData {
		return
	}
	m.Compare = ptr(r.Compare)
	if base.From >= 0 {
		m.PreviousFrom, m.PreviousTo = ptr(base.From.String()), ptr(base.To.String())
		m.PreviousComplete = ptr(complete)
	}
}

func ptr[T any](v T) *T { return &v }
