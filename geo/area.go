package geo

import "github.com/paulmach/orb"

// AreaKind says what an area is.
type AreaKind string

// Area kinds that boundaries can load.
const (
	KindWard AreaKind = "ward"
	KindLSOA AreaKind = "lsoa"
	KindCity AreaKind = "city"
)

// ParseAreaKind checks a kind name.
func ParseAreaKind(s string) (AreaKind, bool) {
	switch k := AreaKind(s); k {
	case KindWard, KindLSOA, KindCity:
		return k, true
	}
	return "", false
}

// Area is a named boundary. Geometry follows RFC 7946: longitude/latitude,
// exterior rings counter-clockwise, holes clockwise, rings closed.
type Area struct {
	Kind     AreaKind
	Code     string
	Name     string
	Geometry orb.MultiPolygon
}
