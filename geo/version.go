package geo

import (
	"strconv"
	"strings"
)

// A store's data version reads ID.GEN.PUB: the store's identity, the
// generation of its latest change, and the generation of the latest change
// that a caller without a key can see (police.uk incidents, areas,
// population). Keyed callers are shown the whole version; public callers
// only ID and PUB (PublicVersion), so that no public answer, ETag or meta
// field moves when only partner data changed: the moment a partner
// import lands is itself partner information.

// FormatVersion writes a store's data version.
func FormatVersion(id string, gen, public uint64) string {
	return id + "." + strconv.FormatUint(gen, 10) + "." + strconv.FormatUint(public, 10)
}

// PublicVersion is the part of a data version a public caller may see.
// A version not written by FormatVersion is returned as it is.
func PublicVersion(v string) string {
	i := strings.LastIndexByte(v, '.')
	j := strings.IndexByte(v, '.')
	if i <= j {
		return v
	}
	return v[:j] + ".p" + v[i+1:]
}
