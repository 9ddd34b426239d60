package layer

import (
	"context"

	"github.com/leicester-csp/hotspot/geo"
	"github.com/leicester-csp/hotspot/geo/areas"
)

// TargetAreasLayer is the target-area layer's name, also its OGC
// collection's.
const TargetAreasLayer = "target-areas"

// targetAreaDef is the target areas as drawn: outlines and what was
// planned there. Areas change without the data version changing, so
// their answers are never cached on it (Live).
var targetAreaDef = declare(Schema{
	Name:  TargetAreasLayer,
	Title: "Target areas",
	Description: "Places the partnership acts on: each area's priority, the month action started and what was done. " +
		"Its evaluation: /api/v1/target-areas/{id}/evaluation.",
	Geometry: MultiPolygon,
	IDField:  "id",
	Live:     true,
},
	text("id", "the area's id", func(a geo.TargetArea) string { return a.ID }),
	text("name", "the area's name", func(a geo.TargetArea) string { return a.Name }),
	text("priority", "the priority acted on (its id)", func(a geo.TargetArea) string { return a.Priority }),
	text("start", "the month action started, YYYY-MM", func(a geo.TargetArea) string { return a.Start.String() }),
	text("actions", "what was done", func(a geo.TargetArea) string { return a.Actions }),
	optText("owner", "id of the key that created the area; null when made from the command line", func(a geo.TargetArea) string { return a.Owner }),
)

func (s *Set) targetAreas(ctx context.Context, req Request) (*Answer, error) {
	all, err := s.an.TargetAreas(ctx)
	if err != nil {
		return nil, err
	}
	return TargetAreaAnswer(all, req), nil
}

// TargetAreaAnswer is the layer's answer over the given areas, with the
// request's priority, bbox, property filters and window.
func TargetAreaAnswer(all []geo.TargetArea, req Request) *Answer {
	a := &Answer{Schema: targetAreaDef.schema, Provenance: ProvenanceOf(nil, req.Source)}
	w := newWindow(req)
	slab := targetAreaDef.slabFor(len(all))
	for _, ta := range all {
		if req.Query.Priority != "" && ta.Priority != req.Query.Priority {
			continue
		}
		if req.BBox != nil && !areas.IntersectsBound(ta.Geometry, *req.BBox) {
			continue
		}
		if !targetAreaDef.matches(ta, req.Equals) {
			continue
		}
		if w.take() {
			a.Features = append(a.Features, Feature{ID: ta.ID, geom: ta.Geometry, Values: targetAreaDef.values(ta, &slab)})
		}
	}
	a.Matched = w.n
	return a
}

// TargetAreaSchema is the target-area layer's schema.
func TargetAreaSchema() *Schema { return targetAreaDef.schema }
