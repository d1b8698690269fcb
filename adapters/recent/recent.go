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
// adapters/ beside them; it imports only the bot's reply types and the adapters' shared map
// (adapters/internal/ttlmap).
package recent

import (
	"context"
	"errors"
	"time"

	"transcriptbot/adapters/internal/ttlmap"
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
	now     func() time.Time
	entries *ttlmap.Map[key, string] // message ids
}

type key struct {
	chat     string
	question int
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
	return &Memory{now: opts.Now, entries: ttlmap.New[key, string](opts.MaxEntries)}
}

// Remember implements Store.
func (s *Memory) Remember(_ context.Context, chat string, question int, messageID string, ttl time.Duration) error {
	k := key{chat, question}
	if ttl <= 0 {
		s.entries.Delete(k)
		return nil
	}
	if messageID == "" {
		return ErrNoMessage
	}
	now := s.now()
	s.entries.Set(k, messageID, now.Add(ttl), now)
	return nil
}

// Lookup implements Store.
func (s *Memory) Lookup(_ context.Context, chat string, question int) (string, bool, error) {
	id, ok := s.entries.Get(key{chat, question}, s.now())
	return id, ok, nil
}

// Len returns the number of entries held (expired ones not yet dropped included).
func (s *Memory) Len() int { return s.entries.Len() }
