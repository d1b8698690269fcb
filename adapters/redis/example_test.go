package redis_test

import (
	"context"
	"log"
	"log/slog"
	"time"

	"transcriptbot/adapters/recent"
	"transcriptbot/adapters/redis"
	"transcriptbot/bot/flood"
)

// Wiring the shared stores in a program's main (not run: it needs a Redis server).
func ExampleOpen() {
	ctx := context.Background()
	c, err := redis.Open(ctx, "redis://:password@redis:6379/0")
	if err != nil {
		log.Fatal(err) // the message shows redis://:xxxxx@redis:6379/0, never the password
	}
	defer c.Close()
	redis.SetLogger(slog.Default())

	var limits flood.Store = c.Flood(redis.FloodOptions{})
	telegramUpdates := c.Deduper(redis.DedupOptions{Prefix: "transcriptbot:telegram:"})
	discordEvents := c.Deduper(redis.DedupOptions{Prefix: "transcriptbot:discord:", TTL: time.Hour})
	var answered recent.Store = c.Recent(redis.RecentOptions{})

	_, _, _, _ = limits, telegramUpdates, discordEvents, answered
}
