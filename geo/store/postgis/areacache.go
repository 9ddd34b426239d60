package postgis

import (
	"context"
	"maps"
	"slices"
	"sync"

	"github.com/leicester-csp/hotspot/geo"
)

// areaCache keeps the areas last read of each kind with the Version they
// were read at. Answers ask for the wards several times a request (the
// priority's area, the study area, the ward list), and at national shape
// reading and decoding 7,000 ward polygons each time cost more than the
// counts themselves. Areas change only by an import, which bumps the
// Version, so a Version read first tells whether the copy still holds.
type areaCache struct {
	mu     sync.Mutex
	byKind map[geo.AreaKind]cachedAreas
	// pop is the population last read and its Version: a ward answer
	// read all 7,000 wards' residents each time (~6 ms of Go at
	// national shape), and only an import changes them.
	pop        map[string]int
	popVersion string
}

type cachedAreas struct {
	version string
	areas   []geo.Area
}

// get returns the cached areas of kind if they were read at version.
func (c *areaCache) get(kind geo.AreaKind, version string) ([]geo.Area, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.byKind[kind]
	if !ok || e.version != version {
		return nil, false
	}
	// Callers get a slice of their own, as the embedded store gives; the
	// geometries are shared and never changed.
	return slices.Clone(e.areas), true
}

func (c *areaCache) put(kind geo.AreaKind, version string, as []geo.Area) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.byKind == nil {
		c.byKind = map[geo.AreaKind]cachedAreas{}
	}
	c.byKind[kind] = cachedAreas{version: version, areas: slices.Clone(as)}
}

// Areas returns the stored areas of a kind in code order, with their
// geometry exactly as imported. The Version is read before the areas: an
// import committing in between leaves newer areas under an older
// Version, which the next call reads again, never the other way round.
func (s *Store) Areas(ctx context.Context, kind geo.AreaKind) ([]geo.Area, error) {
	v, err := s.Version(ctx)
	if err != nil {
		return nil, err
	}
	if as, ok := s.areaCache.get(kind, v); ok {
		return as, nil
	}
	as, err := s.readAreas(ctx, kind)
	if err != nil {
		return nil, err
	}
	s.areaCache.put(kind, v, as)
	return as, nil
}

// Population returns residents by area code, from the copy read at the
// current Version when there is one.
func (s *Store) Population(ctx context.Context) (map[string]int, error) {
	v, err := s.Version(ctx)
	if err != nil {
		return nil, err
	}
	c := &s.areaCache
	c.mu.Lock()
	pop, ok := c.pop, c.popVersion == v && c.pop != nil
	c.mu.Unlock()
	if ok {
		return maps.Clone(pop), nil
	}
	pop, err = countsBy(ctx, s.db, "population", s.q(sqlPopulation), nil, func(code string) string { return code })
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	c.pop, c.popVersion = maps.Clone(pop), v
	c.mu.Unlock()
	return pop, nil
}
