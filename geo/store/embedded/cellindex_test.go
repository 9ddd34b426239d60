package embedded

import (
	"context"
	"reflect"
	"testing"

	"github.com/leicester-csp/hotspot/geo"
	"github.com/leicester-csp/hotspot/geo/ingest"
	"github.com/leicester-csp/hotspot/internal/synth"
)

// TestPackedPartnerFilter compares CellTallies read through the packed,
// grouped partner records with the same read through partOK, the filter
// every other partner query uses (the path CellTallies falls back to when
// there are too many sources or categories to pack).
func TestPackedPartnerFilter(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	st, err := Open(ctx, dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	city := synth.NewCity(1)
	if _, err := st.Import(ctx, geo.ImportInput{Rows: ingest.Incidents(ctx, benchPartner(city, 5000)), Areas: city.Wards}); err != nil {
		t.Fatal(err)
	}
	st.Close()
	packed, err := Open(ctx, dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer packed.Close()
	columns, err := Open(ctx, dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer columns.Close()
	columns.snap.Load().cellx.partOnce.Do(func() {}) // leaves it unpacked

	year := geo.MonthRange{From: geo.NewMonth(2024, 1), To: geo.NewMonth(2024, 12)}
	sl := geo.Flags(0).With(geo.StreetLifestyle)
	night := geo.Within{Days: 1<<4 | 1<<5, Hours: 0xF0_000F, Shift: 4}
	for _, tc := range []struct {
		name string
		f    geo.Filter
	}{
		{"source", geo.Filter{Months: year, Source: "council"}},
		{"all", geo.Filter{Months: year, Source: geo.SourceAll}},
		{"flag", geo.Filter{Months: year, Source: "council", Flags: sl}},
		{"flag and nights", geo.Filter{Months: year, Source: "council", Flags: sl, Within: night}},
		{"days", geo.Filter{Months: year, Source: geo.SourceAll, Within: geo.Within{Days: 1 << 0}}},
		{"hours", geo.Filter{Months: year, Source: "council", Within: geo.Within{Hours: 1<<9 | 1<<10}}},
		{"category", geo.Filter{Months: year, Source: "council", Categories: []string{"Anti-social behaviour", "Shoplifting"}}},
		{"ward and months", geo.Filter{Months: geo.MonthRange{From: geo.NewMonth(2024, 3), To: geo.NewMonth(2024, 5)}, Source: "council", Wards: []string{city.Wards[0].Code}}},
		{"unknown category", geo.Filter{Months: year, Source: "council", Categories: []string{"nothing"}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			want, err := columns.CellTallies(ctx, tc.f, 9)
			if err != nil {
				t.Fatal(err)
			}
			got, err := packed.CellTallies(ctx, tc.f, 9)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("packed: %d cells, read through partOK: %d cells, or their tallies differ", len(got), len(want))
			}
			if tc.name != "unknown category" && len(want) == 0 {
				t.Errorf("no cells: the case tests nothing")
			}
		})
	}
}
