package tiles

import (
	"cmp"
	"math"
	"slices"
	"sync/atomic"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
	"github.com/paulmach/orb/maptile"

	"github.com/leicester-csp/hotspot/geo/analysis"
	"github.com/leicester-csp/hotspot/geo/hex"
)

// Hex encodes the hex layer of res for tile t: one polygon per study-area
// cell whose outline's bound meets the tile and its buffer, with
// properties h3, count, gi_z, gi_p (left out where Gi* is undefined) and
// gi_bin (the FDR bin). A cell that only grazes the buffer's edge, or is
// too small for the zoom to enclose a tile unit, is left out. The cells
// are assumed to share one resolution, as the analyzer gives them.
//
// Over MaxFeatures, the cells kept are those with the largest |gi_bin|,
// then the largest count, then the lowest index: the hot and cold spots
// are what the map is for.
//
// Hex is for one tile; to serve many tiles of the same result, keep the
// layer NewHexLayer prepares, which does the shared H3 work once.
func Hex(res *analysis.HexResult, t maptile.Tile, opt Options) ([]byte, Stats, error) {
	return NewHexLayer(res).Tile(t, opt)
}

// HexLayer is a HexResult made ready to cut into many tiles: every cell's
// centre is found once, and each outline the first time a tile needs it,
// so that a tile costs only its own cells. Keep one beside each HexResult
// that is served; it is safe for concurrent use, and the result must not
// change once given to it.
type HexLayer struct {
	cells    []analysis.HexCell // ascending by cell
	centres  []orb.Point
	res      int
	outlines []atomic.Pointer[cellOutline]
}

type cellOutline struct {
	poly  orb.Polygon // never projected: tiles work on copies
	bound orb.Bound
}

// NewHexLayer prepares res for tiling; nil is an empty layer.
func NewHexLayer(res *analysis.HexResult) *HexLayer {
	l := &HexLayer{}
	if res == nil || len(res.Cells) == 0 {
		return l
	}
	l.cells = res.Cells
	if !slices.IsSortedFunc(l.cells, byCell) {
		l.cells = slices.Clone(l.cells)
		slices.SortFunc(l.cells, byCell)
	}
	l.res = hex.Res(l.cells[0].Cell)
	l.centres = make([]orb.Point, len(l.cells))
	for i, c := range l.cells {
		l.centres[i] = hex.Center(c.Cell)
	}
	l.outlines = make([]atomic.Pointer[cellOutline], len(l.cells))
	return l
}

// Tile encodes the layer for tile t.
func (l *HexLayer) Tile(t maptile.Tile, opt Options) ([]byte, Stats, error) {
	opt, err := prepare(t, opt)
	if err != nil {
		return nil, Stats{}, err
	}
	qb := QueryBound(t, opt)
	var picked []hexPick
	if len(l.cells) > 0 {
		box := reach(qb, l.res)
		for i, c := range l.centres {
			if !box.Contains(c) {
				continue
			}
			if o := l.outline(i); o != nil && o.bound.Intersects(qb) {
				picked = append(picked, hexPick{i: i, outline: orb.Clone(o.poly).(orb.Polygon)})
			}
		}
	}
	return hexTile(l.cells, picked, t, opt)
}

// outline returns cell i's outline, computing it on first use; nil for an
// invalid cell. Two tiles racing for the same cell both compute it and
// one result is kept, which is cheaper than locking.
func (l *HexLayer) outline(i int) *cellOutline {
	if o := l.outlines[i].Load(); o != nil {
		return o
	}
	poly := hex.Polygon(l.cells[i].Cell)
	if poly == nil {
		return nil
	}
	o := &cellOutline{poly: poly, bound: poly.Bound()}
	if l.outlines[i].CompareAndSwap(nil, o) {
		return o
	}
	return l.outlines[i].Load()
}

// hexTile encodes the picked cells, given in cell order.
func hexTile(cells []analysis.HexCell, picked []hexPick, t maptile.Tile, opt Options) ([]byte, Stats, error) {
	st := Stats{Truncated: opt.capped(len(picked))}
	if st.Truncated {
		slices.SortFunc(picked, func(a, b hexPick) int { return bySignificance(cells[a.i], cells[b.i]) })
		picked = picked[:opt.MaxFeatures]
		slices.SortFunc(picked, func(a, b hexPick) int { return byCell(cells[a.i], cells[b.i]) })
	}

	fs := make([]*geojson.Feature, len(picked))
	for k, p := range picked {
		c := cells[p.i]
		props := geojson.Properties{
			"h3":     hex.String(c.Cell),
			"count":  c.Count,
			"gi_bin": c.Bin,
		}
		putFloat(props, "gi_z", &c.Z)
		putFloat(props, "gi_p", &c.P)
		fs[k] = &geojson.Feature{Type: "Feature", Geometry: p.outline, Properties: props}
	}
	b, n, err := encode(LayerHex, fs, t, opt, nil, polygonsForTile(0))
	st.Features = n
	return b, st, err
}

func byCell(a, b analysis.HexCell) int { return cmp.Compare(a.Cell, b.Cell) }

// reach grows qb by the furthest a res cell's outline can lie from its
// centre, so that a cell whose centre is outside cannot touch qb.
func reach(qb orb.Bound, res int) orb.Bound {
	dLon, dLat := cellMargin(res, math.Max(math.Abs(qb.Min[1]), math.Abs(qb.Max[1])))
	return orb.Bound{
		Min: orb.Point{qb.Min[0] - dLon, qb.Min[1] - dLat},
		Max: orb.Point{qb.Max[0] + dLon, qb.Max[1] + dLat},
	}
}

// hexPick is a cell chosen for a tile: its index in the result's cells and
// its outline, which the tile projects in place.
type hexPick struct {
	i       int
	outline orb.Polygon
}

// bySignificance orders cells most significant first.
func bySignificance(a, b analysis.HexCell) int {
	if c := cmp.Compare(abs(b.Bin), abs(a.Bin)); c != 0 {
		return c
	}
	if c := cmp.Compare(b.Count, a.Count); c != 0 {
		return c
	}
	return cmp.Compare(a.Cell, b.Cell)
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}
