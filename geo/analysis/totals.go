package analysis

import (
	"fmt"
	"strings"
	"sync"

	"github.com/paulmach/orb"

	"github.com/leicester-csp/hotspot/geo"
)

// totalCache keeps how many incidents a list holds, by data version,
// filter and box. An import changes the version, so an entry is never
// stale, only unreachable; entries of other versions are dropped.
type totalCache struct {
	mu      sync.Mutex
	version string
	totals  map[string]int
}

// maxTotals bounds the cache: one entry per distinct list (filters and
// box) of the current data, tens of bytes each.
const maxTotals = 1 << 14

// totalKey spells what decides a list's total; the version leads, so
// that get and put can tell entries of another version.
func totalKey(version string, f geo.Filter, bbox *orb.Bound) string {
	b := "-"
	if bbox != nil {
		b = fmt.Sprint(*bbox)
	}
	return fmt.Sprintf("%s\x00%v\x00%q\x00%q\x00%d\x00%+v\x00%s",
		version, f.Months, f.Categories, f.Wards, f.Flags, f.Within, f.Source+"\x00"+b)
}

func (c *totalCache) get(key string) (int, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	n, ok := c.totals[key]
	return n, ok
}

func (c *totalCache) put(key string, n int) {
	version, _, _ := strings.Cut(key, "\x00")
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.totals == nil || c.version != version || len(c.totals) >= maxTotals {
		c.version, c.totals = version, map[string]int{}
	}
	c.totals[key] = n
}
