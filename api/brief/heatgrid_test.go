package brief

import (
	"strings"
	"testing"
)

// A withheld count is drawn hatched, titled "withheld" and keyed in the
// legend; it is never coloured as a zero or as a count.
func TestHeatGridWithheld(t *testing.T) {
	tm := &Temporal{Source: "council", Rows: dayNames, Below: 5}
	for d := range tm.Matrix {
		for h := range tm.Matrix[d] {
			n := 0
			if d == 4 && h >= 20 {
				n = 10 * (h - 19) // Friday night: 10 … 40
			}
			tm.Matrix[d][h] = &n
		}
	}
	var supp [7][24]bool
	supp[5][1], supp[5][2] = true, true
	tm.Matrix[5][1], tm.Matrix[5][2], tm.Suppressed = nil, nil, &supp
	g := drawHeatGrid(tm)
	if len(g.Cells) != 7*24 {
		t.Fatalf("%d cells", len(g.Cells))
	}
	cell := func(d, h int) heatCell { return g.Cells[d*24+h] }
	if c := cell(5, 1); c.Fill != withheldFill || !strings.Contains(c.Title, "Sat 01:00–01:59: fewer than 5, withheld") {
		t.Errorf("withheld cell %+v", c)
	}
	if c := cell(0, 0); c.Fill != zeroFill || c.Title != "Mon 00:00–00:59: 0" {
		t.Errorf("zero cell %+v", c)
	}
	if c := cell(4, 23); c.Fill != HeatColours[len(HeatColours)-1] || !strings.HasSuffix(c.Title, ": 40") {
		t.Errorf("busiest cell %+v", c)
	}
	if c := cell(4, 20); c.Fill != HeatColours[1] {
		t.Errorf("10 of 40 is in class %s, want %s", c.Fill, HeatColours[1])
	}
	var labels []string
	for _, k := range g.Legend {
		labels = append(labels, k.Label)
	}
	if got := strings.Join(labels, "|"); got != "0|1–8|9–16|17–24|25–32|33–40|fewer than 5, withheld" {
		t.Errorf("legend %s", got)
	}
	tm.Matrix[4][20], tm.Matrix[4][21], tm.Matrix[4][22], tm.Matrix[4][23] = ptrTo(1), ptrTo(2), ptrTo(0), ptrTo(0)
	labels = labels[:0]
	for _, k := range drawHeatGrid(tm).Legend {
		labels = append(labels, k.Label)
	}
	if got := strings.Join(labels, "|"); got != "0|1|2|fewer than 5, withheld" {
		t.Errorf("legend of a small peak %s", got)
	}
	tm.Suppressed = nil
	tm.Matrix[5][1], tm.Matrix[5][2] = new(int), new(int)
	if g := drawHeatGrid(tm); strings.Contains(g.Legend[len(g.Legend)-1].Label, "withheld") {
		t.Error("the legend keys a hatch no cell has")
	}
}

func ptrTo(n int) *int { return &n }
