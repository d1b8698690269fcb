// Package wordcache is a small, fixed-size, lock-free cache from words to values, for pure
// functions of a word that cost more than a hash and a string comparison: a stem, a lexicon
// lookup. Words in a stream of messages repeat (a few thousand make up most of any chat), so
// a few thousand slots answer most lookups without recomputing them.
//
// Each word has two slots, side by side, chosen by its hash: a Put fills an empty one, or else
// moves the first slot's entry to the second and takes the first, so the two words put last
// into a pair stay. Get and Put are safe for concurrent use; a Get racing a Put sees old
// entries or new ones, never a mix.
//
// A fact that depends on something besides the word (a transcript's vocabulary) is kept with
// its owner's id (Lookup, Store): the word and the owner choose the slots together, and an
// entry answers only for its owner. Get and Put are the owner 0.
package wordcache

import (
	"hash/maphash"
	"strings"
	"sync/atomic"
)

// Cache maps words to values of type V.
type Cache[V any] struct {
	seed  maphash.Seed
	slots []atomic.Pointer[entry[V]]
	mask  uint64
}

type entry[V any] struct {
	key   string
	owner uint64
	val   V
}

// New returns a cache of size slots, rounded up to a power of two (at least 2).
func New[V any](size int) *Cache[V] {
	n := 2
	for n < size {
		n <<= 1
	}
	return &Cache[V]{seed: maphash.MakeSeed(), slots: make([]atomic.Pointer[entry[V]], n), mask: uint64(n - 1)}
}

// slot is the first of the pair of slots of key for owner.
func (c *Cache[V]) slot(key string, owner uint64) uint64 {
	return (maphash.String(c.seed, key) ^ owner*0x9e3779b97f4a7c15) & c.mask &^ 1
}

// Get returns the value cached for key, if one of its slots holds it.
func (c *Cache[V]) Get(key string) (V, bool) {
	if v, ok := c.Lookup(key, 0); ok {
		return *v, true
	}
	var zero V
	return zero, false
}

// Put caches val for key in one of its two slots (see Cache). The key is copied, so that a
// word cut from a long message does not keep the message alive.
func (c *Cache[V]) Put(key string, val V) { c.Store(strings.Clone(key), 0, val) }

// Lookup returns the value cached for key and owner; it is shared and must not be changed.
func (c *Cache[V]) Lookup(key string, owner uint64) (*V, bool) {
	i := c.slot(key, owner)
	if e := c.slots[i].Load(); e != nil && e.owner == owner && e.key == key {
		return &e.val, true
	}
	if e := c.slots[i+1].Load(); e != nil && e.owner == owner && e.key == key {
		return &e.val, true
	}
	return nil, false
}

// Store caches val for key and owner. key, and the strings of val, are kept as they are: they
// must not be slices of a longer text (a message) that the cache would keep alive
// (strings.Clone them first).
func (c *Cache[V]) Store(key string, owner uint64, val V) {
	e := &entry[V]{key: key, owner: owner, val: val}
	i := c.slot(key, owner)
	if c.slots[i].CompareAndSwap(nil, e) || c.slots[i+1].CompareAndSwap(nil, e) {
		return
	}
	c.slots[i+1].Store(c.slots[i].Swap(e))
}
