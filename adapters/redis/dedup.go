package redis

import (
	"context"
	"fmt"
	"time"

	"transcriptbot/adapters/dedup"
)

// DefaultDedupTTL is how long a de-duplication key is kept when DedupOptions.TTL is zero:
// longer than Telegram keeps an unconfirmed update (24 hours), as the in-memory default.
const DefaultDedupTTL = 25 * time.Hour

// DedupOptions configure Client.Deduper.
type DedupOptions struct {
	// Prefix starts every key (DefaultPrefix + "dedup:" if empty). Give each platform its
	// own, for example "transcriptbot:telegram:" and "transcriptbot:discord:".
	Prefix string
	// TTL is how long a key is remembered (DefaultDedupTTL if 0).
	TTL time.Duration
	// Fallback, when set, is used while Redis does not answer (an in-memory set of this
	// process's own, a dedup.Memory): de-duplication then still holds within the process.
	// Forget forgets there too.
	Fallback dedup.Deduper
}

// Deduper remembers which updates or events were taken on, across every replica using the same
// server and prefix: the first FirstSeen of a key wins (SET NX with a TTL), every later one,
// in any process, loses. It implements the adapters' de-duplication contract, dedup.Deduper.
type Deduper struct {
	c        *Client
	prefix   string
	ttl      time.Duration
	fallback dedup.Deduper
}

var _ dedup.Deduper = (*Deduper)(nil)

// Deduper returns a de-duplication store.
func (c *Client) Deduper(opts DedupOptions) *Deduper {
	if opts.TTL <= 0 {
		opts.TTL = DefaultDedupTTL
	}
	return &Deduper{c: c, prefix: prefixOr(opts.Prefix, "dedup:"), ttl: opts.TTL, fallback: opts.Fallback}
}

// FirstSeen atomically records key and reports whether no process recorded it before (within
// the TTL). While Redis does not answer, the Fallback answers if there is one.
func (d *Deduper) FirstSeen(ctx context.Context, key string) (bool, error) {
	var first bool
	err := d.c.do(ctx, func(ctx context.Context) (err error) {
		first, err = d.c.rdb.SetNX(ctx, d.prefix+key, 1, d.ttl).Result()
		return err
	})
	if err != nil && d.fallback != nil && ctx.Err() == nil {
		return d.fallback.FirstSeen(ctx, key)
	}
	if err != nil {
		return false, fmt.Errorf("redisstate: dedup: %w", err)
	}
	return first, nil
}

// Forget drops key, so that a redelivery of an update taken on but not finished is answered.
func (d *Deduper) Forget(ctx context.Context, key string) error {
	if d.fallback != nil {
		_ = d.fallback.Forget(ctx, key) // recorded there while Redis did not answer, perhaps
	}
	if err := d.c.do(ctx, func(ctx context.Context) error { return d.c.rdb.Del(ctx, d.prefix+key).Err() }); err != nil {
		return fmt.Errorf("redisstate: dedup forget: %w", err)
	}
	return nil
}
