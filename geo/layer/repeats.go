package layer

import (
	"context"

	"github.com/leicester-csp/hotspot/geo"
	"github.com/leicester-csp/hotspot/geo/analysis"
	"github.com/leicester-csp/hotspot/geo/hex"
)

// DefaultMinRepeats is the fewest incidents at a map point that make it
// a repeat location when a request does not say.
const DefaultMinRepeats = 2

// repeatDef is the repeat-location layer: the police.uk map points where
// counted incidents repeat, ranked.
var repeatDef = declare(Schema{
	Name:  "repeats",
	Title: "Repeat locations",
	Description: "police.uk map points with at least min counted incidents, ranked by count: " +
		"where crime repeats, named by the location police.uk gives it.",
	Geometry: Point,
	IDField:  "id",
	TileRank: []RankKey{{Field: "count", Desc: true}},
},
	text("id", "the map point, p:longitude,latitude", pointID),
	integer("rank", "1 for the point with the most incidents", func(r analysis.RepeatLocation) int { return 0 }),
	text("location", "the police.uk location most of the point's incidents carry", func(r analysis.RepeatLocation) string { return r.Location }),
	integer("count", "incidents at the point over the period", func(r analysis.RepeatLocation) int { return r.Count }),
	optText("top_outcome", "the most frequent police.uk last outcome there; null where none is recorded", func(r analysis.RepeatLocation) string { return r.TopOutcome }),
	optText("ward", "code of the ward the point lies in", func(r analysis.RepeatLocation) string { return r.Ward }),
	text("h3", "the point's H3 cell at resolution 10, to find it in the hex layer", func(r analysis.RepeatLocation) string { return hex.String(r.Cells[geo.MaxRes-geo.MinRes]) }),
)

func repeatAnswer(res *analysis.RepeatResult, req Request) *Answer {
	a := &Answer{Schema: repeatDef.schema, Provenance: ProvenanceOf(res.Query, req.Source)}
	a.Provenance.Min = ptr(res.Min)
	w := newWindow(req)
	slab := repeatDef.slabFor(len(res.Rows))
	rankAt := repeatDef.schema.Index("rank")
	for i, row := range res.Rows {
		if req.BBox != nil && !req.BBox.Contains(row.Point) {
			continue
		}
		if !repeatDef.matches(row, req.Equals) {
			continue
		}
		if w.take() {
			vs := repeatDef.values(row, &slab)
			vs[rankAt] = Int(i + 1)
			a.Features = append(a.Features, Feature{ID: repeatDef.idOf(vs), geom: row.Point, Values: vs})
		}
	}
	a.Matched = w.n
	return a
}

func (s *Set) repeats(ctx context.Context, req Request) (*Answer, error) {
	q := req.Query
	q.Res, q.K, q.Study = 0, 0, ""
	min := req.Min
	if min == 0 {
		min = DefaultMinRepeats
	}
	res, err := s.an.Repeats(ctx, q, min)
	if err != nil {
		return nil, err
	}
	return repeatAnswer(res, req), nil
}
