package httpcache

import (
	"container/list"
	"sync"
)

// Cache holds encoded answers and tiles (plain or gzip-encoded, under different keys)
// up to a byte budget, dropping the least recently used first. Keys should
// carry the store's version, so that tiles of older data simply stop being
// asked for and age out; Purge drops them at once when the version
// changes. A Cache is safe for concurrent use.
//
// The byte slices are shared, not copied: callers must not modify a slice
// after Add or one returned by Get.
type Cache struct {
	mu    sync.Mutex
	max   int
	used  int
	order *list.List // front: most recently used
	items map[string]*list.Element
}

type cacheEntry struct {
	key string
	b   []byte
}

// entryOverhead approximates what an entry costs beyond its key and bytes
// (list element, map slot, headers), so that a budget of many tiny tiles
// still bounds memory.
const entryOverhead = 128

// size counts b's capacity: an answer kept in the buffer it was built in
// holds that buffer's spare room too.
func (e *cacheEntry) size() int { return len(e.key) + cap(e.b) + entryOverhead }

// NewCache returns a cache that holds at most maxBytes of tiles and keys;
// with maxBytes ≤ 0 it holds nothing.
func NewCache(maxBytes int) *Cache {
	return &Cache{max: maxBytes, order: list.New(), items: make(map[string]*list.Element)}
}

// Get returns the tile stored under key and marks it recently used.
func (c *Cache) Get(key string) ([]byte, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	el, ok := c.items[key]
	if !ok {
		return nil, false
	}
	c.order.MoveToFront(el)
	return el.Value.(*cacheEntry).b, true
}

// Add stores b under key, replacing what was there, and evicts the least
// recently used tiles until the budget holds. A tile larger than the whole
// budget is not stored.
func (c *Cache) Add(key string, b []byte) {
	e := &cacheEntry{key: key, b: b}
	c.mu.Lock()
	defer c.mu.Unlock()
	if el, ok := c.items[key]; ok {
		c.remove(el)
	}
	if e.size() > c.max {
		return
	}
	c.items[key] = c.order.PushFront(e)
	c.used += e.size()
	for c.used > c.max {
		c.remove(c.order.Back())
	}
}

// Len returns the number of tiles held.
func (c *Cache) Len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.items)
}

// Bytes returns what the held tiles count against the budget.
func (c *Cache) Bytes() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.used
}

// Purge drops every tile.
func (c *Cache) Purge() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.order.Init()
	clear(c.items)
	c.used = 0
}

func (c *Cache) remove(el *list.Element) {
	e := c.order.Remove(el).(*cacheEntry)
	delete(c.items, e.key)
	c.used -= e.size()
}
