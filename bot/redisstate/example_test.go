package redisstate_test

import (
	"context"
	"log"
	"log/slog"
	"time"

	"transcriptbot/bot/flood"
	"transcriptbot/bot/recent"
	"transcriptbot/bot/redisstate"
)

// Wiring the shared stores in a program's main (not run: it needs a Redis server).
func ExampleOpen() {
	ctx := context.Background()
	c, err := redisstate.Open(ctx, "redis://:password@redis:6379/0")
	if err != nil {
		log.Fatal(err) // the message shows redis://:xxxxx@redis:6379/0, never the password
	}
	defer c.Close()
	redisstate.SetLogger(slog.Default())

	var limits flood.Store = c.Flood(redisstate.FloodOptions{})
	telegramUpdates := c.Deduper(redisstate.DedupOptions{Prefix: "transcriptbot:telegram:"})
	discordEvents := c.Deduper(redisstate.DedupOptions{Prefix: "transcriptbot:discord:", TTL: time.Hour})
	var answered recent.Store = c.Recent(redisstate.RecentOptions{})

	_, _, _, _ = limits, telegramUpdates, discordEvents.Claim, answered
}
