package postgis

import (
	"cmp"
	"context"
	"slices"
	"strings"

	"github.com/leicester-csp/hotspot/geo"
)

var _ geo.RepeatCounter = (*Store)(nil)

const (
	// Place tallies in sqlPartnerTallies' columns with the premises in
	// place of the outcome.
	sqlPlaceTallies = `
WITH f AS (SELECT EXISTS (SELECT 1 FROM {s}.areas WHERE kind = 'ward') AS wards)
SELECT p.lon, p.lat, p.h3_r6, p.h3_r7, p.h3_r8, p.h3_r9, p.h3_r10, coalesce(p.ward_code, ''),
       i.premises, i.location, i.category, count(*)
FROM {s}.partner_incidents i
JOIN {s}.partner_points p ON p.id = i.point_id
CROSS JOIN f` + sqlPartnerWhere + sqlPartnerCounted + `
GROUP BY i.premises, p.id, i.location, i.category`

	// Offender tallies per pseudonym and premises: OffenderTallies sums
	// each pseudonym's rows.
	sqlOffenderTallies = `
WITH f AS (SELECT EXISTS (SELECT 1 FROM {s}.areas WHERE kind = 'ward') AS wards)
SELECT i.offender, i.premises, min(i.month), max(i.month), count(*)
FROM {s}.partner_incidents i
JOIN {s}.partner_points p ON p.id = i.point_id
CROSS JOIN f` + sqlPartnerWhere + sqlPartnerCounted + `
  AND i.offender <> ''
GROUP BY 1, 2`
)

// PlaceTallies tallies the filter's counted local records per premises
// and point.
func (s *Store) PlaceTallies(ctx context.Context, f geo.Filter) ([]geo.PlaceTally, error) {
	if !f.LocalSource() {
		return nil, nil
	}
	rows, err := s.db.QueryContext(ctx, s.q(sqlPlaceTallies), partnerArgs(f)...)
	if err != nil {
		return nil, wrap(ctx, "place tallies", err)
	}
	defer rows.Close()
	type key struct {
		premises string
		pt       [2]float64
	}
	var out []geo.PlaceTally
	at := map[key]int{}
	for rows.Next() {
		var (
			premises, loc, cat string
			n                  int
		)
		mp, err := scanMapPoint(rows, &premises, &loc, &cat, &n)
		if err != nil {
			return nil, wrap(ctx, "place tallies", err)
		}
		k := key{premises, mp.Point}
		i, ok := at[k]
		if !ok {
			i = len(out)
			at[k] = i
			out = append(out, geo.PlaceTally{Premises: premises, PointTally: geo.PointTally{MapPoint: mp, Locations: map[string]int{}, Categories: map[string]int{}}})
		}
		t := &out[i]
		t.Count += n
		t.Locations[loc] += n
		t.Categories[cat] += n
	}
	if err := rows.Err(); err != nil {
		return nil, wrap(ctx, "place tallies", err)
	}
	slices.SortFunc(out, func(a, b geo.PlaceTally) int {
		return cmp.Or(strings.Compare(a.Premises, b.Premises), geo.ComparePoints(a.Point, b.Point))
	})
	return out, nil
}

// OffenderTallies tallies the filter's counted local records that name
// an offender, per pseudonym, in no order.
func (s *Store) OffenderTallies(ctx context.Context, f geo.Filter) ([]geo.OffenderTally, error) {
	if !f.LocalSource() {
		return nil, nil
	}
	rows, err := s.db.QueryContext(ctx, s.q(sqlOffenderTallies), partnerArgs(f)...)
	if err != nil {
		return nil, wrap(ctx, "offender tallies", err)
	}
	defer rows.Close()
	var out []geo.OffenderTally
	at := map[string]int{}
	for rows.Next() {
		var (
			offender, premises string
			first, last        int32
			n                  int
		)
		if err := rows.Scan(&offender, &premises, &first, &last, &n); err != nil {
			return nil, wrap(ctx, "offender tallies", err)
		}
		i, ok := at[offender]
		if !ok {
			i = len(out)
			at[offender] = i
			out = append(out, geo.OffenderTally{Offender: offender, First: geo.Month(first), Last: geo.Month(last)})
		}
		t := &out[i]
		t.Count += n
		t.First, t.Last = min(t.First, geo.Month(first)), max(t.Last, geo.Month(last))
		if premises != "" {
			if t.Premises == nil {
				t.Premises = map[string]int{}
			}
			t.Premises[premises] += n
		}
	}
	if err := rows.Err(); err != nil {
		return nil, wrap(ctx, "offender tallies", err)
	}
	return out, nil
}
