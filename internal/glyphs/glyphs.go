// Package glyphs makes the signed-distance-field glyph ranges that
// MapLibre GL asks for to draw text ("{fontstack}/{start}-{end}.pbf"),
// from fonts compiled into the binary, so that a map's labels need no font
// server. The fonts are the Go fonts (golang.org/x/image/font/gofont,
// designed by Bigelow & Holmes, BSD licence, the licence of Go itself):
// they come through the Go module proxy, like the rest of the code, and
// cover Latin, Greek and Cyrillic, which is what Leicester's street and
// place names need.
//
// The encoding is MapLibre's (the glyphs.proto of Mapbox GL): glyphs drawn
// at 24 px, each bitmap padded by 3 px, distances scaled by a radius of
// 8 px with the edge at 0.75 (192 of 255) — the values MapLibre's text
// shader assumes.
package glyphs

import (
	"fmt"
	"image"
	"strings"
	"sync"

	"golang.org/x/image/font"
	"golang.org/x/image/font/gofont/goitalic"
	"golang.org/x/image/font/gofont/gomedium"
	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/font/sfnt"
	"golang.org/x/image/math/fixed"
	"golang.org/x/image/vector"
)

// What MapLibre's text shader expects of every glyph range.
const (
	size   = 24   // px per em
	buffer = 3    // px of padding round each bitmap
	radius = 8.0  // px over which the distance falls from 255 to 0
	cutoff = 0.25 // the edge sits at 1 − cutoff of the range
	// RangeSize is the number of code points in one range file.
	RangeSize = 256
	// MaxCodePoint is the last code point of Unicode: no range starts
	// beyond it.
	MaxCodePoint = 0x10FFFF
)

// Face is one of the compiled-in fonts.
type Face struct {
	Name string
	font *sfnt.Font
}

var (
	facesOnce sync.Once
	faces     map[string]*Face
	facesErr  error
)

func loadFaces() {
	faces = map[string]*Face{}
	for name, ttf := range map[string][]byte{"regular": goregular.TTF, "medium": gomedium.TTF, "italic": goitalic.TTF} {
		f, err := opentype.Parse(ttf)
		if err != nil {
			facesErr = fmt.Errorf("glyphs: parse the Go %s font: %w", name, err)
			return
		}
		faces[name] = &Face{Name: "Go " + strings.ToUpper(name[:1]) + name[1:], font: f}
	}
}

// ForStack picks the compiled-in font for a style's font stack ("Noto
// Sans Medium", "Noto Sans Italic,Arial Unicode MS Regular"): the first
// name decides; medium, semibold and bold names get the medium weight,
// italic names the italic, anything else the regular.
func ForStack(stack string) (*Face, error) {
	facesOnce.Do(loadFaces)
	if facesErr != nil {
		return nil, facesErr
	}
	first := strings.ToLower(strings.SplitN(stack, ",", 2)[0])
	switch {
	case strings.Contains(first, "italic"):
		return faces["italic"], nil
	case strings.Contains(first, "medium"), strings.Contains(first, "bold"):
		return faces["medium"], nil
	}
	return faces["regular"], nil
}

// Range encodes the glyphs of code points start … start+255 as one
// MapLibre glyph range, named stack. Code points the font lacks are left
// out, as MapLibre expects. start must be a multiple of RangeSize.
func (f *Face) Range(stack string, start int) ([]byte, error) {
	if start < 0 || start > MaxCodePoint || start%RangeSize != 0 {
		return nil, fmt.Errorf("glyphs: range start %d is not a multiple of %d up to U+10FFFF", start, RangeSize)
	}
	var buf sfnt.Buffer
	var glyphs [][]byte
	for r := rune(start); r < rune(start+RangeSize); r++ {
		g, ok, err := f.glyph(&buf, r)
		if err != nil {
			return nil, fmt.Errorf("glyphs: %s U+%04X: %w", f.Name, r, err)
		}
		if ok {
			glyphs = append(glyphs, g.encode())
		}
	}
	return encodeStack(stack, fmt.Sprintf("%d-%d", start, start+RangeSize-1), glyphs), nil
}

// glyph is one character's bitmap and metrics in MapLibre's terms.
type glyph struct {
	id                 rune
	bitmap             []byte // (width+2·buffer) × (height+2·buffer), or nil for blanks
	width, height      int
	left, top, advance int
}

// glyph draws r; ok is false when the font has no glyph for it.
func (f *Face) glyph(buf *sfnt.Buffer, r rune) (glyph, bool, error) {
	idx, err := f.font.GlyphIndex(buf, r)
	if err != nil {
		return glyph{}, false, err
	}
	if idx == 0 {
		return glyph{}, false, nil // a missing glyph is left out, not an error
	}
	ppem := fixed.I(size)
	bounds, adv, err := f.font.GlyphBounds(buf, idx, ppem, font.HintingNone)
	if err != nil {
		return glyph{}, false, err
	}
	g := glyph{id: r, advance: adv.Round()}
	x0, y0 := bounds.Min.X.Floor(), bounds.Min.Y.Floor() // y grows downwards
	x1, y1 := bounds.Max.X.Ceil(), bounds.Max.Y.Ceil()
	if x1 <= x0 || y1 <= y0 {
		return g, true, nil // a space: advance only
	}
	g.width, g.height, g.left = x1-x0, y1-y0, x0
	// MapLibre measures top from a line origin 27 px above the baseline
	// at 24 px (its own in-browser glyphs use the same offset, to match
	// the glyph servers'), so the ascent is shifted by it.
	g.top = -y0 - 27
	segs, err := f.font.LoadGlyph(buf, idx, ppem, nil)
	if err != nil {
		return glyph{}, false, err
	}
	w, h := g.width+2*buffer, g.height+2*buffer
	ras := vector.NewRasterizer(w, h)
	dx, dy := float32(buffer-x0), float32(buffer-y0)
	pt := func(p fixed.Point26_6) (float32, float32) {
		return float32(p.X)/64 + dx, float32(p.Y)/64 + dy
	}
	for _, s := range segs {
		ax, ay := pt(s.Args[0])
		switch s.Op {
		case sfnt.SegmentOpMoveTo:
			ras.MoveTo(ax, ay)
		case sfnt.SegmentOpLineTo:
			ras.LineTo(ax, ay)
		case sfnt.SegmentOpQuadTo:
			bx, by := pt(s.Args[1])
			ras.QuadTo(ax, ay, bx, by)
		case sfnt.SegmentOpCubeTo:
			bx, by := pt(s.Args[1])
			cx, cy := pt(s.Args[2])
			ras.CubeTo(ax, ay, bx, by, cx, cy)
		}
	}
	ras.ClosePath()
	cov := image.NewAlpha(image.Rect(0, 0, w, h))
	ras.Draw(cov, cov.Bounds(), image.Opaque, image.Point{})
	g.bitmap = sdf(cov.Pix, w, h)
	return g, true, nil
}
