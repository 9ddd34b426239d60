// Package basemap serves a local PMTiles archive and the glyphs its
// labels need, so that `hotspot serve --basemap FILE.pmtiles` gives the map
// streets and place names without any request leaving the server.
//
// The archive is served as one file with HTTP Range rather than decoded
// into z/x/y tiles here: the browser's PMTiles reader (npm `pmtiles`)
// fetches the header, the directories and each tile by byte range, and
// http.ServeContent answers ranges, conditional requests and HEAD
// correctly. The server then only checks the header at start-up and
// copies bytes, the file stays usable by any other PMTiles client (QGIS,
// `pmtiles show` over HTTP), and there is no directory decoder to keep in
// step with the format. The cost is one more round trip for the
// directories on a cold start, which on loopback or a LAN is negligible.
package basemap

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"time"
)

// headerLen is the fixed size of a PMTiles v3 header.
const headerLen = 127

// Tile types and compressions as the PMTiles v3 header numbers them.
const (
	tileTypeMVT     = 1
	compressionNone = 1
	compressionGzip = 2
)

// maxMetadata bounds the metadata read at start-up (it is a small JSON
// document; a huge one is a broken or hostile file).
const maxMetadata = 16 << 20

// Header is what the map and the log need from an archive's header.
type Header struct {
	MinZoom, MaxZoom int
	// Bounds is west, south, east, north in degrees.
	Bounds [4]float64
	// Attribution is the metadata's attribution, "" when it has none.
	Attribution string
}

// Archive is an open PMTiles file, checked to be a vector-tile archive.
type Archive struct {
	Path    string
	Header  Header
	file    *os.File
	size    int64
	modTime time.Time
}

// Open opens and checks a PMTiles v3 archive of vector tiles. The errors
// say what is wrong in words a person starting the server can act on.
func Open(path string) (*Archive, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("basemap %s: %w", path, err)
	}
	a, err := check(f, path)
	if err != nil {
		f.Close()
		return nil, err
	}
	return a, nil
}

func check(f *os.File, path string) (*Archive, error) {
	st, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("basemap %s: %w", path, err)
	}
	if !st.Mode().IsRegular() {
		return nil, fmt.Errorf("basemap %s: not a regular file", path)
	}
	h := make([]byte, headerLen)
	if _, err := io.ReadFull(f, h); err != nil {
		return nil, fmt.Errorf("basemap %s: not a PMTiles archive (%d bytes, shorter than the %d-byte header)", path, st.Size(), headerLen)
	}
	hdr, err := parseHeader(h, st.Size())
	if err != nil {
		return nil, fmt.Errorf("basemap %s: %w", path, err)
	}
	a := &Archive{Path: path, Header: hdr, file: f, size: st.Size(), modTime: st.ModTime()}
	a.Header.Attribution = readAttribution(f, h)
	return a, nil
}

// parseHeader checks the fixed header of PMTiles v3 (magic "PMTiles",
// version 3, then little-endian offsets and lengths) against the file's
// size and reads the zooms and bounds.
func parseHeader(h []byte, size int64) (Header, error) {
	if !bytes.Equal(h[:7], []byte("PMTiles")) {
		if bytes.HasPrefix(h, []byte("SQLite format 3")) {
			return Header{}, errors.New("an SQLite file (MBTiles?), not PMTiles: convert it with `pmtiles convert IN.mbtiles OUT.pmtiles`")
		}
		return Header{}, errors.New("not a PMTiles archive (no PMTiles magic at the start)")
	}
	if h[7] != 3 {
		return Header{}, fmt.Errorf("PMTiles version %d; only version 3 is read (`pmtiles convert` upgrades older archives)", h[7])
	}
	u64 := func(off int) uint64 { return binary.LittleEndian.Uint64(h[off:]) }
	sections := []struct {
		name        string
		off, length uint64
	}{
		{"root directory", u64(8), u64(16)},
		{"metadata", u64(24), u64(32)},
		{"leaf directories", u64(40), u64(48)},
		{"tile data", u64(56), u64(64)},
	}
	for _, s := range sections {
		if s.off > uint64(size) || s.length > uint64(size)-s.off {
			return Header{}, fmt.Errorf("truncated or corrupt PMTiles: the %s (bytes %d+%d) runs past the end of the file (%d bytes)", s.name, s.off, s.length, size)
		}
	}
	if sections[0].length == 0 {
		return Header{}, errors.New("corrupt PMTiles: empty root directory")
	}
	if tt := h[99]; tt != tileTypeMVT {
		return Header{}, fmt.Errorf("the tiles are not vector tiles (PMTiles tile type %d); the map's style needs Mapbox Vector Tiles", tt)
	}
	e7 := func(off int) float64 { return float64(int32(binary.LittleEndian.Uint32(h[off:]))) / 1e7 }
	hdr := Header{MinZoom: int(h[100]), MaxZoom: int(h[101]), Bounds: [4]float64{e7(102), e7(106), e7(110), e7(114)}}
	if hdr.MinZoom > hdr.MaxZoom {
		return Header{}, fmt.Errorf("corrupt PMTiles: min zoom %d above max zoom %d", hdr.MinZoom, hdr.MaxZoom)
	}
	return hdr, nil
}

// readAttribution reads the metadata's "attribution", which the map
// shows; an archive without one (or with metadata it cannot read) still
// serves, the map then credits OpenStreetMap as Protomaps extracts need.
func readAttribution(f *os.File, h []byte) string {
	off, n := int64(binary.LittleEndian.Uint64(h[24:])), int64(binary.LittleEndian.Uint64(h[32:]))
	if n == 0 || n > maxMetadata {
		return ""
	}
	var r io.Reader = io.NewSectionReader(f, off, n)
	switch h[97] { // internal compression
	case compressionNone:
	case compressionGzip:
		zr, err := gzip.NewReader(r)
		if err != nil {
			return ""
		}
		r = zr
	default:
		return ""
	}
	var meta struct {
		Attribution string `json:"attribution"`
	}
	if err := json.NewDecoder(io.LimitReader(r, maxMetadata)).Decode(&meta); err != nil {
		return ""
	}
	return meta.Attribution
}

// Close closes the file.
func (a *Archive) Close() error { return a.file.Close() }
