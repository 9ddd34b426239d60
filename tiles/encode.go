package tiles

import (
	"fmt"
	"math"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/clip"
	"github.com/paulmach/orb/encoding/mvt"
	"github.com/paulmach/orb/geojson"
	"github.com/paulmach/orb/maptile"
	"github.com/paulmach/orb/simplify"

	"github.com/leicester-csp/hotspot/geo"
)

// Defaults for Options' zero fields.
const (
	DefaultExtent      = mvt.DefaultExtent
	DefaultBuffer      = 64
	DefaultMaxFeatures = 20000
)

// Options tune tile encoding; the zero value takes the defaults.
type Options struct {
	// Extent is the tile's coordinate range (0: 4096). It must be at
	// most 65536.
	Extent uint32
	// Buffer is how far beyond the tile edge, in tile units, geometry is
	// kept so that strokes and labels meet across tile seams (0: 64).
	// There is no way to ask for none: renderers need at least a little.
	Buffer uint32
	// MaxFeatures caps the features of one tile (0: 20,000; negative: no
	// cap), keeping the most significant ones; see each layer. MVT has
	// nowhere to say a layer was cut, so Stats reports it.
	MaxFeatures int
}

func (o Options) withDefaults() Options {
	if o.Extent == 0 {
		o.Extent = DefaultExtent
	}
	if o.Buffer == 0 {
		o.Buffer = DefaultBuffer
	}
	if o.MaxFeatures == 0 {
		o.MaxFeatures = DefaultMaxFeatures
	}
	return o
}

func (o Options) check() error {
	// The projection shifts by log2(extent) on top of the zoom; past 2^16
	// the tile coordinates of MaxZoom stop being exact in a float64.
	if o.Extent > 1<<16 {
		return fmt.Errorf("tiles: %w: extent %d is above 65536", geo.ErrInvalid, o.Extent)
	}
	return nil
}

// capped reports whether n features exceed the cap.
func (o Options) capped(n int) bool { return o.MaxFeatures > 0 && n > o.MaxFeatures }

// Stats says what went into a tile.
type Stats struct {
	Features  int  // features encoded
	Truncated bool // MaxFeatures left some out
}

// prepare applies the defaults and rejects what cannot be encoded.
func prepare(t maptile.Tile, opt Options) (Options, error) {
	opt = opt.withDefaults()
	if err := opt.check(); err != nil {
		return opt, err
	}
	return opt, checkTile(t)
}

// clipBound is the tile plus its buffer in tile coordinates.
func clipBound(opt Options) orb.Bound {
	b := float64(opt.Buffer)
	e := float64(opt.Extent)
	return orb.Bound{Min: orb.Point{-b, -b}, Max: orb.Point{e + b, e + b}}
}

// simplifyTolerance is half a pixel of a 512-px tile in tile units: MapLibre
// draws a zoom-z tile at up to twice that size before switching to z+1, so
// the error never reaches a screen pixel.
func simplifyTolerance(opt Options) float64 { return float64(opt.Extent) / 1024 }

// encode turns features in longitude/latitude into a one-layer tile. pre
// and post, when not nil, run on each feature's geometry once it is in
// tile coordinates, pre before clipping to the tile and buffer and post
// after; returning nil drops the feature. The features' geometry is
// projected in place, so it must belong to the caller.
func encode(name string, fs []*geojson.Feature, t maptile.Tile, opt Options, pre, post func(orb.Geometry) orb.Geometry) ([]byte, int, error) {
	layer := &mvt.Layer{
		Name: name,
		// Version 2 promises the ring winding the spec requires, which
		// tidyPolygon enforces; point layers have nothing to promise.
		Version:  2,
		Extent:   opt.Extent,
		Features: fs,
	}
	layers := mvt.Layers{layer}
	layers.ProjectToTile(t)
	if pre != nil {
		apply(layer, pre)
	}
	box := clipBound(opt)
	apply(layer, func(g orb.Geometry) orb.Geometry {
		// Most features lie wholly inside; orb's clip would copy them
		// ring by ring all the same (Layer.Clip does no such check).
		if b := g.Bound(); box.Contains(b.Min) && box.Contains(b.Max) {
			return g
		}
		return clip.Geometry(box, g)
	})
	if post != nil {
		apply(layer, post)
	}
	b, err := mvt.Marshal(layers)
	if err != nil {
		return nil, 0, fmt.Errorf("tiles: encode %s tile %d/%d/%d: %w", name, t.Z, t.X, t.Y, err)
	}
	return b, len(layer.Features), nil
}

// apply maps f over the layer's geometries, dropping features it maps to
// nil while keeping their order.
func apply(l *mvt.Layer, f func(orb.Geometry) orb.Geometry) {
	kept := l.Features[:0]
	for _, ft := range l.Features {
		if g := f(ft.Geometry); g != nil {
			ft.Geometry = g
			kept = append(kept, ft)
		}
	}
	clear(l.Features[len(kept):])
	l.Features = kept
}

// polygonsForTile returns the post-clip step for polygon layers: rings
// cleaned, wound as MVT requires and, with a tolerance above zero,
// simplified without letting any polygon vanish.
func polygonsForTile(tolerance float64) func(orb.Geometry) orb.Geometry {
	var dp *simplify.DouglasPeuckerSimplifier
	if tolerance > 0 {
		dp = simplify.DouglasPeucker(tolerance)
	}
	return func(g orb.Geometry) orb.Geometry {
		switch g := g.(type) {
		case orb.Polygon:
			if p := tidyPolygon(g, dp); p != nil {
				return p
			}
		case orb.MultiPolygon:
			return tidyMultiPolygon(g, dp)
		}
		return nil
	}
}

// finite reports whether a number can be written.
func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }
