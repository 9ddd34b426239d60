package embedded

import (
	"reflect"
	"slices"
	"testing"

	"github.com/leicester-csp/hotspot/geo"
	"github.com/leicester-csp/hotspot/geo/ingest"
	"github.com/leicester-csp/hotspot/internal/synth"
)

// TestPointTalliesMixed checks PointTallies, which reads the month lists
// unmerged, against the tallies of the merged page order it read before,
// with police.uk incidents and partner records sharing months and points:
// the shared parity tests hold no partner records.
func TestPointTalliesMixed(t *testing.T) {
	ctx := t.Context()
	st, err := Open(ctx, t.TempDir(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	city := synth.NewCity(1)
	uk := city.Incidents(synth.Options{Seed: 2, From: geo.NewMonth(2023, 11), Months: 6, Rows: 5000})
	for _, rows := range []func(func(geo.Incident) bool){uk, benchPartner(city, 20_000)} {
		if _, err := st.Import(ctx, geo.ImportInput{Rows: ingest.Incidents(ctx, rows), Areas: city.Wards}); err != nil {
			t.Fatal(err)
		}
	}
	span := geo.MonthRange{From: geo.NewMonth(2023, 11), To: geo.NewMonth(2024, 6)}
	nights := geo.Within{Days: 1<<4 | 1<<5, Hours: 0xF0_000F, Shift: 4}
	street := geo.Flags(0).With(geo.StreetLifestyle)
	cats, err := st.Categories(ctx)
	if err != nil || len(cats) < 2 {
		t.Fatalf("categories %v, %v", cats, err)
	}
	filters := []geo.Filter{
		{Months: span},
		{Months: span, Source: geo.SourceAll},
		{Months: span, Source: "council"},
		{Months: span, Source: "council", Flags: street, Within: nights},
		{Months: span, Source: geo.SourceAll, Flags: street, Within: nights},
		{Months: span, Source: geo.SourceAll, Categories: cats[:2]},
		{Months: span, Source: geo.SourceAll, Wards: []string{city.Wards[0].Code, city.Wards[1].Code}},
		{Months: span, Source: "nobody"},
	}
	for _, f := range filters {
		got, err := st.PointTallies(ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		want := mergedTallies(st, f)
		if len(got) == 0 && f.Source != "nobody" {
			t.Errorf("%+v: no tallies", f)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%+v: %d tallies, want %d (or they differ)", f, len(got), len(want))
		}
	}
}

// mergedTallies is PointTallies as it was, over monthRows' merged rows.
func mergedTallies(s *Store, f geo.Filter) []geo.PointTally {
	q := s.snap.Load().resolve(f)
	sn := q.sn
	catOK := catSet(q.cats)
	type tally struct {
		n               int
		locs, out, cats textCounts
	}
	byPoint := make([]*tally, len(sn.points))
	var counted []uint32
	for _, m := range q.pageMonths(false) {
		for _, i := range q.monthRows(m) {
			pt := sn.pt[i]
			if c := sn.fields[fCategory][i]; pt == 0 || (sn.ext[i] == 0 && (int(c) >= len(catOK) || !catOK[c])) || !q.counted(pt-1) {
				continue
			}
			t := byPoint[pt-1]
			if t == nil {
				t = &tally{}
				byPoint[pt-1] = t
				counted = append(counted, pt-1)
			}
			t.n++
			t.locs.add(sn.fields[fLocation][i])
			t.out.add(sn.fields[fOutcome][i])
			t.cats.add(sn.fields[fCategory][i])
		}
	}
	out := make([]geo.PointTally, 0, len(counted))
	for _, pt := range counted {
		t := byPoint[pt]
		out = append(out, geo.PointTally{MapPoint: sn.mapPoint(pt), Count: t.n, Locations: t.locs.texts(sn.strs), Outcomes: t.out.texts(sn.strs), Categories: t.cats.texts(sn.strs)})
	}
	slices.SortFunc(out, func(a, b geo.PointTally) int { return geo.ComparePoints(a.Point, b.Point) })
	return out
}
