package matcher

import (
	"hash/maphash"
	"sync/atomic"
)

// ownedCache is a fixed-size cache of facts about single words, each found for one owner (a
// matcher, a dictionary) and kept with the owner's id: each pair of slots is chosen by a hash
// of the word and the owner, and a newer word pushes out the older of its pair. It is safe
// for concurrent use; an entry, once stored, is never changed.
type ownedCache[T any] struct {
	seed  maphash.Seed
	slots []atomic.Pointer[owned[T]]
	mask  uint64
}

// owned is an entry of an ownedCache.
type owned[T any] struct {
	word  string
	owner uint64
	val   T
}

// newOwnedCache returns a cache of size slots (a power of two).
func newOwnedCache[T any](size int) *ownedCache[T] {
	return &ownedCache[T]{seed: maphash.MakeSeed(), slots: make([]atomic.Pointer[owned[T]], size), mask: uint64(size - 1)}
}

// slot is the first of the pair of slots of word for owner.
func (c *ownedCache[T]) slot(word string, owner uint64) uint64 {
	return (maphash.String(c.seed, word) ^ owner*0x9e3779b97f4a7c15) & c.mask &^ 1
}

// get returns the value cached for word and owner; it must not be changed.
func (c *ownedCache[T]) get(word string, owner uint64) (*T, bool) {
	i := c.slot(word, owner)
	if e := c.slots[i].Load(); e != nil && e.owner == owner && e.word == word {
		return &e.val, true
	}
	if e := c.slots[i+1].Load(); e != nil && e.owner == owner && e.word == word {
		return &e.val, true
	}
	return nil, false
}

// put caches v for word and owner. word, and the strings of v, are kept: they must not be
// slices of a longer text (a message) that the cache would keep alive (strings.Clone).
func (c *ownedCache[T]) put(word string, owner uint64, v T) {
	e := &owned[T]{word: word, owner: owner, val: v}
	i := c.slot(word, owner)
	if c.slots[i].CompareAndSwap(nil, e) || c.slots[i+1].CompareAndSwap(nil, e) {
		return
	}
	c.slots[i+1].Store(c.slots[i].Swap(e))
}
