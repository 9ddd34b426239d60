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
	"unicode"
	"unicode/utf8"

	"github.com/leicester-csp/hotspot/geo"
)

// Query is a request as the API and the CLI take it, months already
// parsed; zero fields take the defaults of DESIGN.md.
type Query struct {
	Priority string
	Category string
	From, To *geo.Month // nil for the default
	// AllMonths selects every month the store could hold instead of the
	// default 12 (the OGC incidents collection is every incident); From
	// and To still narrow it.
	AllMonths bool
	Res, K    int // 0 for the default (res 9, k 1)
	// Ward keeps only incidents assigned to this ward (incident lists):
	// a ward code, or a ward name in any case.
	Ward string
	// Scope is which incidents a list holds: ScopeAll ("" too), inside
	// the city or not, or ScopeArea, only those inside the area of the
	// request (its wards, or the priority's area).
	Scope string
	// Study chooses a hex layer's study area: StudyArea ("" too) or
	// StudyPoints.
	Study string
	// AutoK picks K from the scale of spatial autocorrelation (see Scale)
	// instead of taking it.
	AutoK bool
	// Inference is how Gi* p-values are found: InferenceNormal ("" too)
	// or InferencePermutation, with Permutations (0: 9,999) draws from
	// Seed (0: 1).
	Inference    string
	Permutations int
	Seed         uint64
	// Compare is the base period a change is measured against:
	// ComparePrevious ("" too) or CompareYear.
	Compare string
	// Source, Flag, Days and Hours are the partner-record filters as
	// given (DESIGN.md, "Partner records"); see resolveSource.
	Source, Flag, Days, Hours string
}

// Base periods of a change (DESIGN.md, "Significant change").
const (
	// ComparePrevious is the same number of months just before From.
	ComparePrevious = "previous"
	// CompareYear is the same months one year earlier: crime is
	// seasonal, so this is what partners compare against.
	CompareYear = "year"
)

// Inference of Gi* p-values (DESIGN.md, "Honest hot spots").
const (
	InferenceNormal      = "normal"
	InferencePermutation = "permutation"

	DefaultPermutations = 9999
	MinPermutations     = 99
	MaxPermutations     = 99999
	DefaultSeed         = 1
	// DefaultKMax is how far Scale looks, in rings, unless asked.
	DefaultKMax = 6
)

// Study areas of a hex layer (DESIGN.md, "Honest hot spots").
const (
	// StudyArea is every cell whose centre lies in the area.
	StudyArea = "area"
	// StudyPoints is every cell holding a map point in the area: where
	// police.uk can record a crime at all.
	StudyPoints = "points"
)

// Scopes of an incident list (DESIGN.md, "The map's places").
const (
	ScopeAll  = "all"
	ScopeArea = "area"
)

// Month returns a pointer to m, for Query's optional months.
func Month(m geo.Month) *geo.Month { return &m }

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
	// Ward is the one ward incident lists are kept to ("" for none);
	// Empty is set when it lies outside the priority's area, so that
	// nothing can match.
	Ward  string
	Empty bool
	Study string // StudyArea or StudyPoints
	Scope string // ScopeAll or ScopeArea
	// AutoK says K was chosen by Scale's peak (over 1…MaxK) rather than
	// asked for; KPeaked that the peak was an interior one.
	AutoK   bool
	KPeaked bool
	// Inference, Permutations and Seed as used (Permutations and Seed
	// only for InferencePermutation).
	Inference    string
	Permutations int
	Seed         uint64
	// Compare is ComparePrevious or CompareYear.
	Compare string
	// Source is policeuk, all or a local source's name; Flags and Within
	// the partner-record filters.
	Source string
	Flags  geo.Flags
	Within geo.Within
}

// Base is the period a change is measured against: the months just
// before, or the same months a year earlier. A window longer than a year
// overlaps its year-earlier base; each is still counted in full.
func (r *Resolved) Base() geo.MonthRange {
	if r.Compare == CompareYear {
		return geo.MonthRange{From: r.Months.From - 12, To: r.Months.To - 12}
	}
	return r.Months.Previous()
}

// Filter is the store filter for the resolved query.
func (r *Resolved) Filter() geo.Filter {
	f := geo.Filter{Months: r.Months, Categories: r.Categories, Wards: r.AreaWards, Source: r.Source, Flags: r.Flags, Within: r.Within}
	if r.Ward != "" {
		f.Wards = []string{r.Ward}
	}
	return f
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
		return nil, invalid("res", "resolution %d is out of range %d–%d", r.Res, geo.MinRes, geo.MaxRes)
	}
	if r.K < MinK || r.K > MaxK {
		return nil, invalid("k", "neighbourhood %d is out of range %d–%d", r.K, MinK, MaxK)
	}
	if err := resolveInference(q, r); err != nil {
		return nil, err
	}
	r.AutoK = q.AutoK
	switch q.Compare {
	case "", ComparePrevious:
		r.Compare = ComparePrevious
	case CompareYear:
		r.Compare = CompareYear
	default:
		return nil, invalid("compare", "compare %q is not previous or year", q.Compare)
	}
	switch q.Study {
	case "", StudyArea:
		r.Study = StudyArea
	case StudyPoints:
		r.Study = StudyPoints
	default:
		return nil, invalid("study", "study area %q is not area or points", q.Study)
	}
	if err := a.resolveCategories(ctx, q, r); err != nil {
		return nil, err
	}
	if err := a.resolveSource(ctx, q, r); err != nil {
		return nil, err
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
	if q.Ward != "" {
		code, err := a.WardCode(ctx, q.Ward)
		if err != nil {
			return nil, err
		}
		r.Ward = code
		r.Empty = len(r.AreaWards) > 0 && !slices.Contains(r.AreaWards, code)
	}
	switch q.Scope {
	case "", ScopeAll:
		r.Scope = ScopeAll
	case ScopeArea:
		r.Scope = ScopeArea
	default:
		return nil, invalid("scope", "scope %q is not area or all", q.Scope)
	}
	return r, nil
}

// WardCode finds a ward by its code or, in any case, its name: planners
// know wards by name ("Westcotes"), GIS files by code (E05010472).
func (a *Analyzer) WardCode(ctx context.Context, v string) (string, error) {
	wards, err := a.store.Areas(ctx, geo.KindWard)
	if err != nil {
		return "", err
	}
	for _, w := range wards {
		if w.Code == v {
			return w.Code, nil
		}
	}
	for _, w := range wards {
		if strings.EqualFold(w.Name, strings.TrimSpace(v)) {
			return w.Code, nil
		}
	}
	if len(wards) == 0 {
		return "", invalid("ward", "no wards are loaded, so ward %q cannot be found: load ward boundaries first", clip(v))
	}
	return "", invalid("ward", "unknown ward %q: give a ward code (such as %s) or a ward name (such as %s)", clip(v), wards[0].Code, wards[0].Name)
}

func resolveInference(q Query, r *Resolved) error {
	switch q.Inference {
	case "", InferenceNormal:
		// Draws asked for but never made would let a reader believe a
		// permutation test ran.
		if q.Permutations != 0 {
			return invalid("permutations", "permutations apply only with inference=permutation")
		}
		if q.Seed != 0 {
			return invalid("seed", "seed applies only with inference=permutation")
		}
		r.Inference = InferenceNormal
		return nil
	case InferencePermutation:
	default:
		return invalid("inference", "inference %q is not normal or permutation", q.Inference)
	}
	r.Inference, r.Permutations, r.Seed = InferencePermutation, q.Permutations, q.Seed
	if r.Permutations == 0 {
		r.Permutations = DefaultPermutations
	}
	if r.Permutations < MinPermutations || r.Permutations > MaxPermutations {
		return invalid("permutations", "permutations %d is out of range %d–%d", r.Permutations, MinPermutations, MaxPermutations)
	}
	if r.Seed == 0 {
		r.Seed = DefaultSeed
	}
	return nil
}

// areaCodes resolves a priority's area, given as ward names or codes.
// Names are matched as strings.EqualFold matches them, through their
// folded keys: the priority's few hundred are kept in maps and each
// ward's name folded into a scratch buffer, so that 7,000 wards cost no
// map of their own (a city's 400 names against 7,000 wards one by one
// took 30 ms a request, two maps of every ward 5 ms).
func areaCodes(p *geo.Priority, wards []geo.Area) ([]string, error) {
	wantCode := make(map[string]bool, len(p.Area))
	wantName := make(map[string]bool, len(p.Area))
	for _, want := range p.Area {
		wantCode[want] = false
		wantName[foldKey(want)] = false
	}
	var out []string
	var buf []byte
	for _, w := range wards {
		if _, ok := wantCode[w.Code]; ok {
			wantCode[w.Code] = true
			out = append(out, w.Code)
		}
		var key string
		if b, ok := appendFoldASCII(buf[:0], w.Name); ok {
			buf = b
			if _, want := wantName[string(b)]; !want { // no allocation
				continue
			}
			key = string(b)
		} else if key = foldRunes(w.Name); !hasKey(wantName, key) {
			continue
		}
		wantName[key] = true
		out = append(out, w.Code)
	}
	for _, want := range p.Area {
		if !wantCode[want] && !wantName[foldKey(want)] {
			return nil, &AreaError{Priority: p.ID, Ward: want,
				Msg: fmt.Sprintf("priority %s is limited to ward %q, which is not among the stored wards: load its boundaries or change the priority's area", p.ID, want)}
		}
	}
	slices.Sort(out)
	return slices.Compact(out), nil
}

func hasKey(m map[string]bool, k string) bool {
	_, ok := m[k]
	return ok
}

// foldKey maps each rune of s to the smallest of its Unicode simple
// case folding orbit, so that two strings have the same key exactly when
// strings.EqualFold says they are equal.
func foldKey(s string) string {
	if k, ok := foldASCII(s); ok {
		return k
	}
	return foldRunes(s)
}

func foldRunes(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		low := r
		for f := unicode.SimpleFold(r); f != r; f = unicode.SimpleFold(f) {
			low = min(low, f)
		}
		b.WriteRune(low)
	}
	return b.String()
}

// foldASCII is foldKey of an ASCII s, false for any other.
func foldASCII(s string) (string, bool) {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= utf8.RuneSelf {
			return "", false
		} else if 'a' <= c && c <= 'z' {
			b, ok := appendFoldASCII(make([]byte, 0, len(s)), s)
			return string(b), ok
		}
	}
	return s, true
}

// appendFoldASCII appends foldKey of an ASCII s to b, false for any
// other s: the smallest of an ASCII letter's orbit is its upper case (the
// others, such as the Kelvin sign's, lie beyond ASCII), and other ASCII
// runes fold to themselves.
func appendFoldASCII(b []byte, s string) ([]byte, bool) {
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= utf8.RuneSelf:
			return b, false
		case 'a' <= c && c <= 'z':
			c -= 'a' - 'A'
		}
		b = append(b, c)
	}
	return b, true
}

// allMonths is every month the month type spells from year 0000.
var allMonths = geo.MonthRange{From: geo.NewMonth(0, 1), To: geo.NewMonth(9999, 12)}

func (a *Analyzer) resolveMonths(ctx context.Context, q Query, r *Resolved) error {
	if q.AllMonths {
		return a.resolveAllMonths(ctx, q, r)
	}
	var from, to geo.Month
	switch {
	case q.From != nil && q.To != nil:
		from, to = *q.From, *q.To
		if from > to {
			return invalid("from", "from %s is after to %s", from, to)
		}
	case q.To != nil:
		to = *q.To
		from = to - DefaultMonths + 1
	default:
		months, err := a.store.Months(ctx)
		if err != nil {
			return err
		}
		if len(months) == 0 {
			if q.From == nil {
				r.NoData = true
				return nil
			}
			to = *q.From
		} else {
			to = months[len(months)-1]
		}
		if q.From == nil {
			from = to - DefaultMonths + 1
		} else if from = *q.From; from > to {
			return invalid("from", "from %s is after the latest month in the data, %s", from, to)
		}
	}
	if from < 0 {
		// "to=0000-06" alone would start in year −1, which no month
		// string can spell.
		return invalid("to", "the months asked for start before year 0000")
	}
	r.Months = geo.MonthRange{From: from, To: to}
	return nil
}

// resolveAllMonths is every month the store holds, narrowed by From and
// To; an open end is the store's first or last month, so that the answer
// can say which months it covers.
func (a *Analyzer) resolveAllMonths(ctx context.Context, q Query, r *Resolved) error {
	if q.From != nil && q.To != nil && *q.From > *q.To {
		return invalid("from", "from %s is after to %s", *q.From, *q.To)
	}
	r.Months = allMonths
	months, err := a.store.Months(ctx)
	if err != nil {
		return err
	}
	if len(months) > 0 {
		r.Months = geo.MonthRange{From: months[0], To: months[len(months)-1]}
	}
	if q.From != nil {
		r.Months.From = *q.From
		r.Months.To = max(r.Months.To, r.Months.From) // past the data: nothing, not an error
	}
	if q.To != nil {
		r.Months.To = *q.To
		r.Months.From = min(r.Months.From, r.Months.To)
	}
	return nil
}
