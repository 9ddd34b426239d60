package brief

import (
	"fmt"
	"strings"

	"github.com/leicester-csp/hotspot/geo/analysis"
)

// Temporal is the ward's local records by weekday and local hour, as the
// JSON gives it: the filters in force, and matrix[day][hour] Monday
// first, with a withheld count null and its suppressed cell true.
type Temporal struct {
	Source     string       `json:"source"`
	Flag       string       `json:"flag"`
	Days       string       `json:"days"`
	Hours      string       `json:"hours"`
	Rows       []string     `json:"rows"`
	Matrix     [7][24]*int  `json:"matrix"`
	Suppressed *[7][24]bool `json:"suppressed,omitempty"`
	Below      int          `json:"suppress_below,omitempty"`
	About      string       `json:"about"`
}

// dayNames are the grid's rows, Monday first as /api/v1/temporal.
var dayNames = []string{"mon", "tue", "wed", "thu", "fri", "sat", "sun"}
var dayWords = []string{"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"}

// HeatColours are the grid's count classes, lightest first (ColorBrewer
// YlOrRd, as web/src/heatgrid.js), so that the brief and the map agree.
var HeatColours = []string{"#ffffb2", "#fecc5c", "#fd8d3c", "#f03b20", "#bd0026"}

// Fills of a zero and of a withheld count: a zero is a known none, a
// withheld count is hatched so that it never reads as a zero.
const (
	zeroFill     = "#f4f4f4"
	withheldFill = "url(#withheld)"
)

func temporal(b *analysis.Brief) *Temporal {
	m := b.DayHour
	if m == nil {
		return nil
	}
	t := &Temporal{Source: b.Local.Source, Flag: b.Local.Flag, Days: b.Local.Days, Hours: b.Local.Hours, Rows: dayNames, Below: m.Below}
	for d := range m.Counts {
		for h, n := range m.Counts[d] {
			if m.Suppressed[d][h] {
				s := m.Suppressed
				t.Suppressed = &s
				continue
			}
			t.Matrix[d][h] = &n
		}
	}
	t.About = fmt.Sprintf("Records of %s in the ward by weekday and local hour (Europe/London), %s to %s.", t.Source, b.Period.From, b.Period.To)
	if t.Suppressed != nil {
		t.About += fmt.Sprintf(" Hatched: fewer than %d records, withheld from a partner key (not zero).", t.Below)
	}
	return t
}

// heatGrid is the day × hour matrix drawn as 7 rows of 24 cells.
type heatGrid struct {
	W, H    float64
	ViewBox string
	Cells   []heatCell
	Rows    []label
	Hours   []label
	Legend  []heatKey
}

type heatCell struct {
	X, Y, W, H float64
	Fill       string
	Title      string
}

type heatKey struct {
	X, Y   float64
	Fill   string
	Label  string
	LabelX float64
}

// heatClass is the colour class of n against the largest count: five
// equal steps of it, so that the darkest cell is the busiest hour.
func heatClass(n, peak int) int {
	if n <= 0 || peak <= 0 {
		return -1
	}
	return min(len(HeatColours)-1, (n*len(HeatColours)-1)/peak)
}

func drawHeatGrid(t *Temporal) *heatGrid {
	const left, top, cw, ch, legendH = 30.0, 12.0, 15.0, 11.0, 18.0
	g := &heatGrid{W: left + 24*cw, H: top + 7*ch + legendH}
	g.ViewBox = fmt.Sprintf("0 0 %g %g", g.W, g.H)
	peak := 0
	for d := range t.Matrix {
		for _, n := range t.Matrix[d] {
			if n != nil {
				peak = max(peak, *n)
			}
		}
	}
	for d := range t.Matrix {
		g.Rows = append(g.Rows, label{X: left - 4, Y: top + float64(d)*ch + ch - 3, Text: dayWords[d]})
		for h, n := range t.Matrix[d] {
			c := heatCell{X: left + float64(h)*cw, Y: top + float64(d)*ch, W: cw - 1, H: ch - 1}
			when := fmt.Sprintf("%s %02d:00–%02d:59", dayWords[d], h, h)
			switch {
			case n == nil:
				c.Fill, c.Title = withheldFill, fmt.Sprintf("%s: fewer than %d, withheld", when, t.Below)
			case *n == 0:
				c.Fill, c.Title = zeroFill, when+": 0"
			default:
				c.Fill, c.Title = HeatColours[heatClass(*n, peak)], fmt.Sprintf("%s: %d", when, *n)
			}
			g.Cells = append(g.Cells, c)
		}
	}
	for h := 0; h < 24; h += 3 {
		g.Hours = append(g.Hours, label{X: left + float64(h)*cw + cw/2, Y: top - 4, Text: fmt.Sprintf("%02d", h)})
	}
	g.Legend = heatLegend(peak, t.Suppressed != nil, t.Below, top+7*ch+6)
	return g
}

// heatLegend is the grid's key: zero, the classes' upper bounds and, when
// any count was withheld, the hatch.
func heatLegend(peak int, withheld bool, below int, y float64) []heatKey {
	keys := []heatKey{{Fill: zeroFill, Label: "0"}}
	// Class i holds the counts n with i·peak < 5n ≤ (i+1)·peak.
	lo := 0
	for i, c := range HeatColours {
		hi := peak * (i + 1) / len(HeatColours)
		if hi > lo {
			lbl := fmt.Sprintf("%d–%d", lo+1, hi)
			if hi == lo+1 {
				lbl = fmt.Sprint(hi)
			}
			keys = append(keys, heatKey{Fill: c, Label: lbl})
			lo = hi
		}
	}
	if withheld {
		keys = append(keys, heatKey{Fill: withheldFill, Label: fmt.Sprintf("fewer than %d, withheld", below)})
	}
	x := 30.0
	for i := range keys {
		keys[i].X, keys[i].Y, keys[i].LabelX = x, y, x+12
		x += 16 + 6*float64(len([]rune(keys[i].Label)))
	}
	return keys
}

// localCountsAre says what a brief on partner records counts: not
// police.uk's open data, and with the filters in force.
func localCountsAre(l analysis.BriefLocal) string {
	t := Temporal{Source: l.Source, Flag: l.Flag, Days: l.Days, Hours: l.Hours}
	return fmt.Sprintf("Counts of partner records (%s) of the priority's categories, in the months shown, at their recorded locations: the partnership's own data, not police.uk's open data.", t.FilterWords())
}

// FilterWords says which records the grid counts, for its caption.
func (t *Temporal) FilterWords() string {
	parts := []string{"source " + t.Source}
	if t.Flag != "" {
		parts = append(parts, "flags "+strings.ReplaceAll(t.Flag, ",", " and "))
	}
	if t.Days != "" {
		parts = append(parts, "days "+t.Days)
	}
	if t.Hours != "" {
		parts = append(parts, "hours "+t.Hours)
	}
	return strings.Join(parts, ", ")
}
