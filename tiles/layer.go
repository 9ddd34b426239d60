package tiles

import (
	"cmp"
	"math"
	"slices"
	"sync/atomic"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
	"github.com/paulmach/orb/maptile"

	"github.com/leicester-csp/hotspot/geo/layer"
)

// Layer is a layer's answer made ready to cut into many tiles: each
// feature's envelope is found once, and its exact bound the first time a
// tile needs it, so that a tile costs only its own features (a hex
// layer's outlines are cgo calls). It is safe for concurrent use; the
// answer must not change once given to it.
type Layer struct {
	ans    *layer.Answer
	env    []orb.Bound // a box each geometry surely lies in
	has    []bool      // the feature has a geometry
	bounds []atomic.Pointer[exactBound]
}

type exactBound struct {
	b  orb.Bound
	ok bool // false: no geometry after all (an invalid cell)
}

// Prepare readies an answer for tiling.
func Prepare(a *layer.Answer) *Layer {
	n := len(a.Features)
	l := &Layer{ans: a, env: make([]orb.Bound, n), has: make([]bool, n), bounds: make([]atomic.Pointer[exactBound], n)}
	for i := range a.Features {
		l.env[i], l.has[i] = a.Features[i].Envelope()
	}
	return l
}

// meets reports whether feature i's exact bound meets qb, finding the
// bound on first use. Two tiles racing for it both compute it, which is
// cheaper than a lock.
func (l *Layer) meets(i int, qb orb.Bound) bool {
	e := l.bounds[i].Load()
	if e == nil {
		e = &exactBound{}
		if g := l.ans.Features[i].Geometry(); g != nil {
			e.b, e.ok = g.Bound(), true
		}
		l.bounds[i].Store(e)
	}
	return e.ok && e.b.Intersects(qb)
}

// Encode encodes one tile of an answer; to serve many tiles of one
// answer, keep the Layer that Prepare returns.
func Encode(a *layer.Answer, t maptile.Tile, opt Options) ([]byte, Stats, error) {
	return Prepare(a).Tile(t, opt)
}

// Tile encodes the layer for tile t: each feature whose bound meets the
// tile and its buffer, clipped to them, polygons wound as MVT requires
// and, for layers that allow it, simplified for the zoom without letting
// any vanish. Properties are the layer's, nulls left out (MVT has no
// null). Over MaxFeatures, the features the schema's TileRank ranks first
// are kept; the features are written in the answer's order.
func (l *Layer) Tile(t maptile.Tile, opt Options) ([]byte, Stats, error) {
	opt, err := prepare(t, opt)
	if err != nil {
		return nil, Stats{}, err
	}
	picked := l.pick(t, opt)
	st := Stats{Truncated: opt.capped(len(picked))}
	if st.Truncated {
		picked = l.mostSignificant(picked, opt.MaxFeatures)
	}
	if l.ans.Schema.Geometry == layer.Point {
		if b, n, ok := l.pointTile(t, opt, picked); ok {
			st.Features = n
			return b, st, nil
		}
	}
	b, n, err := l.featureTile(t, opt, picked)
	st.Features = n
	return b, st, err
}

// pick lists the features whose bound meets tile t and its buffer.
func (l *Layer) pick(t maptile.Tile, opt Options) []int {
	qb := QueryBound(t, opt)
	var picked []int
	for i := range l.ans.Features {
		if l.has[i] && l.env[i].Intersects(qb) && l.meets(i, qb) {
			picked = append(picked, i)
		}
	}
	return picked
}

// featureTile encodes the picked features through orb's encoder, each
// as a geojson.Feature: any geometry, clipped and simplified as the
// schema asks.
func (l *Layer) featureTile(t maptile.Tile, opt Options, picked []int) ([]byte, int, error) {
	s := l.ans.Schema
	fs := make([]*geojson.Feature, len(picked))
	for k, i := range picked {
		f := &l.ans.Features[i]
		// The projection works in place, and the answer's geometry is
		// shared with every other tile and request.
		fs[k] = &geojson.Feature{Type: "Feature", Geometry: orb.Clone(f.Geometry()), Properties: properties(s, f)}
	}
	pre, post := geometrySteps(s, opt)
	return encode(s.Name, fs, t, opt, pre, post)
}

// geometrySteps returns encode's pre- and post-clip steps for the
// layer's geometry.
func geometrySteps(s *layer.Schema, opt Options) (pre, post func(orb.Geometry) orb.Geometry) {
	switch {
	case s.Geometry == layer.Point:
		return nil, nil
	case s.Simplify:
		return keepTiny, polygonsForTile(simplifyTolerance(opt))
	}
	return nil, polygonsForTile(0)
}

// mostSignificant keeps the n picked features the schema ranks first,
// back in the answer's order.
func (l *Layer) mostSignificant(picked []int, n int) []int {
	s := l.ans.Schema
	if len(s.TileRank) > 0 {
		keys := make([]int, len(s.TileRank))
		for k, r := range s.TileRank {
			keys[k] = s.Index(r.Field)
		}
		slices.SortStableFunc(picked, func(a, b int) int {
			fa, fb := &l.ans.Features[a], &l.ans.Features[b]
			for k, r := range s.TileRank {
				x, y := rankValue(fa, keys[k], r.Abs), rankValue(fb, keys[k], r.Abs)
				if r.Desc {
					x, y = y, x
				}
				if c := cmp.Compare(x, y); c != 0 {
					return c
				}
			}
			return cmp.Compare(a, b)
		})
	}
	picked = picked[:n]
	slices.Sort(picked)
	return picked
}

func rankValue(f *layer.Feature, i int, abs bool) float64 {
	if i < 0 || i >= len(f.Values) || f.Values[i].Null() {
		return math.Inf(-1)
	}
	v := f.Values[i].Float()
	if abs {
		v = math.Abs(v)
	}
	return v
}

// properties are a feature's non-null values in the types orb's MVT
// encoder takes.
func properties(s *layer.Schema, f *layer.Feature) geojson.Properties {
	p := make(geojson.Properties, len(f.Values))
	for i, v := range f.Values {
		if v.Null() {
			continue
		}
		name := s.Fields[i].Name
		switch v.Type() {
		case layer.String:
			p[name] = v.Text()
		case layer.Integer:
			p[name] = v.Int()
		case layer.Boolean:
			p[name] = v.Int() != 0
		case layer.IntList, layer.Counts:
			// MVT has no arrays or objects: the numbers joined by
			// commas, the counts as JSON text.
			p[name] = v.Text()
		default:
			p[name] = v.Float()
		}
	}
	return p
}
