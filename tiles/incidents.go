package tiles

import (
	"cmp"
	"slices"

	"github.com/paulmach/orb/geojson"
	"github.com/paulmach/orb/maptile"

	"github.com/leicester-csp/hotspot/geo"
)

// Incidents encodes the incident points among items that fall in tile t or
// its buffer, with properties id, month (YYYY-MM), category, location,
// outcome, and ward and ward_name (left out outside every ward). Incidents
// without a location are skipped.
//
// Over MaxFeatures, the first incidents in the order of items are kept,
// so the caller decides what matters most (the store answers by month
// then id). The features themselves are written by month then id
// whatever the order of items.
func Incidents(items []geo.StoredIncident, t maptile.Tile, opt Options) ([]byte, Stats, error) {
	opt, err := prepare(t, opt)
	if err != nil {
		return nil, Stats{}, err
	}
	qb := QueryBound(t, opt)
	var in []*geo.StoredIncident
	for i := range items {
		it := &items[i]
		if it.HasLocation && qb.Contains(it.Point) {
			in = append(in, it)
		}
	}

	st := Stats{Truncated: opt.capped(len(in))}
	if st.Truncated {
		in = in[:opt.MaxFeatures]
	}
	slices.SortStableFunc(in, func(a, b *geo.StoredIncident) int {
		if c := cmp.Compare(a.Month, b.Month); c != 0 {
			return c
		}
		return cmp.Compare(a.ID, b.ID)
	})

	fs := make([]*geojson.Feature, len(in))
	for i, it := range in {
		props := geojson.Properties{
			"id":       it.ID,
			"month":    it.Month.String(),
			"category": it.Category,
			"location": it.Location,
			"outcome":  it.Outcome,
		}
		putString(props, "ward", it.Ward)
		putString(props, "ward_name", it.WardName)
		fs[i] = &geojson.Feature{Type: "Feature", Geometry: it.Point, Properties: props}
	}
	b, n, err := encode(LayerIncidents, fs, t, opt, nil, nil)
	st.Features = n
	return b, st, err
}
