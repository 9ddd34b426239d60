package embedded

import (
	"bytes"
	"errors"
	"math"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/paulmach/orb"

	"github.com/leicester-csp/hotspot/geo"
)

// decodeSegmentRows decodes a segment into rows holding their own strings,
// the form encodeSegment takes, so that the two can be compared.
func decodeSegmentRows(b []byte) ([]segRow, error) {
	var rows []segRow
	err := decodeSegment(b, func(id []byte, month geo.Month, pt uint32, fields *[nFields]uint32, ext *extIdx, strs []string) error {
		r := segRow{id: string(id), month: month, point: pt}
		for f, i := range fields {
			r.fields[f] = strs[i]
		}
		if ext != nil {
			r.ext = &segExt{src: strs[ext.src], premises: strs[ext.premises], offender: strs[ext.offender], occurred: ext.occurred, flags: ext.flags}
		}
		rows = append(rows, r)
		return nil
	})
	return rows, err
}

func fieldsOf(s string) [nFields]string {
	var f [nFields]string
	for i := range f {
		f[i] = s
	}
	return f
}

// segmentCases are also the fuzz seeds, so they cover the shapes the
// decoder has to tell apart.
var segmentCases = []struct {
	name string
	rows []segRow
}{
	{"no rows", nil},
	{"one row, all strings empty, no location", []segRow{{}}},
	{"typical", []segRow{
		{id: "c01", month: geo.NewMonth(2024, 1), point: 1, fields: [nFields]string{"Leicestershire Police", "Leicestershire Police", "On or near High Street", "E01000001", "Leicester 001A", "Burglary", "Under investigation", ""}},
		{id: "c02", month: geo.NewMonth(2024, 2), point: 2, fields: [nFields]string{"Leicestershire Police", "Leicestershire Police", "On or near High Street", "E01000001", "Leicester 001A", "Robbery", "", ""}},
	}},
	{"no location", []segRow{{id: "n1", month: geo.NewMonth(2023, 12), point: 0, fields: [nFields]string{fLocation: "No Location", fCategory: "Drugs"}}}},
	{"unicode and raw bytes", []segRow{
		{id: "ünïcødé-🚓", month: 1, point: 3, fields: [nFields]string{"Polícia", "警察", "On or near Straße", "E0\u200b1", "שלום", "Anti-social behaviour ✓", "e\u0301", "\x00\xff\xfe not UTF-8"}},
		{id: "\x00", month: 2, point: 3, fields: fieldsOf("🚓")},
	}},
	{"extremes", []segRow{
		// 16 400 bytes: a length that takes three varint bytes.
		{id: strings.Repeat("x", 16_400), month: math.MaxInt32, point: math.MaxUint32, fields: fieldsOf(strings.Repeat("long ", 40))},
		{id: "min", month: math.MinInt32, point: 1, fields: fieldsOf("")},
		{id: "zero", month: 0, point: 0, fields: fieldsOf("a")},
		{id: "neg", month: -1, point: 128, fields: fieldsOf("b")},
	}},
	{"partner records among police.uk rows", []segRow{
		{id: "c01", month: 5, point: 1, fields: fieldsOf("uk")},
		{id: "c01", month: 5, point: 2, fields: [nFields]string{fCategory: "Street drinking"}, ext: &segExt{src: "council", premises: "P1", offender: "0123456789abcdef", occurred: 1717200000, flags: geo.Flags(0).With(geo.Knife).With(geo.VAWG)}},
		{id: "r2", month: 6, fields: fieldsOf(""), ext: &segExt{src: "bid", occurred: -5}},
	}},
	{"shared strings", []segRow{
		{id: "a", point: 1, fields: fieldsOf("same")},
		{id: "b", point: 1, fields: fieldsOf("same")},
		{id: "c", point: 2, fields: fieldsOf("other")},
	}},
}

func TestSegmentRoundTrip(t *testing.T) {
	for _, tc := range segmentCases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := decodeSegmentRows(encodeSegment(tc.rows))
			if err != nil {
				t.Fatalf("decode: %v", err)
			}
			if !reflect.DeepEqual(got, tc.rows) {
				t.Errorf("decoded %d rows, want %d; first difference at %d", len(got), len(tc.rows), firstDiff(got, tc.rows))
			}
		})
	}
}

// A segment written before partner records (format 1: no tail per row)
// still reads, every row police.uk's.
func TestSegmentFormat1(t *testing.T) {
	rows := segmentCases[2].rows
	e := &encoder{b: []byte(segMagicV1)}
	e.uvarint(uint64(nFields * len(rows)))
	for _, r := range rows {
		for _, s := range r.fields {
			e.bytes(s)
		}
	}
	e.uvarint(uint64(len(rows)))
	for k, r := range rows {
		e.bytes(r.id)
		e.varint(int64(r.month))
		e.uvarint(uint64(r.point))
		for f := range r.fields {
			e.uvarint(uint64(k*nFields + f))
		}
	}
	got, err := decodeSegmentRows(e.seal())
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, rows) {
		t.Errorf("format 1 read as %+v, want %+v", got, rows)
	}
}

func firstDiff(a, b []segRow) int {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return i
		}
	}
	return min(len(a), len(b))
}

func cellsFrom(c geo.Cell) [geo.NumRes]geo.Cell {
	var out [geo.NumRes]geo.Cell
	for r := range out {
		out[r] = c + geo.Cell(r)
	}
	return out
}

var pointCases = []struct {
	name string
	pts  []point
}{
	{"no points", nil},
	{"zero point, unassigned", []point{{Ward: -1, LSOA: -1}}},
	{"typical", []point{
		{P: orb.Point{-1.1332, 52.6369}, Cells: cellsFrom(0x8a195da49b4ffff), Ward: 3, LSOA: 41},
		{P: orb.Point{-1.1401, 52.6301}, Cells: cellsFrom(0x8a195da49b5ffff), Ward: -1, LSOA: 0},
	}},
	{"extremes", []point{
		{P: orb.Point{math.MaxFloat64, -math.MaxFloat64}, Cells: cellsFrom(math.MaxUint64 - geo.NumRes), Ward: math.MaxInt32, LSOA: math.MinInt32},
		{P: orb.Point{math.SmallestNonzeroFloat64, math.Copysign(0, -1)}, Ward: math.MinInt32, LSOA: math.MaxInt32},
		{P: orb.Point{math.Inf(1), math.Inf(-1)}, Ward: 0, LSOA: 0},
		{P: orb.Point{math.NaN(), math.Float64frombits(0x7ff8dead0000beef)}, Ward: -1, LSOA: -1},
	}},
}

// samePoints compares coordinates bit for bit: NaN is a value the format
// must keep, and != would call every NaN changed.
func samePoints(a, b []point) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		x, y := a[i], b[i]
		if math.Float64bits(x.P[0]) != math.Float64bits(y.P[0]) || math.Float64bits(x.P[1]) != math.Float64bits(y.P[1]) ||
			x.Cells != y.Cells || x.Ward != y.Ward || x.LSOA != y.LSOA {
			return false
		}
	}
	return true
}

func TestPointsRoundTrip(t *testing.T) {
	for _, tc := range pointCases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := decodePoints(encodePoints(tc.pts))
			if err != nil {
				t.Fatalf("decode: %v", err)
			}
			if !samePoints(got, tc.pts) {
				t.Errorf("decoded %v, want %v", got, tc.pts)
			}
		})
	}
}

var areaCases = []struct {
	name  string
	areas []geo.Area
}{
	{"no areas", nil},
	{"one of each kind", []geo.Area{
		{Kind: geo.KindWard, Code: "E05010458", Name: "Castle", Geometry: orb.MultiPolygon{{{{-1.14, 52.63}, {-1.13, 52.63}, {-1.13, 52.64}, {-1.14, 52.63}}}}},
		{Kind: geo.KindLSOA, Code: "E01013579", Name: "Leicester 020A", Geometry: orb.MultiPolygon{{{{0, 0}, {1, 0}, {1, 1}, {0, 0}}}}},
		{Kind: geo.KindCity, Code: "E06000016", Name: "Leicester", Geometry: orb.MultiPolygon{{{{0, 0}, {1, 0}, {1, 1}, {0, 0}}}}},
	}},
	{"hole, two polygons, unicode names", []geo.Area{
		{Kind: geo.KindWard, Code: "W\u00e9", Name: "Ymyl y Môr 🏖", Geometry: orb.MultiPolygon{
			{{{0, 0}, {10, 0}, {10, 10}, {0, 10}, {0, 0}}, {{2, 2}, {2, 3}, {3, 3}, {2, 2}}},
			{{{20, 20}, {21, 20}, {21, 21}, {20, 20}}},
		}},
	}},
	{"extreme coordinates, empty strings", []geo.Area{
		{Kind: "", Code: "", Name: "", Geometry: orb.MultiPolygon{{{{-math.MaxFloat64, math.SmallestNonzeroFloat64}, {math.MaxFloat64, 0}, {0, -0.1e-300}, {-math.MaxFloat64, math.SmallestNonzeroFloat64}}}}},
	}},
}

// sameAreaList treats no areas and an empty list alike: a store holds either
// as "no areas".
func sameAreaList(a, b []geo.Area) bool {
	return (len(a) == 0 && len(b) == 0) || reflect.DeepEqual(a, b)
}

func TestAreasRoundTrip(t *testing.T) {
	for _, tc := range areaCases {
		t.Run(tc.name, func(t *testing.T) {
			b, err := encodeAreas(tc.areas)
			if err != nil {
				t.Fatalf("encode: %v", err)
			}
			got, err := decodeAreas(b)
			if err != nil {
				t.Fatalf("decode: %v", err)
			}
			if !sameAreaList(got, tc.areas) {
				t.Errorf("decoded %v, want %v", got, tc.areas)
			}
		})
	}
}

// Corrupt files must fail with errCorrupt, whatever part is damaged.
func TestDecodeCorrupt(t *testing.T) {
	seg := encodeSegment(segmentCases[2].rows)
	pts := encodePoints(pointCases[2].pts)
	tests := []struct {
		name   string
		decode func([]byte) error
		b      []byte
	}{
		{"segment: empty", decodeSegmentErr, nil},
		{"segment: magic only", decodeSegmentErr, []byte(segMagic)},
		{"segment: points magic", decodeSegmentErr, pts},
		{"segment: flipped byte", decodeSegmentErr, flip(seg, len(seg)/2)},
		{"segment: truncated", decodeSegmentErr, seg[:len(seg)-1]},
		{"segment: string count past the file", decodeSegmentErr, sealed(segMagic, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x3f)},
		{"segment: string index past the table", decodeSegmentErr, sealed(segMagic, 1, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1)},
		{"segment: trailing bytes", decodeSegmentErr, sealed(segMagic, 0, 0, 0)},
		{"points: empty", decodePointsErr, nil},
		{"points: flipped byte", decodePointsErr, flip(pts, len(pts)/2)},
		{"points: count past the file", decodePointsErr, sealed(pointsMagic, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x3f)},
		{"points: short record", decodePointsErr, sealed(pointsMagic, append([]byte{1}, make([]byte, 63)...)...)},
		{"areas: not JSON", decodeAreasErr, []byte("{")},
		{"areas: no geometry", decodeAreasErr, []byte(`[{"kind":"ward","code":"W1"}]`)},
		{"areas: a point", decodeAreasErr, []byte(`[{"kind":"ward","code":"W1","geometry":{"type":"Point","coordinates":[0,0]}}]`)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if err := tc.decode(tc.b); err == nil || !errors.Is(err, errCorrupt) {
				t.Errorf("decode = %v, want errCorrupt", err)
			}
		})
	}
}

func decodeSegmentErr(b []byte) error { _, err := decodeSegmentRows(b); return err }
func decodePointsErr(b []byte) error  { _, err := decodePoints(b); return err }
func decodeAreasErr(b []byte) error   { _, err := decodeAreas(b); return err }

func flip(b []byte, i int) []byte {
	out := append([]byte(nil), b...)
	out[i] ^= 0xff
	return out
}

// sealed builds a file with a valid checksum around body, the way a bug
// in a writer (or a deliberate edit) would, past the checksum's guard.
func sealed(magic string, body ...byte) []byte {
	e := &encoder{b: append([]byte(magic), body...)}
	return e.seal()
}

// Points are written a block at a time; the file reads back the same
// whatever the number of blocks, its checksum running across them.
func TestWritePointsBlocks(t *testing.T) {
	for _, n := range []int{0, 1, 1<<14 - 1, 1 << 14, 1<<14 + 1, 2<<14 + 3} {
		pts := make([]point, n)
		for i := range pts {
			pts[i] = point{P: orb.Point{-1.1 + float64(i)*1e-6, 52.6 - float64(i)*1e-7}, Ward: int32(i % 7), LSOA: int32(i%5) - 1}
			pts[i].Cells[0] = geo.Cell(i)
		}
		var b bytes.Buffer
		if err := writePoints(&b, pts); err != nil {
			t.Fatal(err)
		}
		got, err := decodePoints(b.Bytes())
		if err != nil || len(got) != n || !slices.Equal(got, pts) {
			t.Fatalf("%d points: read back %d, err %v", n, len(got), err)
		}
	}
}
