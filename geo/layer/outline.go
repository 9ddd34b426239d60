package layer

import (
	"sync"

	"github.com/paulmach/orb"

	"github.com/leicester-csp/hotspot/geo"
	"github.com/leicester-csp/hotspot/geo/hex"
)

// outline is a cell's polygon and bound, and its GeoJSON once a writer
// has asked for it (tiles never do).
type outline struct {
	poly  orb.Polygon // nil for an invalid cell
	bound orb.Bound
	once  sync.Once
	json  []byte
}

func outlineOf(c geo.Cell) *outline {
	poly := hex.Polygon(c)
	if poly == nil {
		return &outline{}
	}
	return &outline{poly: poly, bound: poly.Bound()}
}

func (o *outline) geoJSON() []byte {
	o.once.Do(func() { o.json = appendGeometry(nil, o.poly) })
	return o.json
}

// outlines caches cell outlines across requests: H3's boundary call goes
// through cgo and encoding the coordinates is most of a layer's encoding
// cost, while a city has few cells (~7,000 at res 10) whose outlines
// never change. A nil *outlines computes every time.
type outlines struct {
	mu      sync.RWMutex
	m       map[geo.Cell]*outline
	centres map[geo.Cell]orb.Point // what tiles ask of every cell
}

// maxOutlines bounds the cache (~20 MB) should a store hold far more
// than a city.
const maxOutlines = 1 << 16

func newOutlines() *outlines {
	return &outlines{m: map[geo.Cell]*outline{}, centres: map[geo.Cell]orb.Point{}}
}

// centre returns a cell's centre, another cgo call worth keeping.
func (o *outlines) centre(c geo.Cell) orb.Point {
	if o == nil {
		return hex.Center(c)
	}
	o.mu.RLock()
	p, ok := o.centres[c]
	o.mu.RUnlock()
	if ok {
		return p
	}
	p = hex.Center(c)
	o.mu.Lock()
	if len(o.centres) < maxOutlines {
		o.centres[c] = p
	}
	o.mu.Unlock()
	return p
}

func (o *outlines) get(c geo.Cell) *outline {
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
	if w, ok := o.m[c]; ok {
		v = w // another request got there first; share its encoding
	} else if len(o.m) < maxOutlines {
		o.m[c] = v
	}
	o.mu.Unlock()
	return v
}
