package redis

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/time/rate"

	"transcriptbot/bot"
	"transcriptbot/bot/flood"
)

// echo answers every request, counting them.
type echo struct{ calls atomic.Int64 }

func (e *echo) Handle(_ context.Context, req bot.Request) bot.Reply {
	e.calls.Add(1)
	return bot.Reply{Kind: bot.ReplyAnswer, Body: []bot.Span{{Text: "answer to " + req.Text}}}
}

func (e *echo) Suggest(context.Context, bot.SuggestRequest) []bot.Reply { return nil }

// TestLimiterAcrossReplicas is the flood scenario on two replicas sharing Redis: a
// user sends 50 messages in 10 seconds, alternately to each replica; across both they get the
// burst answered, exactly one "slow down" and silence after it, while another user at a
// normal pace is answered every time.
func TestLimiterAcrossReplicas(t *testing.T) {
	prefix := testPrefix(t)
	var mu sync.Mutex
	now := time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	user := flood.Rule{Rate: rate.Every(3 * time.Second), Burst: 8}
	var replicas []*flood.Limiter
	for range 2 {
		store := newClient(t).Flood(FloodOptions{Prefix: prefix})
		replicas = append(replicas, flood.New(&echo{}, flood.Config{User: user, Cooldown: time.Minute, Store: store, Now: clock}))
	}
	ctx := context.Background()
	counts := map[bot.ReplyKind]int{}
	for i := range 50 {
		r := replicas[i%2].Handle(ctx, bot.Request{Kind: bot.KindMessage, Platform: "telegram",
			UserID: "flooder", ChatID: "flooder", Private: true, Text: fmt.Sprint("q", i)})
		counts[r.Kind]++
		if i%10 == 0 {
			calm := replicas[(i/10)%2].Handle(ctx, bot.Request{Kind: bot.KindMessage, Platform: "telegram",
				UserID: "calm", ChatID: "calm", Private: true, Text: "hello"})
			if calm.Kind != bot.ReplyAnswer {
				t.Errorf("calm user at message %d: got %v, want an answer", i, calm.Kind)
			}
		}
		mu.Lock()
		now = now.Add(200 * time.Millisecond)
		mu.Unlock()
	}
	// 8 at once, plus one refilled every 3 s before the first refusal (at 1.6 s: none).
	want := map[bot.ReplyKind]int{bot.ReplyAnswer: 8, bot.ReplyThrottled: 1, bot.ReplySilent: 41}
	for k, n := range want {
		if counts[k] != n {
			t.Errorf("%v: got %d, want %d (all: %v)", k, counts[k], n, counts)
		}
	}
}
