package cache

import (
	"fmt"
	"sync"
	"testing"
)

func TestBudgetHolds(t *testing.T) {
	c := New[int, string](1000)
	for i := range 10_000 {
		c.Put(i, "x", 10+i%7)
		if s := c.Stats(); s.Bytes > 1000 {
			t.Fatalf("after %d puts the cache holds %d bytes, over 1000", i+1, s.Bytes)
		}
	}
	if s := c.Stats(); s.Entries == 0 || s.Evicted == 0 {
		t.Errorf("stats %+v", s)
	}
}

// TestWhatIsUsedStays: an entry read while others stream past survives
// any number of generations, as in an LRU.
func TestWhatIsUsedStays(t *testing.T) {
	c := New[string, int](1000)
	c.Put("hot", 1, 10)
	for i := range 5000 {
		c.Put(fmt.Sprint(i), i, 10)
		if i%20 == 0 {
			if v, ok := c.Get("hot"); !ok || v != 1 {
				t.Fatalf("the entry in use was evicted after %d others", i)
			}
		}
	}
	if _, ok := c.Get("0"); ok {
		t.Error("an entry never read again was kept through 5,000 others")
	}
}

func TestReplaceAndOversize(t *testing.T) {
	c := New[string, string](100)
	c.Put("a", "1", 10)
	c.Put("a", "2", 20)
	if v, _ := c.Get("a"); v != "2" || c.Stats().Bytes != 20 {
		t.Errorf("replacing: %q, %d bytes", v, c.Stats().Bytes)
	}
	c.Put("big", "x", 60)
	if _, ok := c.Get("big"); ok {
		t.Error("a value over half the budget was kept")
	}
}

func TestConcurrentUse(t *testing.T) {
	c := New[int, int](4096)
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for i := range 2000 {
				k := (i * (g + 1)) % 300
				if v := c.GetOrMake(k, func() int { return k * 2 }, func(int) int { return 16 }); v != k*2 {
					t.Errorf("key %d gave %d", k, v)
					return
				}
			}
		})
	}
	wg.Wait()
	if s := c.Stats(); s.Bytes > 4096 {
		t.Errorf("holds %d bytes", s.Bytes)
	}
}
