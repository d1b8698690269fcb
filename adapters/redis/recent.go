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
}

// RecentStore is a recent.Store in Redis, shared by every replica using the same server and
// prefix: one key per chat and question holding the answering message's id, expiring with its
// ttl.
type RecentStore struct {
	c      *Client
	prefix string
}

var _ recent.Store = (*RecentStore)(nil)

// Recent returns the store of recent answers.
func (c *Client) Recent(opts RecentOptions) *RecentStore {
	return &RecentStore{c: c, prefix: prefixOr(opts.Prefix, "recent:")}
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
			return fmt.Errorf("redisstate: recent forget: %w", err)
		}
		return nil
	}
	if messageID == "" {
		return recent.ErrNoMessage
	}
	ttl = max(ttl, time.Millisecond)
	if err := s.c.do(ctx, func(ctx context.Context) error { return s.c.rdb.Set(ctx, k, messageID, ttl).Err() }); err != nil {
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
		return "", false, fmt.Errorf("redisstate: recent lookup: %w", err)
	}
	return id, true, nil
}
