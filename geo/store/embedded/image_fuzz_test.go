package embedded

import (
	"encoding/binary"
	"errors"
	"log/slog"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"unsafe"
)

// aligned copies b to 8-byte aligned memory, as a mapping is.
func aligned(b []byte) []byte {
	if len(b) == 0 {
		return b
	}
	u := make([]uint64, (len(b)+7)/8)
	out := unsafe.Slice((*byte)(unsafe.Pointer(&u[0])), len(b))
	copy(out, b)
	return out
}

// encodedImage writes sn's image and reads it back.
func encodedImage(t testing.TB, sn *snapshot) []byte {
	t.Helper()
	dir := t.TempDir()
	if err := writeImage(dir, sn); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join(dir, imageName(sn.man.Generation)))
	if err != nil {
		t.Fatal(err)
	}
	return aligned(b)
}

// decodeInto decodes an image under the manifest and points of ref.
func decodeInto(b []byte, ref *snapshot) (*snapshot, error) {
	sn := emptySnapshot()
	sn.man, sn.points = ref.man, ref.points
	return sn, decodeImage(b, sn, false)
}

// An image whose checksums hold but whose indexes point outside their
// tables (a writer's bug) is refused: queries index without checks.
func TestImageRanges(t *testing.T) {
	ref := segmentLoad(t, imageStore(t))
	cases := []struct {
		name   string
		change func(s *snapshot)
	}{
		{"string index", func(s *snapshot) {
			s.fields[fCategory] = slices.Clone(s.fields[fCategory])
			s.fields[fCategory][3] = uint32(len(s.strs))
		}},
		{"point", func(s *snapshot) { s.pt = slices.Clone(s.pt); s.pt[5] = uint32(len(s.points)) + 1 }},
		{"partner row", func(s *snapshot) { s.ext = slices.Clone(s.ext); s.ext[0] = uint32(len(s.part)) + 1 }},
		{"byID", func(s *snapshot) { s.byID = slices.Clone(s.byID); s.byID[9] = uint32(s.len()) }},
		{"ID ends", func(s *snapshot) { s.idEnd = slices.Clone(s.idEnd); s.idEnd[0] = s.idEnd[1] + 1 }},
		{"month list", func(s *snapshot) {
			s.byMonth = maps.Clone(s.byMonth)
			m := s.months[0]
			s.byMonth[m] = slices.Clone(s.byMonth[m])
			s.byMonth[m][0] = uint32(s.len())
		}},
		{"aggregate point", func(s *snapshot) {
			s.agg = maps.Clone(s.agg)
			for k, l := range s.agg {
				s.agg[k] = slices.Clone(l)
				s.agg[k][0].pt = uint32(len(s.points))
				break
			}
		}},
	}
	if _, err := decodeInto(encodedImage(t, ref), ref); err != nil {
		t.Fatalf("the unchanged image: %v", err)
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			bad := *ref
			tc.change(&bad)
			if _, err := decodeInto(encodedImage(t, &bad), ref); !errors.Is(err, errCorrupt) {
				t.Fatalf("decode: %v, want errCorrupt", err)
			}
		})
	}
}

// imageSeed is the image of the fuzzers' small real import, with the
// snapshot it was made from.
func imageSeed(f *testing.F) (*snapshot, []byte) {
	dir := f.TempDir()
	st := &Store{dir: dir, log: slog.New(slog.DiscardHandler), intern: map[string]uint32{"": 0}}
	files, err := realFiles()
	if err != nil {
		f.Fatal(err)
	}
	for name, b := range files {
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			f.Fatal(err)
		}
	}
	m := &manifest{Format: formatV1, StoreID: "fuzz", Generation: 1, Segments: []string{"seg-00000001.bin"}, Points: "points-00000001.bin", Areas: "areas-00000001.json"}
	ref, err := st.load(f.Context(), emptySnapshot(), m, nil)
	if err != nil {
		f.Fatal(err)
	}
	return ref, encodedImage(f, ref)
}

// FuzzDecodeImage feeds whole image files to the decoder: whatever the
// bytes, it refuses them as corrupt or stale, or decodes them without
// panicking.
func FuzzDecodeImage(f *testing.F) {
	ref, seed := imageSeed(f)
	f.Add(seed)
	f.Fuzz(func(t *testing.T, b []byte) {
		b = aligned(b)
		boundedAlloc(t, b, func() {
			if _, err := decodeInto(b, ref); err != nil && !errors.Is(err, errCorrupt) && !errors.Is(err, errStaleImage) {
				t.Fatalf("decode failed with %v, want errCorrupt or errStaleImage", err)
			}
		})
	})
}

// FuzzDecodeImageMeta reaches the metadata parser past its checksum.
func FuzzDecodeImageMeta(f *testing.F) {
	ref, seed := imageSeed(f)
	f.Add(seed[binary.LittleEndian.Uint64(seed[16:]):])
	f.Fuzz(func(t *testing.T, b []byte) {
		for _, in := range [][]byte{b, withValidChecksum(b)} {
			boundedAlloc(t, in, func() {
				if _, err := decodeImageMeta(in, ref.man, len(ref.points)); err != nil && !errors.Is(err, errCorrupt) && !errors.Is(err, errStaleImage) {
					t.Fatalf("decode failed with %v, want errCorrupt or errStaleImage", err)
				}
			})
		}
	})
}
