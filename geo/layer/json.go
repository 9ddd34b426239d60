package layer

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io"
	"math"
	"strconv"
	"unicode/utf8"

	"github.com/paulmach/orb"
)

// jsonWriter writes one JSON document piece by piece, features one at a
// time so that a large layer never exists twice in memory. Its spelling
// of strings and numbers is encoding/json's (HTML characters unescaped),
// so that every answer is byte-stable whoever writes it. The first error
// sticks.
type jsonWriter struct {
	w       *bufio.Writer
	scratch bytes.Buffer
	enc     *json.Encoder
	err     error
}

func newJSONWriter(w io.Writer) *jsonWriter {
	j := &jsonWriter{w: bufio.NewWriterSize(w, 64<<10)}
	j.enc = json.NewEncoder(&j.scratch)
	// Locations like "On or near A & B" read better unescaped; the
	// answers are never embedded in HTML.
	j.enc.SetEscapeHTML(false)
	return j
}

func (j *jsonWriter) raw(s string) {
	if j.err == nil {
		_, j.err = j.w.WriteString(s)
	}
}

func (j *jsonWriter) bytes(b []byte) {
	if j.err == nil {
		_, j.err = j.w.Write(b)
	}
}

// any writes a value through encoding/json (members, links).
func (j *jsonWriter) any(v any) {
	if j.err != nil {
		return
	}
	j.scratch.Reset()
	if j.err = j.enc.Encode(v); j.err != nil {
		return
	}
	b := j.scratch.Bytes()
	j.bytes(b[:len(b)-1]) // Encode's trailing newline
}

// str writes a JSON string, straight into the buffered writer's free
// space when it fits.
func (j *jsonWriter) str(s string) {
	j.bytes(appendString(j.w.AvailableBuffer(), s))
}

func (j *jsonWriter) value(v Value) {
	switch {
	case !v.set:
		j.raw("null")
	case v.typ == String:
		j.str(v.text)
	case v.typ == IntList:
		j.raw("[" + v.text + "]")
	case v.typ == Counts:
		j.raw(v.text)
	case v.typ == Integer:
		j.bytes(strconv.AppendInt(j.w.AvailableBuffer(), int64(v.bits), 10))
	case v.typ == Boolean:
		j.raw(strconv.FormatBool(v.bits != 0))
	default:
		j.bytes(appendFloat(j.w.AvailableBuffer(), math.Float64frombits(v.bits)))
	}
}

func (j *jsonWriter) close() error {
	if j.err != nil {
		return j.err
	}
	return j.w.Flush()
}

const hexDigits = "0123456789abcdef"

// appendString appends s as a JSON string exactly as encoding/json does
// with HTML escaping off: control characters escaped, invalid UTF-8 as
// U+FFFD, and U+2028/U+2029 escaped for JavaScript's sake.
func appendString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		if c := s[i]; c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hexDigits[r&0xf])
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

// appendGeometry appends a geometry's GeoJSON; nil (and an empty
// polygon set) is null, which RFC 7946 allows for an unlocated feature.
func appendGeometry(b []byte, g orb.Geometry) []byte {
	switch g := g.(type) {
	case orb.Point:
		b = append(b, `{"type":"Point","coordinates":`...)
		b = appendPoint(b, g)
	case orb.Polygon:
		if g == nil {
			return append(b, "null"...)
		}
		b = append(b, `{"type":"Polygon","coordinates":`...)
		b = appendPolygon(b, g)
	case orb.MultiPolygon:
		if len(g) == 0 {
			return append(b, "null"...)
		}
		b = append(b, `{"type":"MultiPolygon","coordinates":[`...)
		for i, p := range g {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendPolygon(b, p)
		}
		b = append(b, ']')
	default:
		return append(b, "null"...)
	}
	return append(b, '}')
}

func appendPoint(b []byte, p orb.Point) []byte {
	b = append(b, '[')
	b = appendFloat(b, p[0])
	b = append(b, ',')
	b = appendFloat(b, p[1])
	return append(b, ']')
}

func appendPolygon(b []byte, p orb.Polygon) []byte {
	b = append(b, '[')
	for i, r := range p {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, '[')
		for k, pt := range r {
			if k > 0 {
				b = append(b, ',')
			}
			b = appendPoint(b, pt)
		}
		b = append(b, ']')
	}
	return append(b, ']')
}
