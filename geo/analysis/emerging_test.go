package analysis

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"reflect"
	"slices"
	"testing"

	"github.com/paulmach/orb"

	"github.com/leicester-csp/hotspot/geo"
	"github.com/leicester-csp/hotspot/geo/hex"
	"github.com/leicester-csp/hotspot/geo/stats"
)

// emergingFixture is a box ward filled at res 8 with twelve months of
// Robbery: a light random background in every cell's centre, a cell
// (steady) busy every month, and a cell (fresh), far from it, busy only
// in the last month. Every incident lies at a fill cell's centre, so each
// month's own study area is the window's.
func emergingFixture(t *testing.T) (a *Analyzer, steady, fresh geo.Cell, from, to geo.Month) {
	t.Helper()
	box := geo.Area{Kind: geo.KindWard, Code: "BOX", Name: "Box", Geometry: orb.MultiPolygon{{{
		{-1.22, 52.58}, {-1.05, 52.58}, {-1.05, 52.69}, {-1.22, 52.69}, {-1.22, 52.58},
	}}}}
	cells := hex.Cover(box.Geometry, 8)
	slices.Sort(cells)
	steady, fresh = cells[len(cells)/3], cells[len(cells)*3/4]
	from, to = geo.NewMonth(2024, 1), geo.NewMonth(2024, 12)
	rng := rand.New(rand.NewPCG(7, 11))
	var incs []*geo.Located
	add := func(c geo.Cell, m geo.Month, n int) {
		p := hex.Center(c)
		for range n {
			incs = append(incs, &geo.Located{
				Incident: geo.Incident{ID: fmt.Sprintf("i%d", len(incs)), Month: m, Category: "Robbery", HasLocation: true, Point: p},
				Cells:    hex.CellsAt(p),
			})
		}
	}
	for m := from; m <= to; m++ {
		for _, c := range cells {
			add(c, m, rng.IntN(3))
		}
		add(steady, m, 25)
		if m == to {
			add(fresh, m, 25)
		}
	}
	st := openStore(t)
	rows := func(yield func(geo.Row, error) bool) {
		for _, l := range incs {
			if !yield(geo.Row{Incident: l}, nil) {
				return
			}
		}
	}
	if _, err := st.Import(t.Context(), geo.ImportInput{Areas: []geo.Area{box}, Rows: rows}); err != nil {
		t.Fatal(err)
	}
	return New(st, geo.BuiltinPriorities()), steady, fresh, from, to
}

func TestEmerging(t *testing.T) {
	a, steady, fresh, from, to := emergingFixture(t)
	ctx := t.Context()
	q := Query{Category: "Robbery", From: Month(from), To: Month(to), Res: 8, K: 1}
	res, err := a.Emerging(ctx, q)
	if err != nil {
		t.Fatal(err)
	}
	byCell := map[geo.Cell]EmergingCell{}
	patterns := map[string]int{}
	for i, c := range res.Cells {
		if i > 0 && c.Cell <= res.Cells[i-1].Cell {
			t.Fatalf("cells not ascending at %d", i)
		}
		byCell[c.Cell] = c
		patterns[c.Pattern]++
		if len(c.Bins) != 12 || !slices.Contains(stats.Patterns(), c.Pattern) {
			t.Fatalf("cell %s: bins %v, pattern %q", hex.String(c.Cell), c.Bins, c.Pattern)
		}
	}
	t.Logf("patterns: %v", patterns)
	if c := byCell[steady]; c.MonthsHot != 12 || !slices.Contains([]string{stats.PersistentHot, stats.IntensifyingHot, stats.DiminishingHot}, c.Pattern) {
		t.Errorf("steady cell: %+v, want hot every month", c)
	}
	if c := byCell[fresh]; c.Pattern != stats.NewHot || c.MonthsHot != 1 || c.Bins[11] < 2 {
		t.Errorf("fresh cell: %+v, want new_hot", c)
	}

	// Each month's bins are the hex layer's for that month alone (the
	// study area is the same), and the counts the window's.
	hexWindow, err := a.Hex(ctx, q)
	if err != nil {
		t.Fatal(err)
	}
	if len(hexWindow.Cells) != len(res.Cells) || hexWindow.Total != res.Total {
		t.Fatalf("study area %d cells, %d incidents; hex layer %d, %d", len(res.Cells), res.Total, len(hexWindow.Cells), hexWindow.Total)
	}
	for i, hc := range hexWindow.Cells {
		if res.Cells[i].Cell != hc.Cell || res.Cells[i].Count != hc.Count {
			t.Fatalf("cell %d: %s count %d, hex layer %s count %d", i, hex.String(res.Cells[i].Cell), res.Cells[i].Count, hex.String(hc.Cell), hc.Count)
		}
	}
	zs := make([][]float64, len(res.Cells))
	for m := from; m <= to; m++ {
		mq := q
		mq.From, mq.To = Month(m), Month(m)
		h, err := a.Hex(ctx, mq)
		if err != nil {
			t.Fatal(err)
		}
		for i, hc := range h.Cells {
			if got := res.Cells[i].Bins[m-from]; got != hc.Bin {
				t.Errorf("month %s cell %s: bin %d, hex layer %d", m, hex.String(hc.Cell), got, hc.Bin)
			}
			z := hc.Z
			if math.IsNaN(z) {
				z = 0
			}
			zs[i] = append(zs[i], z)
		}
	}
	// The trend is the Mann-Kendall test of those months' z.
	for i, c := range res.Cells {
		mk := stats.MannKendallTest(zs[i])
		if c.TrendZ != mk.Z || c.TrendP != mk.P || c.Pattern != stats.EmergingPattern(c.Bins, mk.Z, mk.P) {
			t.Errorf("cell %s: trend %v %v (%s), from the hex layer's z %+v", hex.String(c.Cell), c.TrendZ, c.TrendP, c.Pattern, mk)
		}
	}

	again, err := a.Emerging(ctx, q)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(res.Cells, again.Cells) {
		t.Error("two runs differ")
	}
}

func TestEmergingMonths(t *testing.T) {
	a, _, _, from, to := emergingFixture(t)
	for _, tc := range []struct {
		name     string
		from, to geo.Month
		field    string
	}{
		{"nine months", to - 8, to, "from"},
		{"one month", to, to, "from"},
		{"ten months", to - 9, to, ""},
		{"twelve", from, to, ""},
		// Months outside the data would count as zeros: a cell busy
		// throughout would look new (before) or historical (after).
		{"starts before the data", from - 1, to, "from"},
		{"ends after the data", from, to + 1, "to"},
		{"wholly after the data", to + 1, to + 10, "to"},
		{"over the most months", from, from + MaxEmergingMonths, "from"},
		{"every month spelled", geo.NewMonth(1, 1), geo.NewMonth(9999, 12), "from"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res, err := a.Emerging(t.Context(), Query{Category: "Robbery", From: Month(tc.from), To: Month(tc.to), Res: 8})
			var fe *FieldError
			switch {
			case tc.field == "" && err != nil:
				t.Fatalf("error %v", err)
			case tc.field == "":
				if len(res.Cells) == 0 || len(res.Cells[0].Bins) != int(tc.to-tc.from)+1 {
					t.Errorf("%d cells", len(res.Cells))
				}
			case !errors.As(err, &fe) || fe.Field != tc.field || !errors.Is(err, geo.ErrInvalid):
				t.Errorf("error %v, want a FieldError naming %s", err, tc.field)
			}
		})
	}
	// The default window is the 12 months ending at the latest.
	if _, err := a.Emerging(t.Context(), Query{Category: "Robbery", Res: 8}); err != nil {
		t.Errorf("default window: %v", err)
	}
	if _, err := a.Emerging(t.Context(), Query{Category: "Robbery", Res: 8, AutoK: true}); err == nil {
		t.Error("k=auto accepted")
	}
}
