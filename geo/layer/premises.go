package layer

import (
	"context"

	"github.com/leicester-csp/hotspot/geo/analysis"
)

// premisesDef is the premises register as a layer: each premises with
// how many of the request's local records are linked to it.
var premisesDef = declare(Schema{
	Name:  "premises",
	Title: "Premises",
	Description: "The partnership's premises register (licensed, retail, knife or vape sellers, …) with the local " +
		"records linked to each over the period and filters; police.uk records name no premises, so with source=policeuk every count is 0.",
	Geometry:     Point,
	IDField:      "id",
	NullGeometry: true,
	TileRank:     []RankKey{{Field: "count", Desc: true}},
	// A saved file of counts must keep the months they cover.
	Period: true,
},
	text("id", "the premises' register id", func(r analysis.PremisesCount) string { return r.ID }),
	text("name", "the premises' name", func(r analysis.PremisesCount) string { return r.Name }),
	text("kind", "the premises' kind, as the register spells it", func(r analysis.PremisesCount) string { return r.Kind }),
	prop[analysis.PremisesCount]{Field{"count", Integer, true, "local records linked to the premises over the period; null when suppressed"},
		func(r analysis.PremisesCount) Value {
			if r.Suppressed {
				return Value{typ: Integer}
			}
			return Int(r.Count)
		}},
	prop[analysis.PremisesCount]{Field{"suppressed", Boolean, false,
		"true when a count of a local source was withheld from a partner key (1 to --suppress-below − 1, or the next-smallest beside a single one)"},
		func(r analysis.PremisesCount) Value { return Bool(r.Suppressed) }},
)

func (s *Set) premises(ctx context.Context, req Request) (*Answer, error) {
	var kinds []string
	if req.Kind != "" {
		var err error
		if kinds, err = analysis.ParseKinds(req.Kind); err != nil {
			return nil, err
		}
	}
	q := req.Query
	q.Res, q.K, q.Study = 0, 0, ""
	res, err := s.an.PremisesCounts(ctx, q, kinds)
	if err != nil {
		return nil, err
	}
	a := &Answer{Schema: premisesDef.schema, Provenance: ProvenanceOf(res.Query, req.Source)}
	w := newWindow(req)
	slab := premisesDef.slabFor(len(res.Rows))
	for _, row := range res.Rows {
		if req.BBox != nil && (!row.HasLocation || !req.BBox.Contains(row.Point)) {
			continue
		}
		if !premisesDef.matches(row, req.Equals) {
			continue
		}
		if w.take() {
			vs := premisesDef.values(row, &slab)
			f := Feature{ID: premisesDef.idOf(vs), Values: vs}
			if row.HasLocation {
				f.geom = row.Point
			}
			a.Features = append(a.Features, f)
		}
	}
	a.Matched = w.n
	return a, nil
}

// PremisesSchema is the premises layer's schema.
func PremisesSchema() *Schema { return premisesDef.schema }
