package tiles

import (
	"fmt"
	"math"
	"math/rand/v2"
	"reflect"
	"testing"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/maptile"

	"github.com/leicester-csp/hotspot/geo/layer"
)

// pointsSchema has a field of every value type a point layer can carry.
var pointsSchema = &layer.Schema{Name: "pts", Geometry: layer.Point, Fields: []layer.Field{
	{Name: "name", Type: layer.String, Nullable: true},
	{Name: "count", Type: layer.Integer, Nullable: true},
	{Name: "rate", Type: layer.Number, Nullable: true},
	{Name: "flag", Type: layer.Boolean, Nullable: true},
	{Name: "ids", Type: layer.IntList, Nullable: true},
	{Name: "by_type", Type: layer.Counts, Nullable: true},
	{Name: "a_first", Type: layer.String, Nullable: true}, // sorts first by name
}}

// randomPoints are n features near the tile's centre — some beyond its
// buffer, some on its edges — with values drawn from small sets, so that
// features share values, and nulls among them.
func randomPoints(r *rand.Rand, t maptile.Tile, n int) *layer.Answer {
	b := t.Bound()
	w, h := b.Max[0]-b.Min[0], b.Max[1]-b.Min[1]
	a := &layer.Answer{Schema: pointsSchema}
	for i := range n {
		p := orb.Point{b.Min[0] + w*(1.2*r.Float64()-0.1), b.Min[1] + h*(1.2*r.Float64()-0.1)}
		switch i % 17 {
		case 0:
			p = b.Min // a corner
		case 1:
			p = orb.Point{b.Max[0], b.Min[1] + h/2} // the east edge
		}
		vs := []layer.Value{
			layer.Str([]string{"Anti-social behaviour", "Shoplifting", "", "Théft"}[r.IntN(4)]),
			layer.Int(r.IntN(7) - 3),
			layer.Num([]float64{0.5, -2.25, 1e-9, 3}[r.IntN(4)]),
			layer.Bool(r.IntN(2) == 0),
			layer.Ints([]int{r.IntN(3), 7}),
			layer.CountsOf(map[string]int{"asb": r.IntN(3)}),
			layer.Str(fmt.Sprint("x", r.IntN(5))),
		}
		for k := range vs {
			if r.IntN(5) == 0 {
				vs[k] = layer.Value{} // null
			}
		}
		a.Features = append(a.Features, layer.PointFeature(fmt.Sprint(i), p, vs))
	}
	return a
}

// TestPointTileMatchesOrb: a point layer's tile, written directly, reads
// back as the tile orb's encoder makes of the same features — the same
// features in the same order, at the same tile coordinates, with the same
// typed properties — at every zoom, for the extents MVT clients use.
func TestPointTileMatchesOrb(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for _, tc := range []struct {
		tile maptile.Tile
		opt  Options
	}{
		{maptile.At(centre(), 14), Options{}},
		{maptile.At(centre(), 0), Options{}},
		{maptile.At(centre(), 8), Options{Extent: 512, Buffer: 8}},
		{maptile.At(centre(), 18), Options{Extent: 1 << 16}},
		{maptile.At(orb.Point{179.9, 85.04}, 3), Options{}},   // the north-east corner of the world
		{maptile.At(orb.Point{-179.9, -85}, 6), Options{}},    // the south-west
		{maptile.At(orb.Point{0, 0}, 18), Options{Buffer: 1}}, // where signs change
	} {
		t.Run(fmt.Sprintf("%d-%d-%d-extent-%d", tc.tile.Z, tc.tile.X, tc.tile.Y, tc.opt.Extent), func(t *testing.T) {
			a := randomPoints(r, tc.tile, 400)
			// Points on the buffer's edges, which are kept, and just
			// beyond them, which are not.
			opt, _ := prepare(tc.tile, tc.opt)
			buf, ext := float64(opt.Buffer), float64(opt.Extent)
			lat := tc.tile.Center()[1]
			for _, tx := range []float64{-buf - 0.5, -buf, -buf + 0.5, ext + buf, ext + buf + 0.5, ext + buf + 1.5} {
				a.Features = append(a.Features, layer.PointFeature("edge", orb.Point{lonAt(tc.tile, opt, tx), lat}, nil))
			}
			l := Prepare(a)
			got, st, err := l.Tile(tc.tile, tc.opt)
			if err != nil {
				t.Fatal(err)
			}
			want, n, err := l.featureTile(tc.tile, opt, l.pick(tc.tile, opt))
			if err != nil {
				t.Fatal(err)
			}
			if st.Features != n {
				t.Errorf("features = %d, orb's encoder kept %d", st.Features, n)
			}
			gl, wl := decodeLayer(t, got, "pts"), decodeLayer(t, want, "pts")
			if gl.Version != wl.Version || gl.Extent != wl.Extent {
				t.Errorf("version %d extent %d, want %d and %d", gl.Version, gl.Extent, wl.Version, wl.Extent)
			}
			if len(gl.Features) != len(wl.Features) || n == 0 {
				t.Fatalf("%d features decoded, want %d (and some)", len(gl.Features), len(wl.Features))
			}
			for k := range gl.Features {
				g, w := gl.Features[k], wl.Features[k]
				if !reflect.DeepEqual(g.Geometry, w.Geometry) || !reflect.DeepEqual(g.Properties, w.Properties) || g.ID != w.ID {
					t.Fatalf("feature %d = %v %v (id %v), want %v %v (id %v)", k, g.Geometry, g.Properties, g.ID, w.Geometry, w.Properties, w.ID)
				}
			}
		})
	}
}

// lonAt is the longitude at tile coordinate x of tile t.
func lonAt(t maptile.Tile, opt Options, x float64) float64 {
	return ((float64(t.X)+x/float64(opt.Extent))/float64(uint64(1)<<t.Z) - 0.5) * 360
}

// TestPointTileFallsBack: an extent that is not a power of two, or a
// point layer's feature that is not one point, goes through orb's
// encoder, which handles both.
func TestPointTileFallsBack(t *testing.T) {
	tile := maptile.At(centre(), 14)
	a := randomPoints(rand.New(rand.NewPCG(3, 4)), tile, 50)
	l := Prepare(a)
	if _, _, ok := l.pointTile(tile, Options{Extent: 1000, Buffer: 10}, []int{0, 1}); ok {
		t.Error("extent 1000 was written directly; its projection is not a shift")
	}
	b, _, err := l.Tile(tile, Options{Extent: 1000, Buffer: 10})
	if err != nil || len(decodeLayer(t, b, "pts").Features) == 0 {
		t.Errorf("extent 1000: %v, or no features", err)
	}
}

// TestPointTileDropsNaN: a point with a NaN coordinate is left out, and
// the tile still decodes with the other points.
func TestPointTileDropsNaN(t *testing.T) {
	tile := maptile.At(centre(), 14)
	a := &layer.Answer{Schema: pointsSchema, Features: []layer.Feature{
		layer.PointFeature("lon", orb.Point{math.NaN(), centreLat}, nil),
		layer.PointFeature("lat", orb.Point{centreLon, math.NaN()}, nil),
		layer.PointFeature("ok", centre(), []layer.Value{layer.Str("kept")}),
	}}
	b, _, err := Prepare(a).Tile(tile, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if fs := decodeLayer(t, b, "pts").Features; len(fs) != 1 || fs[0].Properties["name"] != "kept" {
		t.Errorf("features %v, want only the point with a location", fs)
	}
}
