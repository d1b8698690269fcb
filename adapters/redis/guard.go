package redis

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"
)

// Redis is an optimisation, never a dependency: every operation of the stores is bounded by
// Options.Timeout, and a circuit breaker stops asking a server that does not answer. After
// Options.Trip operations in a row failed (a timeout, a refused or broken connection), the
// breaker opens: every operation then fails at once with ErrUnavailable, without touching
// the network, and the callers fail open (the stores' documented fallbacks). Meanwhile one
// background probe pings the server every Options.Cooldown; the first answer closes the
// breaker and the stores use Redis again. An error reply from the server (a wrong type, a
// script error) shows that it answers and never opens the breaker.

// Defaults of Options.
const (
	// DefaultTimeout bounds each operation when Options.Timeout is zero: far above a Redis
	// round trip on a local network (well under a millisecond), far below a user's patience.
	DefaultTimeout = 50 * time.Millisecond
	// DefaultCooldown is the time between probes of a server that stopped answering.
	DefaultCooldown = time.Second
	// DefaultTrip is the number of failed operations in a row that opens the breaker.
	DefaultTrip = 3
)

// ErrUnavailable is returned (wrapped) by every operation while the breaker is open: Redis
// stopped answering and is not asked again until a probe gets an answer.
var ErrUnavailable = errors.New("redisstate: Redis is not answering; skipped")

// Options configure OpenWith. The zero value is the defaults.
type Options struct {
	// Timeout bounds every operation of the stores, the time to get a connection included
	// (DefaultTimeout if 0). Open's own first ping is bounded by its context only.
	Timeout time.Duration
	// Cooldown is the time between probes while the breaker is open (DefaultCooldown if 0).
	Cooldown time.Duration
	// Trip is how many operations in a row must fail to open the breaker (DefaultTrip if 0).
	Trip int
	// Logger logs the breaker opening and closing (nothing is logged if nil).
	Logger *slog.Logger
	// OnHealth, if set, is called when the breaker opens (up false, with the error that
	// opened it) and when it closes again (up true, nil). Calls are never concurrent.
	OnHealth func(up bool, err error)
	// OnFailure, if set, is called for every operation that did not reach Redis: kind is
	// "timeout", "error" (a connection failure) or "skipped" (the breaker was open).
	OnFailure func(kind string)
}

// Health is the state of the connection to Redis as the breaker sees it.
type Health struct {
	// Up is false while the breaker is open.
	Up bool
	// Since is when the breaker last opened or closed (zero if it never changed).
	Since time.Time
	// Err is the failure that opened the breaker (nil while Up).
	Err error
}

// guard is the timeout and circuit breaker around every operation.
type guard struct {
	timeout, cooldown time.Duration
	trip              int
	log               *slog.Logger
	onHealth          func(bool, error)
	onFailure         func(string)
	ping              func(ctx context.Context) error

	mu       sync.Mutex
	failures int  // consecutive failed operations
	open     bool // Redis is not asked
	since    time.Time
	lastErr  error
	closed   bool          // Close was called
	stop     chan struct{} // closed by Close: ends the probe
	probing  sync.WaitGroup
	healthMu sync.Mutex // serialises onHealth calls
}

func newGuard(opts Options, ping func(ctx context.Context) error) *guard {
	if opts.Timeout <= 0 {
		opts.Timeout = DefaultTimeout
	}
	if opts.Cooldown <= 0 {
		opts.Cooldown = DefaultCooldown
	}
	if opts.Trip <= 0 {
		opts.Trip = DefaultTrip
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	return &guard{
		timeout: opts.Timeout, cooldown: opts.Cooldown, trip: opts.Trip, log: opts.Logger,
		onHealth: opts.OnHealth, onFailure: opts.OnFailure, ping: ping, stop: make(chan struct{}),
	}
}

// do runs op with the operation timeout unless the breaker is open, and records the outcome.
func (g *guard) do(ctx context.Context, op func(ctx context.Context) error) error {
	g.mu.Lock()
	open := g.open
	g.mu.Unlock()
	if open {
		g.failed("skipped")
		return ErrUnavailable
	}
	octx, cancel := context.WithTimeout(ctx, g.timeout)
	err := op(octx)
	cancel()
	switch {
	case err == nil || answered(err):
		g.mu.Lock()
		g.failures = 0
		g.mu.Unlock()
	case ctx.Err() != nil:
		// The caller gave up (shutdown, a client gone): no news about Redis.
	default:
		kind := "error"
		if errors.Is(err, context.DeadlineExceeded) || isTimeout(err) {
			kind = "timeout"
			err = fmt.Errorf("no answer within %v: %w", g.timeout, err)
		}
		g.failed(kind)
		g.failure(err)
	}
	return err
}

// answered reports whether err is a reply from the server (redis.Nil, an error reply): the
// server is there.
func answered(err error) bool {
	var re redis.Error
	return errors.As(err, &re)
}

// isTimeout reports whether err is a network timeout.
func isTimeout(err error) bool {
	var t interface{ Timeout() bool }
	return errors.As(err, &t) && t.Timeout()
}

func (g *guard) failed(kind string) {
	if g.onFailure != nil {
		g.onFailure(kind)
	}
}

// failure counts a failed operation and opens the breaker after g.trip in a row.
func (g *guard) failure(err error) {
	g.mu.Lock()
	g.failures++
	if g.open || g.closed || g.failures < g.trip {
		g.mu.Unlock()
		return
	}
	g.open, g.since, g.lastErr = true, time.Now(), err
	g.probing.Add(1)
	g.mu.Unlock()
	g.log.Warn("redis: not answering; failing open (no shared flood control, de-duplication or repeat pointers) until it answers again",
		"failures", g.trip, "err", err, "probe_every", g.cooldown.String())
	g.health(false, err)
	go g.probe()
}

// probe pings the server every cooldown until it answers or the client is closed, then
// closes the breaker.
func (g *guard) probe() {
	defer g.probing.Done()
	t := time.NewTicker(g.cooldown)
	defer t.Stop()
	for {
		select {
		case <-g.stop:
			return
		case <-t.C:
		}
		ctx, cancel := context.WithTimeout(context.Background(), g.timeout)
		err := g.ping(ctx)
		cancel()
		if err != nil {
			continue
		}
		g.mu.Lock()
		down := time.Since(g.since)
		g.open, g.failures, g.since, g.lastErr = false, 0, time.Now(), nil
		g.mu.Unlock()
		g.log.Info("redis: answering again; sharing state in Redis", "down_for", down.Round(time.Millisecond).String())
		g.health(true, nil)
		return
	}
}

func (g *guard) health(up bool, err error) {
	if g.onHealth == nil {
		return
	}
	g.healthMu.Lock()
	defer g.healthMu.Unlock()
	g.onHealth(up, err)
}

// state returns the breaker's view of Redis.
func (g *guard) state() Health {
	g.mu.Lock()
	defer g.mu.Unlock()
	return Health{Up: !g.open, Since: g.since, Err: g.lastErr}
}

// close stops the probe and waits for it.
func (g *guard) close() {
	g.mu.Lock()
	if !g.closed {
		g.closed = true
		close(g.stop)
	}
	g.mu.Unlock()
	g.probing.Wait()
}
