package layer

import (
	"context"
	"strconv"

	"github.com/leicester-csp/hotspot/geo/analysis"
)

// pointDef is the map-point layer (DESIGN.md, "The map's places"): every
// police.uk map point holding a counted incident, with how many and of
// what kinds. police.uk snaps each incident to one of a limited set of
// anonymous points, so dozens of incidents can share one: drawn as one
// incident each they hide one another, drawn as a point sized by count
// they do not.
var pointDef = declare(Schema{
	Name:  "points",
	Title: "Map points",
	Description: "The police.uk map points holding counted incidents: how many, the location police.uk names " +
		"most of them by, and the count of each crime type. Every incident at a point: /api/v1/incidents?at=lon,lat.",
	Geometry: Point,
	IDField:  "id",
	TileRank: []RankKey{{Field: "count", Desc: true}},
},
	text("id", "the map point, p:longitude,latitude", func(r analysis.RepeatLocation) string { return pointID(r) }),
	integer("count", "incidents at the point over the period", func(r analysis.RepeatLocation) int { return r.Count }),
	text("location", "the police.uk location most of the point's incidents carry", func(r analysis.RepeatLocation) string { return r.Location }),
	prop[analysis.RepeatLocation]{Field{"categories", Counts, false, "incidents at the point by crime type: a JSON object in GeoJSON, its JSON text in CSV and tiles"},
		func(r analysis.RepeatLocation) Value { return CountsOf(r.Categories) }},
	optText("ward", "code of the ward the point lies in; null outside every ward", func(r analysis.RepeatLocation) string { return r.Ward }),
)

// pointID spells a map point as "p:lon,lat": the shortest decimals that
// read back as the same doubles, so that ?at= finds the point again; the
// "p:" keeps a western longitude from opening a CSV cell, which a
// spreadsheet would take for a formula.
func pointID(r analysis.RepeatLocation) string {
	return "p:" + strconv.FormatFloat(r.Point[0], 'f', -1, 64) + "," + strconv.FormatFloat(r.Point[1], 'f', -1, 64)
}

func (s *Set) points(ctx context.Context, req Request) (*Answer, error) {
	q := req.Query
	q.Res, q.K, q.Study = 0, 0, ""
	// Every point with an incident: a repeat location of at least one.
	res, err := s.an.Repeats(ctx, q, 1)
	if err != nil {
		return nil, err
	}
	a := &Answer{Schema: pointDef.schema, Provenance: ProvenanceOf(res.Query, req.Source)}
	w := newWindow(req)
	slab := pointDef.slabFor(len(res.Rows))
	for _, row := range res.Rows {
		if req.BBox != nil && !req.BBox.Contains(row.Point) {
			continue
		}
		if !pointDef.matches(row, req.Equals) {
			continue
		}
		if w.take() {
			vs := pointDef.values(row, &slab)
			a.Features = append(a.Features, Feature{ID: pointDef.idOf(vs), geom: row.Point, Values: vs})
		}
	}
	a.Matched = w.n
	return a, nil
}

// PointSchema is the map-point layer's schema.
func PointSchema() *Schema { return pointDef.schema }
