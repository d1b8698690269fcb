package redis

import (
	"context"
	"errors"
	"fmt"
	"math"
	"strconv"
	"time"

	"github.com/redis/go-redis/v9"
	"golang.org/x/time/rate"

	"transcriptbot/bot/flood"
)

// DefaultFloodIdle is how long a flood-control key is kept after its last event, when
// FloodOptions.Idle is zero (the in-memory store's default).
const DefaultFloodIdle = flood.DefaultIdle

// FloodOptions configure Client.Flood.
type FloodOptions struct {
	// Prefix starts every key (DefaultPrefix + "flood:" if empty).
	Prefix string
	// Idle is how long a key is kept after its last event (DefaultFloodIdle if 0). A key is
	// always kept while it is muted or its bucket is refilling, so its expiry changes nothing.
	Idle time.Duration
	// Fallback, when set, is used while Redis does not answer (an in-memory store of this
	// process's own): flood control then still holds within the process.
	Fallback flood.Store
}

// FloodStore is a flood.Store in Redis, shared by every replica using the same server and
// prefix. Its verdicts are those of flood.MemoryStore: a token bucket per key with
// golang.org/x/time/rate's arithmetic, the first refusal Throttle, then Silence while the key
// is muted, a muted key's bucket not charged. Each Take is one atomic Lua script; all times
// come from the caller's now, never from the Redis server's clock, so replicas with the same
// clock agree and tests can use a fake one.
type FloodStore struct {
	c        *Client
	prefix   string
	idle     time.Duration
	fallback flood.Store
}

var _ flood.Store = (*FloodStore)(nil)

// Flood returns the flood-control store.
func (c *Client) Flood(opts FloodOptions) *FloodStore {
	if opts.Idle <= 0 {
		opts.Idle = DefaultFloodIdle
	}
	return &FloodStore{c: c, prefix: prefixOr(opts.Prefix, "flood:"), idle: opts.Idle, fallback: opts.Fallback}
}

// ErrBadRule is returned by Take for a rule it cannot represent (a NaN rate).
var ErrBadRule = errors.New("redisstate: flood rule has no valid rate")

// takeScript is the token bucket. The key is a hash:
//
//	rate, burst  the rule the bucket was made for (as the caller formatted them)
//	tokens       the tokens left at the last charge (%.17g, so that it round-trips)
//	ls, lns      the time of the last charge: Unix seconds and nanoseconds ("" = never)
//	ms, mns      muted until: Unix seconds and nanoseconds ("" = never muted)
//
// ARGV: now seconds, now nanoseconds, rate, "1" for an infinite rate, burst, muted-until
// seconds and nanoseconds (now + cooldown), the key's expiry in milliseconds.
// It returns 0 (Allow), 1 (Throttle) or 2 (Silence).
//
// The arithmetic is golang.org/x/time/rate's Limiter.AllowN(now, 1), step by step in IEEE
// doubles like Go's: elapsed = float(sec) + float(nsec)/1e9 (time.Duration.Seconds), tokens
// grow by elapsed*rate up to burst, one is taken, and the event is allowed when the deficit's
// wait, (deficit/rate)*1e9 nanoseconds truncated, is zero. A refused event changes nothing
// but the mute; a time before the last charge counts as no time elapsed.
var takeScript = redis.NewScript(`
local key = KEYS[1]
local now_s, now_ns = tonumber(ARGV[1]), tonumber(ARGV[2])
local rate, inf, burst = tonumber(ARGV[3]), ARGV[4] == "1", tonumber(ARGV[5])
local ttl = tonumber(ARGV[8])

local h = redis.call("HMGET", key, "rate", "burst", "tokens", "ls", "lns", "ms", "mns")
local tokens, ls, lns = burst, nil, nil
local tokens_s, ls_s, lns_s = ARGV[5], "", ""
if h[1] == ARGV[3] and h[2] == ARGV[5] and h[3] then
	tokens, tokens_s = tonumber(h[3]), h[3]
	ls, lns = tonumber(h[4]), tonumber(h[5])
	if ls and lns then ls_s, lns_s = h[4], h[5] else ls, lns = nil, nil end
end
local ms_s, mns_s = h[6] or "", h[7] or ""
local ms, mns = tonumber(ms_s), tonumber(mns_s)

local verdict = 0
if ms and mns and (now_s < ms or (now_s == ms and now_ns < mns)) then
	verdict = 2
elseif not inf then
	local t = tokens
	if ls then
		local ds, dns = now_s - ls, now_ns - lns
		if ds < 0 or (ds == 0 and dns < 0) then
			ds, dns = 0, 0
		elseif dns < 0 then
			ds, dns = ds - 1, dns + 1000000000
		end
		if rate > 0 then
			t = t + (ds + dns / 1e9) * rate
		end
	end
	if t > burst then t = burst end
	t = t - 1
	local ok = true
	if t < 0 then
		if rate <= 0 then
			ok = false
		else
			local wait = (-t / rate) * 1e9
			if wait >= 1 then ok = false end
		end
	end
	if ok then
		tokens_s = string.format("%.17g", t)
		ls_s, lns_s = ARGV[1], ARGV[2]
	else
		verdict = 1
		ms_s, mns_s = ARGV[6], ARGV[7]
	end
end
redis.call("HSET", key, "rate", ARGV[3], "burst", ARGV[5], "tokens", tokens_s,
	"ls", ls_s, "lns", lns_s, "ms", ms_s, "mns", mns_s)
redis.call("PEXPIRE", key, ttl)
return verdict
`)

// Take implements flood.Store.
func (s *FloodStore) Take(ctx context.Context, key string, rule flood.Rule, cooldown time.Duration, now time.Time) (flood.Verdict, error) {
	if !rule.Enabled() {
		return flood.Allow, nil
	}
	r := float64(rule.Rate)
	if math.IsNaN(r) {
		return flood.Allow, ErrBadRule
	}
	if r == 0 {
		r = 0 // no negative zero: the rule is compared as text
	}
	inf := "0"
	if rule.Rate == rate.Inf || math.IsInf(r, 1) {
		inf = "1"
	}
	muted := now.Add(cooldown)
	args := []any{
		strconv.FormatInt(now.Unix(), 10), strconv.Itoa(now.Nanosecond()),
		strconv.FormatFloat(r, 'g', -1, 64), inf, strconv.Itoa(rule.Burst),
		strconv.FormatInt(muted.Unix(), 10), strconv.Itoa(muted.Nanosecond()),
		strconv.FormatInt(s.ttl(rule, cooldown).Milliseconds(), 10),
	}
	var v int
	err := s.c.do(ctx, func(ctx context.Context) (err error) {
		v, err = takeScript.Run(ctx, s.c.rdb, []string{s.prefix + key}, args...).Int()
		return err
	})
	if err != nil {
		if s.fallback != nil && ctx.Err() == nil {
			return s.fallback.Take(ctx, key, rule, cooldown, now)
		}
		return flood.Allow, fmt.Errorf("redisstate: flood take: %w", err)
	}
	switch v {
	case 0:
		return flood.Allow, nil
	case 1:
		return flood.Throttle, nil
	case 2:
		return flood.Silence, nil
	}
	return flood.Allow, fmt.Errorf("redisstate: flood take: unexpected verdict %d", v)
}

// ttl is how long to keep a key after an event: the idle time, or longer while the bucket may
// still be refilling or the key muted (at most maxKeep), plus a second's margin.
func (s *FloodStore) ttl(rule flood.Rule, cooldown time.Duration) time.Duration {
	keep := min(max(s.idle, cooldown), maxKeep)
	if rule.Rate > 0 && rule.Rate != rate.Inf {
		secs := float64(rule.Burst) / float64(rule.Rate)
		if secs >= maxKeep.Seconds() {
			return maxKeep + time.Second
		}
		keep = max(keep, time.Duration(secs*float64(time.Second)))
	}
	return keep + time.Second
}

// maxKeep bounds a flood-control key's expiry.
const maxKeep = 365 * 24 * time.Hour
