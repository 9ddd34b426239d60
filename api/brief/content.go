// Package brief renders a ward briefing and the quarterly report for
// print: one self-contained HTML page (inline CSS, SVG drawn here, no
// request leaving it) or their content as JSON or CSV. geo/analysis
// assembles the figures; this package words them and draws them. Names
// come from data files, so every text goes through html/template.
package brief

import (
	"fmt"
	"math"
	"strings"

	"github.com/leicester-csp/hotspot/geo"
	"github.com/leicester-csp/hotspot/geo/analysis"
	"github.com/leicester-csp/hotspot/geo/hex"
)

// Content is a briefing as JSON gives it and the page shows it.
type Content struct {
	Ward     Named    `json:"ward"`
	Priority Priority `json:"priority"`
	From     string   `json:"from"`
	To       string   `json:"to"`
	Months   int      `json:"months"`
	// CountsAre says what every count is.
	CountsAre string `json:"counts_are"`
	// Counted names what Count counts, for the page's first line.
	Counted     string      `json:"-"`
	OutsideArea bool        `json:"outside_area"`
	Count       int         `json:"count"`
	Hotspots    []Hotspot   `json:"hotspots"`
	HotCells    int         `json:"hot_cells"`
	HotspotsAre string      `json:"hotspots_are"`
	Trend       []Month     `json:"trend"`
	Change      Changes     `json:"change"`
	CrimeTypes  []Type      `json:"crime_types"`
	Emerging    Emerging    `json:"emerging"`
	TargetAreas []Target    `json:"target_areas"`
	TargetsNote string      `json:"target_areas_note,omitempty"`
	Notes       []string    `json:"notes"`
	Data        DataMonths  `json:"data"`
	Map         *mapDrawing `json:"-"`
	TrendChart  *barChart   `json:"-"`
	// Temporal is null unless the brief counts a local source: police.uk
	// records have no time of day.
	Temporal *Temporal `json:"temporal"`
	HeatGrid *heatGrid `json:"-"`
}

// Named is a place or thing with a code and a name.
type Named struct {
	Code string `json:"code"`
	Name string `json:"name"`
}

// Priority is the priority a briefing is on.
type Priority struct {
	ID         string   `json:"id"`
	Name       string   `json:"name"`
	Categories []string `json:"categories"`
	Area       []string `json:"area"`
}

// Hotspot is one of the top five cells (DESIGN.md's keys).
type Hotspot struct {
	Rank        int      `json:"rank"`
	H3          string   `json:"h3"`
	Count       int      `json:"count"`
	GiZ         *float64 `json:"gi_z"`
	GiBin       int      `json:"gi_bin"`
	TopLocation *string  `json:"top_location"`
	Confidence  string   `json:"confidence"`
}

// Month is one month of the trend.
type Month struct {
	Month string `json:"month"`
	Count *int   `json:"count"` // null before the data's first month
}

// Changes are the window's count against the previous period and last
// year.
type Changes struct {
	Previous Change `json:"previous"`
	Year     Change `json:"year"`
}

// Change is a count against a base period; nil figures are unknown (the
// base lies partly before the data, or both counts are 0).
type Change struct {
	From      string   `json:"from"`
	To        string   `json:"to"`
	Count     *int     `json:"prev_count"`
	ChangePct *float64 `json:"change_pct"`
	ChangeP   *float64 `json:"change_p"`
	Words     string   `json:"words"`
}

// Type is one crime type's count.
type Type struct {
	Category string `json:"category"`
	Count    int    `json:"count"`
}

// Emerging is the ward's cells by emerging pattern.
type Emerging struct {
	Available bool      `json:"available"`
	From      string    `json:"from"`
	To        string    `json:"to"`
	Patterns  []Pattern `json:"patterns"`
	Note      string    `json:"note,omitempty"`
}

// Pattern is how many cells show one pattern.
type Pattern struct {
	Pattern string `json:"pattern"`
	Cells   int    `json:"cells"`
}

// Target is a target area touching the ward, with its evaluation.
type Target struct {
	ID         string          `json:"id"`
	Name       string          `json:"name"`
	Priority   string          `json:"priority"`
	Start      string          `json:"start"`
	Actions    string          `json:"actions"`
	Evaluation *TargetEvaluate `json:"evaluation"`
	Verdict    string          `json:"verdict"`
}

// TargetEvaluate holds DESIGN.md's evaluation keys.
type TargetEvaluate struct {
	TBefore int      `json:"t_before"`
	TAfter  int      `json:"t_after"`
	DBefore int      `json:"d_before"`
	DAfter  int      `json:"d_after"`
	CBefore int      `json:"c_before"`
	CAfter  int      `json:"c_after"`
	WDQ     *float64 `json:"wdq"`
	WDD     *float64 `json:"wdd"`
	WDDSE   *float64 `json:"wdd_se"`
	WDDZ    *float64 `json:"wdd_z"`
	WDDP    *float64 `json:"wdd_p"`
}

// DataMonths are the first and latest months the data hold.
type DataMonths struct {
	From string `json:"from"`
	To   string `json:"to"`
}

// countsAre says what the counts are, on the page and in the JSON.
const countsAre = "Counts of police.uk recorded crimes of the priority's crime types, in the months shown, at police.uk's snapped locations."

// hotspotsAre says how the hot spots were found.
const hotspotsAre = "Hexagons (H3 resolution 9, about 0.1 km²) centred in the ward where Getis–Ord Gi* (neighbours within one ring, over the priority's whole study area) " +
	"finds a cluster of high counts after Benjamini–Hochberg FDR correction; ranked by confidence bin, then z, then H3 index. " +
	"A hexagon with no incidents is never shown as a hot spot. \"On or near …\" is police.uk's snapped location, not an address."

// FromBrief words a briefing's figures.
func FromBrief(b *analysis.Brief) *Content {
	c := &Content{
		Ward:     Named{Code: b.Ward.Code, Name: b.Ward.Name},
		Priority: Priority{ID: b.Priority.ID, Name: b.Priority.Name, Categories: nonNil(b.Priority.Categories), Area: nonNil(b.Priority.Area)},
		From:     b.Period.From.String(), To: b.Period.To.String(), Months: b.Period.Len(),
		CountsAre: countsAre, Counted: "police.uk recorded crimes", HotspotsAre: hotspotsAre, OutsideArea: b.OutsideArea,
		Count: b.Count, HotCells: b.HotCells,
		Hotspots: []Hotspot{}, Trend: []Month{}, CrimeTypes: []Type{}, TargetAreas: []Target{}, Notes: []string{},
		Data: DataMonths{From: b.DataFrom.String(), To: b.DataTo.String()},
	}
	for i, h := range b.Hotspots {
		c.Hotspots = append(c.Hotspots, Hotspot{Rank: i + 1, H3: hex.String(h.Cell), Count: h.Count, GiZ: finite(h.Z), GiBin: h.Bin,
			TopLocation: nonEmpty(h.TopLocation), Confidence: confidence(h.Bin)})
	}
	for _, m := range b.Trend {
		tm := Month{Month: m.Month.String()}
		if m.Month >= b.DataFrom {
			tm.Count = &m.Count
		}
		c.Trend = append(c.Trend, tm)
	}
	for _, t := range b.Types {
		c.CrimeTypes = append(c.CrimeTypes, Type{Category: t.Category, Count: t.Count})
	}
	c.Change.Previous = change(b.Count, b.Previous, fmt.Sprintf("the previous %d months", b.Period.Len()))
	c.Change.Year = change(b.Count, b.Year, "the same months last year")
	if b.OutsideArea {
		const na = "Not applicable: the ward lies outside the priority's area."
		c.Change.Previous.Words, c.Change.Year.Words = na, na
	}
	c.Emerging = emerging(b.Emerging)
	c.TargetAreas, c.TargetsNote = targets(b)
	c.Notes = notes(b)
	if src := b.Local.Source; src != "" && src != geo.SourcePoliceUK {
		c.CountsAre, c.Counted = localCountsAre(b.Local), "records of "+src
	}
	if !b.OutsideArea {
		c.Map = drawMap(b)
		c.TrendChart = drawTrend(c.Trend)
		if c.Temporal = temporal(b); c.Temporal != nil {
			c.HeatGrid = drawHeatGrid(c.Temporal)
		}
	}
	return c
}

func notes(b *analysis.Brief) []string {
	out := []string{}
	if b.OutsideArea {
		out = append(out, fmt.Sprintf("Ward %s lies outside the area of priority %q (%s): the priority counts nothing here.", b.Ward.Name, b.Priority.Name, strings.Join(b.Priority.Area, ", ")))
		return out
	}
	if len(b.Hotspots) == 0 {
		out = append(out, fmt.Sprintf("No hot spots: no hexagon centred in %s is a significant cluster of high counts for %s in %s to %s.",
			b.Ward.Name, b.Priority.Name, b.Period.From, b.Period.To))
	}
	return out
}

func emerging(e analysis.BriefEmerging) Emerging {
	out := Emerging{Available: e.Available, From: e.Period.From.String(), To: e.Period.To.String(), Patterns: []Pattern{}, Note: e.Note}
	for _, p := range e.Patterns {
		out.Patterns = append(out.Patterns, Pattern{Pattern: p.Pattern, Cells: p.Cells})
	}
	return out
}

func targets(b *analysis.Brief) ([]Target, string) {
	out := []Target{}
	if !b.TargetsKnown {
		return out, "No target areas recorded (or none this caller may see)."
	}
	for _, t := range b.Targets {
		tv := Target{ID: t.ID, Name: t.Name, Priority: t.Priority, Start: t.Start.String(), Actions: t.Actions, Verdict: t.Verdict}
		if e := t.Evaluation; e != nil {
			tv.Evaluation = &TargetEvaluate{TBefore: e.TBefore, TAfter: e.TAfter, DBefore: e.DBefore, DAfter: e.DAfter, CBefore: e.CBefore, CAfter: e.CAfter,
				WDQ: e.WDQ, WDD: e.WDD, WDDSE: e.WDDSE, WDDZ: e.WDDZ, WDDP: e.WDDP}
		}
		out = append(out, tv)
	}
	if len(out) == 0 {
		return out, "No target areas recorded touching this ward."
	}
	return out, ""
}

// change words a count against a base period.
func change(count int, ch analysis.BriefChange, against string) Change {
	out := Change{From: ch.Period.From.String(), To: ch.Period.To.String(), Count: ch.Count, ChangePct: ch.ChangePct, ChangeP: ch.ChangeP}
	out.Words = ChangeWords(count, ch.Count, ch.ChangeP, against)
	return out
}

// ChangeWords says a change in words: its direction and size, and
// whether the exact test finds it significant at 5 %.
func ChangeWords(count int, prev *int, p *float64, against string) string {
	if prev == nil {
		return fmt.Sprintf("No comparison with %s: the data do not cover all of it.", against)
	}
	dir := "Level with"
	switch {
	case count > *prev && *prev > 0:
		dir = fmt.Sprintf("Up %.0f %% on", float64(count-*prev)*100/float64(*prev))
	case count > *prev:
		dir = "Up from none on"
	case count < *prev:
		dir = fmt.Sprintf("Down %.0f %% on", float64(*prev-count)*100/float64(*prev))
	}
	out := fmt.Sprintf("%s %s (%d against %d)", dir, against, count, *prev)
	switch {
	case p == nil:
		return out + "."
	case *p <= 0.05:
		return out + fmt.Sprintf("; a significant change (exact test, change_p %s).", FormatP(*p))
	default:
		return out + fmt.Sprintf("; within chance (exact test, change_p %s).", FormatP(*p))
	}
}

// FormatP prints a p-value as people read it.
func FormatP(p float64) string {
	if p < 0.001 {
		return "< 0.001"
	}
	return fmt.Sprintf("%.3f", p)
}

func confidence(bin int) string {
	switch bin {
	case 3:
		return "99 %"
	case 2:
		return "95 %"
	case 1:
		return "90 %"
	}
	return ""
}

func finite(v float64) *float64 {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return nil
	}
	return &v
}

func nonEmpty(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// monthOf is a month's label for the trend axis ("Jan").
func monthOf(s string) string {
	m, err := geo.ParseMonth(s)
	if err != nil {
		return s
	}
	return [...]string{"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"}[m.Num()-1]
}
