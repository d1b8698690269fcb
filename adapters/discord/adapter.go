package discord

import (
	"context"
	"crypto/ed25519"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/bwmarrin/discordgo"

	"transcriptbot/adapters/dedup"
	"transcriptbot/adapters/recent"
	"transcriptbot/bot"
)

// Platform is the value of bot.Request.Platform for requests from Discord.
const Platform = "discord"

// Defaults for the zero values of Config.
const (
	DefaultAnswerWindow     = 2500 * time.Millisecond
	DefaultMaxTimestampSkew = 5 * time.Minute
	DefaultMaxBodyBytes     = 256 << 10
	DefaultMaxRetries       = 3
	DefaultRetryBackoff     = 500 * time.Millisecond
	DefaultMaxRetryWait     = 10 * time.Second
	DefaultReconnectBackoff = time.Second
	DefaultMaxReconnectWait = 2 * time.Minute
)

// Config configures an Adapter. Only the fields of the mode in use are needed: Token for the
// gateway and registration, PublicKey for the HTTP interactions endpoint.
type Config struct {
	// Token is the bot token, with or without the "Bot " prefix. It is never logged.
	Token string
	// AppID is the application id; when empty it is read from /applications/@me (or
	// /users/@me) with Token, or taken from each interaction.
	AppID string
	// PublicKey is the application's hex Ed25519 public key; it enables InteractionsHandler.
	PublicKey string
	// GuildID, when set, registers the commands in that guild (instant) instead of globally.
	GuildID string
	// APIBase overrides the REST base URL, e.g. http://127.0.0.1:8080/api/v10 for a
	// rate-limit proxy or a test server.
	APIBase string
	// ShardID and ShardCount run one shard of a sharded bot (ShardCount 0 or 1: unsharded).
	ShardID, ShardCount int
	// HTTPClient supplies the transport for REST calls (its Timeout is kept); nil uses defaults.
	HTTPClient *http.Client
	// Logger receives operator logs; nil discards them.
	Logger *slog.Logger
	// Source names the transcript in footers when a reply carries no Source of its own.
	Source string
	// Questions is the number of questions in the transcript: the maximum of /answer number.
	Questions int
	// Briefings, when set (an archive of briefings), gives /ask an optional "in" option, a
	// briefing or period to search, autocompleted from Briefings(typed, max); the question
	// then reaches the bot as "in:VALUE question". /answer gains one too, naming the briefing
	// of the number ("VALUE#N"; offered the choices that are no Period), and its number
	// autocomplete then suggests that briefing's questions. bot.Bot.BriefingChoices is one.
	Briefings func(query string, max int) []bot.BriefingChoice
	// OnSendFailure, when set, is called with the HTTP status (0 for a transport error) of each
	// REST call that finally failed, for metrics.
	OnSendFailure func(code int)
	// MaxTimestampSkew is how far X-Signature-Timestamp may be from now (default 5 min).
	MaxTimestampSkew time.Duration
	// MaxBodyBytes caps the size of an interaction request body (default 256 KiB).
	MaxBodyBytes int64
	// MaxReplayIDs bounds the HTTP interaction ids remembered in memory to refuse a replayed
	// request (default DefaultMaxReplayIDs); each is kept twice MaxTimestampSkew.
	MaxReplayIDs int
	// AnswerWindow is how long to wait for an answer before deferring the interaction response
	// (default 2.5 s, inside Discord's 3-second window); over the gateway, whose
	// acknowledgement is a REST call of its own, half a second less.
	AnswerWindow time.Duration
	// MaxRetries bounds retries of a REST call on 429 and 5xx (default 3; negative: none).
	MaxRetries int
	// RetryBackoff is the first wait before retrying a 5xx (doubling each time; default 500 ms).
	RetryBackoff time.Duration
	// MaxRetryWait is the longest Retry-After honoured (default 10 s); longer waits fail the call.
	MaxRetryWait time.Duration
	// ReconnectBackoff is the first wait before reconnecting the gateway (default 1 s, doubling
	// up to MaxReconnectWait, default 2 min).
	ReconnectBackoff, MaxReconnectWait time.Duration
	// Dedup, when set, is asked before a gateway event (an interaction or a message) or an HTTP
	// interaction is handled, with the event's Discord id: an id it has seen is dropped (an HTTP
	// interaction refused as a replay). It lets de-duplication be shared across processes; it
	// must remember an id at least twice MaxTimestampSkew. When it fails the event is handled.
	Dedup dedup.Deduper
	// RepeatWindow turns group etiquette on: a question answered in the same guild channel
	// within RepeatWindow gets a reply pointing to that answer (a mention, the context-menu
	// command) or an ephemeral link to it (a slash command) instead of a second copy. Zero or
	// negative: off, every question is answered in full (recent.DefaultTTL is the usual
	// window; serve sets it from GROUP_REPEAT_WINDOW).
	RepeatWindow time.Duration
	// Recent remembers the answers posted in guild channels while RepeatWindow is on.
	// Optional; the default is an in-memory recent.Memory (give replicas one shared store).
	Recent recent.Store
	// Now returns the current time; nil uses time.Now (tests set it).
	Now func() time.Time
}

// Adapter connects a bot.Handler to Discord. It is safe for concurrent use.
type Adapter struct {
	cfg     Config
	h       bot.Handler
	log     *slog.Logger
	session *discordgo.Session // REST client and, in gateway mode, the websocket
	pubKey  ed25519.PublicKey  // nil when HTTP interactions are not enabled

	etiquette recent.Etiquette // group etiquette (cfg.RepeatWindow, cfg.Recent)

	appID     atomic.Value // string
	botID     atomic.Value // string: the bot user's id, known after READY or /users/@me
	connected atomic.Bool
	nQuestion atomic.Int64 // the transcript's question count (Config.Questions, SetQuestions)
	running   atomic.Bool
	runCtx    atomic.Pointer[context.Context] // Run's context, for gateway event handlers

	inflight tracker       // replies being computed or sent
	secrets  []string      // strings redacted from logged errors
	replays  *dedup.Memory // HTTP interaction ids answered lately
}

// ErrConfig marks an invalid Config (errors.Is), as telegram.ErrConfig does for Telegram's.
var ErrConfig = errors.New("invalid discord configuration")

// New checks cfg and returns an Adapter answering with h. It does not connect.
func New(cfg Config, h bot.Handler) (*Adapter, error) {
	if h == nil {
		return nil, fmt.Errorf("%w: nil handler", ErrConfig)
	}
	cfg.Token = strings.TrimSpace(cfg.Token)
	if cfg.Token == "" && cfg.PublicKey == "" {
		return nil, fmt.Errorf("%w: need a bot token (gateway) or a public key (HTTP interactions)", ErrConfig)
	}
	if cfg.MaxTimestampSkew <= 0 {
		cfg.MaxTimestampSkew = DefaultMaxTimestampSkew
	}
	if cfg.MaxBodyBytes <= 0 {
		cfg.MaxBodyBytes = DefaultMaxBodyBytes
	}
	if cfg.MaxReplayIDs <= 0 {
		cfg.MaxReplayIDs = DefaultMaxReplayIDs
	}
	if cfg.AnswerWindow <= 0 {
		cfg.AnswerWindow = DefaultAnswerWindow
	}
	if cfg.MaxRetries == 0 {
		cfg.MaxRetries = DefaultMaxRetries
	} else if cfg.MaxRetries < 0 {
		cfg.MaxRetries = 0
	}
	if cfg.RetryBackoff <= 0 {
		cfg.RetryBackoff = DefaultRetryBackoff
	}
	if cfg.MaxRetryWait <= 0 {
		cfg.MaxRetryWait = DefaultMaxRetryWait
	}
	if cfg.ReconnectBackoff <= 0 {
		cfg.ReconnectBackoff = DefaultReconnectBackoff
	}
	if cfg.MaxReconnectWait <= 0 {
		cfg.MaxReconnectWait = DefaultMaxReconnectWait
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Recent == nil && cfg.RepeatWindow > 0 {
		cfg.Recent = recent.NewMemory(recent.MemoryOptions{})
	}
	if cfg.ShardCount < 0 || cfg.ShardID < 0 || (cfg.ShardCount > 1 && cfg.ShardID >= cfg.ShardCount) ||
		(cfg.ShardCount <= 1 && cfg.ShardID != 0) {
		return nil, fmt.Errorf("%w: shard %d of %d is out of range (want 0 <= id < count)", ErrConfig, cfg.ShardID, cfg.ShardCount)
	}
	a := &Adapter{cfg: cfg, h: h, log: cfg.Logger, replays: dedup.NewMemory(dedup.MemoryOptions{TTL: 2 * cfg.MaxTimestampSkew, MaxKeys: cfg.MaxReplayIDs, Now: cfg.Now}),
		etiquette: recent.Etiquette{Store: cfg.Recent, Window: cfg.RepeatWindow}}
	if a.log == nil {
		a.log = slog.New(slog.DiscardHandler)
	}
	if cfg.PublicKey != "" {
		k, err := hex.DecodeString(strings.TrimSpace(cfg.PublicKey))
		if err != nil || len(k) != ed25519.PublicKeySize {
			return nil, fmt.Errorf("%w: public key must be %d hex-encoded bytes", ErrConfig, ed25519.PublicKeySize)
		}
		a.pubKey = ed25519.PublicKey(k)
	}
	token := cfg.Token
	if token != "" && !strings.HasPrefix(token, "Bot ") && !strings.HasPrefix(token, "Bearer ") {
		token = "Bot " + token
	}
	if token != "" {
		a.secrets = append(a.secrets, strings.TrimPrefix(strings.TrimPrefix(token, "Bot "), "Bearer "))
	}
	s, err := discordgo.New(token)
	if err != nil {
		return nil, fmt.Errorf("discord: %w", err)
	}
	tr, err := newTransport(&a.cfg)
	if err != nil {
		return nil, err
	}
	client := &http.Client{Transport: tr, Timeout: 20 * time.Second}
	if cfg.HTTPClient != nil {
		client.Timeout = cfg.HTTPClient.Timeout
		client.Jar = cfg.HTTPClient.Jar
	}
	s.Client = client
	s.ShouldRetryOnRateLimit = false // bounded retries live in the transport
	s.MaxRestRetries = 0
	s.ShouldReconnectOnError = false // Run reconnects itself and stops on fatal close codes
	s.ShouldReconnectVoiceOnSessionError = false
	s.Debug = false // discordgo's debug log prints the authorization header
	// State keeps guilds, their roles and the bot's own member (to recognise a mention of its
	// managed role); nothing else is needed, and messages are not cached.
	s.StateEnabled = true
	s.State.TrackEmojis, s.State.TrackStickers, s.State.TrackVoice, s.State.TrackPresences = false, false, false, false
	s.State.TrackThreads, s.State.TrackThreadMembers = false, false
	s.State.MaxMessageCount = 0
	s.ShardID, s.ShardCount = cfg.ShardID, cfg.ShardCount
	if s.ShardCount == 0 {
		s.ShardCount = 1
	}
	// Not the message-content intent: mentions and DMs carry content without it.
	s.Identify.Intents = discordgo.IntentsGuilds | discordgo.IntentsGuildMessages | discordgo.IntentsDirectMessages
	a.session = s
	a.nQuestion.Store(int64(max(cfg.Questions, 0)))
	a.appID.Store(cfg.AppID)
	a.botID.Store("")
	// Interactions and messages are decoded from the raw event by the adapter's tolerant
	// decoder (decode.go): discordgo's typed events lose the whole payload to a component
	// type it does not know.
	s.AddHandler(a.onRawEvent)
	s.AddHandler(a.onReady)
	return a, nil
}

// Ready reports whether the adapter can serve: the gateway is connected while Run is running;
// without Run, an adapter with a public key serves HTTP interactions and is ready at once.
func (a *Adapter) Ready() bool {
	if a.running.Load() {
		return a.connected.Load()
	}
	return a.pubKey != nil
}

// SetQuestions updates the number of questions after a transcript reload: autocomplete
// offers up to n from now on, and the next Register sets /answer's maximum to n (call it
// when the count changed, so Discord accepts the new numbers).
func (a *Adapter) SetQuestions(n int) {
	a.nQuestion.Store(int64(max(n, 0)))
}

func (a *Adapter) questions() int { return int(a.nQuestion.Load()) }

// Shutdown waits until the replies in flight (answers being computed, follow-ups of deferred
// interactions, replies to mentions) have been sent, or ctx is done.
func (a *Adapter) Shutdown(ctx context.Context) error {
	if err := a.inflight.wait(ctx); err != nil {
		return fmt.Errorf("discord: replies still in flight: %w", err)
	}
	return nil
}

// tracker counts work in flight. Unlike a sync.WaitGroup it may gain work while someone waits
// for it to drain (an event can arrive as shutdown begins).
type tracker struct {
	mu   sync.Mutex
	n    int
	idle chan struct{} // closed when n drops to zero
}

func (t *tracker) add() {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.n == 0 {
		t.idle = make(chan struct{})
	}
	t.n++
}

func (t *tracker) done() {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.n--
	if t.n == 0 {
		close(t.idle)
	}
}

func (t *tracker) wait(ctx context.Context) error {
	t.mu.Lock()
	if t.n == 0 {
		t.mu.Unlock()
		return nil
	}
	idle := t.idle
	t.mu.Unlock()
	select {
	case <-idle:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// redact removes the bot token and the given interaction tokens from an error's text.
func (a *Adapter) redact(err error, extra ...string) string {
	if err == nil {
		return ""
	}
	s := err.Error()
	for _, sec := range append(a.secrets, extra...) {
		if sec != "" {
			s = strings.ReplaceAll(s, sec, "[redacted]")
		}
	}
	return s
}

func (a *Adapter) getAppID() string { v, _ := a.appID.Load().(string); return v }
func (a *Adapter) getBotID() string { v, _ := a.botID.Load().(string); return v }
func (a *Adapter) source() string   { return a.cfg.Source }
func (a *Adapter) hasToken() bool   { return a.cfg.Token != "" }
func (a *Adapter) now() time.Time   { return a.cfg.Now() }

// claim reports whether this process should handle the event with the given id: the first
// time Config.Dedup sees it, or when Dedup fails (a rare duplicate beats a loss).
func (a *Adapter) claim(ctx context.Context, id string) bool {
	if a.cfg.Dedup == nil || id == "" {
		return true
	}
	first, err := a.cfg.Dedup.FirstSeen(ctx, id)
	if err != nil {
		a.log.Warn("discord: de-duplication failed; handling the event anyway", "event", id, "err", a.redact(err))
		return true
	}
	return first
}
