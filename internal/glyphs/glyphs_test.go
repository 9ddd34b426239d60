package glyphs

import (
	"math"
	"testing"
)

// pbfField is one decoded field of a protocol-buffer message.
type pbfField struct {
	num   int
	value uint64 // varints
	bytes []byte // length-delimited
}

// decodePBF reads one message's fields; the test's own decoder, so the
// encoder is not checked against itself.
func decodePBF(t *testing.T, b []byte) []pbfField {
	t.Helper()
	var out []pbfField
	varint := func() uint64 {
		var v uint64
		for shift := 0; ; shift += 7 {
			if len(b) == 0 {
				t.Fatal("truncated varint")
			}
			c := b[0]
			b = b[1:]
			v |= uint64(c&0x7f) << shift
			if c < 0x80 {
				return v
			}
		}
	}
	for len(b) > 0 {
		key := varint()
		f := pbfField{num: int(key >> 3)}
		switch key & 7 {
		case 0:
			f.value = varint()
		case 2:
			n := varint()
			f.bytes, b = b[:n], b[n:]
		default:
			t.Fatalf("unexpected wire type %d", key&7)
		}
		out = append(out, f)
	}
	return out
}

type decodedGlyph struct {
	id, width, height, advance uint64
	left, top                  int64
	bitmap                     []byte
}

func decodeRange(t *testing.T, b []byte) (name, rng string, glyphs map[rune]decodedGlyph) {
	t.Helper()
	top := decodePBF(t, b)
	if len(top) != 1 || top[0].num != 1 {
		t.Fatalf("want one fontstack, got %+v", top)
	}
	glyphs = map[rune]decodedGlyph{}
	for _, f := range decodePBF(t, top[0].bytes) {
		switch f.num {
		case 1:
			name = string(f.bytes)
		case 2:
			rng = string(f.bytes)
		case 3:
			var g decodedGlyph
			for _, gf := range decodePBF(t, f.bytes) {
				unzig := int64(gf.value>>1) ^ -int64(gf.value&1)
				switch gf.num {
				case 1:
					g.id = gf.value
				case 2:
					g.bitmap = gf.bytes
				case 3:
					g.width = gf.value
				case 4:
					g.height = gf.value
				case 5:
					g.left = unzig
				case 6:
					g.top = unzig
				case 7:
					g.advance = gf.value
				}
			}
			glyphs[rune(g.id)] = g
		}
	}
	return name, rng, glyphs
}

func TestRangeLatin(t *testing.T) {
	face, err := ForStack("Noto Sans Regular")
	if err != nil {
		t.Fatal(err)
	}
	b, err := face.Range("Noto Sans Regular", 0)
	if err != nil {
		t.Fatal(err)
	}
	name, rng, glyphs := decodeRange(t, b)
	if name != "Noto Sans Regular" || rng != "0-255" {
		t.Errorf("stack %q range %q, want the requested name and 0-255", name, rng)
	}
	for _, r := range "AZaz09 éÉ£'-" {
		if _, ok := glyphs[r]; !ok {
			t.Errorf("no glyph for %q", r)
		}
	}
	space := glyphs[' ']
	if space.bitmap != nil || space.advance == 0 {
		t.Errorf("space: bitmap %d bytes, advance %d; want none and an advance", len(space.bitmap), space.advance)
	}
	for _, tc := range []struct {
		r          rune
		minW, maxW uint64
		minH, maxH uint64
	}{
		{'I', 1, 9, 15, 20}, // Go Regular's I has serifs
		{'W', 18, 26, 15, 20},
		{'g', 9, 15, 15, 20},
	} {
		g := glyphs[tc.r]
		if g.width < tc.minW || g.width > tc.maxW || g.height < tc.minH || g.height > tc.maxH {
			t.Errorf("%q is %d×%d px, want %d–%d × %d–%d at 24 px", tc.r, g.width, g.height, tc.minW, tc.maxW, tc.minH, tc.maxH)
		}
		if got, want := len(g.bitmap), int((g.width+6)*(g.height+6)); got != want {
			t.Errorf("%q bitmap has %d bytes, want (w+6)·(h+6) = %d", tc.r, got, want)
		}
		// Corners are at least 3 px outside the glyph's box: at most
		// 255·(1 − 0.25 − 3/8) ≈ 96.
		w := int(g.width + 6)
		for _, i := range []int{0, w - 1, len(g.bitmap) - w, len(g.bitmap) - 1} {
			if g.bitmap[i] > 96 {
				t.Errorf("%q corner %d is %d, want ≤ 96 (outside)", tc.r, i, g.bitmap[i])
			}
		}
	}
	// The middle of the stem of I is inside: above the 192 edge.
	g := glyphs['I']
	w, h := int(g.width+6), int(g.height+6)
	if v := g.bitmap[(h/2)*w+w/2]; v <= 192 {
		t.Errorf("centre of I is %d, want > 192 (inside)", v)
	}
	// Baselines: I sits on it, g hangs below, so g's top is lower.
	if glyphs['I'].top <= glyphs['g'].top-8 || glyphs['I'].top < glyphs['g'].top {
		t.Errorf("tops I %d, g %d: I should reach higher", glyphs['I'].top, glyphs['g'].top)
	}
}

// TestSDFAgainstBruteForce compares the distance transform with distances
// measured by trying every pixel, on a filled rectangle.
func TestSDFAgainstBruteForce(t *testing.T) {
	const w, h = 20, 16
	cov := make([]byte, w*h)
	inside := func(x, y int) bool { return x >= 6 && x < 13 && y >= 5 && y < 11 }
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			if inside(x, y) {
				cov[y*w+x] = 255
			}
		}
	}
	got := sdf(cov, w, h)
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			// Distance to the nearest pixel of the other kind, as the
			// transform defines it on a hard-edged bitmap.
			best := math.Inf(1)
			for yy := 0; yy < h; yy++ {
				for xx := 0; xx < w; xx++ {
					if inside(xx, yy) != inside(x, y) {
						best = math.Min(best, math.Hypot(float64(x-xx), float64(y-yy)))
					}
				}
			}
			d := best
			if inside(x, y) {
				d = -best
			}
			want := math.Max(0, math.Min(255, math.Round(255-255*(d/8+0.25))))
			if math.Abs(float64(got[y*w+x])-want) > 1 {
				t.Fatalf("(%d,%d): %d, want %v", x, y, got[y*w+x], want)
			}
		}
	}
}

func TestForStackAndBadRanges(t *testing.T) {
	for _, tc := range []struct{ stack, want string }{
		{"Noto Sans Regular", "Go Regular"},
		{"Noto Sans Medium", "Go Medium"},
		{"Noto Sans Italic", "Go Italic"},
		{"Open Sans Bold,Arial Unicode MS Regular", "Go Medium"},
		{"Arial Unicode MS Regular,Noto Sans Italic", "Go Regular"},
	} {
		f, err := ForStack(tc.stack)
		if err != nil || f.Name != tc.want {
			t.Errorf("ForStack(%q) = %v, %v; want %s", tc.stack, f, err, tc.want)
		}
	}
	f, _ := ForStack("")
	for _, start := range []int{-256, 1, 255, 0x110000} {
		if _, err := f.Range("x", start); err == nil {
			t.Errorf("Range(%d): no error", start)
		}
	}
	// A range the font does not cover at all is valid and empty.
	b, err := f.Range("x", 0x4E00)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, glyphs := decodeRange(t, b); len(glyphs) != 0 {
		t.Errorf("CJK range: %d glyphs from a Latin font", len(glyphs))
	}
}

// BenchmarkRange is the cost of drawing the Latin range once (the server
// keeps each range after its first request).
func BenchmarkRange(b *testing.B) {
	face, err := ForStack("Noto Sans Regular")
	if err != nil {
		b.Fatal(err)
	}
	var n int
	for b.Loop() {
		out, err := face.Range("Noto Sans Regular", 0)
		if err != nil {
			b.Fatal(err)
		}
		n = len(out)
	}
	b.ReportMetric(float64(n), "bytes")
}
