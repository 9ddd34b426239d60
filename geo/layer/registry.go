package layer

import (
	"context"
	"fmt"

	"github.com/paulmach/orb"

	"github.com/leicester-csp/hotspot/geo"
	"github.com/leicester-csp/hotspot/geo/analysis"
)

// Request is what a layer is asked for, whichever output it goes to.
type Request struct {
	Query analysis.Query
	// BBox selects the features that share a point with it; it never
	// changes a statistic.
	BBox *orb.Bound
	// At keeps the incidents at exactly this map point (every incident
	// police.uk placed there).
	At *orb.Point
	// Limit and Offset window the features: a page of a paged layer
	// (Limit 0: every incident, for exports) or of an OGC collection
	// (Limit 0: every feature).
	Limit, Offset int
	// Equals keeps features whose property (by name) spells this value,
	// as Value.String spells it: the OGC queryables.
	Equals map[string]string
	// ID asks for the one feature with this id (an OGC item).
	ID string
	// Min is the fewest incidents that make a repeat location (0: the
	// default).
	Min int
	// Newest orders an incident list newest month first (order=newest).
	Newest bool
	// After starts an incident page just past this place in its order
	// (after=); NoTotal says the caller needs no total (tiles).
	After   *geo.PageKey
	NoTotal bool
	// Brief asks for an incident tile's fields alone (geo.PageRequest).
	Brief bool
	// Backtest holds the forecast layer's train, method, coverage and
	// bandwidth.
	Backtest analysis.BacktestParams
	Source   Source
	// Kind is the premises layer's comma list of kinds, as given.
	Kind string
}

// SetText sets the query field a text parameter names (priority,
// category, ward, scope, study, inference, compare, source, flag, days,
// hours, method, coverage, kind); false when the name is none of them.
// The value's shape is the caller's to have checked.
func (r *Request) SetText(name, v string) bool {
	q := &r.Query
	switch name {
	case "priority":
		q.Priority = v
	case "category":
		q.Category = v
	case "ward":
		q.Ward = v
	case "scope":
		q.Scope = v
	case "study":
		q.Study = v
	case "inference":
		q.Inference = v
	case "compare":
		q.Compare = v
	case "source":
		q.Source = v
	case "flag":
		q.Flag = v
	case "days":
		q.Days = v
	case "hours":
		q.Hours = v
	case "method":
		r.Backtest.Method = v
	case "coverage":
		r.Backtest.Coverage = v
	case "kind":
		r.Kind = v
	default:
		return false
	}
	return true
}

// SetInt sets the field an integer parameter names (res, k,
// permutations, seed, min, train, bandwidth); false when the name is
// none of them. The
// range is the caller's to have checked against ParamOf.
func (r *Request) SetInt(name string, n int) bool {
	q := &r.Query
	switch name {
	case "res":
		q.Res = n
	case "k":
		q.K = n
	case "permutations":
		q.Permutations = n
	case "seed":
		q.Seed = uint64(n)
	case "min":
		r.Min = n
	case "train":
		r.Backtest.Train = n
	case "bandwidth":
		r.Backtest.Bandwidth = float64(n)
	default:
		return false
	}
	return true
}

// window counts the features a request selects and says which of them
// its Limit and Offset keep.
type window struct {
	lo, hi int // [lo, hi) of the selected features; hi < 0: no end
	n      int
}

func newWindow(r Request) *window {
	if r.Limit <= 0 || r.ID != "" {
		return &window{hi: -1}
	}
	return &window{lo: r.Offset, hi: r.Offset + r.Limit}
}

// room is how many of n candidate features the window can keep: the
// capacity to make an answer's features with, so that 7,000 wards or
// 14,000 cells are not copied as the list doubles.
func (w *window) room(n int) int {
	if w.hi < 0 {
		return n
	}
	return max(0, min(n, w.hi-w.lo))
}

// take counts one more selected feature and reports whether it is kept.
func (w *window) take() bool {
	i := w.n
	w.n++
	return i >= w.lo && (w.hi < 0 || i < w.hi)
}

// Layer is one declared layer: its schema, the parameters its endpoint
// and its tiles take, and how it answers.
type Layer struct {
	*Schema
	// Params are the query parameters of the layer's API endpoint; its
	// tiles take the same less bbox, limit, offset and format.
	Params []string
	// Queryables are the OGC collection's filters besides Core's bbox,
	// limit, offset and datetime.
	Queryables []string
	// PerPriority layers are offered to GIS clients as one collection per
	// priority (hex-asb, …) rather than one for everything.
	PerPriority bool
	answer      func(s *Set, ctx context.Context, req Request) (*Answer, error)
}

// Set is the layers over one analyzer, with the caches they share. It is
// safe for concurrent use.
type Set struct {
	an       *analysis.Analyzer
	outlines *outlines
	shapes   *shapes
	layers   []*Layer
}

// New returns the layers answering from an.
func New(an *analysis.Analyzer) *Set {
	filters := append([]string{"priority", "category", "from", "to"}, LocalFilters...)
	with := func(extra ...string) []string { return append(append([]string{}, filters...), extra...) }
	s := &Set{an: an, outlines: newOutlines(), shapes: newShapes(), layers: []*Layer{
		{Schema: incidentDef.schema, Params: with("ward", "scope", "at", "order", "bbox", "limit", "offset", "after", "format"), Queryables: []string{"category", "ward", "scope"}, answer: (*Set).incidents},
		{Schema: wardDef.schema, Params: with("compare", "bbox", "format"), Queryables: []string{"priority", "category", "compare", "code", "change_bin"}, answer: (*Set).wards},
		{Schema: hexDef.schema, Params: with("res", "k", "study", "inference", "permutations", "seed", "bbox", "format"),
			Queryables: []string{"res", "k", "study", "inference", "permutations", "seed", "gi_bin", "h3"}, PerPriority: true, answer: (*Set).hex},
		{Schema: changeDef.schema, Params: with("res", "compare", "bbox", "format"),
			Queryables: []string{"res", "compare", "change_bin", "h3"}, PerPriority: true, answer: (*Set).change},
		{Schema: repeatDef.schema, Params: with("min", "ward", "bbox", "format"), Queryables: []string{"min"}, PerPriority: true, answer: (*Set).repeats},
		{Schema: pointDef.schema, Params: with("ward", "bbox", "format"), Queryables: []string{"priority", "category", "ward"}, answer: (*Set).points},
		{Schema: emergingDef.schema, Params: with("res", "k", "bbox", "format"),
			Queryables: []string{"res", "k", "pattern", "h3"}, PerPriority: true, answer: (*Set).emerging},
		// The forecast's window is the latest months: it takes no from or
		// to.
		{Schema: forecastDef.schema, Params: []string{"priority", "category", "source", "flag", "days", "hours", "ward", "coverage", "method", "train", "res", "k", "bandwidth", "bbox", "format"},
			Queryables: []string{"coverage", "method", "train", "res", "k", "bandwidth", "h3"}, PerPriority: true, answer: (*Set).forecast},
		{Schema: targetAreaDef.schema, Params: []string{"priority", "bbox", "format"}, Queryables: []string{"priority"}, answer: (*Set).targetAreas},
		{Schema: premisesDef.schema, Params: with("kind", "ward", "bbox", "format"), Queryables: []string{"kind", "ward"}, answer: (*Set).premises},
	}}
	for _, l := range s.layers {
		l.Queryables = append(l.Queryables, LocalFilters...)
	}
	return s
}

// LocalFilters are the partner-record filters every layer, tile layer,
// OGC collection and export takes.
var LocalFilters = []string{"source", "flag", "days", "hours"}

// Analyzer returns the analysis the layers answer from.
func (s *Set) Analyzer() *analysis.Analyzer { return s.an }

// Layers lists the layers, in the order GIS clients see them: incidents,
// wards, hex, change, repeats, emerging.
func (s *Set) Layers() []*Layer { return s.layers }

// Lookup returns the layer of that name.
func (s *Set) Lookup(name string) (*Layer, bool) {
	for _, l := range s.layers {
		if l.Name == name {
			return l, true
		}
	}
	return nil, false
}

// Answer answers req from the named layer; an unknown name is
// geo.ErrNotFound.
func (s *Set) Answer(ctx context.Context, name string, req Request) (*Answer, error) {
	l, ok := s.Lookup(name)
	if !ok {
		return nil, fmt.Errorf("layer %q: %w", name, geo.ErrNotFound)
	}
	if req.ID != "" && !l.Paged {
		eq := map[string]string{}
		for k, v := range req.Equals {
			eq[k] = v
		}
		eq[l.IDField] = req.ID
		req.Equals = eq
	}
	a, err := l.answer(s, ctx, req)
	if err == nil && l.Period {
		stampPeriod(a)
	}
	if err == nil {
		err = checkRecords(ctx, l, a)
	}
	if err == nil {
		disclose(ctx, a)
	}
	return a, err
}

// stampPeriod writes the answer's months into every feature's from and
// to.
func stampPeriod(a *Answer) {
	from, to := Value{typ: String}, Value{typ: String}
	if a.Provenance.From != nil && a.Provenance.To != nil {
		from, to = Str(*a.Provenance.From), Str(*a.Provenance.To)
	}
	fi, ti := a.Schema.Index("from"), a.Schema.Index("to")
	for i := range a.Features {
		a.Features[i].Values[fi], a.Features[i].Values[ti] = from, to
	}
}

// HexSchema, WardSchema and IncidentSchema are the layers' schemas, for
// outputs that need one without an answer (TileJSON, tests).
func HexSchema() *Schema      { return hexDef.schema }
func WardSchema() *Schema     { return wardDef.schema }
func IncidentSchema() *Schema { return incidentDef.schema }

// RepeatSchema is the repeat-location layer's schema.
func RepeatSchema() *Schema { return repeatDef.schema }

// EmergingSchema is the emerging hot spot layer's schema.
func EmergingSchema() *Schema { return emergingDef.schema }

// ForecastSchema is the forecast layer's schema.
func ForecastSchema() *Schema { return forecastDef.schema }
