package embedded

import (
	"context"
	"testing"

	"github.com/leicester-csp/hotspot/geo"
	"github.com/leicester-csp/hotspot/geo/ingest"
	"github.com/leicester-csp/hotspot/internal/synth"
)

// The snapshot built while a run is staged is the one a load of the
// committed segments gives, whatever the size hint: none (the rows are
// sent once staged), too small (the rows arrive over two blocks, in
// several batches) or far too large; onto an empty store and onto one that
// holds rows already, police.uk rows and partner records alike.
func TestStreamedBuildMatchesSegments(t *testing.T) {
	city := synth.NewCity(7)
	opt := synth.Options{Seed: 7, From: geo.NewMonth(2024, 1), Months: 3, Rows: chunkLen + feedBatch + 1}
	for _, hint := range []int{0, 1000, 50 * opt.Rows} {
		ctx := context.Background()
		dir := t.TempDir()
		st := mustOpen(t, dir, Options{})
		runs := []geo.ImportInput{
			{Rows: ingest.Incidents(ctx, city.Incidents(opt)), Areas: city.Wards, RowsHint: hint},
			{Rows: ingest.Incidents(ctx, benchPartner(city, 2000)), RowsHint: hint / 4},
			{Rows: ingest.Incidents(ctx, city.Incidents(synth.Options{Seed: 8, From: geo.NewMonth(2024, 4), Months: 1, Rows: 900})), RowsHint: hint},
		}
		for i, in := range runs {
			if _, err := st.Import(ctx, in); err != nil {
				t.Fatalf("hint %d, run %d: %v", hint, i, err)
			}
			t.Run("", func(t *testing.T) { sameSnapshot(t, st.snap.Load(), segmentLoad(t, dir)) })
		}
		st.Close()
	}
}
