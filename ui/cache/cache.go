// Package cache is a small concurrent cache bounded by a byte budget,
// for what the browser draws again and again: screens, wrapped lines,
// colour conversions.
package cache

import "sync"

// Cache maps keys to values within a budget of bytes, in two
// generations: new entries go into the young one, and when it holds half
// the budget the old one is dropped and the young one takes its place.
// An entry read from the old generation moves back to the young one, so
// what is in use stays and what is not goes, as in an LRU, without a list
// to keep. It holds at most the budget, however the keys are chosen.
// The zero Cache is not usable; make one with New. It is safe for
// concurrent use.
type Cache[K comparable, V any] struct {
	mu      sync.Mutex
	budget  int
	young   map[K]entry[V]
	old     map[K]entry[V]
	youngSz int
	oldSz   int
	hits    int
	misses  int
	evicted int
}

type entry[V any] struct {
	v    V
	size int
}

// New is a cache that holds at most budget bytes, as sizes are given to
// Put.
func New[K comparable, V any](budget int) *Cache[K, V] {
	return &Cache[K, V]{budget: budget, young: map[K]entry[V]{}, old: map[K]entry[V]{}}
}

// Get returns the value for k, if the cache holds it.
func (c *Cache[K, V]) Get(k K) (V, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.young[k]; ok {
		c.hits++
		return e.v, true
	}
	if e, ok := c.old[k]; ok {
		c.hits++
		delete(c.old, k)
		c.oldSz -= e.size
		c.add(k, e)
		return e.v, true
	}
	c.misses++
	var zero V
	return zero, false
}

// Put stores v for k, counting size bytes against the budget. A value
// larger than half the budget is not kept.
func (c *Cache[K, V]) Put(k K, v V, size int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if size > c.budget/2 {
		return
	}
	if e, ok := c.young[k]; ok {
		c.youngSz -= e.size
		delete(c.young, k)
	}
	if e, ok := c.old[k]; ok {
		c.oldSz -= e.size
		delete(c.old, k)
	}
	c.add(k, entry[V]{v, size})
}

// add puts e into the young generation, first ageing the generations when
// it would pass half the budget.
func (c *Cache[K, V]) add(k K, e entry[V]) {
	if c.youngSz+e.size > c.budget/2 {
		c.evicted += len(c.old)
		c.old, c.oldSz = c.young, c.youngSz
		c.young, c.youngSz = make(map[K]entry[V], len(c.old)), 0
	}
	c.young[k] = e
	c.youngSz += e.size
}

// GetOrMake returns the value for k, making it with build (outside the
// lock: two callers may make it at once, and both get a good value) and
// sizing it with size when it is not held.
func (c *Cache[K, V]) GetOrMake(k K, build func() V, size func(V) int) V {
	if v, ok := c.Get(k); ok {
		return v
	}
	v := build()
	c.Put(k, v, size(v))
	return v
}

// Stats are a cache's counters.
type Stats struct {
	Bytes, Entries        int
	Hits, Misses, Evicted int
}

// Stats returns what the cache holds and has done.
func (c *Cache[K, V]) Stats() Stats {
	c.mu.Lock()
	defer c.mu.Unlock()
	return Stats{
		Bytes: c.youngSz + c.oldSz, Entries: len(c.young) + len(c.old),
		Hits: c.hits, Misses: c.misses, Evicted: c.evicted,
	}
}
