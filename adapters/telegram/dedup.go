package telegram

import (
	"context"
	"sync"
	"time"
)

// Deduper remembers which updates were already taken on, so that an update delivered twice
// (a webhook retry, a redelivery after a fault, several replicas behind one webhook) is answered
// once. A shared implementation (Redis SET NX with a TTL) can plug in for several replicas.
// Keys look like "tg:<bot id>:<update id>"; the adapter calls FirstSeen before handling an
// update and, if the Deduper is also a Forgetter, Forget when shutdown cut the update short.
// When FirstSeen fails the update is handled anyway (logged): a rare duplicate beats a loss.
type Deduper interface {
	// FirstSeen atomically records key and reports whether it was not recorded before.
	FirstSeen(ctx context.Context, key string) (bool, error)
}

// Forgetter is optionally implemented by a Deduper: the adapter calls Forget for an update it
// took on but could not finish (shutdown cut it short), so its redelivery is answered.
type Forgetter interface {
	Forget(ctx context.Context, key string) error
}

// MemoryDeduper is the default Deduper: an in-process set with a TTL and a bounded size (the
// oldest keys are evicted first). It is safe for concurrent use.
type MemoryDeduper struct {
	mu    sync.Mutex
	ttl   time.Duration
	max   int
	seen  map[string]time.Time
	order []string // insertion order, for eviction; may hold keys already removed
	head  int      // order[:head] are evicted
	now   func() time.Time
}

var (
	_ Deduper   = (*MemoryDeduper)(nil)
	_ Forgetter = (*MemoryDeduper)(nil)
)

// NewMemoryDeduper returns a MemoryDeduper keeping keys for ttl (default 25 hours, longer than
// Telegram keeps an unconfirmed update) and at most max keys (default 100,000).
func NewMemoryDeduper(ttl time.Duration, max int) *MemoryDeduper {
	if ttl <= 0 {
		ttl = 25 * time.Hour
	}
	if max <= 0 {
		max = 100_000
	}
	return &MemoryDeduper{ttl: ttl, max: max, seen: make(map[string]time.Time), now: time.Now}
}

// FirstSeen implements Deduper.
func (d *MemoryDeduper) FirstSeen(_ context.Context, key string) (bool, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	now := d.now()
	if at, ok := d.seen[key]; ok && now.Sub(at) < d.ttl {
		return false, nil
	}
	d.evict(now)
	d.seen[key] = now
	d.order = append(d.order, key)
	return true, nil
}

// Forget implements Forgetter.
func (d *MemoryDeduper) Forget(_ context.Context, key string) error {
	d.mu.Lock()
	delete(d.seen, key)
	d.mu.Unlock()
	return nil
}

// Len returns the number of keys held.
func (d *MemoryDeduper) Len() int {
	d.mu.Lock()
	defer d.mu.Unlock()
	return len(d.seen)
}

// evict drops expired keys from the front of the order and, when full, the oldest keys.
func (d *MemoryDeduper) evict(now time.Time) {
	for d.head < len(d.order) {
		k := d.order[d.head]
		at, ok := d.seen[k]
		if ok && now.Sub(at) < d.ttl && len(d.seen) < d.max {
			break
		}
		if ok {
			delete(d.seen, k)
		}
		d.order[d.head] = ""
		d.head++
	}
	if d.head > 1024 && d.head > len(d.order)/2 { // compact, amortised O(1)
		d.order = append(d.order[:0:0], d.order[d.head:]...)
		d.head = 0
	}
}
