package main

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"transcriptbot/adapters/dedup"
	"transcriptbot/adapters/misses"
	"transcriptbot/adapters/prometheus"
	"transcriptbot/adapters/recent"
	"transcriptbot/adapters/redis"
	"transcriptbot/bot"
	"transcriptbot/bot/flood"
)

// sharedState is the state serve keeps besides the bot core: in memory for one process, or
// in Redis (REDIS_URL) for several replicas; and the log of unanswered questions (MISS_LOG).
type sharedState struct {
	redis          *redis.Client // nil without REDIS_URL
	flood          flood.Store
	telegramDedup  dedup.Deduper // nil: the adapter's in-memory default
	discordDedup   dedup.Deduper // nil: none across gateway events (one process)
	telegramRecent recent.Store
	discordRecent  recent.Store
	turns          bot.TurnStore // conversations' last menus and answers, for follow-ups
	misses         *misses.Log   // nil without MISS_LOG
}

// Key prefixes in Redis, one per platform: chat and update ids of the two never mix.
const (
	redisTelegramPrefix = redis.DefaultPrefix + "telegram:"
	redisDiscordPrefix  = redis.DefaultPrefix + "discord:"
)

// discordClaimTTL is how long a Discord event id stays claimed (in Redis): Discord redelivers an event
// only while resuming a session, minutes at most.
const discordClaimTTL = time.Hour

// openState connects to Redis when cfg.RedisURL is set and opens the miss log when
// cfg.MissLog is set. Errors never contain the Redis password.
func openState(ctx context.Context, cfg *Config, logger *slog.Logger, metrics *prometheus.Metrics) (*sharedState, error) {
	st := &sharedState{}
	if cfg.RedisURL == "" {
		st.flood = flood.NewMemoryStore(flood.MemoryOptions{MaxKeys: cfg.FloodMaxKeys, Idle: max(flood.DefaultIdle, cfg.FloodCooldown)})
		st.telegramRecent = recent.NewMemory(recent.MemoryOptions{})
		st.discordRecent = recent.NewMemory(recent.MemoryOptions{})
		st.turns = bot.NewMemoryTurns(bot.MemoryTurnsOptions{})
	} else {
		redis.SetLogger(logger)
		octx, cancel := context.WithTimeout(ctx, 15*time.Second)
		metrics.TrackRedis()
		c, err := redis.OpenWith(octx, cfg.RedisURL, redis.Options{
			Timeout:   cfg.RedisTimeout,
			Logger:    logger,
			OnHealth:  func(up bool, _ error) { metrics.RedisHealth(up) },
			OnFailure: metrics.RedisFailure,
		})
		cancel()
		if err != nil {
			return nil, err
		}
		logger.Info("sharing state in Redis", "redis", c.String())
		st.redis = c
		// While Redis does not answer, each store falls back to this process's memory: flood
		// control, de-duplication and the pointers then hold per replica.
		floodIdle := max(flood.DefaultIdle, cfg.FloodCooldown)
		st.flood = c.Flood(redis.FloodOptions{Idle: floodIdle,
			Fallback: flood.NewMemoryStore(flood.MemoryOptions{MaxKeys: cfg.FloodMaxKeys, Idle: floodIdle})})
		st.telegramDedup = c.Deduper(redis.DedupOptions{Prefix: redisTelegramPrefix,
			Fallback: dedup.NewMemory(dedup.MemoryOptions{})})
		st.discordDedup = c.Deduper(redis.DedupOptions{Prefix: redisDiscordPrefix, TTL: discordClaimTTL,
			Fallback: dedup.NewMemory(dedup.MemoryOptions{TTL: discordClaimTTL})})
		st.telegramRecent = c.Recent(redis.RecentOptions{Prefix: redisTelegramPrefix + "recent:",
			Fallback: recent.NewMemory(recent.MemoryOptions{})})
		st.discordRecent = c.Recent(redis.RecentOptions{Prefix: redisDiscordPrefix + "recent:",
			Fallback: recent.NewMemory(recent.MemoryOptions{})})
		st.turns = c.Turns(redis.TurnsOptions{}) // keys name the platform
	}
	if cfg.MissLog != "" {
		l, err := misses.NewLog(cfg.MissLog)
		if err != nil {
			st.close(logger)
			return nil, fmt.Errorf("MISS_LOG: %w", err)
		}
		l.SetTranscript(cfg.Transcript.Hash)
		st.misses = l
	}
	return st, nil
}

// close releases the Redis connections and closes the miss log.
func (st *sharedState) close(logger *slog.Logger) {
	if st.misses != nil {
		if err := st.misses.Close(); err != nil {
			logger.Warn("miss log: closing", "err", err)
		}
	}
	if st.redis != nil {
		if err := st.redis.Close(); err != nil {
			logger.Warn("redis: closing", "err", err)
		}
	}
}
