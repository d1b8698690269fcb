package flood

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/time/rate"

	"transcriptbot/bot"
)

// echo is a bot.Handler that answers every request, counting them.
type echo struct {
	calls    atomic.Int64
	suggests atomic.Int64
}

func (e *echo) Handle(_ context.Context, req bot.Request) bot.Reply {
	e.calls.Add(1)
	return bot.Reply{Kind: bot.ReplyAnswer, Body: []bot.Span{{Text: "answer to " + req.Text}}}
}

func (e *echo) Suggest(_ context.Context, req bot.SuggestRequest) []bot.Reply {
	e.suggests.Add(1)
	return []bot.Reply{{Kind: bot.ReplyAnswer, Body: []bot.Span{{Text: req.Query + " in " + req.Platform + "/" + req.ChatID}}}}
}

// clock is a fake clock safe for concurrent use.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *clock { return &clock{t: time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)} }

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// defaultish rules, as serve configures them by default.
var (
	userRule = Rule{Rate: rate.Every(3 * time.Second), Burst: 8}
	chatRule = Rule{Rate: rate.Every(2 * time.Second), Burst: 20}
)

func req(platform, user, chat string, private bool, text string) bot.Request {
	return bot.Request{Kind: bot.KindMessage, Platform: platform, UserID: user, ChatID: chat, Private: private, Text: text}
}

// TestFloodOneUserOthersServed is the scenario: a user sends 50 messages in 10
// seconds; they get exactly one "slow down" and then silence, while another user sending at
// a normal pace in the same period is answered every time.
func TestFloodOneUserOthersServed(t *testing.T) {
	clk := newClock()
	next := &echo{}
	l := New(next, Config{User: userRule, Chat: chatRule, Cooldown: time.Minute, Now: clk.Now})
	ctx := context.Background()

	counts := map[bot.ReplyKind]int{}
	var order []bot.ReplyKind
	for i := range 50 {
		r := l.Handle(ctx, req("telegram", "flooder", "flooder", true, fmt.Sprint("q", i)))
		counts[r.Kind]++
		order = append(order, r.Kind)
		if i%10 == 0 { // the other user asks every 2 s
			o := l.Handle(ctx, req("telegram", "calm", "calm", true, "hello"))
			if o.Kind != bot.ReplyAnswer {
				t.Fatalf("calm user at message %d: got kind %v, want %v", i, o.Kind, bot.ReplyAnswer)
			}
		}
		clk.Advance(200 * time.Millisecond)
	}
	if got, want := counts[bot.ReplyThrottled], 1; got != want {
		t.Errorf("throttled replies: got %d, want %d (kinds %v)", got, want, order)
	}
	// Burst 8 plus the tokens refilled before the bucket ran dry (one per 3 s).
	if got := counts[bot.ReplyAnswer]; got < userRule.Burst || got > userRule.Burst+3 {
		t.Errorf("answered: got %d, want between %d and %d", got, userRule.Burst, userRule.Burst+3)
	}
	if got, want := counts[bot.ReplySilent], 50-counts[bot.ReplyAnswer]-1; got != want {
		t.Errorf("silent replies: got %d, want %d", got, want)
	}
	// Answers, then the one throttle, then only silence.
	seenThrottle := false
	for i, k := range order {
		switch {
		case k == bot.ReplyThrottled:
			seenThrottle = true
		case seenThrottle && k != bot.ReplySilent:
			t.Fatalf("reply %d after the throttle: got kind %v, want silent", i, k)
		case !seenThrottle && k != bot.ReplyAnswer:
			t.Fatalf("reply %d before the throttle: got kind %v, want answer", i, k)
		}
	}
	if got, want := next.calls.Load(), int64(counts[bot.ReplyAnswer]+5); got != want {
		t.Errorf("core calls: got %d, want %d (silenced messages must not reach the core)", got, want)
	}

	// After the cooldown the user is served again.
	clk.Advance(time.Minute)
	if r := l.Handle(ctx, req("telegram", "flooder", "flooder", true, "again")); r.Kind != bot.ReplyAnswer {
		t.Errorf("after cooldown: got kind %v, want %v", r.Kind, bot.ReplyAnswer)
	}
}

func TestThrottledReplyText(t *testing.T) {
	tests := []struct {
		cooldown time.Duration
		want     string
	}{
		{5 * time.Second, "a few seconds"},
		{30 * time.Second, "30 seconds"},
		{time.Minute, "a minute"},
		{5 * time.Minute, "5 minutes"},
		{time.Hour, "an hour"},
		{3 * time.Hour, "3 hours"},
	}
	for _, tc := range tests {
		t.Run(tc.cooldown.String(), func(t *testing.T) {
			r := Throttled(tc.cooldown)
			if r.Kind != bot.ReplyThrottled {
				t.Fatalf("kind: got %v, want %v", r.Kind, bot.ReplyThrottled)
			}
			if len(r.Body) != 1 || !strings.Contains(r.Body[0].Text, "wait "+tc.want+" ") {
				t.Errorf("text: got %+v, want it to say %q", r.Body, "wait "+tc.want)
			}
		})
	}
}

func TestScopes(t *testing.T) {
	tight := Rule{Rate: rate.Every(time.Hour), Burst: 2}
	tests := []struct {
		name string
		user Rule
		chat Rule
		reqs []bot.Request
		want []bot.ReplyKind
	}{
		{
			name: "group chat limited across users",
			chat: tight,
			reqs: []bot.Request{
				req("discord", "a", "g1", false, "1"),
				req("discord", "b", "g1", false, "2"),
				req("discord", "c", "g1", false, "3"),
				req("discord", "d", "g1", false, "4"),
				req("discord", "d", "g2", false, "other group"),
			},
			want: []bot.ReplyKind{bot.ReplyAnswer, bot.ReplyAnswer, bot.ReplyThrottled, bot.ReplySilent, bot.ReplyAnswer},
		},
		{
			name: "private chats use the user rule only",
			chat: tight,
			reqs: []bot.Request{
				req("telegram", "a", "a", true, "1"),
				req("telegram", "a", "a", true, "2"),
				req("telegram", "a", "a", true, "3"),
			},
			want: []bot.ReplyKind{bot.ReplyAnswer, bot.ReplyAnswer, bot.ReplyAnswer},
		},
		{
			name: "same user id on two platforms is two users",
			user: tight,
			reqs: []bot.Request{
				req("telegram", "7", "7", true, "1"),
				req("telegram", "7", "7", true, "2"),
				req("telegram", "7", "7", true, "3"),
				req("discord", "7", "7", true, "4"),
			},
			want: []bot.ReplyKind{bot.ReplyAnswer, bot.ReplyAnswer, bot.ReplyThrottled, bot.ReplyAnswer},
		},
		{
			name: "a muted user does not use up the chat",
			user: Rule{Rate: rate.Every(time.Hour), Burst: 1},
			chat: Rule{Rate: rate.Every(time.Hour), Burst: 3},
			reqs: []bot.Request{
				req("discord", "a", "g", false, "1"),
				req("discord", "a", "g", false, "2"),
				req("discord", "a", "g", false, "3"),
				req("discord", "a", "g", false, "4"),
				req("discord", "b", "g", false, "5"),
				req("discord", "c", "g", false, "6"),
				req("discord", "d", "g", false, "7"),
			},
			want: []bot.ReplyKind{bot.ReplyAnswer, bot.ReplyThrottled, bot.ReplySilent, bot.ReplySilent,
				bot.ReplyAnswer, bot.ReplyAnswer, bot.ReplyThrottled},
		},
		{
			name: "disabled rules allow everything",
			reqs: []bot.Request{req("x", "a", "g", false, "1"), req("x", "a", "g", false, "2"), req("x", "a", "g", false, "3")},
			want: []bot.ReplyKind{bot.ReplyAnswer, bot.ReplyAnswer, bot.ReplyAnswer},
		},
		{
			name: "no user id: only the chat counts",
			user: tight,
			reqs: []bot.Request{req("x", "", "c", false, "1"), req("x", "", "c", false, "2"), req("x", "", "c", false, "3")},
			want: []bot.ReplyKind{bot.ReplyAnswer, bot.ReplyAnswer, bot.ReplyAnswer},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			clk := newClock()
			l := New(&echo{}, Config{User: tc.user, Chat: tc.chat, Now: clk.Now})
			for i, r := range tc.reqs {
				got := l.Handle(context.Background(), r).Kind
				if got != tc.want[i] {
					t.Errorf("request %d (%q): got kind %v, want %v", i, r.Text, got, tc.want[i])
				}
				clk.Advance(time.Second)
			}
		})
	}
}

func TestSuggestPassesThrough(t *testing.T) {
	next := &echo{}
	l := New(next, Config{User: Rule{Rate: rate.Every(time.Hour), Burst: 1}})
	for range 5 {
		got := l.Suggest(context.Background(), bot.SuggestRequest{Query: "hong kong", Platform: "discord", ChatID: "c1", Max: 5})
		if len(got) != 1 || got[0].Body[0].Text != "hong kong in discord/c1" {
			t.Fatalf("suggest: got %v, want the wrapped handler's reply to the same query and chat", got)
		}
	}
	if got, want := next.suggests.Load(), int64(5); got != want {
		t.Errorf("suggest calls: got %d, want %d", got, want)
	}
}

type brokenStore struct{}

func (brokenStore) Take(context.Context, string, Rule, time.Duration, time.Time) (Verdict, error) {
	return Silence, errors.New("connection refused")
}

func TestStoreFailureFailsOpen(t *testing.T) {
	l := New(&echo{}, Config{User: Rule{Rate: 1, Burst: 1}, Store: brokenStore{}})
	for i := range 3 {
		if got := l.Handle(context.Background(), req("x", "u", "u", true, "q")).Kind; got != bot.ReplyAnswer {
			t.Errorf("request %d: got kind %v, want %v", i, got, bot.ReplyAnswer)
		}
	}
}

func TestMemoryStoreBounded(t *testing.T) {
	s := NewMemoryStore(MemoryOptions{MaxKeys: 100, Idle: time.Minute})
	rule := Rule{Rate: rate.Every(time.Second), Burst: 1}
	now := newClock().Now()
	ctx := context.Background()
	for i := range 1000 {
		if _, err := s.Take(ctx, fmt.Sprint("k", i), rule, time.Second, now); err != nil {
			t.Fatal(err)
		}
	}
	if got, want := s.Len(), 100; got != want {
		t.Errorf("keys after 1000 distinct: got %d, want %d", got, want)
	}
	// The most recent keys are the ones kept: k999 is still empty-bucketed.
	if v, _ := s.Take(ctx, "k999", rule, time.Second, now); v != Throttle {
		t.Errorf("recent key: got %v, want %v", v, Throttle)
	}
	// Idle keys go away as new events arrive.
	later := now.Add(2 * time.Minute)
	if _, err := s.Take(ctx, "fresh", rule, time.Second, later); err != nil {
		t.Fatal(err)
	}
	if got, want := s.Len(), 1; got != want {
		t.Errorf("keys after idle period: got %d, want %d", got, want)
	}
}

func TestMemoryStoreKeepsMutedKeys(t *testing.T) {
	s := NewMemoryStore(MemoryOptions{Idle: time.Second})
	rule := Rule{Rate: rate.Every(time.Hour), Burst: 1}
	now := newClock().Now()
	ctx := context.Background()
	steps := []struct {
		key   string
		after time.Duration
		want  Verdict
	}{
		{"a", 0, Allow},
		{"a", 0, Throttle},
		{"b", 10 * time.Second, Allow},   // a is idle but muted for 10 min and refilling: kept
		{"a", 10 * time.Second, Silence}, // still muted, not forgotten
		// The cooldown has passed but the bucket (1 per hour) is still empty: a new throttle.
		{"a", 10 * time.Minute, Throttle},
	}
	at := now
	for i, st := range steps {
		at = at.Add(st.after)
		got, err := s.Take(ctx, st.key, rule, 10*time.Minute, at)
		if err != nil {
			t.Fatal(err)
		}
		if got != st.want {
			t.Errorf("step %d (%s): got %v, want %v", i, st.key, got, st.want)
		}
	}
}

func TestConcurrentUse(t *testing.T) {
	l := New(&echo{}, Config{User: Rule{Rate: 10, Burst: 5}, Chat: Rule{Rate: 10, Burst: 5},
		Store: NewMemoryStore(MemoryOptions{MaxKeys: 16})})
	var wg sync.WaitGroup
	var answered atomic.Int64
	for g := range 8 {
		wg.Go(func() {
			for i := range 200 {
				r := l.Handle(context.Background(), req("x", fmt.Sprint("u", (g*200+i)%40), fmt.Sprint("c", i%3), false, "q"))
				if r.Kind == bot.ReplyAnswer {
					answered.Add(1)
				}
			}
		})
	}
	wg.Wait()
	if answered.Load() == 0 {
		t.Error("no request answered under concurrent use")
	}
}

func BenchmarkLimiterHandle(b *testing.B) {
	l := New(&echo{}, Config{User: userRule, Chat: chatRule})
	reqs := make([]bot.Request, 1024)
	for i := range reqs {
		reqs[i] = req("telegram", fmt.Sprint("u", i), fmt.Sprint("c", i%64), false, "q")
	}
	ctx := context.Background()
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		l.Handle(ctx, reqs[i%len(reqs)])
	}
}
