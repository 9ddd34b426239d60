package glyphs

// The protocol-buffer messages of MapLibre's glyphs.proto, written by hand
// (three small messages do not warrant a protobuf dependency):
//
//	glyphs    { repeated fontstack stacks = 1; }
//	fontstack { string name = 1; string range = 2; repeated glyph glyphs = 3; }
//	glyph     { uint32 id = 1; bytes bitmap = 2; uint32 width = 3; uint32 height = 4;
//	            sint32 left = 5; sint32 top = 6; uint32 advance = 7; }

const (
	wireVarint = 0
	wireBytes  = 2
)

func appendVarint(b []byte, v uint64) []byte {
	for v >= 0x80 {
		b = append(b, byte(v)|0x80)
		v >>= 7
	}
	return append(b, byte(v))
}

func appendKey(b []byte, field, wire int) []byte {
	return appendVarint(b, uint64(field<<3|wire))
}

func appendUint(b []byte, field int, v uint64) []byte {
	return appendVarint(appendKey(b, field, wireVarint), v)
}

// appendSint writes a zig-zag encoded signed integer (sint32).
func appendSint(b []byte, field int, v int64) []byte {
	return appendUint(b, field, uint64((v<<1)^(v>>63)))
}

func appendBytes(b []byte, field int, v []byte) []byte {
	return append(appendVarint(appendKey(b, field, wireBytes), uint64(len(v))), v...)
}

func (g glyph) encode() []byte {
	b := appendUint(nil, 1, uint64(g.id))
	if g.bitmap != nil {
		b = appendBytes(b, 2, g.bitmap)
	}
	b = appendUint(b, 3, uint64(g.width))
	b = appendUint(b, 4, uint64(g.height))
	b = appendSint(b, 5, int64(g.left))
	b = appendSint(b, 6, int64(g.top))
	return appendUint(b, 7, uint64(g.advance))
}

// encodeStack wraps encoded glyphs in a fontstack inside a glyphs message.
func encodeStack(name, rng string, glyphs [][]byte) []byte {
	stack := appendBytes(nil, 1, []byte(name))
	stack = appendBytes(stack, 2, []byte(rng))
	for _, g := range glyphs {
		stack = appendBytes(stack, 3, g)
	}
	return appendBytes(nil, 1, stack)
}
