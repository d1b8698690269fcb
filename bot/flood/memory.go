package flood

import (
	"container/list"
	"context"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// Defaults for MemoryOptions.
const (
	DefaultMaxKeys = 100_000
	DefaultIdle    = 10 * time.Minute
)

// MemoryOptions configure NewMemoryStore.
type MemoryOptions struct {
	// MaxKeys bounds the number of keys kept (DefaultMaxKeys if 0). When full, the least
	// recently seen key is forgotten.
	MaxKeys int
	// Idle is how long a key may go unseen before it is forgotten (DefaultIdle if 0). A key
	// is never forgotten for idleness while muted or while its bucket is refilling, so
	// forgetting it changes nothing.
	Idle time.Duration
}

// MemoryStore is an in-process Store with bounded memory: at most MaxKeys keys, idle keys
// evicted as new events arrive (no background goroutine). It is safe for concurrent use.
type MemoryStore struct {
	maxKeys int
	idle    time.Duration

	mu   sync.Mutex
	keys map[string]*list.Element // of *memEntry
	lru  *list.List               // front: most recently seen
}

type memEntry struct {
	key      string
	lim      *rate.Limiter
	rule     Rule
	muted    time.Time // muted until
	lastSeen time.Time
	keep     time.Time // not evicted for idleness before this
}

var _ Store = (*MemoryStore)(nil)

// NewMemoryStore returns an empty MemoryStore.
func NewMemoryStore(opts MemoryOptions) *MemoryStore {
	if opts.MaxKeys <= 0 {
		opts.MaxKeys = DefaultMaxKeys
	}
	if opts.Idle <= 0 {
		opts.Idle = DefaultIdle
	}
	return &MemoryStore{maxKeys: opts.MaxKeys, idle: opts.Idle, keys: map[string]*list.Element{}, lru: list.New()}
}

// Take implements Store.
func (s *MemoryStore) Take(_ context.Context, key string, rule Rule, cooldown time.Duration, now time.Time) (Verdict, error) {
	if !rule.Enabled() {
		return Allow, nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.evictIdle(now)

	var e *memEntry
	if el, ok := s.keys[key]; ok {
		e = el.Value.(*memEntry)
		s.lru.MoveToFront(el)
		if e.rule != rule { // the rule changed (new settings): start afresh
			e.lim = rate.NewLimiter(rule.Rate, rule.Burst)
			e.rule = rule
		}
	} else {
		for s.lru.Len() >= s.maxKeys {
			s.remove(s.lru.Back())
		}
		e = &memEntry{key: key, lim: rate.NewLimiter(rule.Rate, rule.Burst), rule: rule}
		s.keys[key] = s.lru.PushFront(e)
	}
	e.lastSeen = now
	keep := now.Add(s.idle)
	if refilled := now.Add(rule.refill()); refilled.After(keep) {
		keep = refilled
	}

	v := Allow
	switch {
	case now.Before(e.muted):
		v = Silence
	case e.lim.AllowN(now, 1):
		v = Allow
	default:
		e.muted = now.Add(cooldown)
		v = Throttle
	}
	if e.muted.After(keep) {
		keep = e.muted
	}
	e.keep = keep
	return v, nil
}

// Len returns the number of keys held.
func (s *MemoryStore) Len() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.lru.Len()
}

// maxSkip bounds how many stale-but-kept entries one eviction pass steps over, so that a
// Take stays cheap however many keys are muted.
const maxSkip = 64

// evictIdle forgets keys unseen for longer than the idle time, oldest first. Entries are in
// last-seen order, so it stops at the first one still fresh; a stale entry that must be kept
// (muted or refilling) is stepped over.
func (s *MemoryStore) evictIdle(now time.Time) {
	skipped := 0
	for el := s.lru.Back(); el != nil && skipped < maxSkip; {
		e := el.Value.(*memEntry)
		if now.Sub(e.lastSeen) < s.idle {
			return
		}
		prev := el.Prev()
		if now.Before(e.keep) {
			skipped++
		} else {
			s.remove(el)
		}
		el = prev
	}
}

func (s *MemoryStore) remove(el *list.Element) {
	e := s.lru.Remove(el).(*memEntry)
	delete(s.keys, e.key)
}
