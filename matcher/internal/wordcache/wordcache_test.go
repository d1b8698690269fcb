package wordcache

import (
	"fmt"
	"hash/maphash"
	"strings"
	"sync"
	"testing"
	"unsafe"
)

func TestGetPut(t *testing.T) {
	c := New[int](3) // rounded up to 4 slots
	if len(c.slots) != 4 {
		t.Fatalf("%d slots, want 4", len(c.slots))
	}
	if _, ok := c.Get("doctor"); ok {
		t.Fatal("empty cache: doctor found")
	}
	c.Put("doctor", 7)
	if v, ok := c.Get("doctor"); !ok || v != 7 {
		t.Fatalf("Get(doctor) = %v, %v; want 7, true", v, ok)
	}
	// Many words in four slots: each Get either misses or returns that word's own value.
	for i := range 100 {
		c.Put(fmt.Sprint("w", i), i)
	}
	hits := 0
	for i := range 100 {
		if v, ok := c.Get(fmt.Sprint("w", i)); ok {
			hits++
			if v != i {
				t.Fatalf("w%d: got %d", i, v)
			}
		}
	}
	if hits == 0 || hits > 4 {
		t.Errorf("%d hits after 100 puts into 4 slots, want 1..4", hits)
	}
	// The last two words put into one pair of slots are both found.
	last := map[uint64][]int{}
	for i := range 100 {
		p := maphash.String(c.seed, fmt.Sprint("w", i)) & c.mask &^ 1
		last[p] = append(last[p], i)
	}
	for p, is := range last {
		for _, i := range is[max(0, len(is)-2):] {
			if v, ok := c.Get(fmt.Sprint("w", i)); !ok || v != i {
				t.Errorf("pair %d: w%d, among the last two put, not found", p, i)
			}
		}
	}
}

func TestPutCopiesKey(t *testing.T) {
	c := New[bool](16)
	msg := strings.Repeat("x", 1<<16) + " doctor"
	word := msg[len(msg)-6:]
	c.Put(word, true)
	e := c.slots[maphash.String(c.seed, word)&c.mask&^1].Load()
	if e == nil || e.key != "doctor" {
		t.Fatalf("entry %+v", e)
	}
	if unsafe.StringData(e.key) == unsafe.StringData(word) {
		t.Error("the cached key shares the message's memory")
	}
}

// TestConcurrent: readers and writers of the same slots at once (run with -race) see only
// whole entries.
func TestConcurrent(t *testing.T) {
	c := New[string](8)
	var wg sync.WaitGroup
	errs := make(chan string, 64)
	for g := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 2000 {
				k := fmt.Sprint("k", (i+g)%50)
				if v, ok := c.Get(k); ok && v != "v"+k {
					select {
					case errs <- fmt.Sprintf("%s: %s", k, v):
					default:
					}
				}
				c.Put(k, "v"+k)
			}
		}()
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
}

// TestOwners: an entry answers only for the owner it was stored for; Get and Put are owner 0.
func TestOwners(t *testing.T) {
	c := New[string](64)
	c.Store("lighthose", 1, "lighthouse")
	if v, ok := c.Lookup("lighthose", 1); !ok || *v != "lighthouse" {
		t.Fatalf("Lookup(lighthose, 1) = %v, %v; want lighthouse", v, ok)
	}
	if _, ok := c.Lookup("lighthose", 2); ok {
		t.Error("owner 2 found owner 1's entry")
	}
	if _, ok := c.Get("lighthose"); ok {
		t.Error("Get (owner 0) found owner 1's entry")
	}
	c.Put("lighthose", "light house")
	if v, ok := c.Lookup("lighthose", 0); !ok || *v != "light house" {
		t.Errorf("Lookup(lighthose, 0) after Put = %v, %v", v, ok)
	}
}
