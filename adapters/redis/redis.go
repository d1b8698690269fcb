// Package redis keeps the state that several replicas of the bot must share in Redis:
// flood control (a flood.Store), update and event de-duplication (a dedup.Deduper, the
// contract both chat adapters take), the group repeat-question pointers (a recent.Store) and
// each conversation's last menu or answer, for follow-ups (a bot.TurnStore). Without it each
// process keeps that state in memory, which is right for one process; with it two replicas
// never both answer one update and a flooding user is limited across replicas.
//
// It is the adapter to Redis, under adapters/ with the other packages that talk to the world
// outside the process, and the only package that imports the Redis client
// (github.com/redis/go-redis; inside this package the identifier redis names that client,
// and importers call this package redis). Open connects from a REDIS_URL; the stores share the Client's connection pool and namespace their
// keys with a prefix, so several bots can share one Redis. Every operation is a single
// atomic Redis command or Lua script, so concurrent replicas never see a half-made decision.
//
// Redis is an optimisation, not a dependency: every operation has a short timeout
// (Options.Timeout, tens of milliseconds), and a circuit breaker stops asking a server that
// is slow, frozen or gone, so that each store fails open at once (flood control allows,
// de-duplication lets the event through, no repeat pointer) and the bot keeps answering. A
// background probe notices when the server answers again; Client.Health reports the state.
package redis

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"strings"

	"github.com/redis/go-redis/v9"
	"github.com/redis/go-redis/v9/maintnotifications"
)

// DefaultPrefix starts every key this package writes unless an option says otherwise.
const DefaultPrefix = "transcriptbot:"

// Client is a connection pool to one Redis server, from which the stores are made. It is safe
// for concurrent use.
type Client struct {
	rdb      *redis.Client
	redacted string // the URL with its password masked, for logs and errors
	g        *guard
}

// Open parses rawURL (redis://[user:password@]host[:port][/db][?options], rediss:// for TLS,
// or unix:///path/to/socket), connects and pings the server. Errors name the URL with its
// password masked and never contain the password. The stores use the default Options.
func Open(ctx context.Context, rawURL string) (*Client, error) {
	return OpenWith(ctx, rawURL, Options{})
}

// OpenWith is Open with the operations' timeout and circuit breaker configured by opts. The
// first ping is bounded by ctx alone: a server that is slow to answer at start-up is still
// found.
func OpenWith(ctx context.Context, rawURL string, opts Options) (*Client, error) {
	rawURL = strings.TrimSpace(rawURL)
	if rawURL == "" {
		return nil, errors.New("redisstate: empty Redis URL (want redis://[user:password@]host:port/db)")
	}
	u, err := url.Parse(rawURL)
	if err != nil {
		if strings.Contains(rawURL, "@") {
			// The parser's message may quote part of the user information.
			return nil, errors.New("redisstate: the Redis URL is not a valid URL (details withheld: it holds a password)")
		}
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return nil, fmt.Errorf("redisstate: the Redis URL is not a valid URL: %w", err)
	}
	redacted := u.Redacted()
	password, _ := u.User.Password()
	opt, err := redis.ParseURL(rawURL)
	if err != nil {
		return nil, scrub(fmt.Errorf("redisstate: Redis URL %s: %w", redacted, err), password)
	}
	if opt.Password != "" {
		password = opt.Password
	}
	// A plain Redis server knows nothing of cluster maintenance notifications; do not ask.
	opt.MaintNotificationsConfig = &maintnotifications.Config{Mode: maintnotifications.ModeDisabled}
	// Socket deadlines and the wait for a pooled connection follow each operation's context,
	// which carries the operation timeout; without this the client would wait out its own
	// read timeout (seconds) on a frozen server.
	opt.ContextTimeoutEnabled = true
	rdb := redis.NewClient(opt)
	if err := rdb.Ping(ctx).Err(); err != nil {
		_ = rdb.Close()
		return nil, scrub(fmt.Errorf("redisstate: connect to %s: %w", redacted, err), password)
	}
	c := &Client{rdb: rdb, redacted: redacted}
	c.g = newGuard(opts, func(ctx context.Context) error { return rdb.Ping(ctx).Err() })
	return c, nil
}

// do runs one store operation under the timeout and the circuit breaker.
func (c *Client) do(ctx context.Context, op func(ctx context.Context) error) error {
	return c.g.do(ctx, op)
}

// Health reports whether the stores use Redis (Up) or skip it because it stopped answering,
// without asking the server: cheap enough for every readiness probe.
func (c *Client) Health() Health { return c.g.state() }

// Ping checks that the server answers, bounded by ctx only (not by the operation timeout).
func (c *Client) Ping(ctx context.Context) error {
	if err := c.rdb.Ping(ctx).Err(); err != nil {
		return fmt.Errorf("redisstate: ping %s: %w", c.redacted, err)
	}
	return nil
}

// String returns the server's URL with the password masked, for logs.
func (c *Client) String() string { return c.redacted }

// Close stops the probe and closes the connection pool. The stores made from c stop working.
func (c *Client) Close() error {
	c.g.close()
	return c.rdb.Close()
}

// SetLogger sends the Redis client's own diagnostics (failed dials, pool trouble), which it
// otherwise prints to standard error, to l at level Warn; nil discards them. The setting is
// process-wide, as it is in the Redis client.
func SetLogger(l *slog.Logger) {
	if l == nil {
		l = slog.New(slog.DiscardHandler)
	}
	redis.SetLogger(slogAdapter{l})
}

// slogAdapter is the Redis client's logging interface on a *slog.Logger.
type slogAdapter struct{ l *slog.Logger }

func (a slogAdapter) Printf(ctx context.Context, format string, v ...any) {
	a.l.LogAttrs(ctx, slog.LevelWarn, "redis: "+strings.TrimSpace(fmt.Sprintf(format, v...)))
}

// scrub replaces password in err's message, keeping err reachable with errors.Is/As.
func scrub(err error, password string) error {
	if password == "" || !strings.Contains(err.Error(), password) {
		return err
	}
	return &scrubbedError{msg: strings.ReplaceAll(err.Error(), password, "xxxxx"), err: err}
}

// scrubbedError is an error whose message had a password masked.
type scrubbedError struct {
	msg string
	err error
}

func (e *scrubbedError) Error() string { return e.msg }
func (e *scrubbedError) Unwrap() error { return e.err }

// prefixOr returns p, or DefaultPrefix+suffix when p is empty.
func prefixOr(p, suffix string) string {
	if p == "" {
		return DefaultPrefix + suffix
	}
	return p
}
