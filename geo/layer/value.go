package layer

import (
	"math"
	"slices"
	"strconv"
)

// Type is what a property holds, in kinds every output can say: GeoJSON
// and CSV spell them, MVT and TileJSON type them.
type Type uint8

const (
	String  Type = iota // text
	Integer             // a whole number
	Number              // a float64, written as encoding/json writes it
	// IntList is whole numbers in order (the emerging layer's monthly
	// bins): a JSON array in GeoJSON ([0,0,1,2,3]), and in CSV, vector
	// tiles and property filters, which have no arrays, the same numbers
	// as text joined by commas ("0,0,1,2,3"), which GDAL and QGIS show
	// as it is and a reader can split.
	IntList
	// Counts is whole numbers by name (a map point's incidents by crime
	// type): a JSON object in GeoJSON ({"Robbery":1,"Shoplifting":3}),
	// and the same object as JSON text in CSV, vector tiles and property
	// filters, keys in byte order so that equal counts spell alike.
	Counts
	// Boolean is true or false (the suppressed flag of disclosure
	// control): "true" or "false" in CSV and property filters.
	Boolean
)

// Name is the type as TileJSON's fields and JSON Schema call it.
func (t Type) Name() string {
	switch t {
	case Integer:
		return "integer"
	case Number:
		return "number"
	case IntList:
		return "array" // of integers
	case Counts:
		return "object" // of integers
	case Boolean:
		return "boolean"
	}
	return "string"
}

// Value is one property of one feature; the zero Value is null.
type Value struct {
	typ  Type
	set  bool
	text string
	bits uint64 // a Number's float64 bits, or an Integer
}

// Bool is a boolean value.
func Bool(b bool) Value {
	v := Value{typ: Boolean, set: true}
	if b {
		v.bits = 1
	}
	return v
}

// Str is a text value.
func Str(s string) Value { return Value{typ: String, set: true, text: s} }

// OptStr is a text value, null when s is empty.
func OptStr(s string) Value {
	if s == "" {
		return Value{typ: String}
	}
	return Str(s)
}

// Int is a whole-number value.
func Int(n int) Value { return Value{typ: Integer, set: true, bits: uint64(int64(n))} }

// OptInt is a whole-number value, null when n is not positive (an
// unknown population).
func OptInt(n int) Value {
	if n <= 0 {
		return Value{typ: Integer}
	}
	return Int(n)
}

// Num is a float value; NaN and ±Inf (an undefined statistic) are null,
// since no output can spell them.
func Num(f float64) Value {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return Value{typ: Number}
	}
	return Value{typ: Number, set: true, bits: math.Float64bits(f)}
}

// OptNum is Num(*f), null for nil.
func OptNum(f *float64) Value {
	if f == nil {
		return Value{typ: Number}
	}
	return Num(*f)
}

// Ints is a whole-number list value, held as its comma-joined text.
func Ints(ns []int) Value {
	b := make([]byte, 0, 3*len(ns))
	for i, n := range ns {
		if i > 0 {
			b = append(b, ',')
		}
		b = strconv.AppendInt(b, int64(n), 10)
	}
	return Value{typ: IntList, set: true, text: string(b)}
}

// CountsOf is a Counts value, held as its JSON text.
func CountsOf(m map[string]int) Value {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	b := []byte{'{'}
	for i, k := range keys {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendString(b, k)
		b = append(b, ':')
		b = strconv.AppendInt(b, int64(m[k]), 10)
	}
	return Value{typ: Counts, set: true, text: string(append(b, '}'))}
}

// Null reports whether the value is null.
func (v Value) Null() bool { return !v.set }

// Type returns the value's type.
func (v Value) Type() Type { return v.typ }

// Text returns a String value's text, an IntList's numbers joined by
// commas, or a Counts value's JSON text.
func (v Value) Text() string { return v.text }

// Int returns an Integer value.
func (v Value) Int() int { return int(int64(v.bits)) }

// Float returns a Number value, or an Integer as a float.
func (v Value) Float() float64 {
	if v.typ == Integer {
		return float64(int64(v.bits))
	}
	return math.Float64frombits(v.bits)
}

// String spells the value as CSV and property filters see it: "" for
// null, numbers as encoding/json writes them.
func (v Value) String() string {
	switch {
	case !v.set:
		return ""
	case v.typ == Integer:
		return strconv.FormatInt(int64(v.bits), 10)
	case v.typ == Number:
		return FormatFloat(math.Float64frombits(v.bits))
	case v.typ == Boolean:
		return strconv.FormatBool(v.bits != 0)
	}
	return v.text
}

// FormatFloat spells a number as encoding/json does, so that a CSV field
// and the JSON answers agree digit for digit.
func FormatFloat(f float64) string {
	return string(appendFloat(nil, f))
}

func appendFloat(b []byte, f float64) []byte {
	abs := math.Abs(f)
	format := byte('f')
	if abs != 0 && (abs < 1e-6 || abs >= 1e21) {
		format = 'e'
	}
	start := len(b)
	b = strconv.AppendFloat(b, f, format, -1, 64)
	if format == 'e' {
		// e-07 → e-7, as encoding/json writes it.
		if n := len(b); n-start >= 4 && b[n-4] == 'e' && b[n-3] == '-' && b[n-2] == '0' {
			b[n-2] = b[n-1]
			b = b[:n-1]
		}
	}
	return b
}
