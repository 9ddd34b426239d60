package layer

import (
	"sync"

	"github.com/paulmach/orb"
)

// shapes caches the GeoJSON of area geometries across requests: the
// stores hand out the same ward polygons until the next import, and
// spelling 7,000 of them (3 MB of coordinates) was most of a national
// ward answer's encoding. An entry is keyed by the backing array of the
// geometry's first ring and holds the geometry, which keeps every ring's
// array alive, so a key never names two geometries; a hit is checked
// ring by ring (same arrays, same lengths).
type shapes struct {
	mu    sync.Mutex
	m     map[*orb.Point]shapeEntry
	bytes int
}

type shapeEntry struct {
	geom orb.MultiPolygon
	json []byte
}

// maxShapeBytes bounds the cache; past it the cache starts again, which
// only a store replacing its areas without an import would cause.
const maxShapeBytes = 64 << 20

func newShapes() *shapes { return &shapes{m: map[*orb.Point]shapeEntry{}} }

// appendJSON appends g's GeoJSON, from the cache when g is one it has
// spelled before. A nil *shapes spells it every time.
func (s *shapes) appendJSON(b []byte, g orb.MultiPolygon) []byte {
	key := firstPoint(g)
	if s == nil || key == nil {
		return appendGeometry(b, g)
	}
	s.mu.Lock()
	e, ok := s.m[key]
	s.mu.Unlock()
	if ok && sameRings(e.geom, g) {
		return append(b, e.json...)
	}
	start := len(b)
	b = appendGeometry(b, g)
	e = shapeEntry{geom: g, json: append([]byte(nil), b[start:]...)}
	s.mu.Lock()
	if s.bytes+len(e.json) > maxShapeBytes {
		s.m, s.bytes = map[*orb.Point]shapeEntry{}, 0
	}
	if old, ok := s.m[key]; ok {
		s.bytes -= len(old.json)
	}
	s.m[key] = e
	s.bytes += len(e.json)
	s.mu.Unlock()
	return b
}

func firstPoint(g orb.MultiPolygon) *orb.Point {
	if len(g) == 0 || len(g[0]) == 0 || len(g[0][0]) == 0 {
		return nil
	}
	return &g[0][0][0]
}

// sameRings reports whether a and b are made of the very same rings.
func sameRings(a, b orb.MultiPolygon) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if len(a[i]) != len(b[i]) {
			return false
		}
		for k := range a[i] {
			ra, rb := a[i][k], b[i][k]
			if len(ra) != len(rb) || (len(ra) > 0 && &ra[0] != &rb[0]) {
				return false
			}
		}
	}
	return true
}
