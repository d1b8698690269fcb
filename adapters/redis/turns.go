package redis

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/redis/go-redis/v9"

	"transcriptbot/bot"
)

// TurnsOptions configure Client.Turns.
type TurnsOptions struct {
	// Prefix starts every key (DefaultPrefix + "turn:" if empty).
	Prefix string
}

// TurnStore is a bot.TurnStore in Redis, shared by every replica using the same server and
// prefix: one key per conversation holding the bot's last menu or answer there, expiring with
// its ttl. So a user whose "the first one" reaches another replica than their question did
// still gets the choice they meant.
type TurnStore struct {
	c      *Client
	prefix string
}

var _ bot.TurnStore = (*TurnStore)(nil)

// Turns returns the store of conversation turns.
func (c *Client) Turns(opts TurnsOptions) *TurnStore {
	return &TurnStore{c: c, prefix: prefixOr(opts.Prefix, "turn:")}
}

// SaveTurn implements bot.TurnStore. A ttl <= 0 forgets key.
func (s *TurnStore) SaveTurn(ctx context.Context, key string, value []byte, ttl time.Duration) error {
	k := s.prefix + key
	if ttl <= 0 {
		if err := s.c.do(ctx, func(ctx context.Context) error { return s.c.rdb.Del(ctx, k).Err() }); err != nil {
			return fmt.Errorf("redisstate: forget turn: %w", err)
		}
		return nil
	}
	ttl = max(ttl, time.Millisecond)
	if err := s.c.do(ctx, func(ctx context.Context) error { return s.c.rdb.Set(ctx, k, value, ttl).Err() }); err != nil {
		return fmt.Errorf("redisstate: save turn: %w", err)
	}
	return nil
}

// LoadTurn implements bot.TurnStore. When Redis is slow or gone (see Options.Timeout) it
// returns an error at once, and the bot answers without context.
func (s *TurnStore) LoadTurn(ctx context.Context, key string) ([]byte, bool, error) {
	var v []byte
	err := s.c.do(ctx, func(ctx context.Context) (err error) {
		v, err = s.c.rdb.Get(ctx, s.prefix+key).Bytes()
		return err
	})
	if errors.Is(err, redis.Nil) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, fmt.Errorf("redisstate: load turn: %w", err)
	}
	return v, true, nil
}
