package geo

import (
	"context"
	"time"

	"github.com/paulmach/orb"
)

// TargetArea is a place the partnership acts on for one priority from a
// start month (DESIGN.md, "Target areas"): the subject of an evaluation.
// Geometry is a MultiPolygon whatever was drawn, RFC 7946 oriented.
type TargetArea struct {
	ID       string
	Name     string
	Priority string
	Start    Month
	Actions  string
	// Owner is the id of the key that created the area; "" for one
	// made from the command line, which only an admin may then change
	// through the API.
	Owner    string
	Geometry orb.MultiPolygon
	Created  time.Time
	Updated  time.Time
}

// TargetAreaStore keeps target areas. Both stores implement it and pass
// one shared suite: what one process writes, another reads on its next
// call, and areas outlive restarts.
type TargetAreaStore interface {
	// AddTargetArea stores a new area; an id already stored is an error.
	AddTargetArea(ctx context.Context, a TargetArea) error
	// TargetAreas lists every area by creation time, then id.
	TargetAreas(ctx context.Context) ([]TargetArea, error)
	// TargetArea returns one area, or ErrNotFound.
	TargetArea(ctx context.Context, id string) (TargetArea, error)
	// UpdateTargetArea replaces the stored area of a.ID (its Created and
	// Owner are kept), or answers ErrNotFound.
	UpdateTargetArea(ctx context.Context, a TargetArea) error
	// DeleteTargetArea removes an area, or answers ErrNotFound.
	DeleteTargetArea(ctx context.Context, id string) error
	// TargetAreasVersion changes whenever an area is added, changed or
	// removed, so that answers about areas can be cached on it.
	TargetAreasVersion(ctx context.Context) (string, error)
}

// PointPair is what a filter counts at one map point in two windows of
// months (before and after a target area's start).
type PointPair struct {
	Point         orb.Point
	Ward          string // "" outside every ward
	Before, After int
}

// WindowCounter is an optional Store method, for evaluations: per map
// point lying in the bound near (boundary included) or assigned to ward
// (when not ""), the incidents the filter counts (its Months ignored) in
// the windows before and after; points with none in either are left out,
// the rest ordered by longitude then latitude. The counts are
// PointTallies' for each window, read at once and without the texts. A
// store that cannot answer returns errors.ErrUnsupported.
type WindowCounter interface {
	PointWindowCounts(ctx context.Context, f Filter, before, after MonthRange, near orb.Bound, ward string) ([]PointPair, error)
}
