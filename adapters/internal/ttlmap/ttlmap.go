// Package ttlmap is the bounded map with expiring entries that the adapters' in-memory stores
// share (recent answers, de-duplication keys, replayed interaction ids), written once.
package ttlmap

import (
	"container/list"
	"sync"
	"time"
)

// maxScan bounds how many unexpired entries one eviction pass steps over, so that a Set stays
// cheap however the expiries are mixed.
const maxScan = 64

// Map is a map whose entries expire, holding at most a fixed number of them: when full, the
// least recently set entry goes. Expired entries are dropped from the oldest end as new ones
// arrive (stepping over at most 64 live ones) and when looked up; there is no background
// goroutine. Callers pass the time, so that their clocks (and tests' fake ones) rule. A Map is
// safe for concurrent use.
type Map[K comparable, V any] struct {
	max int

	mu      sync.Mutex
	entries map[K]*list.Element // of *entry[K, V]
	order   *list.List          // front: most recently set
}

type entry[K comparable, V any] struct {
	key     K
	value   V
	expires time.Time
}

// New returns an empty Map holding at most size entries (at least one).
func New[K comparable, V any](size int) *Map[K, V] {
	return &Map[K, V]{max: max(size, 1), entries: map[K]*list.Element{}, order: list.New()}
}

// Set sets k to v until expires, replacing any earlier value; now is the current time.
func (m *Map[K, V]) Set(k K, v V, expires, now time.Time) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.set(k, v, expires, now)
}

// Add sets k to v until expires unless k holds an unexpired value, and reports whether it set
// it: the first Add of a key wins until it expires.
func (m *Map[K, V]) Add(k K, v V, expires, now time.Time) bool {
	m.mu.Lock()
	defer m.mu.Unlock()
	if el, ok := m.entries[k]; ok && now.Before(el.Value.(*entry[K, V]).expires) {
		return false
	}
	m.set(k, v, expires, now)
	return true
}

func (m *Map[K, V]) set(k K, v V, expires, now time.Time) {
	if el, ok := m.entries[k]; ok {
		e := el.Value.(*entry[K, V])
		e.value, e.expires = v, expires
		m.order.MoveToFront(el)
		return
	}
	m.evict(now)
	m.entries[k] = m.order.PushFront(&entry[K, V]{key: k, value: v, expires: expires})
}

// Get returns the value of k, with ok false when there is none or it expired at now.
func (m *Map[K, V]) Get(k K, now time.Time) (v V, ok bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	el, found := m.entries[k]
	if !found {
		return v, false
	}
	e := el.Value.(*entry[K, V])
	if !now.Before(e.expires) {
		m.remove(el)
		return v, false
	}
	return e.value, true
}

// Delete removes k.
func (m *Map[K, V]) Delete(k K) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if el, ok := m.entries[k]; ok {
		m.remove(el)
	}
}

// Len returns the number of entries held, expired ones not yet dropped included.
func (m *Map[K, V]) Len() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.order.Len()
}

// evict makes room for one entry: it drops expired entries from the oldest end (stepping over
// at most maxScan live ones) and, when still full, the least recently set.
func (m *Map[K, V]) evict(now time.Time) {
	scanned := 0
	for el := m.order.Back(); el != nil && scanned < maxScan; {
		prev := el.Prev()
		if !now.Before(el.Value.(*entry[K, V]).expires) {
			m.remove(el)
		} else {
			scanned++
		}
		el = prev
	}
	for m.order.Len() >= m.max {
		m.remove(m.order.Back())
	}
}

func (m *Map[K, V]) remove(el *list.Element) {
	e := m.order.Remove(el).(*entry[K, V])
	delete(m.entries, e.key)
}
