// Package recent remembers, per group chat, which question was answered lately and by which
// message, so that an adapter can point to that earlier answer instead of posting it again
// (group etiquette: the same question asked twice in a few minutes gets a reply to the first
// answer, not a second copy of it).
//
// Store is the interface adapters use. Memory keeps the state in the process, bounded in size
// with per-entry expiry; a shared implementation (adapters/redis, for several replicas)
// implements Store with the same semantics. Etiquette is the group etiquette rule over a
// Store, written once for both chat adapters.
//
// The package is state the chat adapters share and the bot core never sees, so it sits under
// adapters/ beside them; it imports only the bot's reply types.
package recent

import (
	"container/list"
	"context"
	"errors"
	"sync"
	"time"
)

// DefaultTTL is how long an answer counts as recent when the caller has no setting of its own:
// "the last few minutes".
const DefaultTTL = 5 * time.Minute

// DefaultMaxEntries bounds a Memory store when MemoryOptions.MaxEntries is zero.
const DefaultMaxEntries = 10_000

// ErrNoMessage is returned by Remember for an empty message id: there is nothing to point to.
var ErrNoMessage = errors.New("recent: empty message id")

// Store remembers the message that answered a question in a chat.
//
// Remember records that messageID answered question in chat, for ttl; a later Remember of the
// same chat and question replaces it, and a ttl <= 0 forgets it. Lookup returns the message id
// remembered for chat and question, with ok false when there is none or it expired.
// Implementations must be safe for concurrent use.
type Store interface {
	Remember(ctx context.Context, chat string, question int, messageID string, ttl time.Duration) error
	Lookup(ctx context.Context, chat string, question int) (messageID string, ok bool, err error)
}

// MemoryOptions configure NewMemory.
type MemoryOptions struct {
	// MaxEntries bounds the number of entries kept (DefaultMaxEntries if 0). When full, the
	// least recently remembered entry is forgotten.
	MaxEntries int
	// Now is the clock (time.Now if nil); tests pass a fake one.
	Now func() time.Time
}

// Memory is an in-process Store: at most MaxEntries entries, each expiring after its ttl,
// expired ones dropped as new ones arrive (no background goroutine). It is safe for
// concurrent use.
type Memory struct {
	max int
	now func() time.Time

	mu      sync.Mutex
	entries map[key]*list.Element // of *entry
	order   *list.List            // front: most recently remembered
}

type key struct {
	chat     string
	question int
}

type entry struct {
	key       key
	messageID string
	expires   time.Time
}

var _ Store = (*Memory)(nil)

// NewMemory returns an empty Memory store.
func NewMemory(opts MemoryOptions) *Memory {
	if opts.MaxEntries <= 0 {
		opts.MaxEntries = DefaultMaxEntries
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	return &Memory{max: opts.MaxEntries, now: opts.Now, entries: map[key]*list.Element{}, order: list.New()}
}

// Remember implements Store.
func (s *Memory) Remember(_ context.Context, chat string, question int, messageID string, ttl time.Duration) error {
	k := key{chat, question}
	s.mu.Lock()
	defer s.mu.Unlock()
	if ttl <= 0 {
		if el, ok := s.entries[k]; ok {
			s.remove(el)
		}
		return nil
	}
	if messageID == "" {
		return ErrNoMessage
	}
	now := s.now()
	expires := now.Add(ttl)
	if el, ok := s.entries[k]; ok {
		e := el.Value.(*entry)
		e.messageID, e.expires = messageID, expires
		s.order.MoveToFront(el)
		return nil
	}
	s.evict(now)
	s.entries[k] = s.order.PushFront(&entry{key: k, messageID: messageID, expires: expires})
	return nil
}

// Lookup implements Store.
func (s *Memory) Lookup(_ context.Context, chat string, question int) (string, bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	el, ok := s.entries[key{chat, question}]
	if !ok {
		return "", false, nil
	}
	e := el.Value.(*entry)
	if !s.now().Before(e.expires) {
		s.remove(el)
		return "", false, nil
	}
	return e.messageID, true, nil
}

// Len returns the number of entries held (expired ones not yet dropped included).
func (s *Memory) Len() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.order.Len()
}

// maxScan bounds how many unexpired entries one eviction pass steps over, so that Remember
// stays cheap however the ttls are mixed.
const maxScan = 64

// evict makes room for one entry: it drops expired entries from the oldest end (stepping over
// at most maxScan live ones) and, when still full, the least recently remembered.
func (s *Memory) evict(now time.Time) {
	scanned := 0
	for el := s.order.Back(); el != nil && scanned < maxScan; {
		prev := el.Prev()
		if !now.Before(el.Value.(*entry).expires) {
			s.remove(el)
		} else {
			scanned++
		}
		el = prev
	}
	for s.order.Len() >= s.max {
		s.remove(s.order.Back())
	}
}

func (s *Memory) remove(el *list.Element) {
	e := s.order.Remove(el).(*entry)
	delete(s.entries, e.key)
}
