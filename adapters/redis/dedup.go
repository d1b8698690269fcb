package redis

import (
	"context"
	"fmt"
	"log/slog"
	"time"
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
	// Logger logs the store failures that Claim hides (nothing is logged if nil).
	Logger *slog.Logger
	// Fallback, when set, is used while Redis does not answer (an in-memory set of this
	// process's own): de-duplication then still holds within the process. Its Forget is
	// used too if it has one.
	Fallback interface {
		FirstSeen(ctx context.Context, key string) (bool, error)
	}
}

// Deduper remembers which updates or events were taken on, across every replica using the same
// server and prefix: the first FirstSeen of a key wins (SET NX with a TTL), every later one,
// in any process, loses. It has the methods of the Telegram adapter's Deduper and Forgetter
// and, in Claim, the signature of the Discord adapter's Config.Claim hook.
type Deduper struct {
	c        *Client
	prefix   string
	ttl      time.Duration
	log      *slog.Logger
	fallback interface {
		FirstSeen(ctx context.Context, key string) (bool, error)
	}
}

// Deduper returns a de-duplication store.
func (c *Client) Deduper(opts DedupOptions) *Deduper {
	if opts.TTL <= 0 {
		opts.TTL = DefaultDedupTTL
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	return &Deduper{c: c, prefix: prefixOr(opts.Prefix, "dedup:"), ttl: opts.TTL, log: opts.Logger, fallback: opts.Fallback}
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
	if f, ok := d.fallback.(interface {
		Forget(ctx context.Context, key string) error
	}); ok {
		_ = f.Forget(ctx, key) // recorded there while Redis did not answer, perhaps
	}
	if err := d.c.do(ctx, func(ctx context.Context) error { return d.c.rdb.Del(ctx, d.prefix+key).Err() }); err != nil {
		return fmt.Errorf("redisstate: dedup forget: %w", err)
	}
	return nil
}

// Claim reports whether this process should handle the event with the given id: true for the
// first claim of an id, false for every later one. When Redis fails it logs the error and
// returns true: answering an event twice is better than answering it never.
func (d *Deduper) Claim(ctx context.Context, id string) bool {
	first, err := d.FirstSeen(ctx, id)
	if err != nil {
		d.log.LogAttrs(ctx, slog.LevelWarn, "dedup: claim failed; handling the event anyway", slog.Any("error", err))
		return true
	}
	return first
}
