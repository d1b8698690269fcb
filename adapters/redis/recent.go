package redis

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/redis/go-redis/v9"

	"transcriptbot/adapters/recent"
)

// RecentOptions configure Client.Recent.
type RecentOptions struct {
	// Prefix starts every key (DefaultPrefix + "recent:" if empty).
	Prefix string
	// Fallback, when set, is used while Redis does not answer (an in-memory store of this
	// process's own): the pointers then still work within the process.
	Fallback recent.Store
}

// RecentStore is a recent.Store in Redis, shared by every replica using the same server and
// prefix: one key per chat and question holding the answering message's id, expiring with its
// ttl.
type RecentStore struct {
	c        *Client
	prefix   string
	fallback recent.Store
}

var _ recent.Store = (*RecentStore)(nil)

// Recent returns the store of recent answers.
func (c *Client) Recent(opts RecentOptions) *RecentStore {
	return &RecentStore{c: c, prefix: prefixOr(opts.Prefix, "recent:"), fallback: opts.Fallback}
}

// key is unambiguous whatever the chat id holds: the number comes first and ends at the colon.
func (s *RecentStore) key(chat string, question int) string {
	return s.prefix + strconv.Itoa(question) + ":" + chat
}

// Remember implements recent.Store.
func (s *RecentStore) Remember(ctx context.Context, chat string, question int, messageID string, ttl time.Duration) error {
	k := s.key(chat, question)
	if ttl <= 0 {
		if err := s.c.do(ctx, func(ctx context.Context) error { return s.c.rdb.Del(ctx, k).Err() }); err != nil {
			if s.useFallback(ctx) {
				return s.fallback.Remember(ctx, chat, question, messageID, ttl)
			}
			return fmt.Errorf("redisstate: recent forget: %w", err)
		}
		return nil
	}
	if messageID == "" {
		return recent.ErrNoMessage
	}
	ttl = max(ttl, time.Millisecond)
	if err := s.c.do(ctx, func(ctx context.Context) error { return s.c.rdb.Set(ctx, k, messageID, ttl).Err() }); err != nil {
		if s.useFallback(ctx) {
			return s.fallback.Remember(ctx, chat, question, messageID, ttl)
		}
		return fmt.Errorf("redisstate: recent remember: %w", err)
	}
	return nil
}

// Lookup implements recent.Store.
func (s *RecentStore) Lookup(ctx context.Context, chat string, question int) (string, bool, error) {
	var id string
	err := s.c.do(ctx, func(ctx context.Context) (err error) {
		id, err = s.c.rdb.Get(ctx, s.key(chat, question)).Result()
		return err
	})
	if errors.Is(err, redis.Nil) {
		return "", false, nil
	}
	if err != nil {
		if s.useFallback(ctx) {
			return s.fallback.Lookup(ctx, chat, question)
		}
		return "", false, fmt.Errorf("redisstate: recent lookup: %w", err)
	}
	return id, true, nil
}

// useFallback reports whether a failed operation should go to the fallback store.
func (s *RecentStore) useFallback(ctx context.Context) bool {
	return s.fallback != nil && ctx.Err() == nil
}
