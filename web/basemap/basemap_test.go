package basemap

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// archiveBytes builds a minimal PMTiles v3 file by hand (from the
// specification's header layout, not from the code under test): header,
// a root directory of rootLen bytes, gzip JSON metadata and tile data.
func archiveBytes(t *testing.T, edit func(h []byte)) []byte {
	t.Helper()
	var meta bytes.Buffer
	zw := gzip.NewWriter(&meta)
	zw.Write([]byte(`{"attribution":"© OpenStreetMap contributors","name":"test"}`))
	zw.Close()
	root := []byte{1, 0, 1, 10, 1} // any bytes: the server never decodes it
	tiles := bytes.Repeat([]byte("tile"), 100)
	h := make([]byte, 127)
	copy(h, "PMTiles")
	h[7] = 3
	le := binary.LittleEndian
	off := uint64(127)
	le.PutUint64(h[8:], off)
	le.PutUint64(h[16:], uint64(len(root)))
	off += uint64(len(root))
	le.PutUint64(h[24:], off)
	le.PutUint64(h[32:], uint64(meta.Len()))
	off += uint64(meta.Len())
	le.PutUint64(h[40:], off) // no leaf directories
	le.PutUint64(h[56:], off)
	le.PutUint64(h[64:], uint64(len(tiles)))
	h[97], h[98], h[99] = 2, 2, 1 // gzip, gzip, MVT
	h[100], h[101] = 0, 14
	put := func(at int, deg float64) { le.PutUint32(h[at:], uint32(int32(deg*1e7))) }
	put(102, -1.3)
	put(106, 52.55)
	put(110, -0.98)
	put(114, 52.72)
	if edit != nil {
		edit(h)
	}
	return append(append(append(h, root...), meta.Bytes()...), tiles...)
}

func writeFile(t *testing.T, b []byte) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "a.pmtiles")
	if err := os.WriteFile(p, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestOpen(t *testing.T) {
	good := archiveBytes(t, nil)
	for _, tc := range []struct {
		name    string
		content []byte // nil: no file at all
		wantErr string
	}{
		{"valid", good, ""},
		{"missing", nil, "no such file"},
		{"empty", []byte{}, "not a PMTiles archive"},
		{"text", []byte(strings.Repeat("hello world ", 20)), "no PMTiles magic"},
		{"mbtiles", append([]byte("SQLite format 3\x00"), make([]byte, 200)...), "pmtiles convert"},
		{"version 2", archiveBytes(t, func(h []byte) { h[7] = 2 }), "version 2"},
		{"raster", archiveBytes(t, func(h []byte) { h[99] = 2 }), "not vector tiles"},
		{"truncated", good[:len(good)-10], "tile data"},
		{"zooms", archiveBytes(t, func(h []byte) { h[100] = 15 }), "min zoom 15"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := filepath.Join(t.TempDir(), "none.pmtiles")
			if tc.content != nil {
				p = writeFile(t, tc.content)
			}
			a, err := Open(p)
			if tc.wantErr == "" {
				if err != nil {
					t.Fatal(err)
				}
				defer a.Close()
				h := a.Header
				if h.MinZoom != 0 || h.MaxZoom != 14 || h.Bounds != [4]float64{-1.3, 52.55, -0.98, 52.72} || h.Attribution != "© OpenStreetMap contributors" {
					t.Errorf("header %+v", h)
				}
				return
			}
			if err == nil {
				a.Close()
				t.Fatalf("no error, want one containing %q", tc.wantErr)
			}
			if !strings.Contains(err.Error(), tc.wantErr) || !strings.Contains(err.Error(), p) {
				t.Errorf("error %q, want it to name the file and say %q", err, tc.wantErr)
			}
		})
	}
}

func TestHandler(t *testing.T) {
	body := archiveBytes(t, nil)
	a, err := Open(writeFile(t, body))
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	srv := httptest.NewServer(NewHandler(a))
	defer srv.Close()
	etag := ""
	for _, tc := range []struct {
		name, method, path string
		header             map[string]string
		wantCode           int
		wantRange          string // Content-Range
		wantBody           []byte // nil: not checked
	}{
		{"header range", "GET", ArchivePath, map[string]string{"Range": "bytes=0-126"}, 206, "bytes 0-126/" + itoa(len(body)), body[:127]},
		{"middle range", "GET", ArchivePath, map[string]string{"Range": "bytes=130-139"}, 206, "bytes 130-139/" + itoa(len(body)), body[130:140]},
		{"whole", "GET", ArchivePath, nil, 200, "", body},
		{"head", "HEAD", ArchivePath, nil, 200, "", []byte{}},
		{"past the end", "GET", ArchivePath, map[string]string{"Range": "bytes=999999-"}, 416, "", nil},
		{"revalidate", "GET", ArchivePath, map[string]string{"If-None-Match": "ETAG"}, 304, "", []byte{}},
		{"post", "POST", ArchivePath, nil, 405, "", nil},
		{"glyphs", "GET", Prefix + "fonts/Noto Sans Regular/0-255.pbf", nil, 200, "", nil},
		{"glyphs italic", "GET", Prefix + "fonts/Noto Sans Italic/256-511.pbf", nil, 200, "", nil},
		{"glyphs bad range", "GET", Prefix + "fonts/Noto Sans Regular/1-256.pbf", nil, 404, "", nil},
		{"glyphs past unicode", "GET", Prefix + "fonts/Noto Sans Regular/1114112-1114367.pbf", nil, 404, "", nil},
		{"glyphs not pbf", "GET", Prefix + "fonts/Noto Sans Regular/0-255.json", nil, 404, "", nil},
		{"glyphs no stack", "GET", Prefix + "fonts//0-255.pbf", nil, 404, "", nil},
		{"other", "GET", Prefix + "style.json", nil, 404, "", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			req, _ := http.NewRequest(tc.method, srv.URL+strings.ReplaceAll(tc.path, " ", "%20"), nil)
			for k, v := range tc.header {
				req.Header.Set(k, strings.ReplaceAll(v, "ETAG", etag))
			}
			req.Header.Set("Accept-Encoding", "identity")
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			got, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != tc.wantCode {
				t.Fatalf("status %d, want %d (%s)", resp.StatusCode, tc.wantCode, got)
			}
			if cr := resp.Header.Get("Content-Range"); tc.wantRange != "" && cr != tc.wantRange {
				t.Errorf("Content-Range %q, want %q", cr, tc.wantRange)
			}
			if tc.wantBody != nil && !bytes.Equal(got, tc.wantBody) {
				t.Errorf("body %d bytes, want %d", len(got), len(tc.wantBody))
			}
			if tc.path == ArchivePath && tc.wantCode < 300 {
				if ce := resp.Header.Get("Content-Encoding"); ce != "" {
					t.Errorf("Content-Encoding %q on the archive: ranges must address stored bytes", ce)
				}
				etag = resp.Header.Get("ETag")
			}
			if strings.HasSuffix(tc.name, "glyphs") && (resp.Header.Get("Content-Type") != "application/x-protobuf" || len(got) < 1000) {
				t.Errorf("glyphs: %s, %d bytes", resp.Header.Get("Content-Type"), len(got))
			}
		})
	}
}

func itoa(n int) string { return strconv.Itoa(n) }
