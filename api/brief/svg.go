package brief

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/paulmach/orb"

	"github.com/leicester-csp/hotspot/geo/analysis"
	"github.com/leicester-csp/hotspot/geo/hex"
)

// The drawings are in SVG user units; the page scales them to its width.
const (
	mapW, mapH = 600.0, 380.0
	mapPad     = 14.0
	// metresPerDegree is one degree of latitude on DESIGN.md's sphere
	// (R = 6,371,008.8 m).
	metresPerDegree = 6371008.8 * math.Pi / 180
)

// GiColours are the Gi* bin colours of the web map (web/src/palette.js),
// so that a printed brief and the map read the same.
var GiColours = map[int]string{3: "#b2182b", 2: "#e6550d", 1: "#fdae6b", 0: "#e8e8e8", -1: "#9ecae1", -2: "#4292c6", -3: "#08306b"}

// mapDrawing is the ward's map: its boundary, the hexagons centred in it
// coloured by Gi* bin, the top five numbered, a scale bar and a north
// arrow.
type mapDrawing struct {
	W, H      float64
	Ward      string // path data
	Cells     []cellShape
	Labels    []label
	Scale     scaleBar
	NorthX    float64
	NorthY    float64
	ViewBox   string
	Legend    []legendItem
	LegendTop float64
}

type cellShape struct {
	D, Fill string
}

type label struct {
	X, Y float64
	Text string
}

type scaleBar struct {
	X, Y, Width float64
	Label       string
}

type legendItem struct {
	Y      float64
	Fill   string
	Label  string
	TextY  float64
	Stroke string
}

// projection maps longitude and latitude onto the drawing: plate carrée
// scaled by the cosine of the ward's middle latitude, so that a metre is
// as long east–west as north–south there.
type projection struct {
	minLon, maxLat, cos, scale, offX, offY float64
}

func newProjection(b orb.Bound) projection {
	midLat := (b.Min[1] + b.Max[1]) / 2
	cos := math.Cos(midLat * math.Pi / 180)
	dx := (b.Max[0] - b.Min[0]) * cos
	dy := b.Max[1] - b.Min[1]
	s := math.Min((mapW-2*mapPad)/math.Max(dx, 1e-9), (mapH-2*mapPad)/math.Max(dy, 1e-9))
	return projection{minLon: b.Min[0], maxLat: b.Max[1], cos: cos, scale: s,
		offX: (mapW - dx*s) / 2, offY: (mapH - dy*s) / 2}
}

func (p projection) xy(pt orb.Point) (float64, float64) {
	return p.offX + (pt[0]-p.minLon)*p.cos*p.scale, p.offY + (p.maxLat-pt[1])*p.scale
}

func (p projection) path(rings ...orb.Ring) string {
	var sb strings.Builder
	for _, r := range rings {
		for i, pt := range r {
			x, y := p.xy(pt)
			if i == 0 {
				sb.WriteString("M")
			} else {
				sb.WriteString("L")
			}
			sb.WriteString(num(x) + " " + num(y))
		}
		sb.WriteString("Z")
	}
	return sb.String()
}

func num(v float64) string { return strconv.FormatFloat(v, 'f', 1, 64) }

func drawMap(b *analysis.Brief) *mapDrawing {
	d := &mapDrawing{W: mapW, H: mapH, ViewBox: fmt.Sprintf("0 0 %d %d", int(mapW), int(mapH))}
	if len(b.Ward.Geometry) == 0 {
		return d
	}
	p := newProjection(b.Ward.Geometry.Bound())
	var rings []orb.Ring
	for _, poly := range b.Ward.Geometry {
		rings = append(rings, poly...)
	}
	d.Ward = p.path(rings...)
	for _, c := range b.MapCells {
		fill := GiColours[c.Bin]
		if c.Count == 0 && c.Bin > 0 {
			fill = GiColours[0] // a cell with no incidents is not drawn as hot
		}
		d.Cells = append(d.Cells, cellShape{D: p.path(orb.Ring(hex.Polygon(c.Cell)[0])), Fill: fill})
	}
	for i, h := range b.Hotspots {
		x, y := p.xy(hex.Center(h.Cell))
		d.Labels = append(d.Labels, label{X: x, Y: y + 4, Text: strconv.Itoa(i + 1)})
	}
	d.Scale = scaleFor(p)
	d.NorthX, d.NorthY = mapW-28, 18
	d.Legend, d.LegendTop = legend()
	return d
}

// scaleFor picks a round length (1, 2 or 5 × 10ⁿ m) near a fifth of the
// drawing's width.
func scaleFor(p projection) scaleBar {
	pxPerMetre := p.scale / metresPerDegree
	want := mapW / 5 / pxPerMetre
	step := math.Pow(10, math.Floor(math.Log10(want)))
	m := step
	for _, f := range []float64{2, 5, 10} {
		if f*step <= want {
			m = f * step
		}
	}
	lbl := fmt.Sprintf("%.0f m", m)
	if m >= 1000 {
		lbl = strconv.FormatFloat(m/1000, 'f', -1, 64) + " km"
	}
	return scaleBar{X: mapPad, Y: mapH - 12, Width: m * pxPerMetre, Label: lbl}
}

func legend() ([]legendItem, float64) {
	items := []struct {
		bin int
		lbl string
	}{{3, "Hot spot, 99 %"}, {2, "Hot spot, 95 %"}, {1, "Hot spot, 90 %"}, {0, "Not significant"}, {-1, "Cold spot, 90–99 %"}}
	var out []legendItem
	top := 10.0
	for i, it := range items {
		y := top + float64(i)*18
		out = append(out, legendItem{Y: y, Fill: GiColours[it.bin], Label: it.lbl, TextY: y + 11})
	}
	return out, top
}

// barChart is the 12-month trend as bars with their counts.
type barChart struct {
	W, H    float64
	ViewBox string
	Bars    []bar
	Base    float64
}

type bar struct {
	X, Y, W, H   float64
	Count, Month string
	CountY, MonY float64
	MidX         float64
}

func drawTrend(ms []Month) *barChart {
	const w, h, top, bottom = 300.0, 120.0, 14.0, 16.0
	c := &barChart{W: w, H: h, ViewBox: fmt.Sprintf("0 0 %d %d", int(w), int(h)), Base: h - bottom}
	peak := 1
	for _, m := range ms {
		if m.Count != nil {
			peak = max(peak, *m.Count)
		}
	}
	if len(ms) == 0 {
		return c
	}
	slot := w / float64(len(ms))
	for i, m := range ms {
		n, label := 0, "–" // before the data: no bar, a dash
		if m.Count != nil {
			n, label = *m.Count, strconv.Itoa(*m.Count)
		}
		bh := float64(n) / float64(peak) * (h - top - bottom)
		x := float64(i) * slot
		c.Bars = append(c.Bars, bar{X: x + slot*0.15, Y: c.Base - bh, W: slot * 0.7, H: bh, MidX: x + slot/2,
			Count: label, CountY: c.Base - bh - 3, Month: monthOf(m.Month), MonY: h - 4})
	}
	return c
}
