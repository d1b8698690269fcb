// Package flood puts per-user and per-chat flood control in front of the bot core.
//
// A Limiter is middleware: a bot.Handler that wraps another (the core, or the core behind
// other middleware) and forwards to it while the sender stays within its rate. Each user (and each
// group chat) has a token bucket (golang.org/x/time/rate semantics): Burst messages at once,
// refilled at Rate. The first message over the limit gets one polite ReplyThrottled ("slow
// down"); every further message during the cooldown gets ReplySilent, which adapters do not
// send at all. When the cooldown ends the bucket has refilled and the user is served again.
// Other users are never affected: their buckets are their own.
//
// The state lives behind the Store interface. MemoryStore keeps it in the process, bounded in
// size with idle eviction; adapters/redis implements Store with the same semantics, shared by
// several replicas.
package flood

import (
	"context"
	"fmt"
	"log/slog"
	"math"
	"time"

	"golang.org/x/time/rate"

	"transcriptbot/bot"
)

// Verdict is a Store's decision for one message.
type Verdict int

// Verdicts.
const (
	// Allow: within the rate; answer it.
	Allow Verdict = iota
	// Throttle: the first message over the rate; say "slow down" once. The key is muted for
	// the cooldown from now on.
	Throttle
	// Silence: the key is muted; say nothing.
	Silence
)

// String returns the verdict's name, for logs.
func (v Verdict) String() string {
	switch v {
	case Allow:
		return "allow"
	case Throttle:
		return "throttle"
	case Silence:
		return "silence"
	}
	return fmt.Sprintf("Verdict(%d)", int(v))
}

// Rule is a token bucket: Burst events at once, refilled at Rate events per second.
// A Rule with Burst <= 0 is disabled (everything is allowed).
type Rule struct {
	Rate  rate.Limit
	Burst int
}

// Enabled reports whether the rule limits anything.
func (r Rule) Enabled() bool { return r.Burst > 0 }

// refill returns how long an empty bucket takes to fill up again (0 for an infinite rate).
func (r Rule) refill() time.Duration {
	if r.Rate == rate.Inf || r.Rate <= 0 || r.Burst <= 0 {
		return 0
	}
	secs := float64(r.Burst) / float64(r.Rate)
	if secs > math.MaxInt64/float64(time.Second) {
		return time.Duration(math.MaxInt64)
	}
	return time.Duration(secs * float64(time.Second))
}

// Store keeps the flood-control state of every key. Take records one event for key at now
// under rule and returns the verdict; a key that exceeds its rule is muted for cooldown (the
// first refusal is Throttle, the next ones Silence, and a muted key's bucket is not charged).
// Implementations must be safe for concurrent use.
type Store interface {
	Take(ctx context.Context, key string, rule Rule, cooldown time.Duration, now time.Time) (Verdict, error)
}

// DefaultCooldown is how long a flooding key stays muted when Config.Cooldown is zero.
const DefaultCooldown = time.Minute

// Config configures New.
type Config struct {
	// User limits each user (Request.UserID, per platform).
	User Rule
	// Chat limits each group chat or channel (Request.ChatID, per platform, not private
	// chats: there the user rule applies).
	Chat Rule
	// Cooldown is how long a key that went over its rule is muted (DefaultCooldown if 0).
	Cooldown time.Duration
	// Store keeps the state (a fresh NewMemoryStore with default options if nil).
	Store Store
	// Now is the clock (time.Now if nil); tests pass a fake one.
	Now func() time.Time
	// Logger logs throttling and store failures (nothing is logged if nil).
	Logger *slog.Logger
}

// Limiter is the flood-control decorator. It is safe for concurrent use.
type Limiter struct {
	next     bot.Handler
	user     Rule
	chat     Rule
	cooldown time.Duration
	store    Store
	now      func() time.Time
	log      *slog.Logger
}

var _ bot.Handler = (*Limiter)(nil)

// New returns a Limiter in front of next.
func New(next bot.Handler, cfg Config) *Limiter {
	l := &Limiter{
		next:     next,
		user:     cfg.User,
		chat:     cfg.Chat,
		cooldown: cfg.Cooldown,
		store:    cfg.Store,
		now:      cfg.Now,
		log:      cfg.Logger,
	}
	if l.cooldown <= 0 {
		l.cooldown = DefaultCooldown
	}
	if l.store == nil {
		l.store = NewMemoryStore(MemoryOptions{})
	}
	if l.now == nil {
		l.now = time.Now
	}
	if l.log == nil {
		l.log = slog.New(slog.DiscardHandler)
	}
	return l
}

// Handle answers req through the wrapped handler when the user and the chat are within their
// rates, and otherwise returns a ReplyThrottled (once) or a ReplySilent reply.
func (l *Limiter) Handle(ctx context.Context, req bot.Request) bot.Reply {
	now := l.now()
	v := Allow
	scope := ""
	if l.user.Enabled() && req.UserID != "" {
		v = l.take(ctx, "user:"+req.Platform+":"+req.UserID, l.user, now)
		scope = "user"
	}
	if v == Allow && l.chat.Enabled() && req.ChatID != "" && !req.Private && req.ChatID != req.UserID {
		v = l.take(ctx, "chat:"+req.Platform+":"+req.ChatID, l.chat, now)
		scope = "chat"
	}
	switch v {
	case Throttle:
		l.log.LogAttrs(ctx, slog.LevelInfo, "flood control: muting",
			slog.String("scope", scope), slog.String("platform", req.Platform),
			slog.String("user", req.UserID), slog.String("chat", req.ChatID),
			slog.String("cooldown", l.cooldown.String()))
		return Throttled(l.cooldown)
	case Silence:
		return bot.Reply{Kind: bot.ReplySilent}
	}
	return l.next.Handle(ctx, req)
}

// Suggest forwards to the wrapped handler: suggestions (inline mode, autocomplete) carry no
// user and cost no reply message, and the platforms rate-limit them themselves.
func (l *Limiter) Suggest(ctx context.Context, req bot.SuggestRequest) []bot.Reply {
	return l.next.Suggest(ctx, req)
}

// take asks the store, failing open (Allow) when the store fails: a broken limiter must not
// take the bot down.
func (l *Limiter) take(ctx context.Context, key string, rule Rule, now time.Time) Verdict {
	v, err := l.store.Take(ctx, key, rule, l.cooldown, now)
	if err != nil {
		l.log.LogAttrs(ctx, slog.LevelWarn, "flood control: store failed; allowing", slog.Any("error", err))
		return Allow
	}
	return v
}

// Throttled returns the "slow down" reply for a key muted for cooldown.
func Throttled(cooldown time.Duration) bot.Reply {
	text := "You're sending messages faster than I can answer. Please wait " + humanDuration(cooldown) +
		" and ask again."
	return bot.Reply{Kind: bot.ReplyThrottled, Body: []bot.Span{{Text: text}}}
}

// humanDuration renders d roughly, for people: "a few seconds", "30 seconds", "a minute",
// "2 minutes", "an hour".
func humanDuration(d time.Duration) string {
	switch {
	case d < 10*time.Second:
		return "a few seconds"
	case d < time.Minute:
		return fmt.Sprintf("%d seconds", int(d.Round(time.Second)/time.Second))
	case d < 90*time.Second:
		return "a minute"
	case d < time.Hour:
		return fmt.Sprintf("%d minutes", int(d.Round(time.Minute)/time.Minute))
	case d < 90*time.Minute:
		return "an hour"
	}
	return fmt.Sprintf("%d hours", int(d.Round(time.Hour)/time.Hour))
}
