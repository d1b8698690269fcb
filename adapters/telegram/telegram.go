package telegram

import (
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"log/slog"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"transcriptbot/adapters/dedup"
	"transcriptbot/adapters/recent"
	"transcriptbot/bot"
)

// Config configures an Adapter. Only Token is required.
type Config struct {
	// Token is the bot token from @BotFather. It never appears in logs or errors.
	Token string
	// Archive says the bot answers from an archive of briefings: the published command
	// menu then offers /use and says /questions lists the briefings.
	Archive bool
	// APIEndpoint is the Bot API URL pattern with the token and method as %s, as in
	// "https://api.telegram.org/bot%s/%s" (the default), for a self-hosted Bot API server.
	APIEndpoint string
	// WebhookURL, when set, makes Run register a webhook instead of polling; WebhookSecret
	// (1–256 of A-Z a-z 0-9 _ -) is then required and checked on every webhook request.
	WebhookURL, WebhookSecret string
	// WebhookMaxConnections is setWebhook's max_connections: how many webhook requests
	// Telegram keeps open at once (default 40, at most 100). Each request is held until its
	// update is answered, so this bounds the updates in progress per bot.
	WebhookMaxConnections int
	// WebhookReplyTimeout is how long a webhook request waits for its update's replies to be
	// sent (default 20s). When they cannot be sent in that time (a Bot API outage, a long
	// queue), the request is answered 503 and the sends are called off, so Telegram delivers
	// the update again; only an answered update gets 200.
	WebhookReplyTimeout time.Duration
	// PollTimeout is the getUpdates long-poll timeout (default 30s).
	PollTimeout time.Duration
	// RequestTimeout bounds every other request, and is added to PollTimeout for the HTTP
	// client's timeout (default 15s).
	RequestTimeout time.Duration
	// HTTPClient is optional; its Timeout is raised above PollTimeout when it is not.
	HTTPClient *http.Client
	// Logger receives operator logs; nil discards them (as for the Discord adapter).
	Logger *slog.Logger
	// Dedup is optional; the default is an in-memory dedup.Memory.
	Dedup dedup.Deduper
	// RepeatWindow turns group etiquette on: a question answered in the same group (and forum
	// topic) within RepeatWindow gets a reply pointing to that answer instead of a second
	// copy. Zero or negative: off, every question is answered in full (recent.DefaultTTL is
	// the usual window; serve sets it from GROUP_REPEAT_WINDOW).
	RepeatWindow time.Duration
	// Recent remembers the answers given in group chats while RepeatWindow is on. Optional;
	// the default is an in-memory recent.Memory (give replicas one shared store).
	Recent recent.Store
	// EditWindow is how long after sending a message a user's edit of it is answered: the
	// bot's reply to it is edited to answer the new text, or, when that reply is gone or there
	// was none, a new one is sent (default DefaultEditWindow; negative: edits are ignored).
	EditWindow time.Duration
	// Edits remembers which message answered which user message, for EditWindow. Optional;
	// the default is an in-memory recent.Memory (give replicas one shared store; its keys
	// start with "edit:" and never meet the group etiquette's).
	Edits recent.Store
	// OnSendFailure, when set, is called for every failed outgoing request (a metrics hook),
	// with the HTTP status or Telegram error code, or 0 for a network error.
	OnSendFailure func(code int)
	// OnOutage, when set, is called with true when the Bot API starts failing sends (an
	// outage, see MaxHold: replies are held and retried) and with false when it answers again.
	OnOutage func(down bool)
	// OnReplyDropped, when set, is called, polling, for each outgoing request given up for good
	// after temporary failures (after SendRetryWindow; its update is confirmed without it), and
	// for each update cut short at shutdown after MaxHold had released it (so not redelivered).
	OnReplyDropped func()
	// Rates are the send-queue limits (zero fields: Telegram's published limits).
	Rates Rates
	// MaxTries bounds the tries of one outgoing request (default 5) in webhook mode, and of
	// the answers to button presses and inline queries (Telegram lets those expire within
	// seconds) in either mode. When every try failed with a temporary error (network, 429,
	// 5xx), a webhook hands the update back to Telegram (503) to be delivered again.
	MaxTries int
	// SendRetryWindow is how long, in polling mode, a message into a chat that fails with
	// temporary errors (network, 429, 5xx) keeps being retried — with capped backoff, honouring
	// retry_after — before it is dropped and its update confirmed (default DefaultSendRetryWindow).
	// Its update stays unconfirmed meanwhile (see MaxHold), so a Bot API outage shorter than
	// this loses no reply. Refusals (400, 403) are not retried.
	SendRetryWindow time.Duration
	// MaxPending bounds the updates polling has taken on and not yet finished (default 1000):
	// the memory a long Bot API outage can hold. When it is reached getUpdates pauses, and
	// Telegram keeps the newer updates until replies go out again.
	MaxPending int
	// MinBackoff and MaxBackoff bound the retry backoff on 5xx and network errors, also used
	// between failed polls (defaults 500ms and 30s).
	MinBackoff, MaxBackoff time.Duration
	// ShutdownTimeout bounds how long Run waits for in-flight replies after its context is
	// done (default 10s). Updates whose replies did not finish are not confirmed (polling) or
	// their webhook requests are answered 503 (webhook), so Telegram delivers them again.
	// Polling, a request already made when it ends still gets its answer (within
	// RequestTimeout) rather than being abandoned: Telegram may have taken it, and a reply
	// taken must not be sent again after a restart.
	ShutdownTimeout time.Duration
	// MaxHold is how long an update whose replies are still queued (rate limits, retries)
	// holds back the polling offset (default 30s) once the updates waiting behind it fill half
	// a getUpdates batch; until then it holds the offset back however long it waits. Its
	// clock stops in an outage (sends to two different chats failing with network errors or
	// 5xx, no success between them), since then nothing could be sent anyway. While it holds
	// the offset a restart redelivers it; after that it is confirmed so the rest of the stream
	// keeps flowing, and its replies are still sent unless shutdown cuts them short.
	MaxHold time.Duration
	// Workers is the number of update handlers running at once (default 4). Updates of one
	// chat are always handled in order.
	Workers int
	// MaxWebhookBody caps a webhook request body (default 1 MiB).
	MaxWebhookBody int64
	// InlineResults is how many suggestions an inline query gets (default 10, at most 50).
	InlineResults int
	// InlineCacheTime is answerInlineQuery's cache_time (default 5 minutes).
	InlineCacheTime time.Duration
}

// DefaultSendRetryWindow is Config.SendRetryWindow when zero: a Bot API outage of a few
// minutes loses no reply in polling mode.
const DefaultSendRetryWindow = 5 * time.Minute

// Sentinel errors returned (wrapped) by New and Run.
var (
	// ErrConfig marks an invalid Config.
	ErrConfig = errors.New("invalid telegram configuration")
	// ErrUnauthorized means Telegram rejected the token (401) or does not know it (404).
	ErrUnauthorized = errors.New("telegram rejected the bot token")
	// ErrConflict means another getUpdates consumer runs on this token (409 Conflict).
	ErrConflict = errors.New("telegram: another instance is polling this token (409 Conflict); run one poller per token or use a webhook")
)

// The formats of a token and a webhook secret, compiled on first use: their counted
// repetitions make big programs, and most runs of the binary (ask, check, chat) never look.
var (
	tokenRE  = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[0-9]{1,20}:[A-Za-z0-9_-]{1,200}$`) })
	secretRE = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[A-Za-z0-9_-]{1,256}$`) })
)

func (c *Config) normalise() error {
	if c.Token == "" {
		return fmt.Errorf("%w: the bot token is empty", ErrConfig)
	}
	if !tokenRE().MatchString(c.Token) {
		return fmt.Errorf("%w: the bot token is malformed (want digits:letters as given by @BotFather)", ErrConfig)
	}
	if c.APIEndpoint == "" {
		c.APIEndpoint = tgbotapi.APIEndpoint
	}
	if strings.Count(c.APIEndpoint, "%s") != 2 || strings.Count(c.APIEndpoint, "%") != 2 {
		return fmt.Errorf("%w: API endpoint %q must contain %%s twice (token, method), like %q", ErrConfig, c.APIEndpoint, tgbotapi.APIEndpoint)
	}
	if u, err := url.Parse(fmt.Sprintf(c.APIEndpoint, "t", "m")); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("%w: API endpoint %q is not an http(s) URL", ErrConfig, c.APIEndpoint)
	}
	if c.WebhookURL != "" {
		u, err := url.Parse(c.WebhookURL)
		if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			return fmt.Errorf("%w: webhook URL %q is not an absolute https URL", ErrConfig, c.WebhookURL)
		}
		if c.WebhookSecret == "" {
			return fmt.Errorf("%w: a webhook needs a secret (1-256 of A-Z a-z 0-9 _ -)", ErrConfig)
		}
	}
	if c.WebhookSecret != "" && !secretRE().MatchString(c.WebhookSecret) {
		return fmt.Errorf("%w: the webhook secret must be 1-256 of A-Z a-z 0-9 _ -", ErrConfig)
	}
	if c.PollTimeout <= 0 {
		c.PollTimeout = 30 * time.Second
	}
	c.PollTimeout = c.PollTimeout.Truncate(time.Second)
	if c.PollTimeout < time.Second {
		c.PollTimeout = time.Second
	}
	if c.RequestTimeout <= 0 {
		c.RequestTimeout = 15 * time.Second
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
	if c.Dedup == nil {
		c.Dedup = dedup.NewMemory(dedup.MemoryOptions{})
	}
	if c.Recent == nil && c.RepeatWindow > 0 {
		c.Recent = recent.NewMemory(recent.MemoryOptions{})
	}
	if c.EditWindow == 0 {
		c.EditWindow = DefaultEditWindow
	}
	if c.Edits == nil && c.EditWindow > 0 {
		c.Edits = recent.NewMemory(recent.MemoryOptions{})
	}
	if c.MaxTries <= 0 {
		c.MaxTries = 5
	}
	if c.SendRetryWindow <= 0 {
		c.SendRetryWindow = DefaultSendRetryWindow
	}
	if c.MaxPending <= 0 {
		c.MaxPending = 1000
	}
	if c.MinBackoff <= 0 {
		c.MinBackoff = 500 * time.Millisecond
	}
	if c.MaxBackoff < c.MinBackoff {
		c.MaxBackoff = max(30*time.Second, c.MinBackoff)
	}
	if c.ShutdownTimeout <= 0 {
		c.ShutdownTimeout = 10 * time.Second
	}
	if c.MaxHold <= 0 {
		c.MaxHold = 30 * time.Second
	}
	if c.Workers <= 0 {
		c.Workers = 4
	}
	if c.MaxWebhookBody <= 0 {
		c.MaxWebhookBody = 1 << 20
	}
	if c.WebhookMaxConnections <= 0 {
		c.WebhookMaxConnections = 40
	}
	if c.WebhookMaxConnections > 100 {
		return fmt.Errorf("%w: webhook max_connections %d is over Telegram's 100", ErrConfig, c.WebhookMaxConnections)
	}
	if c.WebhookReplyTimeout <= 0 {
		c.WebhookReplyTimeout = 20 * time.Second
	}
	if c.InlineResults <= 0 {
		c.InlineResults = 10
	}
	c.InlineResults = min(c.InlineResults, 50)
	if c.InlineCacheTime <= 0 {
		c.InlineCacheTime = 5 * time.Minute
	}
	return nil
}

// Adapter connects a bot.Handler to Telegram. Create it with New, then call Run once.
type Adapter struct {
	cfg       Config
	h         bot.Handler
	api       *tgbotapi.BotAPI
	client    *http.Client
	redactor  *redactor
	log       *slog.Logger
	etiquette recent.Etiquette // group etiquette (cfg.RepeatWindow, cfg.Recent)
	self      tgbotapi.User
	sender    *sender
	ready     atomic.Bool
	started   atomic.Bool

	mu      sync.RWMutex
	intake  bool            // updates are accepted (Run is running)
	work    context.Context // handling and sending; outlives Run's context by the grace period
	shards  []chan *job
	pending sync.WaitGroup // accepted updates not finished
}

// job is one accepted update on its way through a worker.
type job struct {
	in *incoming
	// ctx is the update's own context: the work context, also cut short when the webhook
	// request holding the update gives up. Its sends are called off when it ends.
	ctx  context.Context
	done func(finished bool)
}

// New validates cfg, checks the token with getMe and returns the adapter. Errors never contain
// the token.
func New(ctx context.Context, cfg Config, h bot.Handler) (*Adapter, error) {
	if h == nil {
		return nil, fmt.Errorf("%w: nil handler", ErrConfig)
	}
	if err := cfg.normalise(); err != nil {
		return nil, err
	}
	a := &Adapter{cfg: cfg, h: h, redactor: newRedactor(cfg.Token),
		etiquette: recent.Etiquette{Store: cfg.Recent, Window: cfg.RepeatWindow}}
	if len(cfg.WebhookSecret) >= 8 { // shorter ones would mangle ordinary words in logs
		a.redactor.add(cfg.WebhookSecret)
	}
	a.log = cfg.Logger.With("platform", Platform)
	installLibLogger(cfg.Token, a.log)

	client := &http.Client{Transport: pooledTransport()}
	if cfg.HTTPClient != nil {
		c := *cfg.HTTPClient
		client = &c
	}
	if min := cfg.PollTimeout + cfg.RequestTimeout; client.Timeout < min {
		client.Timeout = min
	}
	a.client = client

	gctx, cancel := context.WithTimeout(ctx, cfg.RequestTimeout)
	defer cancel()
	d := &ctxDoer{ctx: gctx, client: client}
	api, err := tgbotapi.NewBotAPIWithClient(cfg.Token, cfg.APIEndpoint, d)
	if err != nil {
		ae := toAPIError(gctx, "getMe", d.status, err, a.redactor)
		if ae.Code == http.StatusUnauthorized || ae.Code == http.StatusNotFound {
			return nil, fmt.Errorf("%w: %w", ErrUnauthorized, ae)
		}
		return nil, ae
	}
	api.Client = &ctxDoer{ctx: context.Background(), client: client}
	if api.Self.UserName == "" {
		return nil, &APIError{Method: "getMe", Description: "the bot has no username"}
	}
	a.api, a.self = api, api.Self
	a.sender = newSender(a, cfg.Rates)
	return a, nil
}

// Username returns the bot's username, without "@".
func (a *Adapter) Username() string { return a.self.UserName }

// Ready reports whether the adapter is receiving updates (polling, or its webhook is set).
func (a *Adapter) Ready() bool { return a.ready.Load() }

// commands is the menu published with setMyCommands.
var commands = []tgbotapi.BotCommand{
	{Command: "ask", Description: "Ask a question about the press conference"},
	{Command: "answer", Description: "Show answer N, e.g. /answer 3"},
	{Command: "questions", Description: "List the questions"},
	{Command: "help", Description: "How to ask"},
	{Command: "start", Description: "Start"},
}

// archiveCommands is the menu for an archive of briefings (Config.Archive).
var archiveCommands = []tgbotapi.BotCommand{
	{Command: "ask", Description: "Ask a question; in:2020-06 QUESTION searches one month"},
	{Command: "answer", Description: "Show answer N of the current briefing, or 2020-06-12#3"},
	{Command: "questions", Description: "List the briefings, newest first"},
	{Command: "use", Description: "Choose the briefing numbers refer to, e.g. /use 2020-06-12"},
	{Command: "help", Description: "How to ask"},
	{Command: "start", Description: "Start"},
}

// menu is the command menu this adapter publishes.
func (a *Adapter) menu() []tgbotapi.BotCommand {
	if a.cfg.Archive {
		return archiveCommands
	}
	return commands
}

// allowedUpdates are the update types the adapter asks for (allowed_updates persists, so the
// list names every type handled: a type left out stays off after an older version asked for
// fewer).
var allowedUpdates = []string{"message", "edited_message", "callback_query", "inline_query", "my_chat_member"}

// Run receives and answers updates until ctx is done, then finishes in-flight replies (within
// ShutdownTimeout), confirms what was handled and returns nil. It returns an error wrapping
// ErrConflict or ErrUnauthorized on fatal conditions. It may be called once.
func (a *Adapter) Run(ctx context.Context) error {
	if !a.started.CompareAndSwap(false, true) {
		return errors.New("telegram: Run called twice")
	}
	work, cancelWork := context.WithCancel(context.WithoutCancel(ctx))
	defer cancelWork()
	a.startIntake(work)

	var err error
	if a.cfg.WebhookURL != "" {
		err = a.runWebhook(ctx)
	} else {
		err = a.runPolling(ctx, cancelWork)
	}
	if a.cfg.WebhookURL != "" {
		a.stopIntake(cancelWork)
	}
	cancelWork()
	a.sender.wait()
	return err
}

// startIntake starts the workers; work is the context for handling and sending, which
// outlives Run's context by the shutdown grace period.
func (a *Adapter) startIntake(work context.Context) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.intake = true
	a.work = work
	a.shards = make([]chan *job, a.cfg.Workers)
	for i := range a.shards {
		ch := make(chan *job, 64)
		a.shards[i] = ch
		go a.worker(work, ch)
	}
}

// stopIntake refuses new updates, waits for accepted ones to finish (at most ShutdownTimeout,
// then cuts them short) and stops the workers.
func (a *Adapter) stopIntake(cancelWork context.CancelFunc) {
	a.ready.Store(false)
	a.mu.Lock()
	a.intake = false
	a.mu.Unlock()
	done := make(chan struct{})
	go func() { a.pending.Wait(); close(done) }()
	t := time.NewTimer(a.cfg.ShutdownTimeout)
	defer t.Stop()
	select {
	case <-done:
	case <-t.C:
		if a.cfg.WebhookURL != "" {
			a.log.Warn("telegram shutdown: replies still in flight after the grace period; cutting them short (their webhook requests are answered 503, so Telegram delivers those updates again)")
		} else {
			a.log.Warn("telegram shutdown: replies still in flight after the grace period; cutting them short (requests already made get their answer; updates left unanswered stay unconfirmed, so Telegram delivers them again)")
		}
		cancelWork()
		<-done
	}
	a.mu.Lock()
	for _, ch := range a.shards {
		close(ch)
	}
	a.shards = nil
	a.mu.Unlock()
}

// testHookAccepted, when a test sets it, is called each time accept has queued an update: a
// signal that the update is in flight.
var testHookAccepted func()

// errNotRunning is returned by accept when the adapter is not running.
var errNotRunning = errors.New("telegram adapter is not running")

// accept queues an update for its worker; ctx bounds the wait for room in the queue. done
// is called exactly once with whether the update was finished (answered, or dropped for
// good) rather than cut short. When hold is not nil, its end cuts the update short too:
// replies not yet sent are called off.
func (a *Adapter) accept(ctx context.Context, in *incoming, done func(finished bool), hold context.Context) error {
	a.mu.RLock()
	defer a.mu.RUnlock()
	if !a.intake {
		return errNotRunning
	}
	a.pending.Add(1)
	jctx, release := a.work, func() {}
	if hold != nil {
		var cancel context.CancelFunc
		jctx, cancel = context.WithCancel(a.work)
		stop := context.AfterFunc(hold, cancel)
		release = func() { stop(); cancel() }
	}
	var once sync.Once
	j := &job{in: in, ctx: jctx, done: func(ok bool) {
		once.Do(func() {
			release()
			if done != nil {
				done(ok)
			}
			a.pending.Done()
		})
	}}
	ch := a.shards[shardOf(in, len(a.shards))]
	select {
	case ch <- j:
		if testHookAccepted != nil {
			testHookAccepted()
		}
		return nil
	case <-ctx.Done():
		release()
		a.pending.Done()
		return ctx.Err()
	}
}

// shardOf keeps the updates of one chat (or one user, for inline queries) on one worker, so
// they are answered in order.
func shardOf(in *incoming, n int) int {
	var key int64
	u := &in.U
	switch {
	case u.Message != nil && u.Message.Chat != nil:
		key = u.Message.Chat.ID
	case u.EditedMessage != nil && u.EditedMessage.Chat != nil:
		key = u.EditedMessage.Chat.ID // after the message it edits
	case u.MyChatMember != nil:
		key = u.MyChatMember.Chat.ID
	case u.CallbackQuery != nil && u.CallbackQuery.Message != nil && u.CallbackQuery.Message.Chat != nil:
		key = u.CallbackQuery.Message.Chat.ID
	case u.SentFrom() != nil:
		key = u.SentFrom().ID
	default:
		key = int64(in.ID)
	}
	h := fnv.New32a()
	_, _ = h.Write([]byte(strconv.FormatInt(key, 10)))
	return int(h.Sum32() % uint32(n))
}

func (a *Adapter) worker(ctx context.Context, ch <-chan *job) {
	for j := range ch {
		a.process(ctx, j)
	}
}

// pooledTransport is http.DefaultTransport with room for one idle keep-alive connection per
// chat being answered at once: the default keeps only 2 per host, so under load almost every
// request to the Bot API opened (and on the real API, TLS-handshook) a new connection — the
// load test's profile showed ~18% of CPU there.
func pooledTransport() http.RoundTripper {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.MaxIdleConns = 256
	t.MaxIdleConnsPerHost = 128
	return t
}
