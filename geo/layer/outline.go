package layer

import (
	"sync"

	"github.com/paulmach/orb"

	"github.com/leicester-csp/hotspot/geo"
	"github.com/leicester-csp/hotspot/geo/hex"
)

// outline is a cell's polygon, its GeoJSON and its bound.
type outline struct {
	poly     orb.Polygon // nil for an invalid cell
	geometry []byte      // the GeoJSON geometry; "null" for an invalid cell
	bound    orb.Bound
}

func outlineOf(c geo.Cell) outline {
	poly := hex.Polygon(c)
	if poly == nil {
		return outline{geometry: []byte("null")}
	}
	return outline{poly: poly, geometry: appendGeometry(nil, poly), bound: poly.Bound()}
}

// outlines caches cell outlines across requests: H3's boundary call goes
// through cgo and encoding the coordinates is most of a layer's encoding
// cost, while a city has few cells (~7,000 at res 10) whose outlines
// never change. A nil *outlines computes every time.
type outlines struct {
	mu sync.RWMutex
	m  map[geo.Cell]outline
}

// maxOutlines bounds the cache (~20 MB) should a store hold far more
// than a city.
const maxOutlines = 1 << 16

func newOutlines() *outlines { return &outlines{m: map[geo.Cell]outline{}} }

func (o *outlines) get(c geo.Cell) outline {
	if o == nil {
		return outlineOf(c)
	}
	o.mu.RLock()
	v, ok := o.m[c]
	o.mu.RUnlock()
	if ok {
		return v
	}
	v = outlineOf(c)
	o.mu.Lock()
	if len(o.m) < maxOutlines {
		o.m[c] = v
	}
	o.mu.Unlock()
	return v
}
