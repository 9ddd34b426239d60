package embedded

import (
	"context"

	"github.com/leicester-csp/hotspot/geo"
)

var _ geo.TemporalCounter = (*Store)(nil)

// DayHourCounts counts the filter's local records in the key's cell, ward
// or area by local weekday and hour, read from the weekday and hour kept
// per record at import (no time zone work per request).
func (s *Store) DayHourCounts(ctx context.Context, f geo.Filter, key geo.SeriesKey) (geo.DayHourCounts, error) {
	var out geo.DayHourCounts
	q := s.snap.Load().resolve(f)
	match, err := q.keyMatch(key)
	if err != nil || q.part == nil {
		return out, err
	}
	sn := q.sn
	err = q.eachPart(ctx, func(_ geo.Month, i uint32) {
		if pt := sn.pt[i]; pt != 0 && q.counted(pt-1) && match(pt-1) {
			p := &sn.part[sn.ext[i]-1]
			out[p.wd][p.hour]++
		}
	})
	return out, err
}
