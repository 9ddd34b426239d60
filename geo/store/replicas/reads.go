package replicas

import (
	"context"

	"github.com/paulmach/orb"

	"github.com/leicester-csp/hotspot/geo"
	"github.com/leicester-csp/hotspot/geo/store/postgis"
)

// The reads of imported data, each sent to the database chosen for its
// context. Everything else (imports, target areas, keys, the audit log)
// is the embedded primary's.

func (s *Store) Version(ctx context.Context) (string, error) {
	return read(ctx, s, "version", func(st *postgis.Store) (string, error) { return st.Version(ctx) })
}

func (s *Store) Months(ctx context.Context) ([]geo.Month, error) {
	return read(ctx, s, "months", func(st *postgis.Store) ([]geo.Month, error) { return st.Months(ctx) })
}

func (s *Store) Areas(ctx context.Context, kind geo.AreaKind) ([]geo.Area, error) {
	return read(ctx, s, "areas", func(st *postgis.Store) ([]geo.Area, error) { return st.Areas(ctx, kind) })
}

func (s *Store) Categories(ctx context.Context) ([]string, error) {
	return read(ctx, s, "categories", func(st *postgis.Store) ([]string, error) { return st.Categories(ctx) })
}

func (s *Store) Population(ctx context.Context) (map[string]int, error) {
	return read(ctx, s, "population", func(st *postgis.Store) (map[string]int, error) { return st.Population(ctx) })
}

func (s *Store) CellCounts(ctx context.Context, f geo.Filter, res int) (map[geo.Cell]int, error) {
	return read(ctx, s, "cell_counts", func(st *postgis.Store) (map[geo.Cell]int, error) { return st.CellCounts(ctx, f, res) })
}

func (s *Store) CellMonthCounts(ctx context.Context, f geo.Filter, res int) ([]geo.CellMonthCount, error) {
	return read(ctx, s, "cell_month_counts", func(st *postgis.Store) ([]geo.CellMonthCount, error) {
		return st.CellMonthCounts(ctx, f, res)
	})
}

func (s *Store) WardCounts(ctx context.Context, f geo.Filter) (map[string]int, error) {
	return read(ctx, s, "ward_counts", func(st *postgis.Store) (map[string]int, error) { return st.WardCounts(ctx, f) })
}

func (s *Store) Series(ctx context.Context, f geo.Filter, key geo.SeriesKey) (map[geo.Month]int, error) {
	return read(ctx, s, "series", func(st *postgis.Store) (map[geo.Month]int, error) { return st.Series(ctx, f, key) })
}

func (s *Store) MapPoints(ctx context.Context) ([]geo.MapPoint, error) {
	return read(ctx, s, "map_points", func(st *postgis.Store) ([]geo.MapPoint, error) { return st.MapPoints(ctx) })
}

func (s *Store) PointTallies(ctx context.Context, f geo.Filter) ([]geo.PointTally, error) {
	return read(ctx, s, "point_tallies", func(st *postgis.Store) ([]geo.PointTally, error) { return st.PointTallies(ctx, f) })
}

func (s *Store) CellTallies(ctx context.Context, f geo.Filter, res int) ([]geo.CellTally, error) {
	return read(ctx, s, "cell_tallies", func(st *postgis.Store) ([]geo.CellTally, error) { return st.CellTallies(ctx, f, res) })
}

func (s *Store) Incidents(ctx context.Context, f geo.Filter, p geo.PageRequest) (geo.Page, error) {
	return read(ctx, s, "incidents", func(st *postgis.Store) (geo.Page, error) { return st.Incidents(ctx, f, p) })
}

func (s *Store) Incident(ctx context.Context, id string) (geo.StoredIncident, error) {
	return read(ctx, s, "incident", func(st *postgis.Store) (geo.StoredIncident, error) { return st.Incident(ctx, id) })
}

func (s *Store) Sources(ctx context.Context) ([]string, error) {
	return read(ctx, s, "sources", func(st *postgis.Store) ([]string, error) { return st.Sources(ctx) })
}

func (s *Store) SourceInfos(ctx context.Context) ([]geo.SourceInfo, error) {
	return read(ctx, s, "source_infos", func(st *postgis.Store) ([]geo.SourceInfo, error) { return st.SourceInfos(ctx) })
}

func (s *Store) Premises(ctx context.Context) ([]geo.Premises, error) {
	return read(ctx, s, "premises", func(st *postgis.Store) ([]geo.Premises, error) { return st.Premises(ctx) })
}

func (s *Store) DayHourCounts(ctx context.Context, f geo.Filter, key geo.SeriesKey) (geo.DayHourCounts, error) {
	return read(ctx, s, "day_hour_counts", func(st *postgis.Store) (geo.DayHourCounts, error) {
		return st.DayHourCounts(ctx, f, key)
	})
}

func (s *Store) PointWindowCounts(ctx context.Context, f geo.Filter, before, after geo.MonthRange, near orb.Bound, ward string) ([]geo.PointPair, error) {
	return read(ctx, s, "point_window_counts", func(st *postgis.Store) ([]geo.PointPair, error) {
		return st.PointWindowCounts(ctx, f, before, after, near, ward)
	})
}

func (s *Store) PlaceTallies(ctx context.Context, f geo.Filter) ([]geo.PlaceTally, error) {
	return read(ctx, s, "place_tallies", func(st *postgis.Store) ([]geo.PlaceTally, error) { return st.PlaceTallies(ctx, f) })
}

func (s *Store) OffenderTallies(ctx context.Context, f geo.Filter) ([]geo.OffenderTally, error) {
	return read(ctx, s, "offender_tallies", func(st *postgis.Store) ([]geo.OffenderTally, error) {
		return st.OffenderTallies(ctx, f)
	})
}

// routed names the PostGIS store's methods that this package sends to
// standbys; primaryOnly, those it leaves on the primary on purpose. A
// test checks that every method of the PostGIS store is in one of them.
var (
	routed = []string{"Version", "Months", "Areas", "Categories", "Population", "CellCounts", "CellMonthCounts",
		"WardCounts", "Series", "MapPoints", "PointTallies", "CellTallies", "Incidents", "Incident", "Sources", "SourceInfos",
		"Premises", "DayHourCounts", "PointWindowCounts", "PlaceTallies", "OffenderTallies"}
	// Written while serving, and read back by whoever wrote them.
	primaryOnly = []string{"Import", "AddKey", "Keys", "RevokeKey", "Audit", "AuditLog",
		"AddTargetArea", "UpdateTargetArea", "DeleteTargetArea", "TargetAreas", "TargetArea", "TargetAreasVersion",
		// The store itself.
		"Close", "Ready", "Schema", "WAL"}
)
