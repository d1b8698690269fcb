// Package dedup is the chat adapters' de-duplication contract: Deduper, which remembers the
// updates and events already taken on, so that one delivered twice (a webhook retry, a
// redelivery after a fault, a resumed gateway session, several replicas behind one webhook or
// one bot token) is answered once. Memory implements it in the process; adapters/redis
// implements it across replicas. Both chat adapters take a Deduper in their Config.
//
// The package sits under adapters/ beside the adapters that share it; the bot core never sees
// it.
package dedup

import (
	"context"
	"time"

	"transcriptbot/adapters/internal/ttlmap"
)

// Deduper remembers which updates or events were taken on. Keys are the adapter's own (for
// example "tg:<bot id>:<update id>" or "interaction:<id>"). An adapter calls FirstSeen before
// handling an event and handles it only when FirstSeen reports true; when FirstSeen fails it
// handles the event anyway (logged): a rare duplicate beats a loss. It calls Forget for an
// event it took on but could not finish (shutdown cut it short), so that its redelivery is
// answered. Implementations must be safe for concurrent use.
type Deduper interface {
	// FirstSeen atomically records key and reports whether it was not recorded before.
	FirstSeen(ctx context.Context, key string) (bool, error)
	// Forget drops key.
	Forget(ctx context.Context, key string) error
}

// Defaults of MemoryOptions.
const (
	// DefaultTTL is longer than Telegram keeps an unconfirmed update (24 hours).
	DefaultTTL = 25 * time.Hour
	// DefaultMaxKeys bounds a Memory's keys.
	DefaultMaxKeys = 100_000
)

// MemoryOptions configure NewMemory.
type MemoryOptions struct {
	// TTL is how long a key is remembered (DefaultTTL if 0).
	TTL time.Duration
	// MaxKeys bounds the keys held (DefaultMaxKeys if 0); when full, the oldest go first.
	MaxKeys int
	// Now is the clock (time.Now if nil); tests pass a fake one.
	Now func() time.Time
}

// Memory is the in-process Deduper: a set of keys with a TTL and a bounded size. It is safe for
// concurrent use.
type Memory struct {
	ttl  time.Duration
	now  func() time.Time
	keys *ttlmap.Map[string, struct{}]
}

var _ Deduper = (*Memory)(nil)

// NewMemory returns an empty Memory.
func NewMemory(opts MemoryOptions) *Memory {
	if opts.TTL <= 0 {
		opts.TTL = DefaultTTL
	}
	if opts.MaxKeys <= 0 {
		opts.MaxKeys = DefaultMaxKeys
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	return &Memory{ttl: opts.TTL, now: opts.Now, keys: ttlmap.New[string, struct{}](opts.MaxKeys)}
}

// FirstSeen implements Deduper.
func (d *Memory) FirstSeen(_ context.Context, key string) (bool, error) {
	now := d.now()
	return d.keys.Add(key, struct{}{}, now.Add(d.ttl), now), nil
}

// Forget implements Deduper.
func (d *Memory) Forget(_ context.Context, key string) error {
	d.keys.Delete(key)
	return nil
}

// Len returns the number of keys held.
func (d *Memory) Len() int { return d.keys.Len() }
