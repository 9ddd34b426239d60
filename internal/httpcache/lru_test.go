package httpcache

import (
	"bytes"
	"fmt"
	"sync"
	"testing"
)

func TestCache(t *testing.T) {
	tile := func(n int) []byte { return bytes.Repeat([]byte{'x'}, n) }
	// Each entry costs its key, its bytes and the fixed overhead.
	cost := func(key string, n int) int { return len(key) + n + entryOverhead }

	type step struct {
		add  string // key to add ("" for none)
		size int
		get  string // key to read afterwards ("" for none)
	}
	tests := []struct {
		name   string
		budget int
		steps  []step
		want   []string // keys held at the end
		absent []string
	}{
		{
			name:   "evicts least recently added",
			budget: 3 * cost("k1", 100),
			steps:  []step{{add: "k1", size: 100}, {add: "k2", size: 100}, {add: "k3", size: 100}, {add: "k4", size: 100}},
			want:   []string{"k2", "k3", "k4"}, absent: []string{"k1"},
		},
		{
			name:   "a read keeps a tile",
			budget: 3 * cost("k1", 100),
			steps: []step{{add: "k1", size: 100}, {add: "k2", size: 100}, {add: "k3", size: 100},
				{get: "k1"}, {add: "k4", size: 100}},
			want: []string{"k1", "k3", "k4"}, absent: []string{"k2"},
		},
		{
			name:   "one big tile evicts several",
			budget: 3 * cost("k1", 100),
			steps:  []step{{add: "k1", size: 100}, {add: "k2", size: 100}, {add: "k3", size: 100}, {add: "big", size: 250}},
			want:   []string{"k3", "big"}, absent: []string{"k1", "k2"},
		},
		{
			name:   "larger than the budget is not kept",
			budget: cost("k1", 100),
			steps:  []step{{add: "k1", size: 100}, {add: "huge", size: 101}},
			want:   []string{"k1"}, absent: []string{"huge"},
		},
		{
			name:   "replacing a key frees its old bytes",
			budget: 2 * cost("k1", 100),
			steps:  []step{{add: "k1", size: 100}, {add: "k2", size: 100}, {add: "k1", size: 50}, {add: "k1", size: 100}},
			want:   []string{"k1", "k2"},
		},
		{
			name:   "zero budget holds nothing",
			budget: 0,
			steps:  []step{{add: "k1", size: 1}},
			absent: []string{"k1"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := NewCache(tc.budget)
			for _, s := range tc.steps {
				if s.add != "" {
					c.Add(s.add, tile(s.size))
				}
				if s.get != "" {
					if _, ok := c.Get(s.get); !ok {
						t.Fatalf("%s missing when read", s.get)
					}
				}
				if c.Bytes() > tc.budget {
					t.Fatalf("holds %d bytes over budget %d", c.Bytes(), tc.budget)
				}
			}
			if c.Len() != len(tc.want) {
				t.Errorf("Len %d, want %d", c.Len(), len(tc.want))
			}
			for _, k := range tc.want {
				if _, ok := c.Get(k); !ok {
					t.Errorf("%s evicted", k)
				}
			}
			for _, k := range tc.absent {
				if _, ok := c.Get(k); ok {
					t.Errorf("%s still held", k)
				}
			}
		})
	}
}

func TestCachePurge(t *testing.T) {
	c := NewCache(1 << 20)
	c.Add("v1/hex/14/1/2", []byte("a"))
	c.Add("v1/hex/14/1/2.gz", []byte("b"))
	if b, ok := c.Get("v1/hex/14/1/2.gz"); !ok || string(b) != "b" {
		t.Fatalf("Get = %q, %v", b, ok)
	}
	c.Purge()
	if c.Len() != 0 || c.Bytes() != 0 {
		t.Errorf("after Purge: Len %d Bytes %d", c.Len(), c.Bytes())
	}
	c.Add("v2/hex/14/1/2", []byte("c"))
	if c.Len() != 1 {
		t.Errorf("Len %d after adding to a purged cache", c.Len())
	}
}

// Run with -race: the HTTP layer shares one cache across requests.
func TestCacheConcurrent(t *testing.T) {
	c := NewCache(50 * (entryOverhead + 64))
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for i := range 500 {
				k := fmt.Sprintf("k%d", (g*31+i)%120)
				if _, ok := c.Get(k); !ok {
					c.Add(k, make([]byte, 60))
				}
				if i%97 == 0 {
					c.Purge()
				}
				_ = c.Len()
			}
		})
	}
	wg.Wait()
	if c.Bytes() > 50*(entryOverhead+64) {
		t.Errorf("holds %d bytes over budget", c.Bytes())
	}
}
