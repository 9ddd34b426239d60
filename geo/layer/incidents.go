package layer

import (
	"context"
	"math"
	"strings"
	"time"

	"github.com/paulmach/orb"

	"github.com/leicester-csp/hotspot/geo"
	"github.com/leicester-csp/hotspot/geo/analysis"
)

// incidentDef is the incident layer: stored incidents a page at a time,
// exactly the properties of DESIGN.md.
var incidentDef = declare(Schema{
	Name:  "incidents",
	Title: "Incidents",
	Description: "Stored incidents (police.uk street-level crime and ASB), ordered by month then id; " +
		"an incident without a location has a null geometry.",
	Geometry:     Point,
	IDField:      "id",
	NullGeometry: true,
	Paged:        true,
},
	text("id", "police.uk Crime ID, or a content hash for ASB rows", func(in geo.StoredIncident) string { return in.ID }),
	text("month", "month of the incident, YYYY-MM", func(in geo.StoredIncident) string { return in.Month.String() }),
	text("category", "police.uk crime type", func(in geo.StoredIncident) string { return in.Category }),
	text("location", "police.uk's anonymised location (\"On or near …\")", func(in geo.StoredIncident) string { return in.Location }),
	optText("ward", "code of the ward the incident lies in; null outside every ward", func(in geo.StoredIncident) string { return in.Ward }),
	prop[geo.StoredIncident]{Field{"ward_name", String, true, "name of that ward; null outside every ward"}, func(in geo.StoredIncident) Value {
		if in.Ward == "" {
			return Value{typ: String}
		}
		return Str(in.WardName)
	}},
	text("outcome", "police.uk last outcome category", func(in geo.StoredIncident) string { return in.Outcome }),
	// A local source's records add these (DESIGN.md, "Partner records");
	// null for police.uk's. Only analysts see such records.
	optText("source", "the local source of a partner record; null for police.uk", func(in geo.StoredIncident) string { return in.Source }),
	optText("occurred", "when a partner record occurred, RFC 3339 with the Europe/London offset; null for police.uk", func(in geo.StoredIncident) string {
		if in.Occurred.IsZero() {
			return ""
		}
		return in.Occurred.In(geo.London).Format(time.RFC3339)
	}),
	optText("flags", "a partner record's flags that hold, comma-separated (homelessness, street_lifestyle, domestic_abuse, vawg, cyp, prevent, knife); null for none",
		func(in geo.StoredIncident) string { return strings.Join(in.Flags.Names(), ",") }),
	optText("premises", "a partner record's premises register id; null for none", func(in geo.StoredIncident) string { return in.Premises }),
	optText("offender", "a partner record's offender pseudonym (never a reference); null for none", func(in geo.StoredIncident) string { return in.Offender }),
)

// incidentFeature is one incident as a feature, its values in slab.
func incidentFeature(in geo.StoredIncident, slab *[]Value) Feature {
	f := Feature{ID: in.ID, Values: incidentDef.values(in, slab)}
	if in.HasLocation {
		f.geom = in.Point
	}
	return f
}

// IncidentAnswer is the incident layer's answer for items read elsewhere
// (tests, tiles' benchmarks).
func IncidentAnswer(items []geo.StoredIncident) *Answer {
	a := &Answer{Schema: incidentDef.schema, Matched: len(items)}
	slab := incidentDef.slabFor(len(items))
	for _, in := range items {
		a.Features = append(a.Features, incidentFeature(in, &slab))
	}
	return a
}

func (s *Set) incidents(ctx context.Context, req Request) (*Answer, error) {
	if req.ID != "" {
		in, err := s.an.Incident(ctx, req.ID)
		if err != nil {
			return nil, err
		}
		return &Answer{Schema: incidentDef.schema, Provenance: ProvenanceOf(nil, req.Source), Matched: 1, Features: []Feature{incidentFeature(in, new([]Value))}}, nil
	}
	limit := req.Limit
	if limit <= 0 {
		// Every incident at once (exports): one read, so that the list
		// and its total come from one state of the store even while
		// another process imports.
		limit = math.MaxInt32
	}
	bbox := req.BBox
	if req.At != nil {
		// A point is a box of no size; with a bbox too, both must hold.
		at := orb.Bound{Min: *req.At, Max: *req.At}
		if bbox != nil && !bbox.Contains(*req.At) {
			at = orb.Bound{Min: orb.Point{1, 1}, Max: orb.Point{0, 0}} // holds nothing
		}
		bbox = &at
	}
	res, err := s.an.Incidents(ctx, req.Query, analysis.Page{BBox: bbox, Limit: limit, Offset: req.Offset, Newest: req.Newest, After: req.After, NoTotal: req.NoTotal, Brief: req.Brief})
	if err != nil {
		return nil, err
	}
	a := &Answer{Schema: incidentDef.schema, Provenance: ProvenanceOf(res.Query, req.Source), Matched: res.Page.Total}
	if req.Query.AllMonths && req.Query.From == nil && req.Query.To == nil {
		// The collection is every incident: no period to report.
		a.Provenance.From, a.Provenance.To, a.Provenance.Months = nil, nil, 0
	}
	if req.Limit <= 0 {
		limit = res.Page.Total
	}
	a.Provenance.Limit, a.Provenance.Offset = ptr(limit), ptr(req.Offset)
	if n := len(res.Page.Items); res.Page.More && n > 0 {
		a.Next = ptr(geo.KeyOf(&res.Page.Items[n-1]))
	}
	a.Features = make([]Feature, 0, len(res.Page.Items))
	slab := incidentDef.slabFor(len(res.Page.Items))
	for _, in := range res.Page.Items {
		a.Features = append(a.Features, incidentFeature(in, &slab))
	}
	return a, nil
}
