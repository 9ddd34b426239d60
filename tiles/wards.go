package tiles

import (
	"cmp"
	"slices"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/geojson"
	"github.com/paulmach/orb/maptile"

	"github.com/leicester-csp/hotspot/geo/analysis"
)

// Wards encodes the ward layer of res for tile t: each ward that meets the
// tile and its buffer, clipped to them and simplified for the zoom, with
// properties code, name, count, population (left out when unknown),
// rate_per_1000 (left out when unknown), prev_count and change_pct (left
// out when prev_count is 0). No ward that meets the tile is simplified
// away; see the package doc.
//
// Over MaxFeatures, the wards kept are those with the highest count, then
// the lowest code.
func Wards(res *analysis.WardResult, t maptile.Tile, opt Options) ([]byte, Stats, error) {
	opt, err := prepare(t, opt)
	if err != nil {
		return nil, Stats{}, err
	}
	var rows []*analysis.WardRow
	if res != nil {
		qb := QueryBound(t, opt)
		for i := range res.Wards {
			w := &res.Wards[i]
			if len(w.Area.Geometry) > 0 && w.Area.Geometry.Bound().Intersects(qb) {
				rows = append(rows, w)
			}
		}
	}

	st := Stats{Truncated: opt.capped(len(rows))}
	if st.Truncated {
		slices.SortFunc(rows, func(a, b *analysis.WardRow) int {
			if c := cmp.Compare(b.Count, a.Count); c != 0 {
				return c
			}
			return cmp.Compare(a.Area.Code, b.Area.Code)
		})
		rows = rows[:opt.MaxFeatures]
	}
	slices.SortFunc(rows, func(a, b *analysis.WardRow) int { return cmp.Compare(a.Area.Code, b.Area.Code) })

	fs := make([]*geojson.Feature, len(rows))
	for i, w := range rows {
		props := geojson.Properties{
			"code":       w.Area.Code,
			"name":       w.Area.Name,
			"count":      w.Count,
			"prev_count": w.PrevCount,
		}
		if w.Population > 0 {
			props["population"] = w.Population
		}
		putFloat(props, "rate_per_1000", w.Rate)
		putFloat(props, "change_pct", w.ChangePct)
		// The projection works in place and the result's geometry is
		// shared with every other tile and request.
		fs[i] = &geojson.Feature{Type: "Feature", Geometry: orb.Clone(w.Area.Geometry), Properties: props}
	}
	b, n, err := encode(LayerWards, fs, t, opt, keepTiny, polygonsForTile(simplifyTolerance(opt)))
	st.Features = n
	return b, st, err
}
