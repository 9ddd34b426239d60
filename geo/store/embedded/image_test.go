package embedded

import (
	"bufio"
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"io"
	"log/slog"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/paulmach/orb"

	"github.com/leicester-csp/hotspot/geo"
	"github.com/leicester-csp/hotspot/geo/ingest"
	"github.com/leicester-csp/hotspot/internal/synth"
)

// imageStore imports police.uk incidents, the city's wards and partner
// records in two runs, and returns the directory.
func imageStore(t testing.TB) string {
	dir := t.TempDir()
	ctx := context.Background()
	st, err := Open(ctx, dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	city := synth.NewCity(5)
	opt := synth.Options{Seed: 5, From: geo.NewMonth(2024, 1), Months: 6, Rows: 4000}
	if _, err := st.Import(ctx, geo.ImportInput{Rows: ingest.Incidents(ctx, city.Incidents(opt)), Areas: city.Wards}); err != nil {
		t.Fatal(err)
	}
	if _, err := st.Import(ctx, geo.ImportInput{Rows: ingest.Incidents(ctx, benchPartner(city, 600))}); err != nil {
		t.Fatal(err)
	}
	return dir
}

// segmentLoad is the snapshot of dir's manifest built from its segments
// alone, the reference an image must reproduce.
func segmentLoad(t testing.TB, dir string) *snapshot {
	t.Helper()
	m, err := readManifest(dir)
	if err != nil {
		t.Fatal(err)
	}
	s := &Store{dir: dir, log: slog.New(slog.DiscardHandler), intern: map[string]uint32{"": 0}}
	sn, err := s.load(context.Background(), emptySnapshot(), m, nil)
	if err != nil {
		t.Fatal(err)
	}
	return sn
}

// sameSnapshot compares the parts of two snapshots that queries read; an
// empty list and a missing one are the same.
func sameSnapshot(t *testing.T, got, want *snapshot) {
	t.Helper()
	eqMap := func(a, b map[geo.Month][]uint32) bool { return maps.EqualFunc(a, b, slices.Equal) }
	checks := []struct {
		name string
		same bool
	}{
		{"manifest", fingerprintEq(got.man, want.man)},
		{"strs", slices.Equal(got.strs, want.strs)},
		{"catIdx", maps.Equal(got.catIdx, want.catIdx)},
		{"idArena", bytes.Equal(got.idArena, want.idArena)},
		{"idEnd", slices.Equal(got.idEnd, want.idEnd)},
		{"month", slices.Equal(got.month, want.month)},
		{"pt", slices.Equal(got.pt, want.pt)},
		{"ext", slices.Equal(got.ext, want.ext)},
		{"part", slices.Equal(got.part, want.part)},
		{"pByMonth", eqMap(got.pByMonth, want.pByMonth)},
		{"pMonths", slices.Equal(got.pMonths, want.pMonths)},
		{"pCats", maps.Equal(got.pCats, want.pCats)},
		{"srcIdx", maps.Equal(got.srcIdx, want.srcIdx)},
		{"srcCats", maps.EqualFunc(got.srcCats, want.srcCats, slices.Equal)},
		{"points", samePoints(got.points, want.points)},
		{"wards", sameAreaList(got.wards.Areas(), want.wards.Areas())},
		{"byMonth", eqMap(got.byMonth, want.byMonth)},
		{"byID", slices.Equal(got.byID, want.byID)},
		{"agg", maps.EqualFunc(got.agg, want.agg, slices.Equal)},
		{"tally", maps.Equal(got.tally, want.tally)},
		{"months", slices.Equal(got.months, want.months)},
	}
	for f := range nFields {
		checks = append(checks, struct {
			name string
			same bool
		}{"field", slices.Equal(got.fields[f], want.fields[f])})
	}
	for _, c := range checks {
		if !c.same {
			t.Errorf("%s differs from the segments' load", c.name)
		}
	}
}

func fingerprintEq(a, b *manifest) bool { return bytes.Equal(fingerprint(a), fingerprint(b)) }

func TestImageMatchesSegments(t *testing.T) {
	dir := imageStore(t)
	st := mustOpen(t, dir, Options{})
	sn := st.snap.Load()
	if st.imageGen != sn.man.Generation {
		t.Fatalf("opened generation %d from segments, want its image", sn.man.Generation)
	}
	want := segmentLoad(t, dir)
	if len(want.part) == 0 || want.len() < 4000 {
		t.Fatalf("fixture has %d incidents, %d partner records", want.len(), len(want.part))
	}
	sameSnapshot(t, sn, want)
}

// An import into a store serving mapped columns appends beyond them into
// the heap; the next reload maps the image that the import wrote.
func TestImportOntoImage(t *testing.T) {
	dir := imageStore(t)
	st := mustOpen(t, dir, Options{})
	city := synth.NewCity(6)
	opt := synth.Options{Seed: 6, From: geo.NewMonth(2024, 5), Months: 3, Rows: 1500}
	ctx := t.Context()
	if _, err := st.Import(ctx, geo.ImportInput{Rows: ingest.Incidents(ctx, city.Incidents(opt))}); err != nil {
		t.Fatal(err)
	}
	sn := st.snap.Load()
	if st.imageGen == sn.man.Generation {
		t.Fatal("the import's reload should build in the heap")
	}
	want := segmentLoad(t, dir)
	sameSnapshot(t, sn, want)
	if err := st.Refresh(ctx); err != nil {
		t.Fatal(err)
	}
	if st.imageGen != want.man.Generation {
		t.Fatalf("after a refresh, serving image %d, want %d", st.imageGen, want.man.Generation)
	}
	sameSnapshot(t, st.snap.Load(), want)
	if _, err := os.Stat(filepath.Join(dir, imageName(want.man.Generation-2))); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("image of generation %d not collected: %v", want.man.Generation-2, err)
	}
}

// imageLayout reads where an image's metadata and columns lie.
func imageLayout(t *testing.T, b []byte, man *manifest, nPoints int) (uint64, *imageMeta) {
	t.Helper()
	off := binary.LittleEndian.Uint64(b[16:])
	meta, err := decodeImageMeta(b[off:], man, nPoints)
	if err != nil {
		t.Fatal(err)
	}
	return off, meta
}

// A damaged, truncated or stale image is refused; the store loads the
// segments, serves the same data, and writes a good image again.
func TestImageFallback(t *testing.T) {
	other := imageStore(t) // another store, same generations
	cases := []struct {
		name   string
		damage func(t *testing.T, path string, b []byte, metaOff uint64, m *imageMeta) []byte
	}{
		{"missing", func(t *testing.T, _ string, _ []byte, _ uint64, _ *imageMeta) []byte { return nil }},
		{"empty", func(*testing.T, string, []byte, uint64, *imageMeta) []byte { return []byte{} }},
		{"half", func(_ *testing.T, _ string, b []byte, _ uint64, _ *imageMeta) []byte { return b[:len(b)/2] }},
		{"one byte short", func(_ *testing.T, _ string, b []byte, _ uint64, _ *imageMeta) []byte { return b[:len(b)-1] }},
		{"ID byte flipped", func(_ *testing.T, _ string, b []byte, _ uint64, m *imageMeta) []byte {
			return flip(b, int(m.cols[colIDArena].off)+7)
		}},
		{"byID byte flipped", func(_ *testing.T, _ string, b []byte, _ uint64, m *imageMeta) []byte {
			return flip(b, int(m.cols[colByID].off+m.cols[colByID].len)-1)
		}},
		{"aggregate byte flipped", func(_ *testing.T, _ string, b []byte, _ uint64, m *imageMeta) []byte {
			return flip(b, int(m.cols[colAgg].off)+4)
		}},
		{"metadata byte flipped", func(_ *testing.T, _ string, b []byte, off uint64, _ *imageMeta) []byte {
			return flip(b, int(off)+40)
		}},
		{"metadata offset", func(_ *testing.T, _ string, b []byte, _ uint64, _ *imageMeta) []byte { return flip(b, 16) }},
		{"another store's", func(t *testing.T, path string, _ []byte, _ uint64, _ *imageMeta) []byte {
			b, err := os.ReadFile(filepath.Join(other, filepath.Base(path)))
			if err != nil {
				t.Fatal(err)
			}
			return b
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			dir := imageStore(t)
			want := segmentLoad(t, dir)
			path := filepath.Join(dir, imageName(want.man.Generation))
			b, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			off, meta := imageLayout(t, b, want.man, len(want.points))
			if bad := tc.damage(t, path, slices.Clone(b), off, meta); bad == nil {
				err = os.Remove(path)
			} else {
				err = os.WriteFile(path, bad, 0o644)
			}
			if err != nil {
				t.Fatal(err)
			}
			s := &Store{dir: dir, log: slog.New(slog.DiscardHandler)}
			if _, err := s.openImage(want.man); err == nil {
				t.Fatal("the damaged image opened")
			}
			st := mustOpen(t, dir, Options{})
			sameSnapshot(t, st.snap.Load(), want)
			if st.imageGen != want.man.Generation {
				t.Error("the image was not written again")
			}
		})
	}
}

// A store opened with NoImage writes no image, and reads its segments.
func TestNoImage(t *testing.T) {
	dir := t.TempDir()
	st := mustOpen(t, dir, Options{NoImage: true})
	m := geo.NewMonth(2024, 1)
	if _, err := st.Import(t.Context(), geo.ImportInput{Rows: rowsOf(located("a", m, orb.Point{1, 1}))}); err != nil {
		t.Fatal(err)
	}
	if err := st.Refresh(t.Context()); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, imageName(1))); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("image written: %v", err)
	}
	if again := mustOpen(t, dir, Options{NoImage: true}); again.snap.Load().len() != 1 || again.imageGen != 0 {
		t.Errorf("reopened: %d incidents, image generation %d", again.snap.Load().len(), again.imageGen)
	}
}

// The meta's buffer is sized once: the estimate covers what is encoded,
// and the varint lengths it adds up are those the encoder writes.
func TestImageMetaSize(t *testing.T) {
	sn := segmentLoad(t, imageStore(t))
	iw := &imageWriter{w: bufio.NewWriter(io.Discard)}
	o := orderOf(sn)
	iw.columns(sn, &o)
	if got, est := len(encodeImageMeta(sn, &iw.cols, &o)), imageMetaSize(sn, &o); got > est || est > got+64<<10 {
		t.Errorf("meta of %d bytes, estimated %d", got, est)
	}
	for _, v := range []int64{0, 1, -1, 63, -64, 64, -65, 127, 128, 1 << 20, -(1 << 20), 1<<62 - 1, -1 << 62, 1<<63 - 1, -1 << 63} {
		if got, want := varintLen(v), len(binary.AppendVarint(nil, v)); got != want {
			t.Errorf("varintLen(%d) = %d, want %d", v, got, want)
		}
		if got, want := uvarintLen(uint64(v)), len(binary.AppendUvarint(nil, uint64(v))); got != want {
			t.Errorf("uvarintLen(%d) = %d, want %d", uint64(v), got, want)
		}
	}
}
