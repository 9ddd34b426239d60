package embedded

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"runtime/metrics"
	"sync"
	"testing"

	"github.com/leicester-csp/hotspot/geo"
	"github.com/leicester-csp/hotspot/geo/ingest"
	"github.com/leicester-csp/hotspot/internal/synth"
)

// realFiles returns what an import of a few synthetic incidents writes:
// its segment, points and areas files, as seeds of the shapes real data
// has. They are kept small because the fuzzer minimises every new input
// it finds in time quadratic in its size, and stops mutating meanwhile.
// The import runs once per test binary.
var realFiles = sync.OnceValues(func() (map[string][]byte, error) {
	dir, err := os.MkdirTemp("", "hotspot-fuzz-seed-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	ctx := context.Background()
	st, err := Open(ctx, dir, Options{})
	if err != nil {
		return nil, err
	}
	defer st.Close()
	city := synth.NewCity(3)
	opt := synth.Options{Seed: 3, From: geo.NewMonth(2024, 1), Months: 2, Rows: 3}
	// One ward keeps the areas seed small enough to mutate quickly.
	in := geo.ImportInput{Rows: ingest.Incidents(ctx, city.Incidents(opt)), Areas: city.Wards[:1]}
	if _, err := st.Import(ctx, in); err != nil {
		return nil, err
	}
	out := map[string][]byte{}
	for _, name := range []string{"seg-00000001.bin", "points-00000001.bin", "areas-00000001.json"} {
		if out[name], err = os.ReadFile(filepath.Join(dir, name)); err != nil {
			return nil, err
		}
	}
	return out, nil
})

func addRealSeed(f *testing.F, name string) {
	files, err := realFiles()
	if err != nil {
		f.Fatalf("seed from a real import: %v", err)
	}
	f.Add(files[name])
}

// withValidChecksum returns b with its last four bytes replaced by the
// checksum of the rest. Random bytes almost never pass the checksum, so
// the decoder proper is reached through this: a file that a buggy writer
// or a deliberate edit damaged before sealing.
func withValidChecksum(b []byte) []byte {
	if len(b) < 4 {
		return b
	}
	e := &encoder{b: append([]byte(nil), b[:len(b)-4]...)}
	return e.seal()
}

// boundedAlloc fails the test when decode allocates far more than its
// input could describe: a corrupt length must be refused, not allocated.
// runtime/metrics is read rather than MemStats because it does not stop
// the world, which would slow the fuzzer several times over; it may miss
// small allocations, never a large one.
func boundedAlloc(t *testing.T, in []byte, decode func()) {
	t.Helper()
	s := []metrics.Sample{{Name: "/gc/heap/allocs:bytes"}}
	metrics.Read(s)
	before := s[0].Value.Uint64()
	decode()
	metrics.Read(s)
	limit := 1<<20 + 64*uint64(len(in))
	if got := s[0].Value.Uint64() - before; got > limit {
		t.Errorf("decoding %d bytes allocated %d bytes (limit %d)", len(in), got, limit)
	}
}

func FuzzDecodeSegment(f *testing.F) {
	for _, tc := range segmentCases {
		// The round-trip test covers long strings; as a seed one would
		// make every input derived from it slow to minimise.
		if b := encodeSegment(tc.rows); len(b) <= 4096 {
			f.Add(b)
		}
	}
	addRealSeed(f, "seg-00000001.bin")
	f.Fuzz(func(t *testing.T, b []byte) {
		for _, in := range [][]byte{b, withValidChecksum(b)} {
			boundedAlloc(t, in, func() {
				_ = decodeSegment(in, func([]byte, geo.Month, uint32, *[nFields]uint32, *extIdx, []string) error { return nil })
			})
			rows, err := decodeSegmentRows(in)
			if err != nil {
				if !errors.Is(err, errCorrupt) {
					t.Fatalf("decode failed with %v, want errCorrupt", err)
				}
				continue
			}
			again, err := decodeSegmentRows(encodeSegment(rows))
			if err != nil {
				t.Fatalf("re-encoded segment does not decode: %v", err)
			}
			if !reflect.DeepEqual(again, rows) {
				t.Fatalf("re-encoded segment decodes to %d other rows (first difference at %d)", len(again), firstDiff(again, rows))
			}
		}
	})
}

func FuzzDecodePoints(f *testing.F) {
	for _, tc := range pointCases {
		f.Add(encodePoints(tc.pts))
	}
	addRealSeed(f, "points-00000001.bin")
	f.Fuzz(func(t *testing.T, b []byte) {
		for _, in := range [][]byte{b, withValidChecksum(b)} {
			var pts []point
			var err error
			boundedAlloc(t, in, func() { pts, err = decodePoints(in) })
			if err != nil {
				if !errors.Is(err, errCorrupt) {
					t.Fatalf("decode failed with %v, want errCorrupt", err)
				}
				continue
			}
			again, err := decodePoints(encodePoints(pts))
			if err != nil {
				t.Fatalf("re-encoded points do not decode: %v", err)
			}
			if !samePoints(again, pts) {
				t.Fatalf("re-encoded points decode to %v, want %v", again, pts)
			}
		}
	})
}

func FuzzDecodeAreas(f *testing.F) {
	for _, tc := range areaCases {
		b, err := encodeAreas(tc.areas)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	addRealSeed(f, "areas-00000001.json")
	f.Fuzz(func(t *testing.T, b []byte) {
		as, err := decodeAreas(b)
		if err != nil {
			if !errors.Is(err, errCorrupt) {
				t.Fatalf("decode failed with %v, want errCorrupt", err)
			}
			return
		}
		enc, err := encodeAreas(as)
		if err != nil {
			t.Fatalf("decoded areas do not encode: %v", err)
		}
		again, err := decodeAreas(enc)
		if err != nil {
			t.Fatalf("re-encoded areas do not decode: %v", err)
		}
		if !sameAreaList(again, as) {
			t.Fatalf("re-encoded areas decode to %v, want %v", again, as)
		}
	})
}
