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

// repeatDef is the repeat-location layer: the places where counted
// incidents repeat, ranked — police.uk's map points, and for local
// records their premises when linked to one, else their exact point.
var repeatDef = declare(Schema{
	Name:  "repeats",
	Title: "Repeat locations",
	Description: "Places with at least min counted incidents, ranked by count: police.uk map points, and for local " +
		"records their premises (when linked to one) or their exact point; where crime repeats.",
	Geometry: Point,
	IDField:  "id",
	TileRank: []RankKey{{Field: "count", Desc: true}},
},
	text("id", "the place: p:longitude,latitude for a point, premises:ID for a premises", repeatID),
	integer("rank", "1 for the place with the most incidents", func(r analysis.RepeatLocation) int { return 0 }),
	text("location", "the location text most of the place's incidents carry", func(r analysis.RepeatLocation) string { return r.Location }),
	integer("count", "incidents at the place over the period", func(r analysis.RepeatLocation) int { return r.Count }),
	number("longitude", "the place's longitude (a premises: the point most of its records carry)", func(r analysis.RepeatLocation) Value { return Num(r.Point[0]) }),
	number("latitude", "the place's latitude", func(r analysis.RepeatLocation) Value { return Num(r.Point[1]) }),
	optText("premises", "the premises register id the place's local records are linked to; null for a point", func(r analysis.RepeatLocation) string { return r.Premises }),
	optText("premises_name", "the premises' name in the register; null for a point or an id the register lacks", func(r analysis.RepeatLocation) string { return r.PremisesName }),
	optText("premises_kind", "the premises' kind in the register (licensed, retail, …)", func(r analysis.RepeatLocation) string { return r.PremisesKind }),
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
	res, err := s.an.RepeatLocations(ctx, q, min)
	if err != nil {
		return nil, err
	}
	return repeatAnswer(res, req), nil
}

// repeatID names a place: its point as the points layer names it, or its
// premises, since a premises and a point's unlinked records may share a
// point.
func repeatID(r analysis.RepeatLocation) string {
	if r.Premises != "" {
		return "premises:" + r.Premises
	}
	return pointID(r)
}
